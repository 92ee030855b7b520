/* cmd-filter.h — helpers of `unscatter filter` that `unscatter deliver`
 * shares (cmd-filter.c): reading the whole message and building the two
 * added header fields.
 */
#ifndef USC_CMD_FILTER_H
#define USC_CMD_FILTER_H

#include <glib.h>
#include "cli.h"

/* All of @fd (pipes too), without a size limit: the caller must still pass the
 * message on when it is too big to judge. Memory exhaustion is an error, not
 * an abort. Returns a new GBytes or NULL with @error (USC_ERROR_IO). */
GBytes *filter_read_all (int fd, GError **error);

/* Length of a leading mbox "From " line (with its line ending), or 0. */
gsize filter_mbox_from_end (const char *data, gsize len);

/* X-Unscatter-Verdict and X-Unscatter-Reason for @r, in @msg's raw line
 * ending. Returns a new GBytes. */
GBytes *filter_header_bytes (const UscMessage *msg, const CliResult *r);

/* TRUE when @error says the message itself cannot be judged (unparsable or
 * over a limit), as opposed to a failure of ours (I/O, record, config). */
gboolean filter_error_is_unparsable (const GError *error);

#endif
