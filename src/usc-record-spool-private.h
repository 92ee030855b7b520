/* usc-record-spool-private.h — what the files of the decision spool share
 * (not API; the spool's format and protocol are in the head of
 * usc-record-spool.c, its API in usc-record.h):
 *
 *   usc-record-spool.c        the format, the lock, a decision appended
 *   usc-record-spool-read.c   the spool read back: lines, rows, pending rows
 *   usc-record-spool-fold.c   the fold into the record
 *   usc-record-spool-merge.c  the counts and the log with the spool in them
 */
#ifndef USC_RECORD_SPOOL_PRIVATE_H
#define USC_RECORD_SPOOL_PRIVATE_H

#include "usc-record-backend.h"
#include "usc-read.h"

G_BEGIN_DECLS

#define SPOOL_MAGIC "# unscatter decision spool 1 "
#define SPOOL_FIELDS_SHORT 4   /* time, cap, verdict, kind */
#define SPOOL_FIELDS_LONG  12  /* and the 8 fields of a kept (bounce) decision */

/* flock @op on @fd, waiting up to @seconds. 0 / -1 (errno). */
int usc_spool_lock (int fd, int op, double seconds);

/* One decision read back; owns its strings (usc_spool_row_free()). */
typedef struct {
  gint64 time;
  guint  cap;                       /* max_rows when it was decided */
  char  *f[SPOOL_FIELDS_LONG - 2];  /* verdict, kind, then as UscDecision */
  gboolean keep;                    /* a bounce: for the decision log */
} SpoolRow;

void usc_spool_row_free (gpointer p);
/* @d pointing into @r's strings (valid while @r is). */
void usc_spool_row_decision (const SpoolRow *r, UscDecision *d);

/* All of the open spool @fd (named @spool in an error): new bytes (the
 * caller's), or NULL with @error. */
GBytes *usc_spool_read (int fd, const char *spool, GError **error);
/* The spool's generation from its header, 0 when it has none; the offset
 * after the header in *@body_r. */
gint64 usc_spool_gen (GBytes *buf, gsize *body_r);
/* The rows of @buf from @from (a new array of SpoolRow, owning them);
 * whole lines only. */
GPtrArray *usc_spool_rows (GBytes *buf, gsize from);
/* Where the record says the spool with generation @gen and inode @ino was
 * folded up to (0: not at all). -1 on error. */
gint64 usc_spool_folded_upto (UscRecord *record, gint64 gen, gint64 ino, GError **error);
/* The spool's rows not yet in the record (a new array, as usc_spool_rows),
 * read under a shared lock; an empty array when there is no spool. NULL
 * with @error. */
GPtrArray *usc_spool_pending_rows (UscRecord *record, GError **error);

G_END_DECLS
#endif
