/* usc-kind-virus.c — virus notices: malware names by the shapes engines give
 * them (one matcher pass over the text), scan headers ("X-Virus-Status");
 * the score (one rule per sign, the weights in one table) and what --explain
 * says.
 */
#include "config.h"
#include "usc-bounce-private.h"
#include "usc-match-data.h"

/* Does @s start with @lc_prefix (lower case), read as if lower-cased (ASCII)? */
static gboolean
prefix_ci (const char *s, const char *lc_prefix)
{
  for (; *lc_prefix; s++, lc_prefix++)
    if (ascii_lc (*s) != *lc_prefix)
      return FALSE;
  return TRUE;
}
/* strstr() of @lc_needle (lower case) in @s read as if lower-cased (ASCII). */
static gboolean
contains_ci (const char *s, const char *lc_needle)
{
  for (; *s; s++)
    if (prefix_ci (s, lc_needle))
      return TRUE;
  return *lc_needle == '\0';
}
/* Does a header field name start with one of @prefixes (lower case)? */
gboolean
usc_header_name_prefix (GMimeObject *top, const char *const *prefixes, gsize n)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  for (int i = 0; i < cnt; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    if (name == NULL)
      continue;
    /* usc_prefix_any() on the lower-cased name, without the copy */
    while (*name == ' ' || *name == '\t' || *name == '"' || *name == '\'')
      name++;
    for (gsize k = 0; k < n; k++)
      if (prefix_ci (name, prefixes[k]))
        return TRUE;
  }
  return FALSE;
}
/* A scan header (name contains "virus") saying the message was caught. */
gboolean
usc_virus_header_verdict (GMimeObject *top)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (top);
  int cnt = hl ? g_mime_header_list_get_count (hl) : 0;
  gboolean r = FALSE;
  for (int i = 0; i < cnt && !r; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at (hl, i);
    const char *name = h ? g_mime_header_get_name (h) : NULL;
    /* the name first (as GMime keeps it, nothing decoded): only a scan
     * header's value is decoded and lower-cased */
    if (name == NULL || !contains_ci (name, "virus"))
      continue;
    const char *value = usc_header_value (h);
    if (value == NULL)
      continue;
    char *lv = g_ascii_strdown (value, -1);
    if (usc_contains_any (lv, virus_header_verdicts, N (virus_header_verdicts), NULL) &&
        !usc_contains_any (lv, virus_header_clean, N (virus_header_clean), NULL))
      r = TRUE;
    g_free (lv);
  }
  return r;
}
static gboolean
malware_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '.' || ch == '_' || ch == '!' || ch == ':' || ch == '/' ||
         ch == '-' || ch == '@';
}
/* Is @p the start of a word (not inside a URL, a path or an address)? */
static gboolean
word_start (const char *base, const char *p)
{
  if (p == base)
    return TRUE;
  char ch = p[-1];
  return !(g_ascii_isalnum (ch) || ch == '/' || ch == '.' || ch == '@' || ch == '-' || ch == '_' ||
           ch == ':' || ch == '=' || ch == '?' || ch == '&' || ch == '%');
}
/* The rest of a malware name after its prefix: at least three characters,
 * starting with a letter or digit, with a variant mark ('.', '!', '-' or a
 * digit) as engines give them ("emotet.ab!tr", "generickd.4711"). */
static gboolean
malware_rest (const char *r)
{
  const char *e = r;
  while (*e && malware_char (*e))
    e++;
  while (e > r && (e[-1] == '.' || e[-1] == ':' || e[-1] == '-'))
    e--;
  if (e - r < 3 || !g_ascii_isalnum (*r))
    return FALSE;
  /* a file name or path ("js/app-2.min.js") is no malware name */
  const char *dot = NULL;
  for (const char *q = r; q < e; q++)
    if (*q == '.')
      dot = q;
  if (dot) {
    char *ext = g_strndup (dot + 1, e - dot - 1);
    gboolean file = usc_equal_any (ext, file_extensions, N (file_extensions));
    g_free (ext);
    if (file)
      return FALSE;
  }
  for (const char *q = r + 1; q < e; q++)
    if (*q == '.' || *q == '!' || *q == '-' || g_ascii_isdigit (*q))
      return TRUE;
  return FALSE;
}
/* The malware prefixes, one index (MAL_PLATFORM .. MAL_CLAMAV, as the
 * notice index holds them), written out at build time (usc-match-data.h). */
static const UscMatch *
malware_index (void)
{
  return &usc_match_data_malware;
}
int
usc_malware_names (const char *lc)
{
  if (lc == NULL)
    return 0;
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_all (malware_index (), lc, strlen (lc), occ);
  int k = usc_malware_names_occ (lc, occ);
  g_array_unref (occ);
  return k;
}
/* How many malware names (by the engines' naming shapes, see the tables)
 * does the lower-case text @lc contain (at most 4)? At each word start that
 * has a prefix (@occ), the first entry of each table there is the one
 * usc_prefix_any() would give. */
int
usc_malware_names_occ (const char *lc, const GArray *occ)
{
  int k = 0;
  if (lc == NULL)
    return 0;
  const UscMatch *mi = malware_index ();
  guint end[MAL_NTABS];
  for (guint t = 0; t < MAL_NTABS; t++)
    end[t] = usc_match_tab_off (mi, t) + usc_match_tab_size (mi, t);
  guint oi = 0;
  for (const char *p = lc; *p && k < 4; p++) {
    while (oi < occ->len && g_array_index (occ, UscMatchOcc, oi).pos < (gsize) (p - lc))
      oi++;
    if (oi == occ->len)
      break;  /* no prefix from here on */
    p = lc + g_array_index (occ, UscMatchOcc, oi).pos;  /* none in between */
    if (!g_ascii_isalpha (*p) || !word_start (lc, p))
      continue;
    const char *first[MAL_NTABS] = { NULL };
    guint first_idx[MAL_NTABS];
    for (guint j = oi; j < occ->len && g_array_index (occ, UscMatchOcc, j).pos == (gsize) (p - lc); j++) {
      guint idx = g_array_index (occ, UscMatchOcc, j).idx, t = 0;
      while (idx >= end[t])
        t++;
      if (first[t] == NULL || idx < first_idx[t]) {
        first[t] = usc_match_pattern (mi, idx);
        first_idx[t] = idx;
      }
    }
    const char *hit = NULL;
    gboolean found = FALSE;
    if ((hit = first[MAL_PLATFORM]) != NULL && p[0] != ' ')
      found = malware_rest (p + strlen (hit));
    if (!found && (hit = first[MAL_BARE]) != NULL && p[0] != ' ') {
      const char *r = p + strlen (hit), *e = r;
      while (g_ascii_isalnum (*e))
        e++;
      found = e - r >= 4;
    }
    if (!found && first[MAL_EICAR] && (p[5] == '-' || p[5] == '_' || p[5] == '.'))
      found = TRUE;
    if (!found && (hit = first[MAL_TYPE]) != NULL) {
      /* "gen:variant" + ".razy.912": the prefix may end before its dot */
      const char *r = p + strlen (hit);
      if ((*r == '.' || *r == ':') && g_ascii_isalnum (r[1]) && g_ascii_isalnum (hit[strlen (hit) - 1]))
        r++;
      found = malware_rest (r);
    }
    if (!found && (hit = first[MAL_CLAMAV]) != NULL) {
      const char *q = p + strlen (hit);
      const char *cat = NULL;
      if (usc_prefix_any (q, malware_clamav_categories, N (malware_clamav_categories), &cat) && q[0] != ' ')
        found = malware_rest (q + strlen (cat)) || g_ascii_isalpha (q[strlen (cat)]);
    }
    if (found) {
      k++;
      while (*p && malware_char (*p))
        p++;
      if (!*p)
        break;
    }
  }
  return k;
}

/* ---- the score ---- */

static const struct {
  int subject;         /* virus_subjects, or a malware name in the subject */
  int body;            /* the first virus_body_markers ... */
  int body_more_max;   /* ... and one more for each further one, at most this many */
  int sender;          /* a scanner's address or name */
  int malware;         /* a malware name, by the engines' naming shapes */
  int header;          /* "X-Virus-Status: Infected" */
  int daemon;          /* a mail daemon (or the null sender) */
  int auto_any;        /* Auto-Submitted */
  int notice_malware;  /* a machine's notice about a message that names a malware */
  int not_notice_max;  /* the most anything else scores (newsletters, lists) */
} W = {
  .subject = 4, .body = 3, .body_more_max = 3, .sender = 3, .malware = 5, .header = 3,
  .daemon = 2, .auto_any = 1, .notice_malware = 2, .not_notice_max = 8,
};

static int
subject (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->virus_subject ? W.subject : 0;
}
static int
body (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->virus_body ? W.body + MIN (e->virus_body - 1, W.body_more_max) : 0;
}
static int
sender (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->virus_sender ? W.sender : 0;
}
static int
malware (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->malware ? W.malware : 0;
}
static int
header (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->virus_hdr ? W.header : 0;
}
static int
daemon_sender (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->daemon ? W.daemon : 0;
}
static int
auto_any (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return e->auto_any ? W.auto_any : 0;
}
/* A notice about a message (not a security newsletter): it speaks of the
 * message, and comes from a daemon or a scanner. Naming a malware in one
 * counts more; anything else (and list mail: threat digests name malware)
 * is held below the threshold. */
static int
notice (const Headers *h, Evidence *e, int sofar)
{
  (void) h;
  gboolean about_message = usc_text_any (e, USC_TT_VIRUS_CONTEXT, NULL) || e->in_reply || e->returned ||
                           e->header_copy || usc_text_has_msgid (e->scan_lc);
  gboolean notice = (e->daemon || e->auto_any || e->virus_sender || e->virus_hdr) && about_message;
  int p = notice && e->malware ? W.notice_malware : 0;
  if (!notice || e->list)
    p = MIN (sofar + p, W.not_notice_max) - sofar;
  return p;
}
static int
person (const Headers *h, Evidence *e, int sofar)
{
  (void) h, (void) sofar;
  return -e->human;
}
/* In order: notice caps the score so far. */
static const UscScoreRule rules[] = {
  { "a virus subject or a malware name in it", subject },
  { "virus wording (virus_body_markers)", body },
  { "a scanner's address or name", sender },
  { "a malware name in the text", malware },
  { "a scan header's verdict", header },
  { "a mail daemon", daemon_sender },
  { "Auto-Submitted", auto_any },
  { "a machine's notice about a message", notice },
  { "the signs of a person", person },
};

int
usc_kind_virus_score (const Headers *h, Evidence *e)
{
  return usc_score_rules (h, e, rules, N (rules));
}
void
usc_kind_virus_explain (const Headers *h, const Evidence *e, UscBounce *b)
{
  (void) h, (void) e;
  usc_bounce_note (b, "anti-virus notice");
}
