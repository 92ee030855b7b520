/* usc-record.c — the sent-mail record: what the user really sent.
 *
 * The generic layer (the usc_record_* functions) turns Message-IDs,
 * fingerprints and addresses into 64-bit keys (the first 8 bytes of their
 * SHA-256, FIPS 180-4) and talks to a storage backend through one small
 * vtable (UscRecordBackend) so that another store (a shared network service
 * for a cluster of delivery hosts) can be added beside SQLite. The SQLite
 * backend is in usc-record-sqlite.c, the interface in usc-record-backend.h.
 *
 * Message-IDs (RFC 5322 section 3.6.4) and addresses are compared ASCII
 * case-insensitively: they are lower-cased before hashing.
 */
#include "config.h"
#include "usc-record-backend.h"
#include "usc-redis.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


/* ------------------------------------------------------------------------ */
/* Generic layer                                                             */

/* Key namespaces: a Message-ID, a fingerprint, an address of a message with
 * a Message-ID, an address of a message without one. */
/* A SHA-256 started with "@ns:" (give it to key_of). */
static GChecksum *
key_start (char ns)
{
  GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
  char prefix[2] = { ns, ':' };
  g_checksum_update (c, (const guchar *) prefix, 2);
  return c;
}

/* The key: the first 8 bytes of @c's digest, big-endian. Frees @c. */
static gint64
key_of (GChecksum *c)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_get_digest (c, digest, &len);
  g_checksum_free (c);
  guint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | digest[i];
  return (gint64) v;
}

static gint64
hash_key (char ns, const char *s)
{
  GChecksum *c = key_start (ns);
  for (const char *p = s; *p; p++) {
    guchar ch = (guchar) g_ascii_tolower (*p);
    g_checksum_update (c, &ch, 1);
  }
  return key_of (c);
}

static gboolean
check_record (UscRecord *record, GError **error)
{
  if (record == NULL || record->be == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no record open");
    return FALSE;
  }
  return TRUE;
}

gboolean
usc_record_is_redis_url (const char *path)
{
  return usc_redis_is_url (path);
}

gboolean
usc_record_have_redis (void)
{
#ifdef HAVE_HIREDIS
  return TRUE;
#else
  return FALSE;
#endif
}

UscRecord *
usc_record_open (const char *path, const UscRecordOptions *options, GError **error)
{
  UscRecordOptions defaults = { .busy_timeout = 10, .read_only = FALSE };
  if (options == NULL)
    options = &defaults;
  if (path == NULL || *path == '\0') {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no record path");
    return NULL;
  }
  gboolean redis = options->backend == USC_RECORD_REDIS
                   || (options->backend == USC_RECORD_AUTO && usc_redis_is_url (path));
  const UscRecordBackend *backend = &usc_record_sqlite_backend;
  if (redis) {
#ifdef HAVE_HIREDIS
    backend = &usc_record_redis_backend;
#else
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG,
                 "record %s: this unscatter was built without the Redis backend (hiredis)", path);
    return NULL;
#endif
  } else if (options->if_exists && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    return NULL;
  }
  GError *local = NULL;
  gpointer be = backend->open (path, options, &local);
  if (be == NULL && local != NULL)
    g_propagate_error (error, local);
  if (be == NULL)
    return NULL;
  UscRecord *r = g_new0 (UscRecord, 1);
  r->backend = backend;
  r->be = be;
  if (backend->meta_get != NULL && backend->meta_set != NULL)
    r->spool = usc_record_spool_path (path);
  r->read_only = options->read_only;
  r->busy_timeout = options->busy_timeout;
  return r;
}

void
usc_record_close (UscRecord **record)
{
  if (record == NULL || *record == NULL)
    return;
  (*record)->backend->close ((*record)->be);
  g_free ((*record)->spool);
  g_free (*record);
  *record = NULL;
}

int
usc_record_begin (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (record->in_transaction) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "a transaction is already open");
    return -1;
  }
  if (record->backend->begin (record->be, error) < 0)
    return -1;
  record->in_transaction = TRUE;
  return 0;
}

int
usc_record_commit (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (!record->in_transaction)
    return 0;
  if (record->backend->commit (record->be, error) < 0) {
    record->backend->rollback (record->be, NULL);
    record->in_transaction = FALSE;
    return -1;
  }
  record->in_transaction = FALSE;
  return 0;
}

int
usc_record_rollback (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (!record->in_transaction)
    return 0;
  record->in_transaction = FALSE;
  return record->backend->rollback (record->be, error);
}

static gint
cmp_str_ptr (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char *const *) a, *(const char *const *) b);
}

/* The fingerprint of a message without Message-ID and without a caller's
 * fingerprint: its date and sorted recipients. */
static char *
default_fingerprint (const UscSentMessage *msg)
{
  GPtrArray *a = g_ptr_array_new ();
  for (guint i = 0; msg->recipients && msg->recipients[i]; i++)
    g_ptr_array_add (a, (gpointer) msg->recipients[i]);
  g_ptr_array_sort (a, cmp_str_ptr);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%" G_GINT64_FORMAT, msg->date);
  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "\n%s", (const char *) a->pdata[i]);
  g_ptr_array_free (a, TRUE);
  return g_string_free (s, FALSE);
}

int
usc_record_add (UscRecord *record, const UscSentMessage *msg, GError **error)
{
  if (!check_record (record, error))
    return -1;
  gboolean has_id = msg->message_id && *msg->message_id;
  guint n = 0;
  while (msg->recipients && msg->recipients[n])
    n++;
  if (!has_id && n == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                 "nothing to record: no Message-ID and no recipient");
    return -1;
  }
  gint64 recorded = msg->recorded ? msg->recorded : usc_now ();
  gint64 date = msg->date ? msg->date : recorded;
  gint64 id;
  if (has_id) {
    id = hash_key ('m', msg->message_id);
  } else if (msg->fingerprint && *msg->fingerprint) {
    id = hash_key ('f', msg->fingerprint);
  } else {
    char *fp = default_fingerprint (msg);
    id = hash_key ('f', fp);
    g_free (fp);
  }
  /* Addresses of messages without a Message-ID are also kept under their own
   * key, so that an ID miss can still be checked against them (the MTA gave
   * such a message an ID we never saw). */
  gint64 *keys = g_new (gint64, n * 2 + 1);
  guint nk = 0;
  for (guint i = 0; i < n; i++) {
    keys[nk++] = hash_key ('r', msg->recipients[i]);
    if (!has_id)
      keys[nk++] = hash_key ('n', msg->recipients[i]);
  }
  gboolean own = !record->in_transaction;
  int rc;
  if (own && record->backend->begin (record->be, error) < 0) {
    g_free (keys);
    return -1;
  }
  rc = record->backend->add (record->be, id, date, recorded, keys, nk, error);
  g_free (keys);
  if (own) {
    if (rc >= 0 && record->backend->commit (record->be, error) < 0)
      rc = -1;
    if (rc < 0)
      record->backend->rollback (record->be, NULL);
  }
  return rc;
}

int
usc_record_has_id (UscRecord *record, const char *message_id, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (message_id == NULL || *message_id == '\0')
    return 0;
  return record->backend->has_id (record->be, hash_key ('m', message_id), error);
}

int
usc_record_has_recipient (UscRecord *record, const char *recipient,
                          gint64 since, gint64 until, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (recipient == NULL || *recipient == '\0')
    return 0;
  return record->backend->has_rcpt (record->be, hash_key ('r', recipient), since, until, error);
}

int
usc_record_has_recipient_without_id (UscRecord *record, const char *recipient,
                                     gint64 since, gint64 until, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (recipient == NULL || *recipient == '\0')
    return 0;
  return record->backend->has_rcpt (record->be, hash_key ('n', recipient), since, until, error);
}

gint64
usc_record_count (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return -1;
  return record->backend->count (record->be, error);
}

gint64
usc_record_since (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return -1;
  return record->backend->since (record->be, error);
}

gint64
usc_record_expire (UscRecord *record, gint64 before, GError **error)
{
  if (!check_record (record, error))
    return -1;
  /* The spool's rows first, so that those decided before @before go too. */
  if (record->spool && !record->read_only && !record->in_transaction
      && usc_record_fold_spool (record, error) < 0)
    return -1;
  return record->backend->expire (record->be, before, error);
}

gint64
usc_record_day_of (gint64 when)
{
  return when >= 0 ? when / 86400 : -((-when + 86399) / 86400);
}
#define day_of usc_record_day_of

int
usc_record_log_decision (UscRecord *record, gint64 when, const char *verdict,
                         const char *kind, GError **error)
{
  if (!check_record (record, error))
    return -1;
  return record->backend->log_decision (record->be, day_of (when), verdict ? verdict : "?",
                                        kind ? kind : "?", error);
}

int
usc_record_stats (UscRecord *record, gint64 since, UscStatsFunc fn,
                  gpointer user_data, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (record->spool)
    return usc_record_spool_stats (record, day_of (since), fn, user_data, error);
  return record->backend->stats (record->be, day_of (since), fn, user_data, error);
}


/* ------------------------------------------------------------------------ */
/* Export / import                                                           */

#define EXPORT_HEADER "# unscatter record export 1"

typedef struct {
  FILE   *out;
  gint64  n;
  int     err;   /* errno of a failed write, 0 */
} ExportState;

static gboolean
export_entry (gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
              gpointer user_data)
{
  ExportState *st = user_data;
  fprintf (st->out, "entry %016" G_GINT64_MODIFIER "x %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
           (guint64) id, date, recorded);
  for (guint i = 0; i < n_rcpts; i++)
    fprintf (st->out, " %016" G_GINT64_MODIFIER "x", (guint64) rcpts[i]);
  if (fputc ('\n', st->out) == EOF) {
    st->err = errno ? errno : EIO;
    return FALSE;
  }
  st->n++;
  return TRUE;
}

static void
export_decision (const char *day, const char *verdict, const char *kind, gint64 count,
                 gpointer user_data)
{
  ExportState *st = user_data;
  if (fprintf (st->out, "decision %s %s %s %" G_GINT64_FORMAT "\n", day, verdict, kind, count) < 0
      && st->err == 0)
    st->err = errno ? errno : EIO;
}

/* A decision-log field on an export line: "~" for NULL, else the bytes with
 * all but [A-Za-z0-9.@:_+/=,-] as %XX. */
static void
put_field (GString *line, const char *v)
{
  g_string_append_c (line, ' ');
  if (v == NULL) {
    g_string_append_c (line, '~');
    return;
  }
  if (*v == '\0')
    g_string_append (line, "%00");  /* "" (a lone %00 cannot be a C string's byte) */
  for (const guchar *p = (const guchar *) v; *p; p++) {
    if (g_ascii_isalnum (*p) || strchr (".@:_+/=,-", *p))
      g_string_append_c (line, (char) *p);
    else
      g_string_append_printf (line, "%%%02X", *p);
  }
}

static void
export_dlog (const UscDecision *d, gpointer user_data)
{
  ExportState *st = user_data;
  GString *line = g_string_new ("dlog");
  g_string_append_printf (line, " %" G_GINT64_FORMAT, d->time);
  const char *v[] = { d->verdict, d->kind, d->reporting_mta, d->relay_host, d->relay_ip,
                      d->mta_family, d->forged_sender, d->recipient, d->payload, d->reason };
  for (gsize i = 0; i < G_N_ELEMENTS (v); i++)
    put_field (line, v[i]);
  g_string_append_c (line, '\n');
  if (fputs (line->str, st->out) == EOF && st->err == 0)
    st->err = errno ? errno : EIO;
  g_string_free (line, TRUE);
}

/* The inverse of put_field: newly allocated, NULL for "~"; FALSE when bad. */
static gboolean
get_field (const char *s, char **v_r)
{
  *v_r = NULL;
  if (strcmp (s, "~") == 0)
    return TRUE;
  if (strcmp (s, "%00") == 0) {
    *v_r = g_strdup ("");
    return TRUE;
  }
  GString *o = g_string_new (NULL);
  for (const char *p = s; *p; p++) {
    if (*p != '%') {
      g_string_append_c (o, *p);
      continue;
    }
    int hi = g_ascii_xdigit_value (p[1]), lo = hi < 0 ? -1 : g_ascii_xdigit_value (p[2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
      g_string_free (o, TRUE);
      return FALSE;
    }
    g_string_append_c (o, (char) (hi * 16 + lo));
    p += 2;
  }
  *v_r = g_string_free (o, FALSE);
  return TRUE;
}

int
usc_record_export (UscRecord *record, FILE *out, gint64 *n_entries_r, GError **error)
{
  if (!check_record (record, error))
    return -1;
  ExportState st = { .out = out };
  gint64 since = record->backend->since (record->be, error);
  if (since < 0)
    return -1;
  fprintf (out, EXPORT_HEADER "\nsince %" G_GINT64_FORMAT "\n", since);
  if (record->backend->foreach (record->be, export_entry, &st, error) < 0)
    return -1;
  if (st.err == 0 && record->spool
      && usc_record_spool_stats (record, G_MININT32, export_decision, &st, error) < 0)
    return -1;
  if (st.err == 0 && !record->spool
      && record->backend->stats (record->be, G_MININT32, export_decision, &st, error) < 0)
    return -1;
  if (st.err == 0 && record->spool
      && usc_record_spool_decisions (record, G_MININT64, G_MAXINT64, export_dlog, &st, error) < 0)
    return -1;
  if (st.err == 0 && !record->spool && record->backend->decisions != NULL
      && record->backend->decisions (record->be, G_MININT64, G_MAXINT64, export_dlog, &st, error) < 0)
    return -1;
  if (st.err == 0)
    fprintf (out, "end %" G_GINT64_FORMAT "\n", st.n);
  if (st.err == 0 && fflush (out) == EOF)
    st.err = errno ? errno : EIO;
  if (st.err != 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "export: %s", g_strerror (st.err));
    return -1;
  }
  if (n_entries_r)
    *n_entries_r = st.n;
  return 0;
}

static gboolean
parse_i64 (const char *s, gint64 *v_r)
{
  char *end = NULL;
  errno = 0;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  if (errno || end == s || *end != '\0')
    return FALSE;
  *v_r = v;
  return TRUE;
}

static gboolean
parse_hex64 (const char *s, gint64 *v_r)
{
  if (strlen (s) != 16)
    return FALSE;
  char *end = NULL;
  errno = 0;
  guint64 v = g_ascii_strtoull (s, &end, 16);
  if (errno || *end != '\0')
    return FALSE;
  *v_r = (gint64) v;
  return TRUE;
}

/* "YYYY-MM-DD" -> days since the epoch. */
static gboolean
parse_day (const char *s, gint64 *day_r)
{
  int y, m, d;
  char tail;
  if (sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  GDateTime *dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *day_r = day_of (g_date_time_to_unix (dt));
  g_date_time_unref (dt);
  return TRUE;
}

/* Entries of an import, added BATCH_SIZE at a time where the backend can
 * (add_many: one round trip to a network server), else one by one. */
#define BATCH_SIZE 256

typedef struct {
  UscRecordEntry e[BATCH_SIZE];
  GArray        *keys[BATCH_SIZE];
  guint          n;
} Batch;

static void
batch_clear (Batch *b)
{
  for (guint i = 0; i < BATCH_SIZE; i++)
    if (b->keys[i])
      g_array_free (b->keys[i], TRUE);
  memset (b, 0, sizeof *b);
}

static void
count_result (UscRecordImportCounts *counts, int a)
{
  if (a == 1)
    counts->added++;
  else
    counts->present++;
}

static int
batch_flush (UscRecord *record, Batch *b, UscRecordImportCounts *counts, GError **error)
{
  if (b->n == 0)
    return 0;
  int results[BATCH_SIZE];
  int rc = record->backend->add_many (record->be, b->e, b->n, results, error);
  for (guint i = 0; rc == 0 && i < b->n; i++)
    count_result (counts, results[i]);
  b->n = 0;
  return rc;
}

static int
batch_add (UscRecord *record, Batch *b, gint64 id, gint64 date, gint64 recorded, const gint64 *keys,
           guint n_keys, UscRecordImportCounts *counts, GError **error)
{
  if (record->backend->add_many == NULL) {
    int a = record->backend->add (record->be, id, date, recorded, keys, n_keys, error);
    if (a < 0)
      return -1;
    count_result (counts, a);
    return 0;
  }
  guint i = b->n++;
  if (b->keys[i] == NULL)
    b->keys[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_set_size (b->keys[i], 0);
  g_array_append_vals (b->keys[i], keys, n_keys);
  b->e[i] = (UscRecordEntry) { id, date, recorded, (const gint64 *) b->keys[i]->data, n_keys };
  return b->n == BATCH_SIZE ? batch_flush (record, b, counts, error) : 0;
}

int
usc_record_import (UscRecord *record, FILE *in, UscRecordImportCounts *counts, GError **error)
{
  if (!check_record (record, error))
    return -1;
  UscRecordImportCounts local_counts = { 0 };
  if (counts == NULL)
    counts = &local_counts;
  memset (counts, 0, sizeof *counts);
  gint64 prev_since = record->backend->since (record->be, error);
  if (prev_since < 0)
    return -1;
  gboolean own = !record->in_transaction;
  if (own && usc_record_begin (record, error) < 0)
    return -1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  gint64 lineno = 0, since = 0, end_n = -1;
  gboolean have_since = FALSE;
  const char *why = NULL;
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  Batch batch = { 0 };
  int rc = 0;
  while ((len = getline (&line, &cap, in)) >= 0) {
    lineno++;
    if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
    if (lineno == 1) {
      if (strcmp (line, EXPORT_HEADER) != 0) {
        why = "not an unscatter record export (first line)";
        break;
      }
      continue;
    }
    if (end_n >= 0) {
      why = "data after the end line";
      break;
    }
    char **f = g_strsplit (line, " ", -1);
    guint nf = g_strv_length (f);
    if (nf == 2 && strcmp (f[0], "since") == 0) {
      if (!parse_i64 (f[1], &since))
        why = "a bad since line";
      have_since = TRUE;
    } else if (nf >= 4 && strcmp (f[0], "entry") == 0) {
      gint64 id, date, recorded;
      g_array_set_size (keys, 0);
      if (!parse_hex64 (f[1], &id) || !parse_i64 (f[2], &date) || !parse_i64 (f[3], &recorded))
        why = "a bad entry line";
      for (guint i = 4; why == NULL && i < nf; i++) {
        gint64 k;
        if (!parse_hex64 (f[i], &k))
          why = "a bad recipient key";
        else
          g_array_append_val (keys, k);
      }
      if (why == NULL) {
        counts->entries++;
        if (batch_add (record, &batch, id, date, recorded, (const gint64 *) keys->data, keys->len,
                       counts, error) < 0)
          rc = -1;
      }
    } else if (nf == 5 && strcmp (f[0], "decision") == 0) {
      gint64 day, n;
      if (!parse_day (f[1], &day) || !parse_i64 (f[4], &n) || n < 0 || !*f[2] || !*f[3])
        why = "a bad decision line";
      else if (record->backend->add_decisions (record->be, day, f[2], f[3], n, error) < 0)
        rc = -1;
      else
        counts->decisions++;
    } else if (nf == 12 && strcmp (f[0], "dlog") == 0) {
      char *v[10] = { 0 };
      UscDecision d = { 0 };
      gboolean good = parse_i64 (f[1], &d.time);
      for (guint i = 0; good && i < 10; i++)
        good = get_field (f[2 + i], &v[i]);
      if (!good || v[0] == NULL || v[1] == NULL) {
        why = "a bad dlog line";
      } else if (record->backend->add_decision != NULL) {
        d.verdict = v[0];
        d.kind = v[1];
        d.reporting_mta = v[2];
        d.relay_host = v[3];
        d.relay_ip = v[4];
        d.mta_family = v[5];
        d.forged_sender = v[6];
        d.recipient = v[7];
        d.payload = v[8];
        d.reason = v[9];
        if (record->backend->add_decision (record->be, &d, 0, error) < 0)
          rc = -1;
      }
      for (guint i = 0; i < 10; i++)
        g_free (v[i]);
    } else if (nf == 2 && strcmp (f[0], "end") == 0) {
      if (!parse_i64 (f[1], &end_n) || end_n < 0)
        why = "a bad end line";
    } else {
      why = "an unknown line";
    }
    g_strfreev (f);
    if (why || rc < 0)
      break;
  }
  if (rc == 0 && why == NULL && batch_flush (record, &batch, counts, error) < 0)
    rc = -1;
  batch_clear (&batch);
  free (line);
  g_array_free (keys, TRUE);
  if (rc == 0 && why == NULL && ferror (in)) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "import: %s", g_strerror (errno));
    rc = -1;
  }
  if (rc == 0 && why == NULL && lineno == 0)
    why = "empty input";
  if (rc == 0 && why == NULL && (end_n < 0 || !have_since))
    why = "truncated (no end line)";
  if (rc == 0 && why == NULL && end_n != counts->entries)
    why = "the end line's count differs from the entries read";
  /* The record covers what the exported one covered (and what it covered
   * before, when it was not empty). */
  if (rc == 0 && why == NULL && since != 0
      && record->backend->set_since (record->be, prev_since != 0 ? MIN (prev_since, since) : since,
                                     error) < 0)
    rc = -1;
  if (rc == 0 && why != NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "import: line %" G_GINT64_FORMAT ": %s", lineno, why);
    rc = -1;
  }
  if (own) {
    if (rc == 0)
      rc = usc_record_commit (record, error);
    else
      usc_record_rollback (record, NULL);
  }
  return rc;
}

char *
usc_record_clean_field (const char *s)
{
  if (s == NULL)
    return NULL;
  char *v = g_utf8_make_valid (s, -1);
  GString *o = g_string_sized_new (MIN (strlen (v), (gsize) USC_DECISION_FIELD_MAX));
  for (const char *p = v; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    gsize n = (gsize) (g_utf8_next_char (p) - p);
    if (o->len + n > USC_DECISION_FIELD_MAX)
      break;
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
      g_string_append_c (o, '?');
    else
      g_string_append_len (o, p, (gssize) n);
  }
  g_free (v);
  return g_string_free (o, FALSE);
}

int
usc_record_add_decision (UscRecord *record, const UscDecision *d, guint max_rows, GError **error)
{
  if (!check_record (record, error))
    return -1;
  const char *verdict = d->verdict ? d->verdict : "?";
  const char *kind = d->kind ? d->kind : "?";
  gboolean keep = strcmp (kind, "not-bounce") != 0 && record->backend->add_decision != NULL;
  gboolean own = !record->in_transaction;
  if (own && record->backend->begin (record->be, error) < 0)
    return -1;
  int rc = record->backend->log_decision (record->be, day_of (d->time), verdict, kind, error);
  if (rc >= 0 && keep) {
    UscDecision c = { .time = d->time };
    char *f[9] = {
      usc_record_clean_field (verdict),          usc_record_clean_field (kind),
      usc_record_clean_field (d->reporting_mta), usc_record_clean_field (d->relay_host),
      usc_record_clean_field (d->relay_ip),      usc_record_clean_field (d->mta_family),
      usc_record_clean_field (d->forged_sender), usc_record_clean_field (d->recipient),
      usc_record_clean_field (d->reason),
    };
    c.verdict = f[0];
    c.kind = f[1];
    c.reporting_mta = f[2];
    c.relay_host = f[3];
    c.relay_ip = f[4];
    c.mta_family = f[5];
    c.forged_sender = f[6];
    c.recipient = f[7];
    c.reason = f[8];
    char *payload = usc_record_clean_field (d->payload);
    c.payload = payload;
    rc = record->backend->add_decision (record->be, &c, max_rows, error);
    for (guint i = 0; i < G_N_ELEMENTS (f); i++)
      g_free (f[i]);
    g_free (payload);
  }
  if (own) {
    if (rc >= 0 && record->backend->commit (record->be, error) < 0)
      rc = -1;
    if (rc < 0)
      record->backend->rollback (record->be, NULL);
  }
  return rc < 0 ? -1 : 0;
}

int
usc_record_decisions (UscRecord *record, gint64 since, gint64 until, UscDecisionFunc fn,
                      gpointer user_data, GError **error)
{
  if (!check_record (record, error))
    return -1;
  if (record->backend->decisions == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "the %s record keeps no decision log",
                 record->backend->name);
    return -1;
  }
  if (record->spool)
    return usc_record_spool_decisions (record, since, until, fn, user_data, error);
  return record->backend->decisions (record->be, since, until, fn, user_data, error);
}

/* ------------------------------------------------------------------------ */
/* The Sent folder import's state                                            */

/* A key over @a and @b byte for byte (file names are case-sensitive). */
static gint64
hash_pair (char ns, const char *a, const char *b)
{
  GChecksum *c = key_start (ns);
  g_checksum_update (c, (const guchar *) a, strlen (a) + 1);
  if (b)
    g_checksum_update (c, (const guchar *) b, strlen (b));
  return key_of (c);
}

static gboolean
check_sentdir_ops (UscRecord *record, GError **error)
{
  if (!check_record (record, error))
    return FALSE;
  const UscRecordBackend *b = record->backend;
  if (b->dir_get == NULL || b->dir_set == NULL || b->seen_check == NULL || b->seen_add == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                 "the %s record backend keeps no Sent folder state", b->name);
    return FALSE;
  }
  return TRUE;
}

int
usc_record_dir_get (UscRecord *record, const char *dir, UscRecordDirState *state_r, GError **error)
{
  if (!check_sentdir_ops (record, error))
    return -1;
  return record->backend->dir_get (record->be, hash_pair ('d', dir, NULL), state_r, error);
}

int
usc_record_dir_set (UscRecord *record, const char *dir, const UscRecordDirState *state, GError **error)
{
  if (!check_sentdir_ops (record, error))
    return -1;
  return record->backend->dir_set (record->be, hash_pair ('d', dir, NULL), state, error);
}

static gint64 *
seen_keys (const char *folder, const char *const *names, guint n)
{
  gint64 *keys = g_new (gint64, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    keys[i] = hash_pair ('s', folder, names[i]);
  return keys;
}

int
usc_record_seen_check (UscRecord *record, const char *folder, const char *const *names, guint n,
                       gboolean *seen_r, GError **error)
{
  if (!check_sentdir_ops (record, error))
    return -1;
  if (n == 0)
    return 0;
  gint64 *keys = seen_keys (folder, names, n);
  int rc = record->backend->seen_check (record->be, keys, n, seen_r, error);
  g_free (keys);
  return rc;
}

int
usc_record_seen_add (UscRecord *record, const char *folder, const char *const *names, guint n,
                     GError **error)
{
  if (!check_sentdir_ops (record, error))
    return -1;
  if (n == 0)
    return 0;
  gint64 *keys = seen_keys (folder, names, n);
  int rc = record->backend->seen_add (record->be, keys, n, error);
  g_free (keys);
  return rc;
}

void
usc_record_set_busy_timeout (UscRecord *record, double seconds)
{
  if (record && record->be && record->backend->set_busy_timeout)
    record->backend->set_busy_timeout (record->be, seconds);
}
