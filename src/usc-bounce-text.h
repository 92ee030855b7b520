/* usc-bounce-text.h — the text helpers of the bounce analysis
 * (usc-bounce-text.c; usc_part_text in usc-bounce-part.c): tables of
 * strings, lines, HTML; with the headers it includes, addresses and
 * Message-IDs (usc-bounce-addr.h) and header fields (usc-bounce-header.h).
 * Not installed, not API; included by usc-bounce-private.h. */
#ifndef USC_BOUNCE_TEXT_H
#define USC_BOUNCE_TEXT_H

#include <gmime/gmime.h>
#include <string.h>

G_BEGIN_DECLS

#define N(a) G_N_ELEMENTS (a)

/* g_ascii_tolower(), inline. */
static inline char
ascii_lc (char c)
{
  return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
}

/* The line at @p (before @end, in a NUL-terminated string): its length
 * without the LF in *@n_r, and whether it is '>'-quoted (after blanks),
 * which usc_unquoted_lower() leaves out, in *@quoted_r. Returns where the
 * next line starts. */
static inline const char *
usc_next_line (const char *p, const char *end, gsize *n_r, gboolean *quoted_r)
{
  const char *nl = memchr (p, '\n', (gsize) (end - p));
  gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);
  const char *q = p;
  while (q < p + n && (*q == ' ' || *q == '\t'))
    q++;
  *n_r = n;
  *quoted_r = *q == '>';
  return nl ? nl + 1 : p + n;
}

/* @n bytes of @src into @dst, ASCII lower-cased (ascii_lc), eight at a time. */
void usc_ascii_lower_copy (char *dst, const char *src, gsize n);

/* g_str_has_prefix(), inline. */
static inline gboolean
has_prefix (const char *s, const char *prefix)
{
  while (*prefix)
    if (*s++ != *prefix++)
      return FALSE;
  return TRUE;
}

char *usc_ascii_lower_n (const char *s, gsize n);
gboolean usc_contains_any (const char *hay, const char *const *tab, gsize n, const char **hit_r);
gboolean usc_prefix_any (const char *s, const char *const *tab, gsize n, const char **hit_r);
/* @s after leading brackets and white space ("【自動返信】" -> "自動返信】"). */
const char *usc_skip_brackets (const char *s);
/* @s after leading bracketed tags and white space ("[#5521] Re: x" -> "Re: x"). */
const char *usc_skip_tags (const char *s);
/* Does @s (at most @len bytes) hold a reference number standing alone: a
 * token of letters, digits, '-', '/', '#' (5 to 40 bytes) with at least 4
 * digits and something else ("CU-2024-118842", "#VN-3391", "7-2/2024/1181"),
 * not an ISO date? (a ticket's, a registry's number) */
gboolean usc_reference_token (const char *s, gsize len);
/* Does @s end with one of @tab, trailing white space and ".!" ignored? */
gboolean usc_suffix_any (const char *s, const char *const *tab, gsize n, const char **hit_r);
gboolean usc_equal_any (const char *s, const char *const *tab, gsize n);
/* g_strsplit (s, "\n", max) without an allocation per line: the lines
 * point into one copy of @s. Free with usc_free_lines(). */
char **usc_split_lines (const char *s, guint max);
void usc_free_lines (char **v);
/* Valid UTF-8 copy of @s, cut at a character boundary to at most @max bytes. */
char *usc_short_copy (const char *s, gsize max);
char *usc_html_to_text (const char *h);
/* Decoded text of a leaf part in UTF-8 (at most @max bytes of content), NUL
 * bytes made spaces; newly allocated, or NULL. (usc-bounce-part.c; the
 * screen reads parts through it too.) */
char *usc_part_text (GMimeObject *part, gsize max);
/* Lower-cased copy of @t without '>'-quoted lines (what the message itself says). */
char *usc_unquoted_lower (const char *t, gsize max);
int usc_count_markers (const char *hay, const char *const *tab, gsize n);

G_END_DECLS

#include "usc-bounce-addr.h"
#include "usc-bounce-header.h"
#endif
