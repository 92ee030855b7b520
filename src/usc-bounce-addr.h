/* usc-bounce-addr.h — addresses and Message-IDs in a notice's text
 * (usc-bounce-addr.c). Not installed, not API; included by
 * usc-bounce-text.h. Strings returned are newly allocated, the caller's. */
#ifndef USC_BOUNCE_ADDR_H
#define USC_BOUNCE_ADDR_H

#include <glib.h>

G_BEGIN_DECLS

/* A byte that can be in an address's local part (non-ASCII included). */
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
/* @a names a mailbox: local part @ domain, neither empty ("@mx.example.org"
 * is a host, seen in Final-Recipient fields of broken DSNs). */
gboolean usc_has_mailbox (const char *a);

G_END_DECLS
#endif
