/* usc-header.h — a header field's value, decoded once (usc-header.c).
 * For every reader of a parsed message's fields (the bounce analysis, the
 * envelope, Received): one decoded copy per field, shared by all. */
#ifndef USC_HEADER_H
#define USC_HEADER_H

#include <gmime/gmime.h>

G_BEGIN_DECLS

/* g_mime_header_get_value (@h), without GMime's RFC 2047 decoding pass
 * where it cannot change anything: a raw value of printable ASCII and white
 * space without "=?" decodes to itself unfolded, so that is what is
 * returned, made once and kept on the header object (freed with it; GMime's
 * own cache, GMimeHeader.value, is only read, never written). Any other
 * value is GMime's to decode. The string is @h's; NULL for a NULL @h. */
const char *usc_header_value (GMimeHeader *h);

G_END_DECLS
#endif
