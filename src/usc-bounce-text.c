/* usc-bounce-text.c — text scanners of the bounce analysis: table look-ups (substring, prefix,
 * suffix, equality, counts), lines, short copies, HTML to text, quoted lines
 * left out. No MIME walking, no scores. Addresses and Message-IDs:
 * usc-bounce-addr.c; header fields: usc-bounce-header.c.
 */
#include "config.h"
#include "usc-bounce-private.h"

char *
usc_ascii_lower_n (const char *s, gsize n)
{
  char *r = g_malloc (n + 1);
  for (gsize i = 0; i < n; i++)
    r[i] = g_ascii_tolower (s[i]);
  r[n] = '\0';
  return r;
}
/* FALSE when no entry of @tab occurs in @hay (NUL-terminated); TRUE when
 * one does, or when the table has no index. */
static gboolean
table_may_contain (const char *const *tab, gsize n, const char *hay)
{
  const UscMatch *m = usc_match_table (tab, n);
  return m == NULL || usc_match_any (m, hay, strlen (hay));
}
gboolean
usc_contains_any (const char *hay, const char *const *tab, gsize n, const char **hit_r)
{
  if (hay == NULL || *hay == '\0')
    return FALSE;
  /* the index answers "none" in one pass; the first hit in table order (the
   * rare case) is then found as before */
  if (!table_may_contain (tab, n, hay))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (strstr (hay, tab[i])) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}
gboolean
usc_prefix_any (const char *s, const char *const *tab, gsize n, const char **hit_r)
{
  if (s == NULL)
    return FALSE;
  while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')
    s++;
  for (gsize i = 0; i < n; i++)
    if (has_prefix (s, tab[i])) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  return FALSE;
}
/* @s after leading brackets and white space ("【自動返信】" -> "自動返信】"). */
const char *
usc_skip_brackets (const char *s)
{
  static const char *const open[] = { "【", "［", "（", "「", "[", "(", "<" };
  for (;;) {
    while (*s == ' ' || *s == '\t')
      s++;
    gboolean hit = FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (open); i++)
      if (g_str_has_prefix (s, open[i])) {
        s += strlen (open[i]);
        hit = TRUE;
      }
    if (!hit)
      return s;
  }
}
/* @s after leading bracketed tags and white space ("[#5521] Re: x" -> "Re: x"). */
const char *
usc_skip_tags (const char *s)
{
  static const char pairs[][2] = { { '[', ']' }, { '(', ')' } };
  for (;;) {
    while (*s == ' ' || *s == '\t')
      s++;
    const char *e = NULL;
    for (guint i = 0; i < G_N_ELEMENTS (pairs) && !e; i++)
      if (*s == pairs[i][0])
        e = strchr (s, pairs[i][1]);
    if (e == NULL)
      return s;
    s = e + 1;
  }
}
static gboolean
token_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '/' || c == '#';
}
/* Does @s (at most @len bytes) hold a reference number: a token of letters,
 * digits, '-', '/' and '#' of 5 to 40 bytes with at least 4 digits and a
 * letter or one of "-/#" among them ("CU-2024-118842", "#VN-3391",
 * "7-2/2024/1181", "20240319-0042"), standing alone (white space, brackets,
 * quotes or ".,;:" around it: not a piece of an address, a URL or a
 * Message-ID), and not an ISO date (2024-03-19)? */
gboolean
usc_reference_token (const char *s, gsize len)
{
  const char *end = s + len;
  for (const char *p = s; p < end;) {
    if (!token_char (*p)) {
      p++;
      continue;
    }
    const char *q = p;
    guint digits = 0, other = 0;
    while (q < end && token_char (*q)) {
      if (g_ascii_isdigit (*q))
        digits++;
      else
        other++;
      q++;
    }
    gboolean before = p == s || (p[-1] && strchr (" \t\n\r([{<\"':", p[-1]) != NULL);
    gboolean after = q == end || (*q && strchr (" \t\n\r)]}>\"'.,;:", *q) != NULL);
    /* a '.' or ':' after it only at a sentence's or a field's end */
    if (after && q < end && (*q == '.' || *q == ':') && q + 1 < end && !g_ascii_isspace (q[1]))
      after = FALSE;
    gsize n = q - p;
    gboolean date = n == 10 && digits == 8 && p[4] == '-' && p[7] == '-';
    if (before && after && n >= 5 && n <= 40 && digits >= 4 && other > 0 && !date && *p != '-' && q[-1] != '-')
      return TRUE;
    p = q;
  }
  return FALSE;
}
/* Does @s end with one of @tab, trailing white space and ".!" ignored? */
gboolean
usc_suffix_any (const char *s, const char *const *tab, gsize n, const char **hit_r)
{
  if (s == NULL)
    return FALSE;
  gsize len = strlen (s);
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '.' || s[len - 1] == '!'))
    len--;
  for (gsize i = 0; i < n; i++) {
    gsize k = strlen (tab[i]);
    if (k <= len && memcmp (s + len - k, tab[i], k) == 0) {
      if (hit_r)
        *hit_r = tab[i];
      return TRUE;
    }
  }
  return FALSE;
}
gboolean
usc_equal_any (const char *s, const char *const *tab, gsize n)
{
  if (s == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (strcmp (s, tab[i]) == 0)
      return TRUE;
  return FALSE;
}
/* g_strsplit (s, "\n", max) without an allocation per line: the lines
 * point into one copy of @s. Free with usc_free_lines(). */
char **
usc_split_lines (const char *s, guint max)
{
  gsize len = strlen (s);
  /* the array and the copy in one block: [pointers ... NULL][text] */
  guint n = 1;
  for (const char *p = s; (p = memchr (p, '\n', s + len - p)) != NULL; p++)
    n++;
  if (max > 0 && n > max)
    n = max;
  gsize head = (len ? n + 1 : 1) * sizeof (char *);
  char **v = g_malloc (head + len + 1);
  char *buf = (char *) v + head;
  memcpy (buf, s, len + 1);
  guint k = 0;
  if (len) {
    char *p = buf;
    for (;;) {
      v[k++] = p;
      if (k == n)
        break;  /* the last one keeps the rest, as g_strsplit() does */
      char *nl = strchr (p, '\n');
      if (nl == NULL)
        break;
      *nl = '\0';
      p = nl + 1;
    }
  }
  v[k] = NULL;
  return v;
}
void
usc_free_lines (char **v)
{
  g_free (v);
}
/* Valid UTF-8 copy of @s, cut at a character boundary to at most @max bytes. */
char *
usc_short_copy (const char *s, gsize max)
{
  char *v = g_utf8_make_valid (s, -1);
  if (strlen (v) > max) {
    const char *cut = g_utf8_find_prev_char (v, v + max + 1);
    if (cut)
      *(char *) cut = '\0';
  }
  return v;
}
char *
usc_html_to_text (const char *h)
{
  GString *s = g_string_new (NULL);
  char *lc = g_ascii_strdown (h, -1);  /* once: tags are matched case-insensitively */
  const char *p = h;
  while (*p) {
    if (*p == '<') {
      const char *e = strchr (p, '>');
      if (!e)
        break;
      char t[8] = { 0 };
      gsize k = 0;
      const char *q = p + 1;
      if (*q == '/')
        q++;
      while (k < 7 && g_ascii_isalpha (q[k])) {
        t[k] = g_ascii_tolower (q[k]);
        k++;
      }
      if (!strcmp (t, "br") || !strcmp (t, "p") || !strcmp (t, "div") || !strcmp (t, "tr") ||
          !strcmp (t, "li") || !strcmp (t, "pre") || !strcmp (t, "h1") || !strcmp (t, "h2") ||
          !strcmp (t, "table"))
        g_string_append_c (s, '\n');
      else if (!strcmp (t, "td") || !strcmp (t, "th"))
        g_string_append_c (s, '\t');  /* a table row stays one "Key:\tvalue" line */
      if (p[1] != '/' && (!strcmp (t, "style") || !strcmp (t, "script"))) {
        const char *close = strstr (lc + (e - h), t[1] == 't' ? "</style" : "</script");
        e = close ? strchr (h + (close - lc), '>') : NULL;
        if (!e)
          break;
      }
      p = e + 1;
    } else if (*p == '&') {
      static const struct { const char *e; const char *r; } ents[] = {
        { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&nbsp;", " " },
        { "&quot;", "\"" }, { "&#39;", "'" }, { "&#64;", "@" }, { "&#60;", "<" }, { "&#62;", ">" },
      };
      gboolean done = FALSE;
      for (guint i = 0; i < N (ents); i++)
        if (g_ascii_strncasecmp (p, ents[i].e, strlen (ents[i].e)) == 0) {
          g_string_append (s, ents[i].r);
          p += strlen (ents[i].e);
          done = TRUE;
          break;
        }
      if (!done)
        g_string_append_c (s, *p++);
    } else {
      g_string_append_c (s, *p++);
    }
  }
  g_free (lc);
  return g_string_free (s, FALSE);
}
void
usc_ascii_lower_copy (char *dst, const char *src, gsize n)
{
  const guint64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  gsize i = 0;
  for (; i + 8 <= n; i += 8) {
    guint64 v;
    memcpy (&v, src + i, 8);
    /* per byte: the high bit of (b & 0x7f) + (0x80 - 'A') says b7 >= 'A',
     * that of (b & 0x7f) + (0x80 - 'Z' - 1) says b7 > 'Z'; bytes beyond
     * ASCII (high bit set) are left alone */
    guint64 h = v & ~highs;
    guint64 upper = (h + ones * (0x80 - 'A')) & ~(h + ones * (0x80 - 'Z' - 1)) & ~v & highs;
    v |= upper >> 2; /* 0x80 >> 2: 'a' - 'A' */
    memcpy (dst + i, &v, 8);
  }
  for (; i < n; i++)
    dst[i] = ascii_lc (src[i]);
}
/* Lower-cased copy of @t without '>'-quoted lines (what the message itself says). */
char *
usc_unquoted_lower (const char *t, gsize max)
{
  /* lines are copied whole: the result may pass @max by one line */
  gsize tlen = strlen (t), cap = MIN (tlen, max) + 2, o = 0;
  char *s = g_malloc (cap);
  const char *p = t, *end = t + tlen;
  while (p < end && o < max) {
    gsize n;
    gboolean quoted;
    const char *next = usc_next_line (p, end, &n, &quoted);
    if (!quoted) {
      if (o + n + 2 > cap) {
        cap = MAX (cap * 2, o + n + 2);
        s = g_realloc (s, cap);
      }
      usc_ascii_lower_copy (s + o, p, n);
      o += n;
      s[o++] = '\n';
    }
    p = next;
  }
  s[o] = '\0';
  return s;
}
int
usc_count_markers (const char *hay, const char *const *tab, gsize n)
{
  int k = 0;
  for (gsize i = 0; i < n; i++)
    if (strstr (hay, tab[i]))
      k++;
  return k;
}
