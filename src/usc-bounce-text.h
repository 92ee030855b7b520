/* usc-bounce-text.h — the text helpers of the bounce analysis
 * (usc-bounce-text.c; usc_part_text in usc-bounce-part.c): tables of
 * strings, lines, addresses, Message-IDs, HTML, header fields. Not
 * installed, not API; included by usc-bounce-private.h. */
#ifndef USC_BOUNCE_TEXT_H
#define USC_BOUNCE_TEXT_H

#include <gmime/gmime.h>

G_BEGIN_DECLS

#define N(a) G_N_ELEMENTS (a)

/* g_ascii_tolower(), inline. */
static inline char
ascii_lc (char c)
{
  return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
}

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
/* Does @s end with one of @tab, trailing white space and ".!" ignored? */
gboolean usc_suffix_any (const char *s, const char *const *tab, gsize n, const char **hit_r);
gboolean usc_equal_any (const char *s, const char *const *tab, gsize n);
/* g_strsplit (s, "\n", max) without an allocation per line: the lines
 * point into one copy of @s. Free with usc_free_lines(). */
char **usc_split_lines (const char *s, guint max);
void usc_free_lines (char **v);
gboolean usc_addr_char (char c);
/* A byte that can be in a host name: ASCII letters, digits, '-', '.' (and
 * '_', seen in real host names). Not a non-ASCII byte: in notice text the
 * domain ends where the prose in another script starts ("a@example.jp您好"). */
gboolean usc_dom_char (char c);
/* An address starting at @p (or, when @p starts with non-ASCII prose, just
 * after it): returns it lower-cased and sets *end_r, or NULL. UTF-8 (an
 * SMTPUTF8 address) is kept only when the address is closed by '>', that is,
 * written inside <...>; otherwise the local part starts after the last
 * non-ASCII byte and the domain ends at the first one. Trailing dots and
 * hyphens are trimmed. */
char *usc_addr_at (const char *p, const char **end_r);
/* A Message-ID in @v ("<a@b>", or a bare "a@b"): newly allocated, or NULL. */
char *usc_msgid_in (const char *v, gboolean need_angle);
/* Valid UTF-8 copy of @s, cut at a character boundary to at most @max bytes. */
char *usc_short_copy (const char *s, gsize max);
char *usc_html_to_text (const char *h);
/* Decoded text of a leaf part in UTF-8 (at most @max bytes of content), NUL
 * bytes made spaces; newly allocated, or NULL. (usc-bounce-part.c; the
 * screen reads parts through it too.) */
char *usc_part_text (GMimeObject *part, gsize max);
/* g_mime_header_get_value (@h), without GMime's RFC 2047 decoding pass
 * where it cannot change anything: a raw value of printable ASCII and white
 * space without "=?" decodes to itself unfolded, so that is what is stored
 * in the header's value (GMimeHeader.value, GMime's cache of the decoded
 * value, documented public and freed with the header) and returned. Any other
 * value is GMime's to decode. NULL for a NULL @h. */
const char *usc_header_value (GMimeHeader *h);
/* g_mime_object_get_header (@o, @name), through usc_header_value(). */
const char *usc_hdr (GMimeObject *o, const char *name);
void usc_first_mailbox (InternetAddressList *l, char **addr_r, char **name_r);
gint64 usc_parse_date (const char *d);
/* Lower-cased copy of @t without '>'-quoted lines (what the message itself says). */
char *usc_unquoted_lower (const char *t, gsize max);
gboolean usc_header_has (GMimeObject *o, const char *name, const char *needle);
gboolean usc_any_header (GMimeObject *top, const char *const *names, gsize n);
int usc_count_markers (const char *hay, const char *const *tab, gsize n);
/* @a names a mailbox: local part @ domain, neither empty ("@mx.example.org"
 * is a host, seen in Final-Recipient fields of broken DSNs). */
gboolean usc_has_mailbox (const char *a);
/* Cut a lower-cased Received value at its "by" clause, whatever white
 * space (a fold: "\n\tby", a tab) precedes it. */
void usc_cut_by_clause (char *lc);

G_END_DECLS
#endif
