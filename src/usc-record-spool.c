/* usc-record-spool.c — the decision spool: decisions counted without
 * opening the SQLite record.
 *
 * Opening the record costs a delivery most of its system time (SQLite maps
 * and rebuilds the WAL index in the -shm file on every first open, then a
 * write transaction): an ordinary message, which needs no lookup, would
 * open it only to count its decision for `unscatter stats`. Instead, each
 * decision is one line appended to PATH-decisions beside the record:
 *
 *   # unscatter decision spool 1 GEN        (created whole by link(2))
 *   \nTIME\tCAP\tVERDICT\tKIND\t.            (ordinary mail)
 *   \nTIME\tCAP\tVERDICT\tKIND\tMTA\tHOST\tIP\tFAMILY\tSENDER\tRCPT\tPAYLOAD\tREASON\t.
 *
 * CAP is the decision log's cap ([record] max_decisions) when it was
 * decided, applied when the line is folded: the log ends as it would have
 * had each decision been added to it at once.
 *
 * Fields are cleaned as the record keeps them (usc_record_clean_field: no
 * tab, no newline), "\N" is NULL and a backslash is "\\". Each line is one
 * write(2) to a descriptor opened O_APPEND, under a shared flock(2): lines
 * never interleave, and a write cut short (a full disk) leaves a fragment
 * that the next line's leading newline ends and that lacks the final "."
 * field: it is skipped, it never counts as something else.
 *
 * The fold (usc_record_fold_spool) takes the flock exclusively, applies
 * every line in one record transaction that also stores the spool's GEN
 * (a random number written when the file was created) and the bytes it
 * consumed (and its inode number), commits, then unlinks the spool. Appenders that opened the
 * file before the unlink see st_nlink == 0 once they hold their lock and
 * open the new one. A fold interrupted between its commit and the unlink
 * leaves a spool whose GEN and inode the record holds: the next fold skips the bytes
 * already counted. A reader that cannot write the record merges the spool's
 * lines (read under a shared lock, an unfinished last line left out) with
 * what the record returns.
 *
 * This file holds the append; reading the spool back, the fold and the
 * merged reads are in usc-record-spool-{read,fold,merge}.c.
 */
#include "config.h"
#include "usc-record-spool-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

char *
usc_record_spool_path (const char *record_path)
{
  return g_strconcat (record_path, "-decisions", NULL);
}

/* flock @op on @fd, waiting up to @seconds. 0 / -1 (errno). */
int
usc_spool_lock (int fd, int op, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (MAX (seconds, 0) * G_USEC_PER_SEC);
  gulong pause = 500;
  for (;;) {
    if (flock (fd, op | LOCK_NB) == 0)
      return 0;
    if (errno == EINTR)
      continue;
    if (errno != EWOULDBLOCK || g_get_monotonic_time () >= deadline)
      return -1;
    g_usleep (pause);
    pause = MIN (pause * 2, 20000);
  }
}

static void
put_field (GString *line, const char *v)
{
  g_string_append_c (line, '\t');
  if (v == NULL) {
    g_string_append (line, "\\N");
    return;
  }
  char *c = usc_record_clean_field (v);
  for (const char *p = c; *p; p++) {
    if (*p == '\\')
      g_string_append_c (line, '\\');
    g_string_append_c (line, *p);
  }
  g_free (c);
}

/* One spool line for @d (without the header), newly allocated. */
static GString *
format_line (const UscDecision *d, guint max_rows)
{
  const char *kind = d->kind ? d->kind : "?";
  GString *line = g_string_sized_new (64);
  g_string_append_printf (line, "\n%" G_GINT64_FORMAT "\t%u", d->time, max_rows);
  put_field (line, d->verdict ? d->verdict : "?");
  put_field (line, kind);
  if (strcmp (kind, "not-bounce") != 0) {
    const char *v[] = { d->reporting_mta, d->relay_host, d->relay_ip, d->mta_family,
                        d->forged_sender, d->recipient, d->payload, d->reason };
    for (guint i = 0; i < G_N_ELEMENTS (v); i++)
      put_field (line, v[i]);
  }
  g_string_append (line, "\t.");
  return line;
}

/* Create the spool whole (its header line) unless another process did. */
static int
spool_create (const char *spool, const char *record_path, GError **error)
{
  char *tmp = g_strconcat (spool, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", spool, g_strerror (e));
    g_free (tmp);
    return -1;
  }
  /* Random, and different in processes forked from one that had already
   * drawn from GLib's generator (they would draw the same numbers). */
  guint64 gen = (((guint64) g_random_int () << 31) ^ g_random_int () ^ ((guint64) getpid () << 24)
                 ^ (guint64) g_get_real_time ()) & G_MAXINT64;
  char *head = g_strdup_printf (SPOOL_MAGIC "%" G_GUINT64_FORMAT "\n", gen ? gen : 1);
  gsize n = strlen (head);
  gboolean ok = write (fd, head, n) == (ssize_t) n;
  int e = errno;
  g_free (head);
  struct stat st;
  /* Root delivering for a user: the spool is the record owner's, as the
   * -wal and -shm files SQLite gives the owner. */
  if (ok && geteuid () == 0 && g_stat (record_path, &st) == 0 && fchown (fd, st.st_uid, st.st_gid) != 0) {
    ok = FALSE;
    e = errno;
  }
  if (close (fd) != 0 && ok) {
    ok = FALSE;
    e = errno;
  }
  if (ok && link (tmp, spool) != 0 && errno != EEXIST) {
    ok = FALSE;
    e = errno;
  }
  g_unlink (tmp);
  g_free (tmp);
  if (!ok) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", spool, g_strerror (e));
    return -1;
  }
  return 0;
}

int
usc_record_spool_decision (const char *record_path, const UscDecision *d, guint max_rows,
                           double busy_timeout, GError **error)
{
  char *spool = usc_record_spool_path (record_path);
  GString *line = format_line (d, max_rows);
  int ret = -1;
  for (int attempt = 0; attempt < 16; attempt++) {
    int fd = open (spool, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      if (spool_create (spool, record_path, error) < 0)
        break;
      continue;
    }
    if (fd < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, e == ELOOP ? USC_ERROR_UNSAFE : USC_ERROR_IO,
                   e == ELOOP ? "%s is a symbolic link: refusing to follow it" : "%s: %s", spool,
                   g_strerror (e));
      break;
    }
    struct stat st;
    if (usc_spool_lock (fd, LOCK_SH, busy_timeout) < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, e == EWOULDBLOCK ? USC_ERROR_TEMPFAIL : USC_ERROR_IO,
                   "%s: %s", spool, e == EWOULDBLOCK ? "locked past the busy timeout" : g_strerror (e));
      close (fd);
      break;
    }
    if (fstat (fd, &st) != 0 || st.st_nlink == 0) {
      /* Folded and removed while we waited: the next one. */
      close (fd);
      continue;
    }
    ssize_t n = write (fd, line->str, line->len);
    int e = errno;
    close (fd);
    if (n != (ssize_t) line->len) {
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", spool,
                   n < 0 ? g_strerror (e) : "short write");
      break;
    }
    ret = st.st_size + n >= USC_RECORD_SPOOL_FOLD_BYTES ? 1 : 0;
    break;
  }
  if (ret < 0 && error && *error == NULL)
    g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL, "%s: removed again and again", spool);
  g_string_free (line, TRUE);
  g_free (spool);
  return ret;
}
