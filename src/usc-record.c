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

#include <string.h>


struct _UscRecord {
  const UscRecordBackend *backend;
  gpointer                be;
  gboolean                in_transaction;
};


/* ------------------------------------------------------------------------ */
/* Generic layer                                                             */

/* Key namespaces: a Message-ID, a fingerprint, an address of a message with
 * a Message-ID, an address of a message without one. */
static gint64
hash_key (char ns, const char *s)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
  char prefix[2] = { ns, ':' };
  g_checksum_update (c, (const guchar *) prefix, 2);
  for (const char *p = s; *p; p++) {
    guchar ch = (guchar) g_ascii_tolower (*p);
    g_checksum_update (c, &ch, 1);
  }
  g_checksum_get_digest (c, digest, &len);
  g_checksum_free (c);
  guint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | digest[i];
  return (gint64) v;
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
  const UscRecordBackend *backend = &usc_record_sqlite_backend;
  gpointer be = backend->open (path, options, error);
  if (be == NULL)
    return NULL;
  UscRecord *r = g_new0 (UscRecord, 1);
  r->backend = backend;
  r->be = be;
  return r;
}

void
usc_record_close (UscRecord **record)
{
  if (record == NULL || *record == NULL)
    return;
  (*record)->backend->close ((*record)->be);
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
  return record->backend->expire (record->be, before, error);
}

static gint64
day_of (gint64 when)
{
  return when >= 0 ? when / 86400 : -((-when + 86399) / 86400);
}

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
  return record->backend->stats (record->be, day_of (since), fn, user_data, error);
}

/* @s cut to USC_DECISION_FIELD_MAX bytes on a character boundary, invalid
 * UTF-8 and control characters replaced by '?'; NULL stays NULL. */
static char *
clean_field (const char *s)
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
      clean_field (verdict), clean_field (kind), clean_field (d->reporting_mta),
      clean_field (d->relay_host), clean_field (d->relay_ip), clean_field (d->mta_family),
      clean_field (d->forged_sender), clean_field (d->recipient), clean_field (d->reason),
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
    char *payload = clean_field (d->payload);
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
  return record->backend->decisions (record->be, since, until, fn, user_data, error);
}
