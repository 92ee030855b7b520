/* usc-kind-virus.c — virus notices: malware names by the shapes engines give
 * them (one matcher pass over the text), scan headers ("X-Virus-Status").
 */
#include "config.h"
#include "usc-bounce-private.h"

/* The prefixes of malware names, in one index (usc-match.h): the tables
 * below, one after the other, each in its own order. */
enum { MAL_PLATFORM, MAL_BARE, MAL_EICAR, MAL_TYPE, MAL_CLAMAV, MAL_NTABS };

static const char *const malware_eicar[] = { "eicar" };

typedef struct {
  UscMatch *m;
  const char **pat;      /* the entries of every table */
  guint end[MAL_NTABS];  /* table t: entries [end[t-1], end[t]) */
} MalwareIndex;
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
    char *lc = g_ascii_strdown (name, -1);
    gboolean r = usc_prefix_any (lc, prefixes, n, NULL);
    g_free (lc);
    if (r)
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
    const char *value = h ? g_mime_header_get_value (h) : NULL;
    if (name == NULL || value == NULL)
      continue;
    char *ln = g_ascii_strdown (name, -1);
    char *lv = g_ascii_strdown (value, -1);
    if (strstr (ln, "virus") && usc_contains_any (lv, virus_header_verdicts, N (virus_header_verdicts), NULL) &&
        !usc_contains_any (lv, virus_header_clean, N (virus_header_clean), NULL))
      r = TRUE;
    g_free (ln);
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
static const MalwareIndex *
malware_index (void)
{
  static MalwareIndex mi;
  static gsize done = 0;
  if (g_once_init_enter (&done)) {
    static const struct { const char *const *tab; guint n; } tabs[MAL_NTABS] = {
      [MAL_PLATFORM] = { malware_platforms, N (malware_platforms) },
      [MAL_BARE] = { malware_bare_prefixes, N (malware_bare_prefixes) },
      [MAL_EICAR] = { malware_eicar, N (malware_eicar) },
      [MAL_TYPE] = { malware_types, N (malware_types) },
      [MAL_CLAMAV] = { malware_clamav_platforms, N (malware_clamav_platforms) },
    };
    GPtrArray *pats = g_ptr_array_new ();
    for (guint t = 0; t < MAL_NTABS; t++) {
      for (guint i = 0; i < tabs[t].n; i++)
        g_ptr_array_add (pats, (gpointer) tabs[t].tab[i]);
      mi.end[t] = pats->len;
    }
    guint n = pats->len;
    mi.pat = (const char **) g_ptr_array_free (pats, FALSE);
    mi.m = usc_match_new (mi.pat, n);
    g_once_init_leave (&done, 1);
  }
  return &mi;
}
/* How many malware names (by the engines' naming shapes, see the tables)
 * does the lower-case text @lc contain (at most 4)? The prefixes are found
 * in one pass (malware_index); at each word start that has one, the first
 * entry of each table there is the one usc_prefix_any() would give. */
int
usc_malware_names (const char *lc)
{
  int k = 0;
  if (lc == NULL)
    return 0;
  const MalwareIndex *mi = malware_index ();
  GArray *occ = g_array_new (FALSE, FALSE, sizeof (UscMatchOcc));
  usc_match_all (mi->m, lc, strlen (lc), occ);
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
      while (idx >= mi->end[t])
        t++;
      if (first[t] == NULL || idx < first_idx[t]) {
        first[t] = mi->pat[idx];
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
  g_array_unref (occ);
  return k;
}
