/* usc-prescan.h — the pre-scan (usc-prescan.c and the files it names):
 * the MIME structure of a text walked the way GMime 3 parses it, the copy
 * handed to GMime made safe for it (too-deep containers made leaves, cut
 * before the part or field over the limits, eagerly parsed fields bounded).
 * Library internal: the parse (usc-mime-parse.c) calls it. */
#ifndef USC_PRESCAN_H
#define USC_PRESCAN_H

#include "usc-message.h"

G_BEGIN_DECLS

/* What one pre-scan counted (charged to the message's budget). */
typedef struct {
  guint    fields;  /* header fields (below the top level, unless count_top) */
  gsize    hbytes;  /* their bytes */
  guint    parts;
  gboolean limited; /* something was cut, changed or bounded */
} UscScanStats;

/* Walk the structure of @s (@n bytes, LF line endings) and make it safe for
 * GMime under @lim. With @count_top the top-level header block counts
 * against max_headers / max_header_bytes too. Returns the length GMime
 * should parse; what was counted in *@stats_r; *@copy_r is NULL when @s
 * could be parsed as it is, else a changed copy of it (@n bytes and a NUL,
 * newly allocated, the caller's) that GMime must parse instead. @s is never
 * modified. */
gsize usc_prescan (const char *s, gsize n, const UscLimits *lim, gboolean count_top, UscScanStats *stats_r,
                   char **copy_r);

G_END_DECLS
#endif
