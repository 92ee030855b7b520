/* usc-header-block.h — a copy of a message's header (a returned original's
 * header block: text/rfc822-headers, an inline copy) read without building a
 * GMimeMessage, and the returned original as the bounce analysis reads it,
 * whole message or header copy alike (usc-header-block.c). */
#ifndef USC_HEADER_BLOCK_H
#define USC_HEADER_BLOCK_H

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Does the caller want the header field named @name (@len bytes, not
 * NUL-terminated, any case)? */
typedef gboolean (*UscFieldKeep) (const char *name, gsize len);

typedef struct UscHeaderBlock UscHeaderBlock;

/* The header block at the start of @text (@len bytes, LF line endings, in
 * @backing, of which a reference is kept), when it is plainly made of
 * fields ("Name:" with a name of letters, digits, '-' and '_', then the
 * value) and continuation lines (white space, then something), no NUL byte,
 * and has at least one field; else NULL (GMime must read it). Kept are the
 * block's first field and the fields @keep wants, as a GMime parse of the
 * fields kept reads them: Content-* fields belong to the body, not the
 * message. Linear in @len; no value is decoded before it is asked for. */
UscHeaderBlock *usc_header_block_new (const char *text, gsize len, GBytes *backing, UscFieldKeep keep);
void usc_header_block_free (UscHeaderBlock *b);
/* How many fields were kept. */
guint usc_header_block_count (const UscHeaderBlock *b);

/* A returned original: a whole message (GMime's), or a header copy. */
typedef struct {
  GMimeMessage   *message; /* a reference, or NULL */
  UscHeaderBlock *block;   /* owned, or NULL */
} UscCopy;

/* A new copy owning @m's reference / @b. */
UscCopy *usc_copy_new_message (GMimeMessage *m);
UscCopy *usc_copy_new_block (UscHeaderBlock *b);
/* Frees a UscCopy (a GDestroyNotify; NULL is fine). */
void usc_copy_free (gpointer c);

/* What a GMimeMessage of the same fields gives, for either kind of copy:
 * the first field named @name (any case), unfolded and RFC 2047-decoded
 * (g_mime_object_get_header; usc_header_value for a message); the last
 * Message-ID's id (g_mime_message_get_message_id); the last Subject
 * (g_mime_message_get_subject); the addresses of every From / To / Cc ...
 * field (g_mime_message_get_addresses). The strings and list are @c's,
 * made when first asked for. */
const char *usc_copy_header (UscCopy *c, const char *name);
const char *usc_copy_message_id (UscCopy *c);
const char *usc_copy_subject (UscCopy *c);
InternetAddressList *usc_copy_addresses (UscCopy *c, GMimeAddressType type);

G_END_DECLS
#endif
