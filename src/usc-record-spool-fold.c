/* usc-record-spool-fold.c — folding the decision spool into the record
 * (usc_record_fold_spool): under an exclusive flock, every line not yet
 * counted applied in one record transaction that also stores the spool's
 * generation, inode and the bytes consumed; then the spool is unlinked.
 */
#include "config.h"
#include "usc-record-spool-private.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

int
usc_record_fold_spool (UscRecord *record, GError **error)
{
  if (record == NULL || record->spool == NULL)
    return 0;
  if (record->read_only || record->in_transaction) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "%s: the record is open %s", record->spool,
                 record->read_only ? "read-only" : "in a transaction");
    return -1;
  }
  int fd = -1;
  struct stat st;
  for (int attempt = 0; fd < 0; attempt++) {
    if (attempt == 16)
      return 0;  /* removed by other folds each time: they did the work */
    fd = open (record->spool, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
      return 0;
    if (fd < 0 || usc_spool_lock (fd, LOCK_EX, record->busy_timeout) < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, e == EWOULDBLOCK ? USC_ERROR_TEMPFAIL : USC_ERROR_IO, "%s: %s",
                   record->spool, e == EWOULDBLOCK ? "locked past the busy timeout" : g_strerror (e));
      if (fd >= 0)
        close (fd);
      return -1;
    }
    if (fstat (fd, &st) != 0 || st.st_nlink == 0) {
      close (fd);  /* another fold removed it meanwhile: a new one may be there */
      fd = -1;
    }
  }
  GBytes *buf = usc_spool_read (fd, record->spool, error);
  if (buf == NULL) {
    close (fd);
    return -1;
  }
  gsize body;
  gint64 gen = usc_spool_gen (buf, &body);
  int rc = usc_record_begin (record, error);
  gint64 done = rc == 0 && gen ? usc_spool_folded_upto (record, gen, (gint64) st.st_ino, error) : 0;
  if (done < 0)
    rc = -1;
  if (rc == 0 && gen) {
    GPtrArray *rows = usc_spool_rows (buf, MAX (body, (gsize) MIN (done, (gint64) g_bytes_get_size (buf))));
    /* The per-day counts summed first: one update a (day, verdict, kind). */
    GHashTable *sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *order = g_ptr_array_new ();
    for (guint i = 0; i < rows->len; i++) {
      const SpoolRow *r = rows->pdata[i];
      char *key = g_strdup_printf ("%" G_GINT64_FORMAT "\t%s\t%s", usc_record_day_of (r->time), r->f[0],
                                   r->f[1]);
      gint64 *n = g_hash_table_lookup (sums, key);
      if (n == NULL) {
        n = g_new0 (gint64, 1);
        g_hash_table_insert (sums, key, n);
        g_ptr_array_add (order, key);
      } else {
        g_free (key);
      }
      (*n)++;
    }
    for (guint i = 0; rc == 0 && i < order->len; i++) {
      const char *key = order->pdata[i];
      char **k = g_strsplit (key, "\t", 3);
      rc = record->backend->add_decisions (record->be, g_ascii_strtoll (k[0], NULL, 10), k[1], k[2],
                                           *(gint64 *) g_hash_table_lookup (sums, key), error);
      g_strfreev (k);
    }
    g_ptr_array_unref (order);
    g_hash_table_unref (sums);
    for (guint i = 0; rc == 0 && i < rows->len; i++) {
      const SpoolRow *r = rows->pdata[i];
      if (!r->keep || record->backend->add_decision == NULL)
        continue;
      UscDecision d;
      usc_spool_row_decision (r, &d);
      rc = record->backend->add_decision (record->be, &d, r->cap, error);
    }
    g_ptr_array_unref (rows);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_gen", gen, error);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_ino", (gint64) st.st_ino, error);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_done", (gint64) g_bytes_get_size (buf), error);
  }
  if (rc == 0)
    rc = usc_record_commit (record, error);
  else
    usc_record_rollback (record, NULL);
  if (rc == 0)
    g_unlink (record->spool);  /* if this fails, spool_gen / spool_done skip what was counted */
  close (fd);
  g_bytes_unref (buf);
  return rc < 0 ? -1 : 0;
}
