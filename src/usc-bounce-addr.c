/* usc-bounce-addr.c — addresses and Message-IDs in a notice's text
 * (RFC 5321 mailboxes, RFC 5322 msg-id, bare or in <...>), as the bounce
 * analysis finds them: in prose of any script, lower-cased, trimmed.
 */
#include "config.h"
#include "usc-bounce-private.h"

gboolean
usc_addr_char (char c)
{
  return g_ascii_isalnum (c) || (c && strchr ("._%+-=/!#$&'*?^`{|}~", c) != NULL) || (guchar) c >= 0x80;
}
/* A byte that can be in a host name: ASCII letters, digits, '-', '.' (and
 * '_', seen in real host names). Not a non-ASCII byte: in notice text the
 * domain ends where the prose in another script starts ("a@example.jp您好"). */
gboolean
usc_dom_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}
/* An address starting at @p (or, when @p starts with non-ASCII prose, just
 * after it): returns it lower-cased and sets *end_r, or NULL. UTF-8 (an
 * SMTPUTF8 address) is kept only when the address is closed by '>', that is,
 * written inside <...>; otherwise the local part starts after the last
 * non-ASCII byte and the domain ends at the first one. Trailing dots and
 * hyphens are trimmed. */
char *
usc_addr_at (const char *p, const char **end_r)
{
  const char *q = p;
  while (usc_addr_char (*q))
    q++;
  if (q == p || *q != '@')
    return NULL;
  const char *d = q + 1, *e = d;
  while (usc_dom_char (*e) || (guchar) *e >= 0x80)
    e++;
  gboolean bracketed = *e == '>';
  const char *s = p;
  if (!bracketed) {
    e = d;
    while (usc_dom_char (*e))
      e++;
    for (const char *t = p; t < q; t++)
      if ((guchar) *t >= 0x80)
        s = t + 1;
  }
  while (e > d && (e[-1] == '.' || e[-1] == '-'))
    e--;
  if (e == d || memchr (d, '.', e - d) == NULL)
    return NULL;
  if (end_r)
    *end_r = e;
  while (s < q && (*s == '.' || *s == '\'' || *s == '`'))
    s++;
  if (s == q)
    return NULL;
  return usc_ascii_lower_n (s, e - s);
}
/* A Message-ID in @v ("<a@b>", or a bare "a@b"): newly allocated, or NULL. */
char *
usc_msgid_in (const char *v, gboolean need_angle)
{
  if (v == NULL)
    return NULL;
  const char *lt = strchr (v, '<');
  if (lt) {
    const char *gt = strchr (lt + 1, '>');
    if (gt && gt - lt > 3) {
      const char *s = lt + 1;
      while (*s == ' ')
        s++;
      const char *e = gt;
      while (e > s && e[-1] == ' ')
        e--;
      if (memchr (s, '@', e - s) && !memchr (s, ' ', e - s) && !memchr (s, '<', e - s))
        return g_strndup (s, e - s);
    }
    return NULL;
  }
  if (need_angle)
    return NULL;
  while (*v == ' ' || *v == '\t')
    v++;
  const char *e = v;
  while (*e && *e != ' ' && *e != '\t' && *e != '\n' && *e != ',' && *e != ';' && *e != '>')
    e++;
  while (e > v && (e[-1] == '.' || e[-1] == ')'))
    e--;
  if (e - v < 3 || !memchr (v, '@', e - v))
    return NULL;
  return g_strndup (v, e - v);
}
/* @a names a mailbox: local part @ domain, neither empty ("@mx.example.org"
 * is a host, seen in Final-Recipient fields of broken DSNs). */
gboolean
usc_has_mailbox (const char *a)
{
  const char *at = a ? strchr (a, '@') : NULL;
  return at && at > a && at[1] != '\0' && at[1] != '>' && at[1] != ' ';
}
