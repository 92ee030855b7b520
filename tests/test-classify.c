/* test-classify.c — unit tests for usc-classify (GTest, table-driven): the
 * pipeline on hand-written messages for a user given by home directory
 * (defaults resolved under it, not from the process's XDG variables), with
 * no record, an empty one and one holding the original; the decision count;
 * the log summary; the record named once in an error; the fields offset.
 */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <string.h>
#include "usc-classify.h"
#include "usc-sent.h"

static char *home;

#define SENT \
  "Message-ID: <orig-1@me.example>\nFrom: me@me.example\nTo: bob@example.net\n" \
  "Date: Mon, 01 Jan 2024 10:00:00 +0000\nSubject: hello\n\nhi\n"

#define DSN(ID) \
  "From: MAILER-DAEMON@mx.example.net\nTo: me@me.example\nSubject: Undelivered Mail Returned to Sender\n" \
  "Date: Mon, 01 Jan 2024 10:05:00 +0000\nMessage-ID: <dsn-" ID "@mx.example.net>\nMIME-Version: 1.0\n" \
  "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n" \
  "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" \
  "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" \
  "Final-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\n\n" \
  "--b\nContent-Type: message/rfc822\n\nMessage-ID: <" ID ">\nFrom: me@me.example\nTo: bob@example.net\n" \
  "Date: Mon, 01 Jan 2024 10:00:00 +0000\nSubject: hello\n\nhi\n--b--\n"

#define HAM "From: bob@example.net\nTo: me@me.example\nSubject: lunch\nMessage-ID: <ham@example.net>\n\nsee you\n"

typedef enum { REC_NONE, REC_EMPTY, REC_ORIGINAL } RecState;

typedef struct {
  const char     *name;
  const char     *message;
  RecState        record;
  UscVerdictKind  verdict;
  UscKind         kind;
  const char     *summary;  /* prefix of usc_result_summary() */
  gboolean        counted;  /* a decision lands in the record */
} Case;

static const Case cases[] = {
  { "ham-no-record", HAM, REC_NONE, USC_VERDICT_NOT_BOUNCE, USC_KIND_NOT_BOUNCE,
    "verdict=not-bounce kind=not-bounce id=- action=deliver", FALSE },
  { "ham-with-record", HAM, REC_ORIGINAL, USC_VERDICT_NOT_BOUNCE, USC_KIND_NOT_BOUNCE,
    "verdict=not-bounce kind=not-bounce id=- action=deliver", TRUE },
  { "dsn-no-record", DSN ("orig-1@me.example"), REC_NONE, USC_VERDICT_UNKNOWN, USC_KIND_DSN,
    "verdict=unknown kind=dsn id=orig-1@me.example action=deliver", FALSE },
  { "dsn-empty-record", DSN ("orig-1@me.example"), REC_EMPTY, USC_VERDICT_UNKNOWN, USC_KIND_DSN,
    "verdict=unknown kind=dsn id=orig-1@me.example", TRUE },
  { "dsn-genuine", DSN ("orig-1@me.example"), REC_ORIGINAL, USC_VERDICT_LEGITIMATE, USC_KIND_DSN,
    "verdict=legitimate kind=dsn id=orig-1@me.example action=deliver", TRUE },
  { "dsn-forged", DSN ("forged-9@me.example"), REC_ORIGINAL, USC_VERDICT_BACKSCATTER, USC_KIND_DSN,
    "verdict=backscatter kind=dsn id=forged-9@me.example action=file", TRUE },
};

static char *
record_path (void)
{
  return g_build_filename (home, ".local", "share", "unscatter", "record.db", NULL);
}

static void
prepare_record (RecState st)
{
  char *path = record_path ();
  g_unlink (path);
  if (st != REC_NONE) {
    UscContext *ctx = usc_context_new (home, NULL, NULL, NULL);
    g_assert_nonnull (ctx);
    GError *error = NULL;
    UscRecord *rec = usc_context_record (ctx, TRUE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (rec);
    if (st == REC_ORIGINAL) {
      UscSentCounts counts = { 0 };
      g_assert_cmpint (usc_sent_record_message (rec, SENT, strlen (SENT), NULL, 0, &counts, &error), ==, 1);
      g_assert_no_error (error);
    }
    usc_context_free (&ctx);
  }
  g_free (path);
}

static void
add_count (const char *day G_GNUC_UNUSED, const char *verdict G_GNUC_UNUSED,
           const char *kind G_GNUC_UNUSED, gint64 count, gpointer user_data)
{
  *(gint64 *) user_data += count;
}

/* Decisions counted in the user's record; -1 when there is no record. */
static gint64
decisions (void)
{
  char *path = record_path ();
  gint64 n = -1;
  if (g_file_test (path, G_FILE_TEST_EXISTS)) {
    UscRecord *rec = usc_record_open (path, NULL, NULL);
    g_assert_nonnull (rec);
    n = 0;
    g_assert_cmpint (usc_record_stats (rec, 0, add_count, &n, NULL), ==, 0);
    usc_record_close (&rec);
  }
  g_free (path);
  return n;
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  prepare_record (c->record);
  gint64 before = decisions ();
  GError *error = NULL;
  UscContext *ctx = usc_context_new (home, NULL, NULL, &error);
  g_assert_no_error (error);
  char *expect_path = record_path ();
  g_assert_cmpstr (usc_context_record_path (ctx), ==, expect_path);
  g_free (expect_path);

  UscMessage *msg = usc_message_new_from_data (c->message, strlen (c->message), NULL, &error);
  g_assert_no_error (error);
  UscResult r;
  g_assert_true (usc_classify (ctx, msg, "me@me.example", "", &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.verdict->verdict, ==, c->verdict);
  g_assert_cmpint (r.bounce->kind, ==, c->kind);
  char *sum = usc_result_summary (&r);
  g_assert_true (g_str_has_prefix (sum, c->summary));
  g_free (sum);
  GBytes *fields = usc_result_header_fields (&r, msg);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (fields, NULL), "X-Unscatter-Verdict: "));
  g_bytes_unref (fields);

  g_assert_true (usc_context_count_decision (ctx, &r, &error));
  g_assert_no_error (error);
  usc_result_clear (&r);
  usc_message_free (&msg);
  usc_context_free (&ctx);
  gint64 after = decisions ();
  if (c->record == REC_NONE)
    g_assert_cmpint (after, ==, -1);   /* counting never creates a record */
  else
    g_assert_cmpint (after, ==, before + (c->counted ? 1 : 0));
}

/* The config is the user's (under @home), and "~/" in it means @home. */
static void
test_home_config (void)
{
  char *dir = g_build_filename (home, ".config", "unscatter", NULL);
  g_mkdir_with_parents (dir, 0700);
  char *conf = g_build_filename (dir, "config", NULL);
  g_assert_true (g_file_set_contents (conf, "[record]\npath = ~/elsewhere.db\n[actions]\nfolder = Junk\n", -1, NULL));
  GError *error = NULL;
  UscContext *ctx = usc_context_new (home, NULL, NULL, &error);
  g_assert_no_error (error);
  char *want = g_build_filename (home, "elsewhere.db", NULL);
  g_assert_cmpstr (usc_context_record_path (ctx), ==, want);
  g_assert_cmpstr (usc_context_config (ctx)->folder, ==, "Junk");
  usc_context_free (&ctx);
  /* An explicit record path wins over the config's. */
  ctx = usc_context_new (home, NULL, "/nonexistent/x.db", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (usc_context_record_path (ctx), ==, "/nonexistent/x.db");
  usc_context_free (&ctx);
  /* A broken config is an error, not a default. */
  g_assert_true (g_file_set_contents (conf, "[record]\nno_such_key = 1\n", -1, NULL));
  ctx = usc_context_new (home, NULL, NULL, &error);
  g_assert_null (ctx);
  g_assert_error (error, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&error);
  g_unlink (conf);
  g_free (want);
  g_free (conf);
  g_free (dir);
}

/* A record that cannot be opened: the bounce is a temporary failure, and the
 * error names the path once (issue 7). */
static void
test_record_error_names_path_once (void)
{
  char *path = g_build_filename (home, "record-is-a-dir", NULL);
  g_mkdir_with_parents (path, 0700);
  GError *error = NULL;
  UscContext *ctx = usc_context_new (home, NULL, path, &error);
  g_assert_no_error (error);
  const char *dsn = DSN ("orig-1@me.example");
  UscMessage *msg = usc_message_new_from_data (dsn, strlen (dsn), NULL, &error);
  UscResult r;
  g_assert_false (usc_classify (ctx, msg, NULL, NULL, &r, &error));
  g_assert_nonnull (error);
  g_assert_false (usc_error_is_unjudgeable (error));
  g_assert_null (r.verdict);
  const char *first = strstr (error->message, path);
  g_assert_nonnull (first);
  g_assert_null (strstr (first + strlen (path), path));
  g_assert_true (g_str_has_prefix (error->message, "record "));
  g_clear_error (&error);
  usc_message_free (&msg);
  usc_context_free (&ctx);
  g_rmdir (path);
  g_free (path);
}

/* The Message-ID in the log line is attacker-controlled. */
static void
test_summary_escapes (void)
{
  UscBounce b = { 0 };
  b.kind = USC_KIND_DSN;
  b.message_ids = g_ptr_array_new ();
  GString *id = g_string_new ("a\nb\033c d");
  for (int i = 0; i < 300; i++)
    g_string_append_c (id, 'x');
  g_ptr_array_add (b.message_ids, id->str);
  UscVerdict v = { 0 };
  v.verdict = USC_VERDICT_BACKSCATTER;
  v.action = USC_ACTION_FILE;
  UscResult r = { .bounce = &b, .verdict = &v };
  char *s = usc_result_summary (&r);
  g_assert_true (g_str_has_prefix (s, "verdict=backscatter kind=dsn id=a?b?c?dxxx"));
  g_assert_true (g_str_has_suffix (s, "x action=file"));
  g_assert_cmpuint (strlen (s), <, 260);
  for (const char *p = s; *p; p++)
    g_assert_true (*p >= 0x20 && *p < 0x7f);
  g_free (s);
  g_string_free (id, TRUE);
  g_ptr_array_free (b.message_ids, TRUE);
}

static const struct {
  const char *in;
  gsize       from_end, fields_at;
} offsets[] = {
  { "Subject: x\n\nb", 0, 0 },
  { "From a@b Mon\nSubject: x\n", 13, 13 },
  { "From a@b Mon\r\nSubject: x\r\n", 14, 14 },
  { " cont\nSubject: x\n", 0, 6 },
  { "From a@b\n \tc1\r\n c2\rSubject: x\n", 9, 19 },
  { "From a@b", 8, 8 },
  { "Fro", 0, 0 },
  { "\tonly", 0, 5 },
};

static void
test_fields_offset (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (offsets); i++) {
    gsize n = strlen (offsets[i].in);
    g_assert_cmpuint (usc_mbox_from_end (offsets[i].in, n), ==, offsets[i].from_end);
    g_assert_cmpuint (usc_message_fields_offset (offsets[i].in, n), ==, offsets[i].fields_at);
  }
}

/* usc_mbox_next: where each message of an mbox starts. */
static const struct {
  const char *in;
  gsize       starts[4];  /* every message's offset, then the length */
} mboxes[] = {
  { "From a\nx\n\nFrom b\ny\n", { 0, 10, 19 } },
  { "From a\r\nx\r\n\r\nFrom b\r\ny\r\n", { 0, 13, 24 } },
  { "From a\nx\nFrom b\n", { 0, 16 } },                 /* no empty line before: one message */
  { "From a\n\n>From b\n\nFrom c\n", { 0, 17, 24 } }, /* a quoted From is no start */
  { "From a\n\nFrom ", { 0, 8, 13 } },
  { "From a\n\nFro", { 0, 11 } },
  { "From a\n\n", { 0, 8 } },
  { "From a", { 0, 6 } },
};

static void
test_mbox_next (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mboxes); i++) {
    const char *in = mboxes[i].in;
    gsize n = strlen (in), at = 0;
    for (guint k = 1; k < G_N_ELEMENTS (mboxes[i].starts); k++) {
      gsize next = usc_mbox_next (in, n, at);
      g_assert_cmpuint (next, ==, mboxes[i].starts[k]);
      if (next == n)
        break;
      at = next;
    }
  }
  g_assert_cmpuint (usc_mbox_next ("From a\n", 7, 7), ==, 7);
}

static void
rm_rf (const char *path)
{
  GDir *d = g_file_test (path, G_FILE_TEST_IS_SYMLINK) ? NULL : g_dir_open (path, 0, NULL);
  if (d) {
    const char *n;
    while ((n = g_dir_read_name (d))) {
      char *p = g_build_filename (path, n, NULL);
      rm_rf (p);
      g_free (p);
    }
    g_dir_close (d);
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  home = g_dir_make_tmp ("usc-classify-XXXXXX", NULL);
  /* The process's own XDG places must not be used for @home. */
  g_setenv ("XDG_CONFIG_HOME", "/nonexistent/xdg-config", TRUE);
  g_setenv ("XDG_DATA_HOME", "/nonexistent/xdg-data", TRUE);
  g_setenv ("UNSCATTER_DB", "/nonexistent/env.db", TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *name = g_strdup_printf ("/classify/%s", cases[i].name);
    g_test_add_data_func (name, &cases[i], test_case);
    g_free (name);
  }
  g_test_add_func ("/classify/home-config", test_home_config);
  g_test_add_func ("/classify/record-error-names-path-once", test_record_error_names_path_once);
  g_test_add_func ("/classify/summary-escapes", test_summary_escapes);
  g_test_add_func ("/classify/fields-offset", test_fields_offset);
  g_test_add_func ("/classify/mbox-next", test_mbox_next);
  int rc = g_test_run ();
  rm_rf (home);
  g_mime_shutdown ();
  return rc;
}
