/* usc-mime-content.h — the content of a leaf part (usc-mime-content.c).
 * Part of the message-reading API: included by usc-message.h. */
#ifndef USC_MIME_CONTENT_H
#define USC_MIME_CONTENT_H

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Decoded content of a leaf part as a NUL-terminated byte array (transfer
 * encoding undone; charset NOT converted). Returns a new GByteArray (the
 * caller's) or NULL. At most @max bytes are returned (0: no limit). */
GByteArray *usc_mime_part_content (GMimeObject *part, gsize max);

/* Decoded content of a text part, converted to UTF-8 (invalid sequences
 * replaced). Returns a newly allocated string (the caller's) or NULL. */
char *usc_mime_part_text (GMimeObject *part, gsize max);

/* g_utf8_validate (@data, @len, NULL), the same answer for every input
 * (a NUL byte among the @len is invalid), with the ASCII run at its start
 * tested eight bytes at a time: most text is ASCII, and GLib's loop tests a
 * byte at a time. */
gboolean usc_utf8_valid (const char *data, gsize len);

G_END_DECLS
#endif
