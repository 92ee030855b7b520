/* usc-mime-parse.h — the GMime parse of a message's text after the
 * pre-scan, and of embedded messages (usc-mime-parse.c). Part of the
 * message-reading API: included by usc-message.h. */
#ifndef USC_MIME_PARSE_H
#define USC_MIME_PARSE_H

#include <glib.h>
#include <gmime/gmime.h>
#include "usc-budget.h"

G_BEGIN_DECLS

struct UscLimits; /* usc-message.h */

/* Does the caller want the header field named @name (@len bytes, not
 * NUL-terminated, any case)? */
typedef gboolean (*UscFieldKeep) (const char *name, gsize len);

/* Parse @len bytes of @text (LF line endings) with GMime after the
 * pre-scan (usc_prescan). @text lies in @backing, which the parse keeps
 * alive (a reference taken; the caller keeps its own): GMime reads the text
 * in place unless the pre-scan had to change something (then its copy is
 * parsed). With @headerless, text whose first line is no header field is
 * parsed as a body after an empty header block. The pre-scan's caps are
 * @lim's lowered to what is left of @budget, and what it counted is charged
 * to @budget (@embedded: a re-parse, whose own header block counts and
 * which is one part itself). With @keep, GMime is given only the fields it
 * wants (see usc_mime_parse_header_fields). *@limited_r: the pre-scan cut
 * or changed something. Returns a new reference or NULL. Library internal
 * (usc-message.c and the embedded parse below). */
GMimeMessage *usc_mime_parse_text (const char *text, gsize len, GBytes *backing, const struct UscLimits *lim,
                                   gboolean headerless, UscBudget *budget, gboolean embedded,
                                   UscFieldKeep keep, gboolean *limited_r);

/* Parse @len bytes at @data (any line endings) as an embedded message (a
 * returned original inside a bounce, possibly after base64/QP decoding).
 * Leading blank lines and an mbox "From " line are skipped; the parse is
 * bounded like the top-level one (default limits) and draws on @budget, the
 * enclosing message's (msg->budget): its bytes, header fields (this block's
 * own included), parts (this message counts as one) and deadline. What is
 * left of the budget caps the parse (bytes beyond it are not read, fields
 * and parts beyond it left out); a spent budget returns NULL at once.
 * @budget NULL: a fresh default budget for this parse alone (tests, fuzzing).
 * Returns a new reference or NULL when nothing message-like is there (the
 * first line is no header field, or there is no header at all). */
GMimeMessage *usc_mime_parse_embedded (const void *data, gsize len, UscBudget *budget);

/* usc_mime_parse_embedded() for a header copy of which only some fields
 * are read: GMime is given the block's first field and the fields @keep
 * wants (each as it stands, continuation lines and all), so that it does not
 * build, decode and later free the fields nobody asks for. The fields kept
 * read exactly as in a parse of the whole block (g_mime_object_get_header,
 * g_mime_message_get_subject, ...), the result is NULL exactly when that
 * parse's would be, and the budget is charged for the whole block. When the
 * block is anything but plain "Name: value" fields and continuation lines
 * (or the pre-scan had to cut or change it), the whole block is parsed. */
GMimeMessage *usc_mime_parse_header_fields (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep);

G_END_DECLS
#endif
