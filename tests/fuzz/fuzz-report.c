/* fuzz-report.c — libFuzzer harness: what `unscatter report` reads and
 * writes. An empty SQLite record (in a temporary directory, on /dev/shm when
 * there is one) is filled from the input, reported on (usc_report_new,
 * usc_report_add_record, usc_report_finish) and rendered (usc_report_text,
 * usc_report_json, usc_report_html).
 *
 * Input: an export file (`unscatter record --export`, read with
 * usc_record_import: "dlog" lines put decision fields into the record
 * without the cleaning usc_record_add_decision does, as a record moved from
 * another backend or written by another version could hold them), then,
 * after a NUL byte, decisions as delivery records them
 * (usc_record_add_decision), one a line, fields separated by '|': time,
 * verdict, kind, reporting MTA, relay host, relay IP, MTA family, forged
 * sender, recipient, payload, reason ("~" for NULL). Times are taken modulo
 * 40 days from 2024-01-01: a decision's time is the delivering host's
 * clock, not the sender's (and the report's day list is bounded anyway).
 *
 * Asserted: the counts add up (every decision of the second part is counted
 * once under its verdict, the top lists are sorted, at most top_n long, and
 * count nothing that was not there); the text is valid UTF-8 with no control
 * character but LF, no DEL, C1 control or bidirectional override; the JSON is
 * one valid JSON value; the HTML is valid UTF-8 without control characters
 * and every '<' in it opens a tag the page itself uses (nothing from the
 * record opens an element or a comment).
 */
#include "fuzz-common.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "fuzz-json.h"
#include "usc-record.h"
#include "usc-report.h"

int FUZZ_ENTRY (report) (const uint8_t *data, size_t size);

#define T0 G_GINT64_CONSTANT (1704067200)   /* 2024-01-01 */
#define SPAN (40 * 86400)

static char *fuzz_report_dir;
static GHashTable *fuzz_report_tags;   /* tag names the page uses */

/* The longest tag name the check looks up: every name the page itself uses
 * is shorter (collect_tags asserts it), so a longer one is not among them. */
#define TAG_MAX 32

/* Tag names after each '<' of @html (lower-case; "/x" counted as "x"). */
static void
collect_tags (const char *html, GHashTable *into)
{
  for (const char *p = strchr (html, '<'); p; p = strchr (p + 1, '<')) {
    const char *q = p + 1;
    if (*q == '/')
      q++;
    gsize n = 0;
    while (g_ascii_isalnum (q[n]) || q[n] == '-')
      n++;
    FUZZ_ASSERT (n < TAG_MAX);
    if (n)
      g_hash_table_add (into, g_ascii_strdown (q, n));
  }
}

/* Whether the @n bytes at @q, lower-cased, name a tag of the page: looked up
 * from a buffer on the stack (the page has about 230 tags: a copy each was
 * as many allocations an execution, dear under ASan). */
static gboolean
tag_known (const char *q, gsize n)
{
  char tag[TAG_MAX];
  if (n >= TAG_MAX)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    tag[i] = g_ascii_tolower (q[i]);
  tag[n] = '\0';
  return g_hash_table_contains (fuzz_report_tags, tag);
}

static void
check_html (const char *html)
{
  FUZZ_ASSERT (g_utf8_validate (html, -1, NULL));
  for (const char *p = html; *p; p++)
    FUZZ_ASSERT ((guchar) *p >= 0x20 || *p == '\n' || *p == '\t');
  for (const char *p = strchr (html, '<'); p; p = strchr (p + 1, '<')) {
    const char *q = p + 1;
    if (*q == '!' && (strncmp (q, "!DOCTYPE", 8) == 0 || strncmp (q, "!doctype", 8) == 0))
      continue;
    if (*q == '/')
      q++;
    gsize n = 0;
    while (g_ascii_isalnum (q[n]) || q[n] == '-')
      n++;
    FUZZ_ASSERT (n > 0);
    FUZZ_ASSERT (tag_known (q, n));
  }
}

static void
check_text (const char *text)
{
  FUZZ_ASSERT (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    FUZZ_ASSERT (c == '\n' || (c >= 0x20 && c != 0x7f));
    FUZZ_ASSERT (!(c >= 0x80 && c <= 0x9f));
    FUZZ_ASSERT (!(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069));
  }
}

static void
check_list (const GPtrArray *l, guint top_n, gint64 most)
{
  if (l == NULL)
    return;
  FUZZ_ASSERT (l->len <= top_n);
  for (guint i = 0; i < l->len; i++) {
    const UscReportCount *c = l->pdata[i];
    FUZZ_ASSERT (c->name != NULL && c->count > 0 && c->count <= most);
    if (i > 0)
      FUZZ_ASSERT (((const UscReportCount *) l->pdata[i - 1])->count >= c->count);
  }
}

static const char *
field (char **f, guint n, guint i)
{
  return i < n && strcmp (f[i], "~") != 0 ? f[i] : NULL;
}

/* The record: made once (on /dev/shm when there is one), emptied before
 * each use through a second connection of our own (opening a new record
 * costs ~10 ms: the schema's creation). The tables are those of
 * usc-record-sqlite.c's migrations. The emptying is one transaction on a
 * connection without fsync (synchronous = OFF: it needs no durability): as
 * eight autocommits at the default FULL it was 16 WAL syncs and ~130 lock
 * calls an execution. Its statements are prepared once (sqlite3_exec parsed
 * the nine of them at each of the two resets of an execution: a tenth of
 * the harness's instructions), and it is left out when nothing was
 * committed since the last one (PRAGMA data_version on this connection
 * changes exactly when another connection, the library's, commits): the
 * record is still empty then. The library's own connection is left as it
 * is. */
static UscRecord *fuzz_report_record;
static sqlite3 *fuzz_report_db;
static const char *const reset_sql[] = {
  "BEGIN IMMEDIATE", "DELETE FROM sent", "DELETE FROM rcpt", "DELETE FROM decisions",
  "DELETE FROM decision_log", "DELETE FROM sentdir", "DELETE FROM sentseen",
  "DELETE FROM meta WHERE key NOT IN ('count', 'decision_log_count')", "UPDATE meta SET value = 0",
  "COMMIT",
};
static sqlite3_stmt *fuzz_report_reset[G_N_ELEMENTS (reset_sql)];
static sqlite3_stmt *fuzz_report_version;
static gint64 fuzz_report_clean = -1;   /* data_version after our last emptying */

static void
fuzz_report_cleanup (void)
{
  static const char *const names[] = { "record.db", "record.db-wal", "record.db-shm", "record.db-journal" };
  usc_record_close (&fuzz_report_record);
  for (guint i = 0; i < G_N_ELEMENTS (fuzz_report_reset); i++)
    sqlite3_finalize (fuzz_report_reset[i]);
  sqlite3_finalize (fuzz_report_version);
  sqlite3_close (fuzz_report_db);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    char *p = g_build_filename (fuzz_report_dir, names[i], NULL);
    g_unlink (p);
    g_free (p);
  }
  g_rmdir (fuzz_report_dir);
}

static gint64
data_version (void)
{
  FUZZ_ASSERT (sqlite3_step (fuzz_report_version) == SQLITE_ROW);
  gint64 v = sqlite3_column_int64 (fuzz_report_version, 0);
  sqlite3_reset (fuzz_report_version);
  return v;
}

static UscRecord *
fresh_record (void)
{
  if (fuzz_report_record == NULL) {
    const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0
                       ? "/dev/shm" : g_get_tmp_dir ();
    char *tmpl = g_build_filename (base, "fuzz-report-XXXXXX", NULL);
    fuzz_report_dir = g_mkdtemp (tmpl);
    FUZZ_ASSERT (fuzz_report_dir != NULL);
    char *path = g_build_filename (fuzz_report_dir, "record.db", NULL);
    GError *error = NULL;
    fuzz_report_record = usc_record_open (path, NULL, &error);
    FUZZ_ASSERT (fuzz_report_record != NULL);
    FUZZ_ASSERT (sqlite3_open (path, &fuzz_report_db) == SQLITE_OK);
    FUZZ_ASSERT (sqlite3_exec (fuzz_report_db, "PRAGMA synchronous = OFF", NULL, NULL, NULL) == SQLITE_OK);
    for (guint i = 0; i < G_N_ELEMENTS (reset_sql); i++)
      FUZZ_ASSERT (sqlite3_prepare_v2 (fuzz_report_db, reset_sql[i], -1, &fuzz_report_reset[i], NULL)
                   == SQLITE_OK);
    FUZZ_ASSERT (sqlite3_prepare_v2 (fuzz_report_db, "PRAGMA data_version", -1, &fuzz_report_version, NULL)
                 == SQLITE_OK);
    g_free (path);
    atexit (fuzz_report_cleanup);
  }
  if (data_version () != fuzz_report_clean) {
    for (guint i = 0; i < G_N_ELEMENTS (fuzz_report_reset); i++) {
      FUZZ_ASSERT (sqlite3_step (fuzz_report_reset[i]) == SQLITE_DONE);
      sqlite3_reset (fuzz_report_reset[i]);
    }
    fuzz_report_clean = data_version ();
  }
  return fuzz_report_record;
}

static void
init_tags (void)
{
  if (fuzz_report_tags)
    return;
  /* The page's own tags: a report over one decision of each verdict. */
  fuzz_report_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  UscRecord *rec = fresh_record ();
  static const char *const verdicts[] = { "backscatter", "legitimate", "unknown" };
  for (guint i = 0; i < G_N_ELEMENTS (verdicts); i++) {
    UscDecision d = { .time = T0 + i * 86400, .verdict = verdicts[i], .kind = "dsn",
                      .reporting_mta = "mx.example.net", .relay_host = "relay.example.net",
                      .relay_ip = "192.0.2.1", .mta_family = "postfix", .forged_sender = "a@example.org",
                      .recipient = "b@example.net", .payload = "application/zip", .reason = "no record" };
    FUZZ_ASSERT (usc_record_add_decision (rec, &d, 0, NULL) == 0);
  }
  UscReport *r = usc_report_new (G_MININT64, T0 + SPAN, 3);
  FUZZ_ASSERT (usc_report_add_record (r, rec, "user", NULL) == 0);
  usc_report_finish (r);
  char *html = usc_report_html (r);
  collect_tags (html, fuzz_report_tags);
  g_free (html);
  usc_report_free (&r);
}

int
FUZZ_ENTRY (report) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  init_tags ();
  UscRecord *rec = fresh_record ();
  GError *error = NULL;

  const uint8_t *nul = memchr (data, '\0', size);
  gsize export_len = nul ? (gsize) (nul - data) : size;
  if (export_len > 0) {
    FILE *in = fmemopen ((void *) data, export_len, "r");
    FUZZ_ASSERT (in != NULL);
    (void) usc_record_import (rec, in, NULL, &error);
    g_clear_error (&error);
    fclose (in);
  }
  /* The report over the import alone (what it holds is unknown here), over
   * the 40 days before now as `unscatter report --since 40d` would (an
   * open period would render up to its cap of 36,600 days: slow, not wrong) */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  UscReport *r0 = usc_report_new (now - SPAN, now + 86400, 3);
  if (usc_report_add_record (r0, rec, "import", &error) == 0) {
    usc_report_finish (r0);
    char *t = usc_report_text (r0), *j = usc_report_json (r0), *h = usc_report_html (r0);
    check_text (t);
    FUZZ_ASSERT (fuzz_json_valid (j));
    check_html (h);
    g_free (t);
    g_free (j);
    g_free (h);
  }
  g_clear_error (&error);
  usc_report_free (&r0);

  /* The decisions as delivery records them, in a record of their own. */
  rec = fresh_record ();
  gint64 want[3] = { 0, 0, 0 }, total = 0;
  if (nul) {
    char *rest = g_strndup ((const char *) nul + 1, size - export_len - 1);
    char **lines = g_strsplit (rest, "\n", 500);
    for (char **l = lines; *l; l++) {
      char **f = g_strsplit (*l, "|", 12);
      guint n = g_strv_length (f);
      gint64 t = n ? g_ascii_strtoll (f[0], NULL, 10) : 0;
      t = T0 + (t % SPAN + SPAN) % SPAN;
      UscDecision d = { .time = t, .verdict = field (f, n, 1), .kind = field (f, n, 2),
                        .reporting_mta = field (f, n, 3), .relay_host = field (f, n, 4),
                        .relay_ip = field (f, n, 5), .mta_family = field (f, n, 6),
                        .forged_sender = field (f, n, 7), .recipient = field (f, n, 8),
                        .payload = field (f, n, 9), .reason = field (f, n, 10) };
      FUZZ_ASSERT (usc_record_add_decision (rec, &d, 0, &error) == 0);
      if (g_strcmp0 (d.kind, "not-bounce") != 0) {
        const char *v = d.verdict ? d.verdict : "";
        want[strcmp (v, "backscatter") == 0 ? 0 : strcmp (v, "legitimate") == 0 ? 1 : 2]++;
        total++;
      }
      g_strfreev (f);
    }
    g_strfreev (lines);
    g_free (rest);
  }
  guint top_n = size > 0 ? 1 + data[size - 1] % 5 : 3;
  UscReport *r = usc_report_new (G_MININT64, T0 + SPAN, top_n);
  FUZZ_ASSERT (usc_report_add_record (r, rec, size > 1 && data[0] == '<' ? "<b>&amp;\x1b[31m" : "user", &error) == 0);
  usc_report_finish (r);
  FUZZ_ASSERT (r->backscatter == want[0] && r->legitimate == want[1] && r->unknown == want[2]);
  gint64 days = 0;
  for (guint i = 0; i < r->days->len; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    days += d->backscatter + d->legitimate + d->unknown;
  }
  FUZZ_ASSERT (days == total);
  FUZZ_ASSERT (r->kept_total == want[1] && r->kept->len <= top_n);
  const GPtrArray *lists[] = { r->top_servers, r->top_reporting_mta, r->top_mta, r->top_countries,
                               r->forged_senders, r->recipients, r->kinds, r->payloads };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    check_list (lists[i], top_n, want[0]);
  char *t = usc_report_text (r), *j = usc_report_json (r), *h = usc_report_html (r);
  check_text (t);
  FUZZ_ASSERT (fuzz_json_valid (j));
  check_html (h);
  g_free (t);
  g_free (j);
  g_free (h);
  usc_report_free (&r);
  return 0;
}
