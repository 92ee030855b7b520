/* usc-sent.h — add one sent message to the record from its bytes (the header
 * parser behind `record`, `sendmail`, Sieve's unscatter_record and the Sent
 * folder import).
 */
#ifndef USC_SENT_H
#define USC_SENT_H

#include <glib.h>
#include "usc-record.h"

/* What a run of usc_sent_record_message() did, counted by the caller's
 * UscSentCounts (zero it first). */
typedef struct {
  guint recorded, present, old, empty, bad;
} UscSentCounts;

/* Read the header block of the message in @data (@len bytes; any line
 * endings; an mbox "From " line allowed) and add it to @record with the
 * recipients of To, Cc, Bcc, Resent-To/Cc/Bcc and @extra (envelope
 * recipients, NULL-terminated, may be NULL; borrowed). Messages dated before
 * @min_date (0: no limit) are skipped. Updates @counts. Returns 1 added,
 * 0 present or skipped, -1 record failure (@error set; temporary), -2 not a
 * message (@error set, USC_ERROR_PARSE). Nothing is kept of @data. */
int usc_sent_record_message (UscRecord *record, const char *data, gsize len,
                             const char *const *extra, gint64 min_date,
                             UscSentCounts *counts, GError **error);

/* Length of the header block of @data (@len bytes, any line endings): up to
 * and excluding the empty line that ends it; @len when there is none. */
gsize usc_sent_header_length (const char *data, gsize len);

/* Read @fd until the end of its message's header block (the empty line,
 * found with usc_sent_header_length()), its end, or @max bytes, whichever
 * comes first (a little more may have been read: whole 8 KB reads). A new
 * array (g_byte_array_unref), or NULL with @error (USC_ERROR_IO, the
 * system's message) when a read fails. @fd stays open. */
GByteArray *usc_sent_read_header (int fd, gsize max, GError **error);

/* "recorded 120, already present 3[, ...]" (newly allocated; g_free). */
char *usc_sent_summary (const UscSentCounts *counts, guint since_days);

#endif
