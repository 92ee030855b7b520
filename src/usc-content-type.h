/* usc-content-type.h — the pre-scan's own reader of Content-Type values
 * (usc-content-type.c). Library internal (the pre-scan, usc-prescan-entity.c)
 * but for usc_ct_read_plain(), the unit test's hook. */
#ifndef USC_CONTENT_TYPE_H
#define USC_CONTENT_TYPE_H

#include <glib.h>

G_BEGIN_DECLS

/* Can GMime make a container (multipart, message) of the Content-Type value
 * @v (@len bytes)? Not unless it holds "multipart" or "message" (any case). */
gboolean usc_ct_may_contain (const char *v, gsize len);

/* A plain Content-Type value @v (@len bytes: "type/subtype" tokens, then
 * "; name=value" parameters, a token or a quoted string without '\\';
 * printable ASCII and folds only; no comment, no "=?", no RFC 2231 name,
 * "boundary" at most once): TRUE, with the offsets and lengths in @v of its
 * type, subtype and boundary (length 0: none), exactly the tokens GMime's
 * parse of it gives. FALSE (GMime must read it) for anything else. */
gboolean usc_ct_plain (const char *v, gsize len, gsize *type_r, gsize *type_len_r, gsize *sub_r,
                       gsize *sub_len_r, gsize *bnd_r, gsize *bnd_len_r);

/* The media type, subtype and boundary (NULL: none) of the Content-Type
 * value @v as GMime's g_mime_content_type_parse() gives them, read by the
 * pre-scan's own reader of plain values; FALSE (nothing set) when @v is not
 * plain (comments, RFC 2231 or RFC 2047 parameters, escapes, 8-bit, a
 * repeated boundary, anything malformed): GMime reads those. Newly
 * allocated strings, the caller's. For the unit test of that reader. */
gboolean usc_ct_read_plain (const char *v, char **type_r, char **subtype_r, char **boundary_r);

G_END_DECLS
#endif
