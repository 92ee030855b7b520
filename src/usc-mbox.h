/* usc-mbox.h — the RFC 4155 mbox "From " line (usc-mbox.c). Part of the
 * message-reading API: included by usc-message.h. */
#ifndef USC_MBOX_H
#define USC_MBOX_H

#include <glib.h>

G_BEGIN_DECLS

/* Length of a leading RFC 4155 mbox "From " line of @data, line ending
 * included (CRLF, LF or CR), or 0 when @data does not start with one. The one
 * place the From line is recognised. */
gsize usc_mbox_from_end (const void *data, gsize len);

/* The address of the mbox "From " line @line (@len bytes, its line ending
 * excluded): "" for MAILER-DAEMON and <>, NULL when there is none. Newly
 * allocated. */
char *usc_mbox_from_address (const char *line, gsize len);

/* In an mbox file @data of @len bytes whose message starts at @start: where
 * the next message starts (its "From " line, the first one that follows an
 * empty line, LF or CRLF), or @len when this message is the last. */
gsize usc_mbox_next (const void *data, gsize len, gsize start);

/* Where header fields added to the raw message @data go: after a leading
 * mbox "From " line (which must stay first) and after any lines that begin
 * with a blank before the first field (they continue no field: in front of
 * them they would continue ours). */
gsize usc_message_fields_offset (const void *data, gsize len);

G_END_DECLS
#endif
