/* test-report.c — usc-report: aggregation over records (merged, period,
 * days, ties, top-N cut, the kept list), and each renderer's escaping of
 * text from messages. */
#include "config.h"
#include "usc-report.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1709683200 /* 2024-03-06 00:00 UTC */
#define D 86400

static char *tmpdir;

typedef struct {
  gint64 at;
  const char *verdict, *host, *ip, *family, *mta;
} Row;

static UscRecord *
record_with (const char *name, const Row *rows, gsize n)
{
  char *p = g_build_filename (tmpdir, name, NULL);
  GError *e = NULL;
  UscRecord *r = usc_record_open (p, NULL, &e);
  g_assert_no_error (e);
  for (gsize i = 0; i < n; i++) {
    UscDecision d = { .time = T0 + rows[i].at, .verdict = rows[i].verdict, .kind = "dsn",
                      .relay_host = rows[i].host, .relay_ip = rows[i].ip, .mta_family = rows[i].family,
                      .reporting_mta = rows[i].mta, .forged_sender = "alice@example.org",
                      .recipient = "x@example.net", .reason = "why" };
    g_assert_cmpint (usc_record_add_decision (r, &d, 0, &e), ==, 0);
  }
  g_free (p);
  return r;
}

static const Row rows_a[] = {
  { 10, "backscatter", "b.example.net", "198.51.100.2", "exim", "m1" },
  { 20, "backscatter", "a.example.net", "198.51.100.1", "postfix", "m1" },
  { 30, "backscatter", "a.example.net", "198.51.100.1", "postfix", NULL },
  { D + 5, "legitimate", "k.example.net", NULL, "postfix", "m2" },
  { D + 6, "unknown", NULL, NULL, NULL, NULL },
  { 3 * D, "backscatter", NULL, "203.0.113.9", NULL, NULL },   /* outside the period below */
  { -D, "backscatter", "old.example.net", NULL, NULL, NULL },  /* before it */
};
static const Row rows_b[] = {
  { 40, "backscatter", "c.example.net", NULL, "qmail", "m3" },
  { 2 * D, "backscatter", "a.example.net", "198.51.100.1", "postfix", "m1" },
};

static const char *
count_line (const GPtrArray *list, GString *s)
{
  g_string_truncate (s, 0);
  for (guint i = 0; i < list->len; i++) {
    const UscReportCount *c = list->pdata[i];
    g_string_append_printf (s, "%s%s=%" G_GINT64_FORMAT, i ? " " : "", c->name, c->count);
  }
  return s->str;
}

static void
test_aggregate (void)
{
  UscRecord *a = record_with ("a.db", rows_a, G_N_ELEMENTS (rows_a));
  UscRecord *b = record_with ("b.db", rows_b, G_N_ELEMENTS (rows_b));
  GError *e = NULL;
  /* Three days: 03-06 .. 03-08, with an until in the middle of a day. */
  UscReport *r = usc_report_new (T0, T0 + 2 * D + 3600, 3);
  g_assert_cmpint (usc_report_add_record (r, a, "alice", &e), ==, 0);
  g_assert_cmpint (usc_report_add_record (r, b, "bob", &e), ==, 0);
  g_assert_no_error (e);
  usc_report_finish (r);
  g_assert_cmpint (r->bounces, ==, 7);
  g_assert_cmpint (r->backscatter, ==, 5);
  g_assert_cmpint (r->legitimate, ==, 1);
  g_assert_cmpint (r->unknown, ==, 1);
  g_assert_cmpuint (r->days->len, ==, 3);
  g_assert_cmpstr (g_array_index (r->days, UscReportDay, 0).day, ==, "2024-03-06");
  g_assert_cmpint (g_array_index (r->days, UscReportDay, 0).backscatter, ==, 4);
  g_assert_cmpint (g_array_index (r->days, UscReportDay, 1).legitimate, ==, 1);
  g_assert_cmpint (g_array_index (r->days, UscReportDay, 2).backscatter, ==, 1);
  GString *s = g_string_new (NULL);
  /* Largest first, ties by name, cut at 3. */
  g_assert_cmpstr (count_line (r->top_servers, s), ==,
                   "a.example.net [198.51.100.1]=3 b.example.net [198.51.100.2]=1 c.example.net=1");
  g_assert_cmpstr (count_line (r->top_mta, s), ==, "postfix=3 exim=1 qmail=1");
  g_assert_cmpstr (count_line (r->top_reporting_mta, s), ==, "m1=3 (unknown)=1 m3=1");
  g_assert_cmpstr (count_line (r->kinds, s), ==, "dsn=5");
  g_assert_cmpuint (r->payloads->len, ==, 0);
  g_assert_null (r->top_countries);
  g_assert_cmpuint (r->users->len, ==, 2);
  g_assert_cmpint (((UscReportUser *) r->users->pdata[1])->backscatter, ==, 2);
  g_assert_cmpint (r->kept_total, ==, 1);
  g_assert_cmpstr (((UscReportKept *) r->kept->pdata[0])->server, ==, "k.example.net");
  usc_report_free (&r);
  g_assert_null (r);
  usc_report_free (&r);

  /* An open start begins at the oldest decision. */
  r = usc_report_new (G_MININT64, T0 + D, 10);
  g_assert_cmpint (usc_report_add_record (r, a, "alice", &e), ==, 0);
  usc_report_finish (r);
  g_assert_cmpuint (r->days->len, ==, 2);
  g_assert_cmpstr (g_array_index (r->days, UscReportDay, 0).day, ==, "2024-03-05");
  g_assert_cmpint (r->backscatter, ==, 4);
  char *from = usc_report_day (r->since);
  g_assert_cmpstr (from, ==, "2024-03-05");
  g_free (from);
  usc_report_free (&r);
  usc_record_close (&a);
  usc_record_close (&b);
  g_string_free (s, TRUE);
}

/* The kept list: the newest top_n of many. */
static void
test_kept (void)
{
  Row rows[25];
  for (int i = 0; i < 25; i++)
    rows[i] = (Row) { i * 60, "legitimate", "k.example.net", NULL, NULL, NULL };
  UscRecord *a = record_with ("k.db", rows, G_N_ELEMENTS (rows));
  UscReport *r = usc_report_new (T0, T0 + D, 4);
  GError *e = NULL;
  g_assert_cmpint (usc_report_add_record (r, a, "k", &e), ==, 0);
  usc_report_finish (r);
  g_assert_cmpint (r->kept_total, ==, 25);
  g_assert_cmpuint (r->kept->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (((UscReportKept *) r->kept->pdata[i])->time, ==, T0 + (24 - (gint64) i) * 60);
  usc_report_free (&r);
  usc_record_close (&a);
}

/* Text from messages in each output. */
static void
test_escaping (void)
{
  static const Row rows[] = {
    { 1, "backscatter", NULL, NULL, NULL, "<b>x</b>&\"'\xe2\x80\xae" "evil" },
  };
  UscRecord *a = record_with ("e.db", rows, 1);
  UscReport *r = usc_report_new (T0, T0 + D, 10);
  GError *e = NULL;
  UscRecord *empty = record_with ("e2.db", NULL, 0);
  g_assert_cmpint (usc_report_add_record (r, a, "<u>", &e), ==, 0);
  g_assert_cmpint (usc_report_add_record (r, empty, "other", &e), ==, 0);
  usc_record_close (&empty);
  usc_report_finish (r);
  char *text = usc_report_text (r), *json = usc_report_json (r), *html = usc_report_html (r);
  g_assert_nonnull (strstr (text, "  <b>x</b>&\"'?evil\n"));          /* U+202E RLO -> ? */
  g_assert_null (strstr (text, "\xe2\x80\xae"));
  g_assert_nonnull (strstr (json, "{\"name\": \"<b>x</b>&\\\"'\xe2\x80\xae" "evil\", \"count\": 1}"));
  g_assert_nonnull (strstr (html, "&lt;b&gt;x&lt;/b&gt;&amp;&quot;&#39;"));
  g_assert_null (strstr (html, "<b>x"));
  g_assert_null (strstr (html, "<u>"));
  g_assert_nonnull (strstr (html, "<td>&lt;u&gt;</td>"));
  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "src="));
  g_assert_null (strstr (html, "href="));
  g_free (text);
  g_free (json);
  g_free (html);
  usc_report_free (&r);
  usc_record_close (&a);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-report-XXXXXX", NULL);
  g_test_add_func ("/report/aggregate", test_aggregate);
  g_test_add_func ("/report/kept", test_kept);
  g_test_add_func ("/report/escaping", test_escaping);
  int rc = g_test_run ();
  char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    rc = rc ? rc : 1;
  g_free (cmd);
  g_free (tmpdir);
  return rc;
}
