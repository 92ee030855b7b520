/* usc-sentdir.h — the Sent folder read at delivery: what was added to a
 * Maildir user's Sent folder since the last look goes into the record, a
 * bounded slice per delivery, so that the record fills itself without a
 * `record` command or a MUA hook.
 */
#ifndef USC_SENTDIR_H
#define USC_SENTDIR_H

#include <glib.h>
#include "usc-record.h"

G_BEGIN_DECLS

/* UscRecordDirState.flags: the scan of the directory finished while its
 * stamp stayed the same and was old enough to trust (see usc-sentdir.c). */
#define USC_SENTDIR_DONE 1

/* What one or more import steps did; zero it first. */
typedef struct {
  guint    folders;    /* Sent folders looked at */
  guint    scanned;    /* directory entries read */
  guint    imported;   /* messages added to the record */
  guint    present;    /* messages already in the record */
  guint    skipped;    /* entries that are no message: not a regular file, unreadable, no header */
  gint64   elapsed_us; /* time spent, monotonic */
  gboolean pending;    /* a folder was left unfinished (time bound, lock): the rest next time */
} UscSentdirStats;

/* The Sent folders of the Maildir @maildir: with @name NULL the usual names
 * that exist (".Sent", ".Sent Messages", ".Sent Items", ".INBOX.Sent");
 * "none": no folder; an absolute path: that Maildir; any other name: that
 * Maildir++ folder ("Sent" and ".Sent" are the same). Only directories are
 * returned (a symbolic link to one is followed; two names for one directory
 * give it once). Returns a new array of owned paths (g_ptr_array_unref). */
GPtrArray *usc_sentdir_find (const char *maildir, const char *name);

/* TRUE when @folder's new/ or cur/ holds an entry other than dot files
 * (reads at most the first few entries of each). */
gboolean usc_sentdir_nonempty (const char *folder);

/* One import step of @folder into @record (open, writable), until the
 * monotonic time @deadline (usc_now_monotonic() microseconds): the
 * directories new/ and cur/ that changed since their last complete scan are
 * read from where the last step stopped; each file name's unique part
 * (before ':') not seen before is imported (usc_sent_record_message) and
 * marked seen. Adds to @stats. The step runs in one transaction of the
 * record, taken within the time left (the busy timeout is lowered for it
 * and restored to @busy_timeout). Returns 0 (stats->pending set when it
 * stopped early), -1 with @error when the record failed (nothing of the
 * step is kept; temporary). Files that cannot be read are skipped, never an
 * error. */
int usc_sentdir_import (UscRecord *record, const char *folder, gint64 deadline,
                        double busy_timeout, UscSentdirStats *stats, GError **error);

/* "imported 12, already present 0, 3 skipped, 1432 entries read in 4.1 ms
 * (unfinished: resumed at the next delivery)". Newly allocated. */
char *usc_sentdir_summary (const UscSentdirStats *stats);

G_END_DECLS
#endif
