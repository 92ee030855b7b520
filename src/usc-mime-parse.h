/* usc-mime-parse.h — the GMime parse of a message's text after the
 * pre-scan, and of embedded messages (usc-mime-parse.c). Part of the
 * message-reading API: included by usc-message.h. */
#ifndef USC_MIME_PARSE_H
#define USC_MIME_PARSE_H

#include <glib.h>
#include <gmime/gmime.h>
#include "usc-budget.h"
#include "usc-header-block.h"

G_BEGIN_DECLS

struct UscLimits; /* usc-message.h */

/* Parse @len bytes of @text (LF line endings) with GMime after the
 * pre-scan (usc_prescan). @text lies in @backing, which the parse keeps
 * alive (a reference taken; the caller keeps its own): GMime reads the text
 * in place unless the pre-scan had to change something (then its copy is
 * parsed). With @headerless, text whose first line is no header field is
 * parsed as a body after an empty header block. The pre-scan's caps are
 * @lim's lowered to what is left of @budget, and what it counted is charged
 * to @budget (@embedded: a re-parse, whose own header block counts and
 * which is one part itself). *@limited_r: the pre-scan cut
 * or changed something. Returns a new reference or NULL. Library internal
 * (usc-message.c and the embedded parse below). */
GMimeMessage *usc_mime_parse_text (const char *text, gsize len, GBytes *backing, const struct UscLimits *lim,
                                   gboolean headerless, UscBudget *budget, gboolean embedded,
                                   gboolean *limited_r);

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

/* usc_mime_parse_embedded() for a header copy of which only the fields
 * @keep wants are read (and the block's first field): when the block is
 * plain "Name: value" fields and continuation lines and the pre-scan had
 * nothing to cut or change, no GMimeMessage is built: the copy holds the
 * fields (usc_header_block_new), which read exactly as a parse of the whole
 * block's do (usc_copy_header, usc_copy_subject, ...). Otherwise the whole
 * block is parsed by GMime. The result is NULL exactly when that parse's
 * would be, and the budget is charged for the whole block either way. A
 * new copy (usc_copy_free) or NULL. */
UscCopy *usc_mime_parse_header_copy (const void *data, gsize len, UscBudget *budget, UscFieldKeep keep);

G_END_DECLS
#endif
