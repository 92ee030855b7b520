/* usc-record-spool-read.c — reading the decision spool back (its format in
 * usc-record-spool.c): a line parsed (a cut line refused), the generation
 * in its header, the rows of its whole lines, and the rows not yet folded
 * into the record, read under a shared lock.
 */
#include "config.h"
#include "usc-record-spool-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void
usc_spool_row_free (gpointer p)
{
  SpoolRow *r = p;
  for (guint i = 0; i < G_N_ELEMENTS (r->f); i++)
    g_free (r->f[i]);
  g_free (r);
}

void
usc_spool_row_decision (const SpoolRow *r, UscDecision *d)
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
    usc_spool_row_free (r);
    return NULL;
  }
  return r;
}

GBytes *
usc_spool_read (int fd, const char *spool, GError **error)
{
  GError *local = NULL;
  GBytes *buf = usc_read_all (fd, 0, &local);
  if (buf == NULL) {
    g_prefix_error (&local, "%s: ", spool);
    g_propagate_error (error, local);
  }
  return buf;
}

/* The bytes of @buf (never NULL: an empty spool is ""). */
static const char *
bytes_of (GBytes *buf, gsize *len_r)
{
  const char *d = g_bytes_get_data (buf, len_r);
  return d ? d : "";
}

/* The spool's generation from its header, 0 when it has none; the offset
 * after the header in *@body_r. */
gint64
usc_spool_gen (GBytes *buf, gsize *body_r)
{
  gsize len;
  const char *str = bytes_of (buf, &len);
  *body_r = len;
  gsize m = strlen (SPOOL_MAGIC);
  if (len < m || memcmp (str, SPOOL_MAGIC, m) != 0)
    return 0;
  const char *nl = memchr (str + m, '\n', len - m);
  if (nl == NULL)
    return 0;
  char *end = NULL;
  guint64 g = g_ascii_strtoull (str + m, &end, 10);
  if (end != nl || g == 0 || g > G_MAXINT64)
    return 0;
  *body_r = (gsize) (nl - str);  /* the newline begins the first line */
  return (gint64) g;
}

/* The rows of @buf from @from; whole lines only (a line is whole when the
 * next one has begun or it ends the file with its "." field). */
GPtrArray *
usc_spool_rows (GBytes *buf, gsize from)
{
  gsize len;
  const char *str = bytes_of (buf, &len);
  GPtrArray *rows = g_ptr_array_new_with_free_func (usc_spool_row_free);
  const char *p = str + from, *e = str + len;
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
gint64
usc_spool_folded_upto (UscRecord *record, gint64 gen, gint64 ino, GError **error)
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
GPtrArray *
usc_spool_pending_rows (UscRecord *record, GError **error)
{
  int fd = -1;
  struct stat st;
  for (int attempt = 0; fd < 0; attempt++) {
    fd = open (record->spool, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if ((fd < 0 && errno == ENOENT) || attempt == 16)
      return g_ptr_array_new_with_free_func (usc_spool_row_free);
    if (fd < 0 || usc_spool_lock (fd, LOCK_SH, record->busy_timeout) < 0) {
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
  GBytes *buf = usc_spool_read (fd, record->spool, error);
  close (fd);
  if (buf == NULL)
    return NULL;
  gsize body;
  gint64 gen = usc_spool_gen (buf, &body);
  gint64 done = gen ? usc_spool_folded_upto (record, gen, (gint64) st.st_ino, error) : 0;
  GPtrArray *rows = NULL;
  if (done >= 0)
    rows = gen ? usc_spool_rows (buf, MAX (body, (gsize) MIN (done, (gint64) g_bytes_get_size (buf))))
               : g_ptr_array_new_with_free_func (usc_spool_row_free);
  g_bytes_unref (buf);
  return rows;
}
