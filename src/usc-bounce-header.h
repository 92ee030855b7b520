/* usc-bounce-header.h — header fields as the bounce analysis reads them
 * (usc-bounce-header.c). Not installed, not API; included by
 * usc-bounce-text.h. */
#ifndef USC_BOUNCE_HEADER_H
#define USC_BOUNCE_HEADER_H

#include <gmime/gmime.h>
#include "usc-header.h"

G_BEGIN_DECLS

/* g_mime_object_get_header (@o, @name), through usc_header_value(). */
const char *usc_hdr (GMimeObject *o, const char *name);
/* The first mailbox of @l: its address lower-cased into *@addr_r and its
 * name lower-cased into *@name_r, each only where still NULL (newly
 * allocated, the caller's; either pointer may be NULL). */
void usc_first_mailbox (InternetAddressList *l, char **addr_r, char **name_r);
/* The RFC 5322 date @d as Unix time, 0 when NULL or unreadable. */
gint64 usc_parse_date (const char *d);
/* Has @o a field @name whose lower-cased value holds @needle ("": any value)? */
gboolean usc_header_has (GMimeObject *o, const char *name, const char *needle);
/* Has @top any of the @n fields @names? */
gboolean usc_any_header (GMimeObject *top, const char *const *names, gsize n);
/* Cut a lower-cased Received value at its "by" clause, whatever white
 * space (a fold: "\n\tby", a tab) precedes it. */
void usc_cut_by_clause (char *lc);

G_END_DECLS
#endif
