/* test-json.c — unit tests for usc-json: string escaping and the
 * `check --json` object (design.md: keys may be added, never renamed). */
#include "config.h"
#include <string.h>
#include <gmime/gmime.h>
#include "usc-json.h"

static const struct {
  const char *in;
  const char *out;
} escapes[] = {
  { NULL, "null" },
  { "", "\"\"" },
  { "plain", "\"plain\"" },
  { "quote\"back\\slash", "\"quote\\\"back\\\\slash\"" },
  { "line\nfeed\rtab\t", "\"line\\nfeed\\rtab\\t\"" },
  { "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
  { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },                 /* valid UTF-8 passes */
  { "nel\xc2\x85ls\xe2\x80\xa8ps\xe2\x80\xa9", "\"nel\\u0085ls\\u2028ps\\u2029\"" },
  { "\xc2\xa0\xe2\x80\x94", "\"\xc2\xa0\xe2\x80\x94\"" },   /* other 2- and 3-byte sequences pass */
  { "bad\xff" "byte", "\"bad\xef\xbf\xbd" "byte\"" },  /* invalid -> U+FFFD */
};

static void
test_escape (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (escapes); i++) {
    GString *s = g_string_new (NULL);
    usc_json_append_string (s, escapes[i].in);
    g_assert_cmpstr (s->str, ==, escapes[i].out);
    g_string_free (s, TRUE);
  }
}

/* usc_display_escape: what `check --explain` and log lines print. */
static const struct {
  const char *in;
  gssize len;
  const char *out;
} display[] = {
  { NULL, -1, "" },
  { "plain text, caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\xa7", -1, "plain text, caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\xa7" },
  { "a\r\n/var/mail/x.eml: legitimate dsn deliver", -1, "a\\r\\n/var/mail/x.eml: legitimate dsn deliver" },
  { "\x1b[31mred\x07\tbell", -1, "\\x1b[31mred\\x07\\tbell" },
  { "nul\0byte", 8, "nul\\x00byte" },
  { "del\x7f", -1, "del\\x7f" },
  { "c1\xc2\x9b" "2J", -1, "c1\\u{009B}2J" },                  /* CSI as a C1 control */
  { "bidi\xe2\x80\xaegnp.exe", -1, "bidi\\u{202E}gnp.exe" },   /* right-to-left override */
  { "iso\xe2\x81\xa6x\xe2\x81\xa9", -1, "iso\\u{2066}x\\u{2069}" },
  { "ls\xe2\x80\xa8ps\xe2\x80\xa9" "bom\xef\xbb\xbf", -1, "ls\\u{2028}ps\\u{2029}bom\\u{FEFF}" },
  { "bad\xff\xc3(", -1, "bad\\xff\\xc3(" },                     /* invalid bytes one by one */
  { "\xed\xa0\x80", -1, "\\xed\\xa0\\x80" },                    /* a surrogate is invalid */
  { "cut\xe2\x80", -1, "cut\\xe2\\x80" },                       /* a truncated sequence */
  { "back\\slash", -1, "back\\slash" },
};

static void
test_display_escape (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (display); i++) {
    char *e = usc_display_escape (display[i].in, display[i].len);
    g_assert_cmpstr (e, ==, display[i].out);
    /* whatever the input, the output is printable UTF-8 on one line */
    g_assert_true (g_utf8_validate (e, -1, NULL));
    for (const char *p = e; *p; p++)
      g_assert_true ((unsigned char) *p >= 0x20 && *p != 0x7f);
    g_free (e);
  }
}

static UscBounce *
sample_bounce (void)
{
  UscBounce *b = usc_bounce_new ();
  b->kind = USC_KIND_DSN;
  g_ptr_array_add (b->message_ids, g_strdup ("20240101.123@mail.example.org"));
  g_ptr_array_add (b->id_sources, g_strdup ("message/rfc822"));
  g_ptr_array_add (b->recipients, g_strdup ("someone@example.net"));
  g_ptr_array_add (b->status, g_strdup ("5.1.1"));
  b->envelope_sender = g_strdup ("me@example.org");
  b->reporting_mta = g_strdup ("mx.example.net");
  b->mta_family = g_strdup ("postfix");
  b->subject = g_strdup ("Hello \"world\"");
  return b;
}

/* Every key the contract names, in the object produced. */
static const char *const contract_keys[] = {
  "\"file\": ", "\"verdict\": ", "\"kind\": ", "\"action\": ", "\"original\": {",
  "\"message_ids\": [", "\"id_sources\": [", "\"envelope_id\": ", "\"envelope_sender\": ",
  "\"recipients\": [", "\"status\": [", "\"subject\": ", "\"date\": ", "\"batv\": ",
  "\"reporting_mta\": ", "\"mta_family\": ", "\"payload\": {", "\"executable\": ",
  "\"types\": [", "\"reasons\": [",
};

static void
test_result_keys (void)
{
  UscBounce *b = sample_bounce ();
  char *line = usc_json_result ("bounce.eml", b, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (contract_keys); i++)
    g_assert_nonnull (strstr (line, contract_keys[i]));
  g_assert_true (g_str_has_prefix (line, "{\"file\": \"bounce.eml\", \"verdict\": \"unknown\", \"kind\": \"dsn\""));
  g_assert_nonnull (strstr (line, "\"message_ids\": [\"20240101.123@mail.example.org\"]"));
  g_assert_nonnull (strstr (line, "\"recipients\": [\"someone@example.net\"]"));
  g_assert_nonnull (strstr (line, "\"subject\": \"Hello \\\"world\\\"\""));
  g_assert_nonnull (strstr (line, "\"batv\": null"));
  g_assert_nonnull (strstr (line, "\"executable\": false"));
  g_assert_null (strchr (line, '\n'));
  g_assert_true (g_str_has_suffix (line, "}"));
  g_free (line);
  usc_bounce_free (&b);
  g_assert_null (b);
}

static const struct {
  UscVerdictKind verdict;
  UscAction action;
  UscBatvStatus batv;
  const char *expect_verdict;
  const char *expect_action;
  const char *expect_batv;
} verdicts[] = {
  { USC_VERDICT_BACKSCATTER, USC_ACTION_FILE, USC_BATV_BAD_HASH, "\"verdict\": \"backscatter\"",
    "\"action\": \"file\"", "\"batv\": {\"tag\": \"prvs=1123abcdef=me@example.org\", \"valid\": false, \"reason\": \"" },
  { USC_VERDICT_LEGITIMATE, USC_ACTION_DELIVER, USC_BATV_VALID, "\"verdict\": \"legitimate\"",
    "\"action\": \"deliver\"", "\"valid\": true" },
  { USC_VERDICT_UNKNOWN, USC_ACTION_DISCARD, USC_BATV_NONE, "\"verdict\": \"unknown\"",
    "\"action\": \"discard\"", "\"batv\": null" },
};

static void
test_result_verdict (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdicts); i++) {
    UscBounce *b = sample_bounce ();
    UscVerdict v = { 0 };
    v.verdict = verdicts[i].verdict;
    v.action = verdicts[i].action;
    v.reasons = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (v.reasons, g_strdup ("reason one"));
    v.batv_checked = TRUE;
    v.batv.status = verdicts[i].batv;
    v.batv.tag = g_strdup ("prvs=1123abcdef=me@example.org");
    char *line = usc_json_result ("-", b, &v);
    g_assert_nonnull (strstr (line, verdicts[i].expect_verdict));
    g_assert_nonnull (strstr (line, verdicts[i].expect_action));
    g_assert_nonnull (strstr (line, verdicts[i].expect_batv));
    g_assert_nonnull (strstr (line, "\"reasons\": [\"reason one\"]"));
    g_free (line);
    g_free (v.batv.tag);
    g_ptr_array_unref (v.reasons);
    usc_bounce_free (&b);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/json/escape", test_escape);
  g_test_add_func ("/display/escape", test_display_escape);
  g_test_add_func ("/json/result-keys", test_result_keys);
  g_test_add_func ("/json/result-verdict", test_result_verdict);
  int rc = g_test_run ();
  g_mime_shutdown ();
  return rc;
}
