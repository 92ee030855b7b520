/* usc-eol.h — line endings of raw message bytes (usc-eol.c). Library
 * internal: the message reader (usc-message.c) and the embedded-message
 * parse (usc-mime-parse.c) use it. */
#ifndef USC_EOL_H
#define USC_EOL_H

#include <glib.h>

G_BEGIN_DECLS

/* A copy of the @len bytes at @raw with LF line endings (CRLF and a lone CR
 * become LF), NUL-terminated, its length in *@len_r. Newly allocated. */
char *usc_eol_normalize (const char *raw, gsize len, gsize *len_r);

/* TRUE when every line ending of @s is CRLF (at least one, each CR followed
 * by an LF, each LF preceded by a CR): such input turns to LF and back
 * without a byte changing. */
gboolean usc_eol_all_crlf (const char *s, gsize len);

/* Drop the CR of every CRLF of @s (usc_eol_all_crlf) in place; returns the
 * new length. */
gsize usc_eol_crlf_to_lf (char *s, gsize len);

/* The inverse of usc_eol_crlf_to_lf(): @s holds @len bytes of LF text in a
 * buffer of @total bytes (total - len being its number of LFs); every LF
 * becomes CRLF again, in place. */
void usc_eol_lf_to_crlf (char *s, gsize len, gsize total);

/* End of the line starting at @i in @s (LF, CRLF or CR): the offset of its
 * line ending (or @len), the ending's length (0, 1 or 2) in *@eol_len_r. */
gsize usc_eol_line_end (const char *s, gsize i, gsize len, gsize *eol_len_r);

G_END_DECLS
#endif
