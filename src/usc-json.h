/* usc-json.h — the `check --json` line (design.md) and a tiny JSON writer. */
#ifndef USC_JSON_H
#define USC_JSON_H

#include <glib.h>
#include "usc-bounce.h"
#include "usc-verdict.h"

G_BEGIN_DECLS

/* Append @s as a JSON string literal (quoted, escaped; invalid UTF-8 replaced)
 * to @out; NULL appends null. */
void usc_json_append_string (GString *out, const char *s);

/* The one-line JSON object for one message (no trailing newline). @verdict
 * may be NULL. Newly allocated. */
char *usc_json_result (const char *file, const UscBounce *bounce, const UscVerdict *verdict);

G_END_DECLS
#endif
