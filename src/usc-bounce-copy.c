/* usc-bounce-copy.c — where the notice ends and the returned copy begins: the
 * separators MTAs write before an inline copy ("----- original message -----",
 * decorated rules), inline header blocks (RFC 5322 fields), and the regions
 * of the text before them (the diagnostic, the notice).
 */
#include "config.h"
#include "usc-bounce-private.h"

static gboolean
deco_char (char ch)
{
  return ch && strchr ("-=*_#~+", ch) != NULL;
}
/* A site's own separator line: "=== The message you sent follows ===",
 * "--- Kopfzeilen der Originalnachricht ---": decoration (3+ of -=*_#~+)
 * before, decoration or a final ':' / '.' after, and between them words
 * about the message (separator_words), not a forward's. @l is one
 * line of @n bytes (the words are compared lower-cased). */
gboolean
usc_decorated_separator (const char *l, gsize n)
{
  const char *p = l, *e = l + n;
  while (p < e && (*p == ' ' || *p == '\t'))
    p++;
  while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
    e--;
  const char *s = p;
  while (s < e && deco_char (*s))
    s++;
  if (s - p < 3)
    return FALSE;
  const char *t = e;
  while (t > s && deco_char (t[-1]))
    t--;
  if (e - t < 3 && !(t > s && (t[-1] == ':' || t[-1] == '.')))
    return FALSE;
  if (t - s < 5 || t - s > 80 || memchr (s, ' ', t - s) == NULL)
    return FALSE;
  char *inner = usc_ascii_lower_n (s, t - s);  /* @l may be in any case */
  gboolean r = usc_contains_any (inner, separator_words, N (separator_words), NULL) &&
               !usc_contains_any (inner, separator_exclusions, N (separator_exclusions), NULL) &&
               !usc_contains_any (inner, forward_markers, N (forward_markers), NULL) &&
               !strstr (inner, "forward") && !strstr (inner, "weitergeleitet");
  g_free (inner);
  return r;
}
/* A rule of decoration around words of any language ("===== Vichwa vya
 * ujumbe wa awali =====": 3+ of -=*_#~+ on both sides, a letter between)
 * on a line of at most 120 bytes, with a header field ("from:", "to:",
 * "subject:", "date:", "message-id:") on one of the next three lines: a
 * copy begins there whatever the words say. A forward's rule is not one
 * (forward_markers, "forward"). @lc is lower-cased text. */
gboolean
usc_rule_before_fields (const char *lc)
{
  static const char *const fields[] = { "from:", "to:", "subject:", "date:", "message-id:" };
  int tries = 0;
  for (const char *l = lc; *l && tries < 2000; tries++) {
    const char *nl = strchr (l, '\n');
    gsize n = nl ? (gsize) (nl - l) : strlen (l);
    const char *p = l, *e = l + n;
    while (p < e && (*p == ' ' || *p == '\t'))
      p++;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      e--;
    const char *s = p, *t = e;
    while (s < e && deco_char (*s))
      s++;
    while (t > s && deco_char (t[-1]))
      t--;
    gboolean letter = FALSE;
    for (const char *q = s; q < t && !letter; q++)
      letter = g_ascii_isalpha (*q) || (guchar) *q >= 0x80;
    if (n <= 120 && s - p >= 3 && e - t >= 3 && letter && nl) {
      char *inner = g_strndup (s, t - s);
      gboolean fwd = usc_contains_any (inner, forward_markers, N (forward_markers), NULL) || strstr (inner, "forward");
      g_free (inner);
      const char *q = nl + 1;
      for (int k = 0; k < 3 && *q && !fwd; k++) {
        while (*q == ' ' || *q == '\t')
          q++;
        for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
          if (strncmp (q, fields[f], strlen (fields[f])) == 0)
            return TRUE;
        const char *nn = strchr (q, '\n');
        if (nn == NULL)
          break;
        q = nn + 1;
      }
    }
    l += n + (nl ? 1 : 0);
  }
  return FALSE;
}
/* usc_find_separator() once the first of the copy_separators is known (@best). */
gssize
usc_find_separator_from (const char *lc, gssize best)
{
  for (const char *l = lc; *l && (best < 0 || l - lc < best);) {
    const char *nl = strchr (l, '\n');
    gsize n = nl ? (gsize) (nl - l) : strlen (l);
    if (usc_decorated_separator (l, n)) {
      best = l - lc;
      break;
    }
    l += n + (nl ? 1 : 0);
  }
  return best;
}
/* Offset of the first copy-of-original separator line in @t, or -1. @t is
 * read as if lower-cased (ASCII): no lower-cased copy is needed. */
gssize
usc_find_separator (const char *t)
{
  const UscMatch *m = usc_match_table (copy_separators, N (copy_separators));
  gssize best = -1;
  if (m)
    best = usc_match_first_folded (m, t, strlen (t));
  else {
    char *lc = g_ascii_strdown (t, -1);
    for (guint i = 0; i < N (copy_separators); i++) {
      const char *h = strstr (lc, copy_separators[i]);
      if (h && (best < 0 || h - lc < best))
        best = h - lc;
    }
    g_free (lc);
  }
  return usc_find_separator_from (t, best);
}
/* Strip indentation and '>' quoting; returns the depth of quoting. */
const char *
usc_strip_prefix (const char *line, int *quote_r)
{
  int q = 0;
  const char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '>') {
      q++;
      p++;
      continue;
    }
    break;
  }
  *quote_r = q;
  return p;
}
gboolean
usc_looks_like_field (const char *p)
{
  const char *q = p;
  while (g_ascii_isalnum (*q) || *q == '-' || *q == '_')
    q++;
  return q > p && *q == ':' && q - p < 60;
}
/* Every field the analysis reads from a returned message (parts->returned):
 * its references (usc_collect_ids: Message-ID, X-Original-Message-ID), its
 * sender and subject (usc_looks_like_bounce), usc_collect_original (Subject,
 * Date, Return-Path, and for the signature X-Unscatter-Sig, Message-ID,
 * Date, From, To, Cc), the recipients (usc-bounce-rcpt.c: To, and
 * feedback_copy_recipient_headers). tests/t/0152-copy-fields.t checks the
 * list against the readers: every message we have, analysed with the
 * copies' fields kept all (UNSCATTER_COPY_FIELDS=all) and with this list,
 * must give the same bytes. */
static const char *const copy_fields[] = {
  "Message-ID", "X-Original-Message-ID", "From", "Subject", "Date", "Return-Path", "X-Unscatter-Sig", "To", "Cc",
};
static gboolean
field_in (const char *name, gsize len, const char *const *tab, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (strlen (tab[i]) == len && g_ascii_strncasecmp (name, tab[i], len) == 0)
      return TRUE;
  return FALSE;
}
/* UNSCATTER_COPY_FIELDS=all keeps every field of a header copy: what
 * tests/t/0152-copy-fields.t compares against, so that a reader of a field
 * missing from copy_fields shows up as a difference. */
static gboolean
copy_fields_all (void)
{
  static gsize done = 0;
  static gboolean all;
  if (g_once_init_enter (&done)) {
    const char *v = g_getenv ("UNSCATTER_COPY_FIELDS");
    all = v && strcmp (v, "all") == 0;
    g_once_init_leave (&done, 1);
  }
  return all;
}
gboolean
usc_copy_field_wanted (const char *name, gsize len)
{
  return copy_fields_all () || field_in (name, len, copy_fields, N (copy_fields)) ||
         field_in (name, len, feedback_copy_recipient_headers, N (feedback_copy_recipient_headers));
}
/* Collect the header-looking block around line @at of @lines (prefix stripped). */
UscCopy *
usc_inline_header_block (char **lines, guint n, guint at, UscBudget *budget)
{
  int q;
  guint s = at, e = at;
  while (s > 0) {
    const char *p = usc_strip_prefix (lines[s - 1], &q);
    if (*p == '\0')
      break;
    if (!usc_looks_like_field (p) && !(lines[s - 1][0] == ' ' || lines[s - 1][0] == '\t'))
      break;
    s--;
  }
  /* the block starts with a field, not with a stray continuation line */
  while (s < at && !usc_looks_like_field (usc_strip_prefix (lines[s], &q)))
    s++;
  while (e + 1 < n) {
    const char *p = usc_strip_prefix (lines[e + 1], &q);
    if (*p == '\0')
      break;
    e++;
  }
  GString *blk = g_string_new (NULL);
  for (guint i = s; i <= e && blk->len < 65536; i++) {
    const char *p = usc_strip_prefix (lines[i], &q);
    if (!usc_looks_like_field (p))
      g_string_append_c (blk, ' ');
    g_string_append (blk, p);
    g_string_append_c (blk, '\n');
  }
  g_string_append (blk, "\n");
  UscCopy *c = usc_mime_parse_header_copy (blk->str, blk->len, budget, usc_copy_field_wanted);
  g_string_free (blk, TRUE);
  return c;
}
/* usc_find_separator (@region), where @region is a copy of the @n bytes of
 * t->text from @off on. */
static gssize
region_separator (NoticeText *t, const char *region, gsize off, gsize n)
{
  const GArray *occ = usc_text_separators (t);
  if (occ == NULL)
    return usc_find_separator (region);
  gssize best = -1;
  for (guint k = 0; k < occ->len && best < 0; k++) {
    const UscMatchOcc *o = &g_array_index (occ, UscMatchOcc, k);
    if (o->pos >= off && o->pos + o->len <= off + n)
      best = (gssize) (o->pos - off);
  }
  return usc_find_separator_from (region, best);
}
/* The notice's own words, before any copy of the original. Newly allocated. */
char *
usc_diagnostic_region (NoticeText *t)
{
  const char *dtext = t->have_first ? t->text->str + t->first_off : t->text->str;
  gsize dlen = t->have_first ? t->first_text_len : t->text->len;
  char *diag = g_strndup (dtext, MIN (dlen, SCAN_MAX));
  gssize sep = region_separator (t, diag, (gsize) (dtext - t->text->str), strlen (diag));
  if (sep > 0)
    diag[sep] = '\0';
  return diag;
}
/* All of the notice's own text (every text part, not only the first),
 * up to the first copy of the original. Newly allocated. */
char *
usc_notice_region (NoticeText *t)
{
  char *all = g_strndup (t->text->str, MIN (t->text->len, SCAN_MAX));
  gssize sep = region_separator (t, all, 0, strlen (all));
  if (sep > 0)
    all[sep] = '\0';
  return all;
}
