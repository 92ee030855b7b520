/* test-record.c — unit tests for usc-record (GTest, table-driven): add,
 * duplicates, lookups by Message-ID and by recipient in a window, messages
 * without Message-ID, expiry, decision log, schema version, file modes, and
 * the failure modes (corrupt / foreign file, lock held past the timeout)
 * that must be errors, never "not found". */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "usc-record.h"
#include <unistd.h>
#include "record-fixture.h"

/* The steps' base time: 2023-11-14 for SQLite; for Redis (whose TTLs run
 * on the server's clock) 45 days ago. */
static gint64 t0_base = 1700000000;
#define T0 t0_base
#define D 86400

typedef enum { OP_ADD, OP_HAS_ID, OP_HAS_RCPT, OP_HAS_RCPT_NOID, OP_COUNT, OP_EXPIRE, OP_SINCE } Op;

typedef struct {
  Op          op;
  const char *id;          /* Message-ID, or recipient for lookups */
  const char *rcpts[4];
  gint64      date, recorded;
  const char *fingerprint;
  gint64      a, b;        /* window, or expire cutoff in a */
  gint64      expect;
} Step;

static void
run_steps (UscRecord *r)
{
const Step steps[] = {
  { OP_COUNT, .expect = 0 },
  { OP_SINCE, .expect = 0 },
  { OP_HAS_ID, "a1@example.org", .expect = 0 },
  { OP_ADD, "a1@example.org", { "bob@example.net", "carol@example.com" }, T0, T0, .expect = 1 },
  { OP_ADD, "a1@example.org", { "bob@example.net" }, T0, T0 + 5, .expect = 0 },         /* duplicate */
  { OP_ADD, "A1@EXAMPLE.ORG", { NULL }, T0, T0, .expect = 0 },                          /* case-insensitive */
  { OP_HAS_ID, "a1@example.org", .expect = 1 },
  { OP_HAS_ID, "A1@Example.Org", .expect = 1 },
  { OP_HAS_ID, "a2@example.org", .expect = 0 },
  { OP_HAS_ID, "", .expect = 0 },
  { OP_COUNT, .expect = 1 },
  { OP_SINCE, .expect = T0 },
  /* recipient window */
  { OP_HAS_RCPT, "bob@example.net", .a = T0 - D, .b = T0 + D, .expect = 1 },
  { OP_HAS_RCPT, "BOB@example.net", .a = T0, .b = T0, .expect = 1 },                   /* inclusive */
  { OP_HAS_RCPT, "bob@example.net", .a = T0 + 1, .b = T0 + D, .expect = 0 },
  { OP_HAS_RCPT, "bob@example.net", .a = T0 - D, .b = T0 - 1, .expect = 0 },
  { OP_HAS_RCPT, "carol@example.com", .a = T0 - D, .b = T0 + D, .expect = 1 },
  { OP_HAS_RCPT, "dave@example.com", .a = 0, .b = G_MAXINT64, .expect = 0 },
  { OP_HAS_RCPT_NOID, "bob@example.net", .a = 0, .b = G_MAXINT64, .expect = 0 },        /* it had an ID */
  /* a message without Message-ID: recipients and date, deduplicated */
  { OP_ADD, NULL, { "dave@example.com" }, T0 + 10 * D, T0 + 10 * D, "fp-1", .expect = 1 },
  { OP_ADD, NULL, { "dave@example.com" }, T0 + 10 * D, T0 + 11 * D, "fp-1", .expect = 0 },
  { OP_ADD, NULL, { "dave@example.com" }, T0 + 10 * D, T0 + 10 * D, "fp-2", .expect = 1 },
  { OP_ADD, NULL, { "erin@example.com", "fred@example.com" }, T0 + 20 * D, T0 + 20 * D, NULL, .expect = 1 },
  { OP_ADD, NULL, { "fred@example.com", "erin@example.com" }, T0 + 20 * D, T0 + 21 * D, NULL, .expect = 0 },
  { OP_HAS_RCPT, "dave@example.com", .a = T0 + 9 * D, .b = T0 + 11 * D, .expect = 1 },
  { OP_HAS_RCPT_NOID, "dave@example.com", .a = T0 + 9 * D, .b = T0 + 11 * D, .expect = 1 },
  { OP_HAS_RCPT_NOID, "erin@example.com", .a = T0 + 19 * D, .b = T0 + 21 * D, .expect = 1 },
  { OP_COUNT, .expect = 4 },
  /* no date: the recorded time is used */
  { OP_ADD, "nodate@example.org", { "gina@example.com" }, 0, T0 + 30 * D, .expect = 1 },
  { OP_HAS_RCPT, "gina@example.com", .a = T0 + 30 * D, .b = T0 + 30 * D, .expect = 1 },
  /* an old Date recorded now: expiry counts from the recording */
  { OP_ADD, "old@example.org", { "hank@example.com" }, T0 - 400 * D, T0 + 30 * D, .expect = 1 },
  { OP_SINCE, .expect = T0 - 400 * D },
  { OP_COUNT, .expect = 6 },
  { OP_EXPIRE, .a = T0 + 1, .expect = 1 },                 /* a1 only */
  { OP_HAS_ID, "a1@example.org", .expect = 0 },
  { OP_HAS_RCPT, "bob@example.net", .a = 0, .b = G_MAXINT64, .expect = 0 },          /* its recipients went too */
  { OP_HAS_ID, "old@example.org", .expect = 1 },
  { OP_SINCE, .expect = T0 + 1 },
  { OP_EXPIRE, .a = T0 + 25 * D, .expect = 3 },
  { OP_COUNT, .expect = 2 },
  { OP_HAS_RCPT_NOID, "dave@example.com", .a = 0, .b = G_MAXINT64, .expect = 0 },
  { OP_EXPIRE, .a = T0 + 25 * D, .expect = 0 },
  /* after expiry the same message can be recorded again */
  { OP_ADD, "a1@example.org", { "bob@example.net" }, T0, T0 + 40 * D, .expect = 1 },
  { OP_COUNT, .expect = 3 },
};
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++) {
    const Step *s = &steps[i];
    GError *e = NULL;
    gint64 got = -2;
    switch (s->op) {
    case OP_ADD: {
      UscSentMessage m = { s->id, s->rcpts[0] ? s->rcpts : NULL, s->date, s->recorded, s->fingerprint };
      got = usc_record_add (r, &m, &e);
      break;
    }
    case OP_HAS_ID: got = usc_record_has_id (r, s->id, &e); break;
    case OP_HAS_RCPT: got = usc_record_has_recipient (r, s->id, s->a, s->b, &e); break;
    case OP_HAS_RCPT_NOID: got = usc_record_has_recipient_without_id (r, s->id, s->a, s->b, &e); break;
    case OP_COUNT: got = usc_record_count (r, &e); break;
    case OP_EXPIRE: got = usc_record_expire (r, s->a, &e); break;
    case OP_SINCE: got = usc_record_since (r, &e); break;
    }
    g_assert_no_error (e);
    if (got != s->expect)
      g_error ("step %zu (op %d, %s): got %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
               i, s->op, s->id ? s->id : "-", got, s->expect);
  }
}

static void
test_steps (void)
{
  UscRecord *r = rec_open_fresh ("steps.db", 1);
  run_steps (r);
  usc_record_close (&r);
  g_assert_null (r);
  usc_record_close (&r); /* NULL is fine */
}

static void
test_nothing_to_record (void)
{
  UscRecord *r = rec_open_fresh ("empty.db", 1);
  GError *e = NULL;
  UscSentMessage m = { NULL, NULL, T0, T0, NULL };
  g_assert_cmpint (usc_record_add (r, &m, &e), ==, -1);
  g_assert_error (e, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&e);
  usc_record_close (&r);
}

static void
test_transaction (void)
{
  UscRecord *r = rec_open_fresh ("tx.db", 1);
  GError *e = NULL;
  g_assert_cmpint (usc_record_begin (r, &e), ==, 0);
  for (int i = 0; i < 500; i++) {
    char id[64];
    const char *rc[] = { "x@example.com", NULL };
    g_snprintf (id, sizeof id, "%d@tx.example", i);
    UscSentMessage m = { id, rc, T0 + i, T0, NULL };
    g_assert_cmpint (usc_record_add (r, &m, &e), ==, 1);
  }
  g_assert_cmpint (usc_record_rollback (r, &e), ==, 0);
  g_assert_cmpint (usc_record_count (r, &e), ==, 0);
  g_assert_cmpint (usc_record_begin (r, &e), ==, 0);
  g_assert_cmpint (usc_record_begin (r, &e), ==, -1); /* nested */
  g_assert_error (e, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&e);
  const char *rc[] = { "x@example.com", NULL };
  UscSentMessage m = { "1@tx.example", rc, T0, T0, NULL };
  g_assert_cmpint (usc_record_add (r, &m, &e), ==, 1);
  g_assert_cmpint (usc_record_commit (r, &e), ==, 0);
  g_assert_no_error (e);
  usc_record_close (&r);
  /* what was committed survives a reopen */
  char *p = rec_path ("tx.db");
  r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  g_assert_cmpint (usc_record_has_id (r, "1@tx.example", &e), ==, 1);
  g_assert_cmpint (usc_record_count (r, &e), ==, 1);
  usc_record_close (&r);
  g_free (p);
}

static void
test_decisions (void)
{
  const struct { gint64 when; const char *verdict, *kind; } log[] = {
    { T0, "backscatter", "dsn" }, { T0 + 60, "backscatter", "dsn" }, { T0, "legitimate", "dsn" },
    { T0 + D, "unknown", "autoreply" }, { T0 - D, "backscatter", "virus-notice" },
  };
  UscRecord *r = rec_open_fresh ("log.db", 1);
  GError *e = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (log); i++)
    g_assert_cmpint (usc_record_log_decision (r, log[i].when, log[i].verdict, log[i].kind, &e), ==, 0);
  GString *s = g_string_new (NULL);
  g_assert_cmpint (usc_record_stats (r, T0, rec_stats_line, s, &e), ==, 0);
  g_assert_no_error (e);
  g_assert_cmpstr (s->str, ==,
                   "2023-11-14 backscatter dsn 2\n"
                   "2023-11-14 legitimate dsn 1\n"
                   "2023-11-15 unknown autoreply 1\n");
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_stats (r, 0, rec_stats_line, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, "2023-11-13 backscatter virus-notice 1\n"));
  g_string_free (s, TRUE);
  usc_record_close (&r);
}

static void
decision_row (const UscDecision *d, gpointer data)
{
  g_string_append_printf (data, "%" G_GINT64_FORMAT " %s %s %s %s %s %s %s %s %s %s\n", d->time - T0,
                          d->verdict, d->kind, d->reporting_mta ? d->reporting_mta : "-",
                          d->relay_host ? d->relay_host : "-", d->relay_ip ? d->relay_ip : "-",
                          d->mta_family ? d->mta_family : "-", d->forged_sender ? d->forged_sender : "-",
                          d->recipient ? d->recipient : "-", d->payload ? d->payload : "-",
                          d->reason ? d->reason : "-");
}

/* The decision log: bounces kept (ordinary mail only counted), read back by
 * time range oldest first, fields cleaned and cut, the cap, expiry. */
typedef struct {
  gint64 at;
  const char *verdict, *kind, *mta, *host, *ip, *family, *sender, *rcpt, *payload, *reason;
} DlogStep;

static void run_decision_log (UscRecord *r, const DlogStep *rows, gsize n_rows);

static const DlogStep dlog_rows[] = {
    { 20, "backscatter", "dsn", "mx.example.net", "relay.example.net", "198.51.100.1", "postfix",
      "alice@example.org", "bob@example.net", NULL, "not in the record" },
    { 10, "legitimate", "autoreply", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
    { 30, "not-bounce", "not-bounce", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
    { D, "backscatter", "virus-notice", "av\x01.example.net", NULL, "2001:db8::1", NULL, NULL, NULL,
      "application/x-dosexec", "exe\nline" },
};

static void
test_decision_log (void)
{
  UscRecord *r = rec_open_fresh ("dlog.db", 1);
  run_decision_log (r, dlog_rows, G_N_ELEMENTS (dlog_rows));
}

static void
run_decision_log (UscRecord *r, const DlogStep *rows, gsize n_rows)
{
  GError *e = NULL;
  for (gsize i = 0; i < n_rows; i++) {
    UscDecision d = { T0 + rows[i].at, rows[i].verdict, rows[i].kind, rows[i].mta, rows[i].host,
                      rows[i].ip, rows[i].family, rows[i].sender, rows[i].rcpt, rows[i].payload,
                      rows[i].reason };
    g_assert_cmpint (usc_record_add_decision (r, &d, 0, &e), ==, 0);
    g_assert_no_error (e);
  }
  GString *s = g_string_new (NULL);
  g_assert_cmpint (usc_record_decisions (r, T0, T0 + 2 * D, decision_row, s, &e), ==, 0);
  g_assert_cmpstr (s->str, ==,
                   "10 legitimate autoreply - - - - - - - -\n"
                   "20 backscatter dsn mx.example.net relay.example.net 198.51.100.1 postfix alice@example.org bob@example.net - not in the record\n"
                   "86400 backscatter virus-notice av?.example.net - 2001:db8::1 - - - application/x-dosexec exe?line\n");
  /* until is exclusive, since inclusive. */
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, T0 + 20, T0 + D, decision_row, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, "20 backscatter dsn"));
  g_assert_true (strchr (s->str, '\n') == s->str + s->len - 1);  /* one row */
  /* Ordinary mail was counted in the totals, not kept. */
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_stats (r, T0, rec_stats_line, s, &e), ==, 0);
  g_assert_nonnull (strstr (s->str, "not-bounce not-bounce 1\n"));

  /* A long field is cut to USC_DECISION_FIELD_MAX bytes on a character boundary. */
  GString *longf = g_string_new (NULL);
  while (longf->len < 400)
    g_string_append (longf, "\xc3\xa9");  /* é, 2 bytes */
  UscDecision d = { T0 + 2 * D, "backscatter", "dsn", longf->str, .reason = "\xff\xfe bad" };
  g_assert_cmpint (usc_record_add_decision (r, &d, 0, &e), ==, 0);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, T0 + 2 * D, T0 + 3 * D, decision_row, s, &e), ==, 0);
  const char *mta = s->str + strlen ("172800 backscatter dsn ");
  g_assert_cmpuint ((gsize) (strchr (mta, ' ') - mta), ==, 254);
  g_assert_true (g_utf8_validate (s->str, -1, NULL));
  g_string_free (longf, TRUE);

  /* The cap: with max_rows 3 only the 3 newest stay. */
  UscDecision d2 = { .time = T0 + 3 * D, .verdict = "unknown", .kind = "challenge" };
  g_assert_cmpint (usc_record_add_decision (r, &d2, 3, &e), ==, 0);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, 0, G_MAXINT64, decision_row, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, "86400 backscatter virus-notice"));
  g_assert_nonnull (strstr (s->str, "259200 unknown challenge"));

  /* Expiry removes the rows decided before @before. */
  g_assert_cmpint (usc_record_expire (r, T0 + 2 * D, &e), ==, 0);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, 0, G_MAXINT64, decision_row, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, "172800 backscatter dsn"));
  g_assert_nonnull (strstr (s->str, "259200 unknown challenge"));
  /* The kept count follows: one more row with cap 2 leaves 2. */
  UscDecision d3 = { .time = T0 + 4 * D, .verdict = "backscatter", .kind = "dsn" };
  g_assert_cmpint (usc_record_add_decision (r, &d3, 2, &e), ==, 0);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, 0, G_MAXINT64, decision_row, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, "259200 unknown challenge"));
  g_assert_nonnull (strstr (s->str, "345600 backscatter dsn"));
  g_assert_no_error (e);
  g_string_free (s, TRUE);
  usc_record_close (&r);
}

/* A version-1 record (before the decision log) is migrated with its data. */
static void
test_migrate_v1 (void)
{
  char *p = rec_path ("v1.db");
  g_unlink (p);
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open (p, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "CREATE TABLE sent (id INTEGER PRIMARY KEY, date INTEGER NOT NULL, recorded INTEGER NOT NULL);"
    "CREATE TABLE rcpt (addr INTEGER NOT NULL, date INTEGER NOT NULL, msg INTEGER NOT NULL,"
    "  PRIMARY KEY (addr, date, msg)) WITHOUT ROWID;"
    "CREATE TABLE decisions (day INTEGER NOT NULL, verdict TEXT NOT NULL, kind TEXT NOT NULL,"
    "  count INTEGER NOT NULL, PRIMARY KEY (day, verdict, kind)) WITHOUT ROWID;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
    "INSERT INTO meta (key, value) VALUES ('count', 0);"
    "INSERT INTO decisions VALUES (19675, 'backscatter', 'dsn', 7);"
    "PRAGMA application_id = 1970496305; PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  GError *e = NULL;
  UscRecordOptions ro = { .busy_timeout = 1, .read_only = TRUE };
  UscRecord *r = usc_record_open (p, &ro, &e);
  g_assert_error (e, USC_ERROR, USC_ERROR_IO);  /* read-only cannot upgrade */
  g_clear_error (&e);
  g_assert_null (r);
  r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  GString *s = g_string_new (NULL);
  g_assert_cmpint (usc_record_stats (r, 0, rec_stats_line, s, &e), ==, 0);
  g_assert_cmpstr (s->str, ==, "2023-11-14 backscatter dsn 7\n");
  UscDecision d = { .time = T0, .verdict = "backscatter", .kind = "dsn" };
  g_assert_cmpint (usc_record_add_decision (r, &d, 10, &e), ==, 0);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_decisions (r, 0, G_MAXINT64, decision_row, s, &e), ==, 0);
  g_assert_cmpstr (s->str, ==, "0 backscatter dsn - - - - - - - -\n");
  g_assert_no_error (e);
  g_string_free (s, TRUE);
  usc_record_close (&r);
  g_free (p);
}

static void
test_modes (void)
{
  char *p = g_build_filename (rec_dir (), "sub", "dir", "r.db", NULL);
  GError *e = NULL;
  UscRecord *r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  usc_record_close (&r);
  struct stat st;
  g_assert_cmpint (g_stat (p, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  char *d = g_path_get_dirname (p);
  g_assert_cmpint (g_stat (d, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  /* WAL mode and the schema version are in the file. */
  sqlite3 *db;
  g_assert_cmpint (sqlite3_open (p, &db), ==, SQLITE_OK);
  sqlite3_stmt *st2;
  sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &st2, NULL);
  g_assert_cmpint (sqlite3_step (st2), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (st2, 0), ==, "wal");
  sqlite3_finalize (st2);
  sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &st2, NULL);
  g_assert_cmpint (sqlite3_step (st2), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (st2, 0), ==, 3);
  sqlite3_finalize (st2);
  sqlite3_close (db);
  g_free (d);
  g_free (p);
}

/* Files that are not (usable) records: an error of the right code, never a record. */
typedef struct {
  const char *name;
  const char *sql;        /* run with sqlite3 first, or NULL */
  const char *content;    /* written as the file, or NULL */
  int         code;
} BadFile;

static const BadFile bad_files[] = {
  { "garbage", NULL, "this is not an SQLite database, it is just text that goes on and on and on ........"
                     "................................................................................", USC_ERROR_CORRUPT },
  { "foreign", "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, USC_ERROR_CORRUPT },
  { "newer", "PRAGMA user_version = 99;", NULL, USC_ERROR_CORRUPT },
  { "otherapp", "PRAGMA application_id = 42;", NULL, USC_ERROR_CORRUPT },
};

static void
test_bad_files (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++) {
    const BadFile *b = &bad_files[i];
    char *p = rec_path (b->name);
    g_unlink (p);
    if (b->content) {
      GString *big = g_string_new (NULL);
      while (big->len < 8192)
        g_string_append (big, b->content);
      g_assert_true (g_file_set_contents (p, big->str, big->len, NULL));
      g_string_free (big, TRUE);
    } else {
      sqlite3 *db;
      g_assert_cmpint (sqlite3_open (p, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, b->sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
    GError *e = NULL;
    UscRecord *r = usc_record_open (p, NULL, &e);
    g_assert_null (r);
    g_assert_error (e, USC_ERROR, b->code);
    g_assert_nonnull (strstr (e->message, p));
    g_clear_error (&e);
    g_free (p);
  }
}

/* A record damaged after it was opened: a lookup is an error, not a miss. */
static void
test_corrupt_pages (void)
{
  UscRecord *r = rec_open_fresh ("damaged.db", 1);
  GError *e = NULL;
  g_assert_cmpint (usc_record_begin (r, &e), ==, 0);
  for (int i = 0; i < 3000; i++) {
    char id[64];
    const char *rc[] = { "x@example.com", NULL };
    g_snprintf (id, sizeof id, "%d@damaged.example", i);
    UscSentMessage m = { id, rc, T0 + i, T0, NULL };
    g_assert_cmpint (usc_record_add (r, &m, &e), ==, 1);
  }
  g_assert_cmpint (usc_record_commit (r, &e), ==, 0);
  usc_record_close (&r);
  /* Overwrite every page after the first with garbage. */
  char *p = rec_path ("damaged.db");
  char *data;
  gsize len;
  g_assert_true (g_file_get_contents (p, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  for (gsize i = 4096; i < len; i++)
    data[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (p, data, len, NULL));
  g_free (data);
  r = usc_record_open (p, NULL, &e);
  if (r == NULL) {
    g_assert_error (e, USC_ERROR, USC_ERROR_CORRUPT);
  } else {
    int rc = usc_record_has_id (r, "5@damaged.example", &e);
    g_assert_cmpint (rc, ==, -1);
    g_assert_error (e, USC_ERROR, USC_ERROR_CORRUPT);
    usc_record_close (&r);
  }
  g_clear_error (&e);
  g_free (p);
}

/* Another process holds the lock past our busy timeout: TEMPFAIL. */
static void
test_locked (void)
{
  UscRecord *r = rec_open_fresh ("locked.db", 0.2);
  GError *e = NULL;
  const char *rc[] = { "x@example.com", NULL };
  UscSentMessage m1 = { "1@locked.example", rc, T0, T0, NULL };
  g_assert_cmpint (usc_record_add (r, &m1, &e), ==, 1);

  char *p = rec_path ("locked.db");
  sqlite3 *other;
  g_assert_cmpint (sqlite3_open (p, &other), ==, SQLITE_OK);
  /* 1. A writer holds the write lock: writes time out, WAL readers go on. */
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('x', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  UscSentMessage m2 = { "2@locked.example", rc, T0, T0, NULL };
  gint64 t0 = g_get_monotonic_time ();
  g_assert_cmpint (usc_record_add (r, &m2, &e), ==, -1);
  g_assert_error (e, USC_ERROR, USC_ERROR_TEMPFAIL);
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 150000); /* it did wait */
  g_clear_error (&e);
  g_assert_cmpint (usc_record_log_decision (r, T0, "backscatter", "dsn", &e), ==, -1);
  g_assert_error (e, USC_ERROR, USC_ERROR_TEMPFAIL);
  g_clear_error (&e);
  g_assert_cmpint (usc_record_has_id (r, "1@locked.example", &e), ==, 1);
  g_assert_no_error (e);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);

  /* 2. An exclusive lock (locking_mode = EXCLUSIVE) keeps even readers out:
   *    opening (which reads the schema) is a temporary failure. (In WAL mode
   *    a connection that is already open keeps its shared lock, so nobody
   *    can take this lock under it.) */
  usc_record_close (&r);
  g_assert_cmpint (sqlite3_exec (other, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                        "INSERT INTO meta VALUES ('y', 1); COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  UscRecordOptions o = { .busy_timeout = 0.2 };
  r = usc_record_open (p, &o, &e);
  g_assert_null (r);
  g_assert_error (e, USC_ERROR, USC_ERROR_TEMPFAIL);
  g_clear_error (&e);
  sqlite3_close (other);

  /* 3. Lock released: everything works again. */
  r = usc_record_open (p, &o, &e);
  g_assert_no_error (e);
  g_assert_cmpint (usc_record_add (r, &m2, &e), ==, 1);
  g_assert_cmpint (usc_record_has_id (r, "2@locked.example", &e), ==, 1);
  usc_record_close (&r);
  g_free (p);
}

/* A version-0 file (empty, as an older release or `touch` leaves it) is
 * migrated; opening again is a no-op. */
static void
test_migrate (void)
{
  char *p = rec_path ("v0.db");
  g_assert_true (g_file_set_contents (p, "", 0, NULL));
  GError *e = NULL;
  for (int i = 0; i < 2; i++) {
    UscRecord *r = usc_record_open (p, NULL, &e);
    g_assert_no_error (e);
    g_assert_cmpint (usc_record_count (r, &e), ==, 0);
    usc_record_close (&r);
  }
  UscRecordOptions ro = { .busy_timeout = 1, .read_only = TRUE };
  UscRecord *r = usc_record_open (p, &ro, &e);
  g_assert_no_error (e);
  g_assert_cmpint (usc_record_has_id (r, "x@y", &e), ==, 0);
  usc_record_close (&r);
  g_free (p);
}

/* ------------------------------------------------------------------------ */
/* Export and import (any backend to any other).                             */

static void
import_string (UscRecord *r, const char *text, gint64 expect_added, int expect_rc, int expect_code)
{
  FILE *f = fmemopen ((void *) text, strlen (text), "r");
  GError *e = NULL;
  UscRecordImportCounts c;
  int rc = usc_record_import (r, f, &c, &e);
  fclose (f);
  g_assert_cmpint (rc, ==, expect_rc);
  if (rc < 0) {
    g_assert_error (e, USC_ERROR, expect_code);
    g_clear_error (&e);
  } else {
    g_assert_no_error (e);
    g_assert_cmpint (c.added, ==, expect_added);
  }
}

/* A few entries of each kind, a decision log, then export -> import ->
 * export: the same text; malformed or truncated exports are refused. */
static void
fill_small (UscRecord *r)
{
  GError *e = NULL;
  const char *r1[] = { "bob@example.net", "carol@example.com", NULL };
  const char *r2[] = { "dave@example.com", NULL };
  UscSentMessage m1 = { "x1@example.org", r1, T0, T0 + 10, NULL };
  UscSentMessage m2 = { NULL, r2, T0 + D, T0 + D, "fp" };
  UscSentMessage m3 = { "x3@example.org", NULL, T0 - 300 * D, T0 + 2 * D, NULL };
  g_assert_cmpint (usc_record_add (r, &m1, &e), ==, 1);
  g_assert_cmpint (usc_record_add (r, &m2, &e), ==, 1);
  g_assert_cmpint (usc_record_add (r, &m3, &e), ==, 1);
  g_assert_cmpint (usc_record_log_decision (r, T0, "backscatter", "dsn", &e), ==, 0);
  g_assert_cmpint (usc_record_log_decision (r, T0, "backscatter", "dsn", &e), ==, 0);
  g_assert_cmpint (usc_record_log_decision (r, T0 + D, "legitimate", "autoreply", &e), ==, 0);
  UscDecision d1 = { T0 + 5, "backscatter", "dsn", "mx.example.net", NULL, "192.0.2.7", "postfix",
                     "alice@example.org", "x y@example.net", "", "100% ~forged~ -" };
  UscDecision d2 = { T0 + 3, "legitimate", "autoreply", "-", .reason = "\xc3\xa9t\xc3\xa9" };
  g_assert_cmpint (usc_record_add_decision (r, &d1, 0, &e), ==, 0);
  g_assert_cmpint (usc_record_add_decision (r, &d2, 0, &e), ==, 0);
  g_assert_no_error (e);
}

static void
check_roundtrip (UscRecord *a, UscRecord *b)
{
  char *ea = rec_export_string (a);
  import_string (b, ea, 3, 0, 0);
  char *eb = rec_export_string (b);
  g_assert_cmpstr (ea, ==, eb);
  GError *e = NULL;
  g_assert_cmpint (usc_record_has_id (b, "x1@example.org", &e), ==, 1);
  g_assert_cmpint (usc_record_has_recipient (b, "carol@example.com", T0, T0, &e), ==, 1);
  g_assert_cmpint (usc_record_has_recipient_without_id (b, "dave@example.com", T0, T0 + D, &e), ==, 1);
  g_assert_cmpint (usc_record_since (b, &e), ==, usc_record_since (a, &e));
  g_assert_no_error (e);
  /* importing again adds nothing (the decision counts do add up) */
  import_string (b, ea, 0, 0, 0);
  g_free (ea);
  g_free (eb);
}

static void
test_export_import (void)
{
  UscRecord *a = rec_open_fresh ("exp-a.db", 1);
  UscRecord *b = rec_open_fresh ("exp-b.db", 1);
  fill_small (a);
  check_roundtrip (a, b);
  usc_record_close (&b);

  static const struct { const char *text; } bad[] = {
    { "" },
    { "hello\n" },
    { "# unscatter record export 1\nsince 5\n" },                           /* no end */
    { "# unscatter record export 1\nsince 5\nentry 00000000000000zz 1 2\nend 1\n" },
    { "# unscatter record export 1\nsince 5\nentry 0000000000000001 1 2\nend 2\n" }, /* count */
    { "# unscatter record export 1\nsince 5\nend 0\nentry 0000000000000001 1 2\n" },
    { "# unscatter record export 1\nsince 5\ndecision 2023-13-01 backscatter dsn 1\nend 0\n" },
    { "# unscatter record export 1\nsince 5\nwhat 1\nend 0\n" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
    b = rec_open_fresh ("exp-bad.db", 1);
    import_string (b, bad[i].text, 0, -1, USC_ERROR_PARSE);
    GError *e = NULL;
    g_assert_cmpint (usc_record_count (b, &e), ==, 0);  /* nothing kept */
    usc_record_close (&b);
  }
  usc_record_close (&a);
}

/* The Sent folder import's state (usc-sentdir.c): directory states and the
 * seen names, byte for byte, per folder; on any backend. */
static void
run_sent_state (UscRecord *r)
{
  GError *e = NULL;
  UscRecordDirState st = { 0 };
  g_assert_cmpint (usc_record_dir_get (r, "/m/.Sent/cur", &st, &e), ==, 0);
  g_assert_no_error (e);
  static const UscRecordDirState states[] = {
    { 1, 0, 0 }, { -7, 123456789012, 1 }, { G_MAXINT64, G_MININT64, 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++) {
    g_assert_cmpint (usc_record_dir_set (r, "/m/.Sent/cur", &states[i], &e), ==, 0);
    g_assert_cmpint (usc_record_dir_get (r, "/m/.Sent/cur", &st, &e), ==, 1);
    g_assert_no_error (e);
    g_assert_cmpint (st.stamp, ==, states[i].stamp);
    g_assert_cmpint (st.cookie, ==, states[i].cookie);
    g_assert_cmpint (st.flags, ==, states[i].flags);
  }
  g_assert_cmpint (usc_record_dir_get (r, "/m/.Sent/new", &st, &e), ==, 0);
  const char *names[] = { "1700000000.M1P1.host", "1700000000.M1P1.HOST", "x", "" };
  gboolean seen[4] = { TRUE, TRUE, TRUE, TRUE };
  g_assert_cmpint (usc_record_seen_check (r, "/m/.Sent", names, 4, seen, &e), ==, 0);
  g_assert_no_error (e);
  for (int i = 0; i < 4; i++)
    g_assert_false (seen[i]);
  g_assert_cmpint (usc_record_seen_add (r, "/m/.Sent", names, 1, &e), ==, 0);
  g_assert_cmpint (usc_record_seen_add (r, "/m/.Sent", names + 2, 1, &e), ==, 0);
  g_assert_cmpint (usc_record_seen_add (r, "/m/.Sent", names, 1, &e), ==, 0); /* idempotent */
  g_assert_cmpint (usc_record_seen_check (r, "/m/.Sent", names, 4, seen, &e), ==, 0);
  g_assert_true (seen[0]);
  g_assert_false (seen[1]);  /* case matters in file names */
  g_assert_true (seen[2]);
  g_assert_false (seen[3]);
  /* another folder's names are its own */
  g_assert_cmpint (usc_record_seen_check (r, "/m/.Sent Items", names, 4, seen, &e), ==, 0);
  for (int i = 0; i < 4; i++)
    g_assert_false (seen[i]);
  g_assert_no_error (e);
  /* the record's entries are untouched */
  g_assert_cmpint (usc_record_count (r, &e), ==, 0);
}

static void
test_sent_state (void)
{
  char *p = rec_path ("sentstate.db");
  g_unlink (p);
  GError *e = NULL;
  UscRecord *r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  run_sent_state (r);
  usc_record_close (&r);
  /* kept across opens */
  r = usc_record_open (p, NULL, &e);
  UscRecordDirState st = { 0 };
  g_assert_cmpint (usc_record_dir_get (r, "/m/.Sent/cur", &st, &e), ==, 1);
  g_assert_cmpint (st.stamp, ==, G_MAXINT64);
  usc_record_close (&r);
  g_free (p);
}

/* ------------------------------------------------------------------------ */
/* The Redis backend, against the server in $USC_TEST_REDIS_URL (started by
 * tests/t/0900-redis-unit.t); without it only what needs no server runs.    */

#ifdef HAVE_HIREDIS
static UscRecord *
open_redis (const char *name, gboolean fresh, GError **error)
{
  const char *url = g_getenv ("USC_TEST_REDIS_URL");
  char *prefix = g_strdup_printf ("test:{%s-%d}:", name, (int) getpid ());
  UscRecordOptions o = {
    .busy_timeout = 1, .password_file = g_getenv ("USC_TEST_REDIS_PASSWORD_FILE"),
    .prefix = prefix, .if_exists = !fresh, .timeout_ms = 500,
  };
  UscRecord *r = usc_record_open (url, &o, error);
  g_free (prefix);
  return r;
}

static gboolean
have_server (void)
{
  if (g_getenv ("USC_TEST_REDIS_URL") == NULL) {
    g_test_skip ("no Redis server (USC_TEST_REDIS_URL; tests/t/0900-redis-unit.t starts one)");
    return FALSE;
  }
  return TRUE;
}

static void
test_redis_sent_state (void)
{
  if (!have_server ())
    return;
  GError *e = NULL;
  UscRecord *r = open_redis ("sentstate", TRUE, &e);
  g_assert_no_error (e);
  run_sent_state (r);
  usc_record_close (&r);
}

static void
test_redis_steps (void)
{
  if (!have_server ())
    return;
  gint64 saved = t0_base;
  t0_base = (usc_now () / D - 45) * D;
  GError *e = NULL;
  UscRecord *r = open_redis ("steps", TRUE, &e);
  g_assert_no_error (e);
  run_steps (r);
  usc_record_close (&r);
  t0_base = saved;
}

static void
test_redis_absent (void)
{
  if (!have_server ())
    return;
  GError *e = NULL;
  /* opened "if it exists": nothing there, nothing created */
  g_assert_null (open_redis ("absent", FALSE, &e));
  g_assert_no_error (e);
  g_assert_null (open_redis ("absent", FALSE, &e));
  g_assert_no_error (e);
  UscRecord *r = open_redis ("absent", TRUE, &e);
  g_assert_no_error (e);
  g_assert_cmpint (usc_record_count (r, &e), ==, 0);
  usc_record_close (&r);
  r = open_redis ("absent", FALSE, &e);
  g_assert_no_error (e);
  g_assert_nonnull (r);
  usc_record_close (&r);
}

static void
test_redis_decisions (void)
{
  if (!have_server ())
    return;
  GError *e = NULL;
  UscRecord *r = open_redis ("decisions", TRUE, &e);
  g_assert_no_error (e);
  gint64 now = usc_now ();
  g_assert_cmpint (usc_record_log_decision (r, now, "backscatter", "dsn", &e), ==, 0);
  g_assert_cmpint (usc_record_log_decision (r, now, "backscatter", "dsn", &e), ==, 0);
  g_assert_cmpint (usc_record_log_decision (r, now - D, "unknown", "autoreply", &e), ==, 0);
  g_assert_cmpint (usc_record_log_decision (r, now, "legitimate", "dsn", &e), ==, 0);
  GString *s = g_string_new (NULL);
  g_assert_cmpint (usc_record_stats (r, now - D, rec_stats_line, s, &e), ==, 0);
  g_assert_no_error (e);
  GDateTime *t = g_date_time_new_from_unix_utc (now), *y = g_date_time_add_days (t, -1);
  char *ds = g_date_time_format (t, "%Y-%m-%d"), *dy = g_date_time_format (y, "%Y-%m-%d");
  char *want = g_strdup_printf ("%s unknown autoreply 1\n%s backscatter dsn 2\n%s legitimate dsn 1\n",
                                dy, ds, ds);
  g_assert_cmpstr (s->str, ==, want);
  g_string_truncate (s, 0);
  g_assert_cmpint (usc_record_stats (r, now, rec_stats_line, s, &e), ==, 0);
  g_assert_true (g_str_has_prefix (s->str, ds));
  g_free (want);
  g_free (ds);
  g_free (dy);
  g_date_time_unref (t);
  g_date_time_unref (y);
  g_string_free (s, TRUE);
  usc_record_close (&r);
}

/* The decision log of `unscatter report` (a stream), the same steps as for
 * SQLite; the times printed are relative to T0. */
static void
test_redis_decision_log (void)
{
  if (!have_server ())
    return;
  gint64 saved = t0_base;
  t0_base = 0;
  GError *e = NULL;
  UscRecord *r = open_redis ("dlog", TRUE, &e);
  g_assert_no_error (e);
  run_decision_log (r, dlog_rows, G_N_ELEMENTS (dlog_rows));
  t0_base = saved;
}

static void
test_redis_export_import (void)
{
  if (!have_server ())
    return;
  gint64 saved = t0_base;
  t0_base = (usc_now () / D - 45) * D;
  GError *e = NULL;
  UscRecord *a = rec_open_fresh ("exp-r.db", 1);
  UscRecord *b = open_redis ("export", TRUE, &e);
  g_assert_no_error (e);
  UscRecord *c = rec_open_fresh ("exp-r2.db", 1);
  fill_small (a);
  check_roundtrip (a, b);   /* SQLite -> Redis */
  char *ea = rec_export_string (a);
  char *eb = rec_export_string (b);
  import_string (c, eb, 3, 0, 0);  /* Redis -> SQLite */
  g_free (eb);
  char *ec = rec_export_string (c);
  /* the decisions were imported twice into b: compare the entries only */
  *strstr (ea, "decision") = '\0';
  *strstr (ec, "decision") = '\0';
  g_assert_cmpstr (ea, ==, ec);
  g_free (ea);
  g_free (ec);
  usc_record_close (&a);
  usc_record_close (&b);
  usc_record_close (&c);
  t0_base = saved;
}

static void
test_redis_wrong_password (void)
{
  if (!have_server () || g_getenv ("USC_TEST_REDIS_PASSWORD_FILE") == NULL)
    return;
  char *pw = rec_path ("wrong-pw");
  g_assert_true (g_file_set_contents (pw, "not-the-password\n", -1, NULL));
  g_chmod (pw, 0600);
  UscRecordOptions o = { .password_file = pw, .prefix = "test:{pw}:", .timeout_ms = 500 };
  GError *e = NULL;
  g_assert_null (usc_record_open (g_getenv ("USC_TEST_REDIS_URL"), &o, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_assert_nonnull (strstr (e->message, "WRONGPASS"));
  g_clear_error (&e);
  /* no password at all */
  o.password_file = NULL;
  g_assert_null (usc_record_open (g_getenv ("USC_TEST_REDIS_URL"), &o, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_assert_nonnull (strstr (e->message, "password_file"));
  g_clear_error (&e);
  /* a password file others can read */
  g_chmod (pw, 0644);
  o.password_file = pw;
  g_assert_null (usc_record_open (g_getenv ("USC_TEST_REDIS_URL"), &o, &e));
  g_assert_error (e, USC_ERROR, USC_ERROR_UNSAFE);
  g_clear_error (&e);
  g_free (pw);
}
#endif

/* Failures that need no server: each an error, never "not found". */
static void
test_redis_unreachable (void)
{
  static const struct { const char *url; int code; } cases[] = {
    { "unix:/nonexistent/redis.sock", USC_ERROR_TEMPFAIL },
    { "redis://127.0.0.1:1/0", USC_ERROR_TEMPFAIL },
    { "redis-cluster://127.0.0.1:1,127.0.0.1:2", USC_ERROR_TEMPFAIL },
    { "rediss://127.0.0.1:6379", USC_ERROR_CONFIG },
    { "redis://user:pw@127.0.0.1:6379", USC_ERROR_CONFIG },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    UscRecordOptions o = { .timeout_ms = 100, .prefix = "t:{u}:" };
    GError *e = NULL;
    g_assert_null (usc_record_open (cases[i].url, &o, &e));
#ifdef HAVE_HIREDIS
    g_assert_error (e, USC_ERROR, cases[i].code);
#else
    g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
#endif
    g_clear_error (&e);
    o.if_exists = TRUE;  /* "if it exists" cannot mean "absent" when the server is not there */
    g_assert_null (usc_record_open (cases[i].url, &o, &e));
    g_assert_nonnull (e);
    g_clear_error (&e);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  rec_fixture_init ("test-record-XXXXXX");
  g_test_add_func ("/record/steps", test_steps);
  g_test_add_func ("/record/nothing-to-record", test_nothing_to_record);
  g_test_add_func ("/record/transaction", test_transaction);
  g_test_add_func ("/record/decisions", test_decisions);
  g_test_add_func ("/record/modes", test_modes);
  g_test_add_func ("/record/bad-files", test_bad_files);
  g_test_add_func ("/record/corrupt-pages", test_corrupt_pages);
  g_test_add_func ("/record/locked", test_locked);
  g_test_add_func ("/record/migrate", test_migrate);
  g_test_add_func ("/record/export-import", test_export_import);
  g_test_add_func ("/record/redis/unreachable", test_redis_unreachable);
#ifdef HAVE_HIREDIS
  g_test_add_func ("/record/redis/steps", test_redis_steps);
  g_test_add_func ("/record/redis/sent-state", test_redis_sent_state);
  g_test_add_func ("/record/redis/absent", test_redis_absent);
  g_test_add_func ("/record/redis/decisions", test_redis_decisions);
  g_test_add_func ("/record/redis/export-import", test_redis_export_import);
  g_test_add_func ("/record/redis/decision-log", test_redis_decision_log);
  g_test_add_func ("/record/redis/wrong-password", test_redis_wrong_password);
#endif
  g_test_add_func ("/record/decision-log", test_decision_log);
  g_test_add_func ("/record/migrate-v1", test_migrate_v1);
  g_test_add_func ("/record/sent-state", test_sent_state);
  return rec_fixture_done (g_test_run ());
}
