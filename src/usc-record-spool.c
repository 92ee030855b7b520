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
 */
#include "config.h"
#include "usc-record-backend.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#define SPOOL_MAGIC "# unscatter decision spool 1 "
#define SPOOL_FIELDS_SHORT 4   /* time, cap, verdict, kind */
#define SPOOL_FIELDS_LONG  12  /* and the 8 fields of a kept (bounce) decision */

char *
usc_record_spool_path (const char *record_path)
{
  return g_strconcat (record_path, "-decisions", NULL);
}

/* flock @op on @fd, waiting up to @seconds. 0 / -1 (errno). */
static int
lock_fd (int fd, int op, double seconds)
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
    if (lock_fd (fd, LOCK_SH, busy_timeout) < 0) {
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

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

/* One decision read back; owns its strings. */
typedef struct {
  gint64 time;
  guint  cap;                       /* max_rows when it was decided */
  char  *f[SPOOL_FIELDS_LONG - 2];  /* verdict, kind, then as UscDecision */
  gboolean keep;                    /* a bounce: for the decision log */
} SpoolRow;

static void
spool_row_free (gpointer p)
{
  SpoolRow *r = p;
  for (guint i = 0; i < G_N_ELEMENTS (r->f); i++)
    g_free (r->f[i]);
  g_free (r);
}

static void
row_decision (const SpoolRow *r, UscDecision *d)
{
  *d = (UscDecision) {
    .time = r->time, .verdict = r->f[0], .kind = r->f[1], .reporting_mta = r->f[2],
    .relay_host = r->f[3], .relay_ip = r->f[4], .mta_family = r->f[5],
    .forged_sender = r->f[6], .recipient = r->f[7], .payload = r->f[8], .reason = r->f[9],
  };
}

/* Unescape one field; NULL for "\N". */
static char *
unescape (const char *s, gsize n)
{
  if (n == 2 && s[0] == '\\' && s[1] == 'N')
    return NULL;
  GString *o = g_string_sized_new (n);
  for (gsize i = 0; i < n; i++) {
    if (s[i] == '\\' && i + 1 < n)
      i++;
    g_string_append_c (o, s[i]);
  }
  return g_string_free (o, FALSE);
}

/* Parse the line [@s, @e); NULL when it is not a whole spool line. */
static SpoolRow *
parse_line (const char *s, const char *e)
{
  const char *start[SPOOL_FIELDS_LONG + 1];
  gsize len[SPOOL_FIELDS_LONG + 1];
  guint n = 0;
  for (const char *p = s;; ) {
    const char *t = memchr (p, '\t', (gsize) (e - p));
    if (n == G_N_ELEMENTS (start))
      return NULL;
    start[n] = p;
    len[n++] = (gsize) ((t ? t : e) - p);
    if (t == NULL)
      break;
    p = t + 1;
  }
  /* The fields and the final "." */
  if ((n != SPOOL_FIELDS_SHORT + 1 && n != SPOOL_FIELDS_LONG + 1) || len[n - 1] != 1 || start[n - 1][0] != '.')
    return NULL;
  char *end = NULL, *end2 = NULL;
  char *num = g_strndup (start[0], len[0]);
  char *cap = g_strndup (start[1], len[1]);
  gint64 t = g_ascii_strtoll (num, &end, 10);
  guint64 c = g_ascii_strtoull (cap, &end2, 10);
  gboolean good = len[0] > 0 && end && *end == '\0' && len[1] > 0 && end2 && *end2 == '\0'
                  && cap[0] != '-' && c <= G_MAXUINT;
  g_free (num);
  g_free (cap);
  if (!good)
    return NULL;
  SpoolRow *r = g_new0 (SpoolRow, 1);
  r->time = t;
  r->cap = (guint) c;
  for (guint i = 2; i + 1 < n; i++)
    r->f[i - 2] = unescape (start[i], len[i]);
  r->keep = n == SPOOL_FIELDS_LONG + 1;
  if (r->f[0] == NULL || r->f[1] == NULL) {
    spool_row_free (r);
    return NULL;
  }
  return r;
}

/* Everything in @fd; NULL with @error on a read error. */
static GString *
read_all (int fd, const char *spool, GError **error)
{
  GString *buf = g_string_sized_new (USC_RECORD_SPOOL_FOLD_BYTES + 4096);
  char chunk[16384];
  for (;;) {
    ssize_t n = read (fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", spool, g_strerror (e));
      g_string_free (buf, TRUE);
      return NULL;
    }
    if (n == 0)
      return buf;
    g_string_append_len (buf, chunk, n);
  }
}

/* The spool's generation from its header, 0 when it has none; the offset
 * after the header in *@body_r. */
static gint64
spool_gen (const GString *buf, gsize *body_r)
{
  *body_r = buf->len;
  gsize m = strlen (SPOOL_MAGIC);
  if (buf->len < m || memcmp (buf->str, SPOOL_MAGIC, m) != 0)
    return 0;
  const char *nl = memchr (buf->str + m, '\n', buf->len - m);
  if (nl == NULL)
    return 0;
  char *end = NULL;
  guint64 g = g_ascii_strtoull (buf->str + m, &end, 10);
  if (end != nl || g == 0 || g > G_MAXINT64)
    return 0;
  *body_r = (gsize) (nl - buf->str);  /* the newline begins the first line */
  return (gint64) g;
}

/* The rows of @buf from @from; whole lines only (a line is whole when the
 * next one has begun or it ends the file with its "." field). */
static GPtrArray *
spool_rows (const GString *buf, gsize from)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (spool_row_free);
  const char *p = buf->str + from, *e = buf->str + buf->len;
  while (p < e) {
    const char *nl = memchr (p, '\n', (gsize) (e - p));
    const char *end = nl ? nl : e;
    if (end > p) {
      SpoolRow *r = parse_line (p, end);
      if (r)
        g_ptr_array_add (rows, r);
    }
    p = nl ? nl + 1 : e;
  }
  return rows;
}

/* Where the record says the spool with generation @gen and inode @ino was
 * folded up to (0: not at all). -1 on error. */
static gint64
folded_upto (UscRecord *record, gint64 gen, gint64 ino, GError **error)
{
  gint64 g = 0, i = 0, done = 0;
  if (record->backend->meta_get (record->be, "spool_gen", &g, error) < 0
      || record->backend->meta_get (record->be, "spool_ino", &i, error) < 0
      || record->backend->meta_get (record->be, "spool_done", &done, error) < 0)
    return -1;
  return g == gen && i == ino ? done : 0;
}

/* The spool's rows not yet in the record, read under a shared lock; an
 * empty array when there is no spool. NULL with @error. */
static GPtrArray *
pending_rows (UscRecord *record, GError **error)
{
  int fd = -1;
  struct stat st;
  for (int attempt = 0; fd < 0; attempt++) {
    fd = open (record->spool, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if ((fd < 0 && errno == ENOENT) || attempt == 16)
      return g_ptr_array_new_with_free_func (spool_row_free);
    if (fd < 0 || lock_fd (fd, LOCK_SH, record->busy_timeout) < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, e == EWOULDBLOCK ? USC_ERROR_TEMPFAIL : USC_ERROR_IO, "%s: %s",
                   record->spool, g_strerror (e));
      if (fd >= 0)
        close (fd);
      return NULL;
    }
    if (fstat (fd, &st) != 0 || st.st_nlink == 0) {
      close (fd);  /* folded meanwhile: its rows are in the record */
      fd = -1;
    }
  }
  GString *buf = read_all (fd, record->spool, error);
  close (fd);
  if (buf == NULL)
    return NULL;
  gsize body;
  gint64 gen = spool_gen (buf, &body);
  gint64 done = gen ? folded_upto (record, gen, (gint64) st.st_ino, error) : 0;
  GPtrArray *rows = NULL;
  if (done >= 0)
    rows = gen ? spool_rows (buf, MAX (body, (gsize) MIN (done, (gint64) buf->len)))
               : g_ptr_array_new_with_free_func (spool_row_free);
  g_string_free (buf, TRUE);
  return rows;
}

/* ------------------------------------------------------------------------ */
/* Folding                                                                   */

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
    if (fd < 0 || lock_fd (fd, LOCK_EX, record->busy_timeout) < 0) {
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
  GString *buf = read_all (fd, record->spool, error);
  if (buf == NULL) {
    close (fd);
    return -1;
  }
  gsize body;
  gint64 gen = spool_gen (buf, &body);
  int rc = usc_record_begin (record, error);
  gint64 done = rc == 0 && gen ? folded_upto (record, gen, (gint64) st.st_ino, error) : 0;
  if (done < 0)
    rc = -1;
  if (rc == 0 && gen) {
    GPtrArray *rows = spool_rows (buf, MAX (body, (gsize) MIN (done, (gint64) buf->len)));
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
      row_decision (r, &d);
      rc = record->backend->add_decision (record->be, &d, r->cap, error);
    }
    g_ptr_array_unref (rows);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_gen", gen, error);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_ino", (gint64) st.st_ino, error);
    if (rc == 0)
      rc = record->backend->meta_set (record->be, "spool_done", (gint64) buf->len, error);
  }
  if (rc == 0)
    rc = usc_record_commit (record, error);
  else
    usc_record_rollback (record, NULL);
  if (rc == 0)
    g_unlink (record->spool);  /* if this fails, spool_gen / spool_done skip what was counted */
  close (fd);
  g_string_free (buf, TRUE);
  return rc < 0 ? -1 : 0;
}

/* Fold when the record may be written; FALSE when the spool must be merged
 * as it is read instead. */
static gboolean
folded (UscRecord *record)
{
  if (record->read_only || record->in_transaction)
    return FALSE;
  return usc_record_fold_spool (record, NULL) == 0;
}

/* ------------------------------------------------------------------------ */
/* Reading the counts and the log with the spool in them                    */

typedef struct {
  GHashTable *counts;  /* "DAY\tVERDICT\tKIND" -> gint64 * */
} StatsMerge;

static void
collect_stat (const char *day, const char *verdict, const char *kind, gint64 count, gpointer user_data)
{
  StatsMerge *m = user_data;
  char *key = g_strdup_printf ("%s\t%s\t%s", day, verdict, kind);
  gint64 *n = g_hash_table_lookup (m->counts, key);
  if (n == NULL) {
    n = g_new0 (gint64, 1);
    g_hash_table_insert (m->counts, key, n);
  } else {
    g_free (key);
  }
  *n += count;
}

static gint
cmp_key (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
usc_record_spool_stats (UscRecord *record, gint64 since_day, UscStatsFunc fn, gpointer user_data,
                        GError **error)
{
  if (folded (record))
    return record->backend->stats (record->be, since_day, fn, user_data, error);
  GPtrArray *rows = pending_rows (record, error);
  if (rows == NULL)
    return -1;
  if (rows->len == 0) {
    g_ptr_array_unref (rows);
    return record->backend->stats (record->be, since_day, fn, user_data, error);
  }
  StatsMerge m = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  int rc = record->backend->stats (record->be, since_day, collect_stat, &m, error);
  for (guint i = 0; rc == 0 && i < rows->len; i++) {
    const SpoolRow *r = rows->pdata[i];
    gint64 day = usc_record_day_of (r->time);
    if (day < since_day)
      continue;
    /* The day as the backend writes it. */
    GDateTime *dt = g_date_time_new_from_unix_utc (day * 86400);
    char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
    collect_stat (d, r->f[0], r->f[1], 1, &m);
    g_free (d);
    if (dt)
      g_date_time_unref (dt);
  }
  if (rc == 0) {
    /* ORDER BY day, verdict, kind: the tab sorts before every character of
     * a verdict or kind name, so the joined keys sort as the three columns. */
    guint n = 0;
    gpointer *keys = g_hash_table_get_keys_as_array (m.counts, &n);
    qsort (keys, n, sizeof *keys, cmp_key);
    for (guint i = 0; i < n; i++) {
      char **k = g_strsplit (keys[i], "\t", 3);
      fn (k[0], k[1], k[2], *(gint64 *) g_hash_table_lookup (m.counts, keys[i]), user_data);
      g_strfreev (k);
    }
    g_free (keys);
  }
  g_hash_table_unref (m.counts);
  g_ptr_array_unref (rows);
  return rc;
}

static void
collect_decision (const UscDecision *d, gpointer user_data)
{
  GPtrArray *out = user_data;
  SpoolRow *r = g_new0 (SpoolRow, 1);
  r->time = d->time;
  const char *v[] = { d->verdict, d->kind, d->reporting_mta, d->relay_host, d->relay_ip, d->mta_family,
                      d->forged_sender, d->recipient, d->payload, d->reason };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    r->f[i] = g_strdup (v[i]);
  r->keep = TRUE;
  g_ptr_array_add (out, r);
}

static gint
cmp_row_time (gconstpointer a, gconstpointer b)
{
  gint64 x = (*(SpoolRow *const *) a)->time, y = (*(SpoolRow *const *) b)->time;
  return x < y ? -1 : x > y;
}

int
usc_record_spool_decisions (UscRecord *record, gint64 since, gint64 until, UscDecisionFunc fn,
                            gpointer user_data, GError **error)
{
  if (folded (record))
    return record->backend->decisions (record->be, since, until, fn, user_data, error);
  GPtrArray *rows = pending_rows (record, error);
  if (rows == NULL)
    return -1;
  gboolean any = FALSE;
  for (guint i = 0; i < rows->len && !any; i++) {
    const SpoolRow *r = rows->pdata[i];
    any = r->keep && r->time >= since && r->time < until;
  }
  if (!any) {
    g_ptr_array_unref (rows);
    return record->backend->decisions (record->be, since, until, fn, user_data, error);
  }
  /* By time, equal times in the order appended (a stable sort), as the
   * record orders its rows (time, then the order added). */
  g_ptr_array_sort (rows, cmp_row_time);
  GPtrArray *kept = g_ptr_array_new_with_free_func (spool_row_free);
  int rc = record->backend->decisions (record->be, since, until, collect_decision, kept, error);
  /* Oldest first, equal times in the order added: the record's rows, then
   * the spool's in file order. */
  guint k = 0;
  UscDecision d;
  for (guint i = 0; rc == 0 && i < rows->len; i++) {
    const SpoolRow *r = rows->pdata[i];
    if (!r->keep || r->time < since || r->time >= until)
      continue;
    for (; k < kept->len && ((SpoolRow *) kept->pdata[k])->time <= r->time; k++) {
      row_decision (kept->pdata[k], &d);
      fn (&d, user_data);
    }
    row_decision (r, &d);
    fn (&d, user_data);
  }
  for (; rc == 0 && k < kept->len; k++) {
    row_decision (kept->pdata[k], &d);
    fn (&d, user_data);
  }
  g_ptr_array_unref (kept);
  g_ptr_array_unref (rows);
  return rc;
}
