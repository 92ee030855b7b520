/* usc-dsn-value.h — a report field's value cleaned (usc-dsn-value.c).
 * Library internal: the report parser (usc-dsn.c) uses it. Every function
 * returns a newly allocated string (the caller's) or NULL when nothing is
 * left. */
#ifndef USC_DSN_VALUE_H
#define USC_DSN_VALUE_H

#include <glib.h>

G_BEGIN_DECLS

/* "rfc822; <User@Example.ORG>" -> "user@example.org"; RFC 6533 "utf-8;"
 * \x{HHHH} escapes decoded, ASCII lower-cased. */
char *usc_dsn_clean_address (const char *v);
/* "<id@host> (comment)" -> "id@host"; NULL unless it has an '@'. */
char *usc_dsn_clean_msgid (const char *v);
/* "dns; mx.example.net (comment)" -> "mx.example.net". */
char *usc_dsn_clean_name (const char *v);
/* White space collapsed; with @strip_type a leading "smtp;"-style type
 * removed (Diagnostic-Code "smtp; 550 5.1.1 ..." -> "550 5.1.1 ..."). */
char *usc_dsn_clean_text (const char *v, gboolean strip_type);
/* The length of the RFC 3463 status code ("5.1.1": class 2, 4 or 5, then
 * two numbers of one to three digits) at @p, not followed by a digit; 0
 * when there is none there. */
gsize usc_dsn_status_len (const char *p);
/* The first RFC 3463 status code in @v ("5.1.1 (bad mailbox)" -> "5.1.1"). */
char *usc_dsn_find_status (const char *v);
/* "Automatic-Action/MDN-sent-automatically; deleted / error (comment)" ->
 * "automatic-action/mdn-sent-automatically;deleted/error". */
char *usc_dsn_clean_disposition (const char *v);

G_END_DECLS
#endif
