/* cmd-filter.h — helpers of `unscatter filter` that `unscatter deliver`
 * shares (cmd-filter.c): the mbox From line and the two added header
 * fields. Both read the message with usc_read_all() (no size limit: a message
 * too big to judge must still be passed on).
 */
#ifndef USC_CMD_FILTER_H
#define USC_CMD_FILTER_H

#include <glib.h>
#include "cli.h"

/* Length of a leading mbox "From " line (with its line ending), or 0. */
gsize filter_mbox_from_end (const char *data, gsize len);

/* X-Unscatter-Verdict and X-Unscatter-Reason for @r, in @msg's raw line
 * ending. Returns a new GBytes. */
GBytes *filter_header_bytes (const UscMessage *msg, const CliResult *r);

/* TRUE when @error says the message itself cannot be judged (unparsable or
 * over a limit), as opposed to a failure of ours (I/O, record, config). */
gboolean filter_error_is_unparsable (const GError *error);

#endif
