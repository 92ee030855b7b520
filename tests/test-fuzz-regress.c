/* test-fuzz-regress.c — every input of tests/fuzz/regress/<harness>/ (the
 * fuzzers' findings, kept as regression inputs), of tests/fuzz/seeds/<harness>/
 * (hand-written seeds) and the fixtures, run
 * through the same entry points as the libFuzzer harnesses (the harness
 * sources are included here, built with gcc; their assertions trap on a
 * violated property), one GTest case per harness (the Sieve ones when
 * unscatter-sieve is built: USC_FUZZ_SIEVE).
 */
#define FUZZ_REGRESS 1
#include "fuzz/fuzz-message.c"
#include "fuzz/fuzz-dsn.c"
#include "fuzz/fuzz-headers.c"
#include "fuzz/fuzz-batv.c"
#include "fuzz/fuzz-config.c"
#include "fuzz/fuzz-filter.c"
#include "fuzz/fuzz-received.c"
#include "fuzz/fuzz-report.c"
#include "fuzz/fuzz-plugin.c"
#ifdef USC_FUZZ_SIEVE
#include "fuzz/fuzz-sieve.c"
#include "fuzz/fuzz-sieve-report.c"
#endif
#include "fuzz/fuzz-payload.c"

typedef int (*FuzzOne) (const uint8_t *data, size_t size);

typedef struct {
  const char *name;
  FuzzOne     one;
  gboolean    fixtures; /* also every fixture message */
} Harness;

static const Harness harnesses[] = {
  { "message", fuzz_message_one, TRUE },
  { "dsn",     fuzz_dsn_one,     FALSE },
  { "headers", fuzz_headers_one, TRUE },
  { "batv",    fuzz_batv_one,    FALSE },
  { "config",  fuzz_config_one,  FALSE },
  { "filter",  fuzz_filter_one,  TRUE },
  { "received", fuzz_received_one, TRUE },
  { "report",  fuzz_report_one,  FALSE },
  { "plugin",  fuzz_plugin_one,  TRUE },
#ifdef USC_FUZZ_SIEVE
  { "sieve",   fuzz_sieve_one,   TRUE },
  { "sieve-report", fuzz_sieve_report_one, FALSE },
#endif
  { "payload", fuzz_payload_one, TRUE },
};

static guint
run_dir (const Harness *h, const char *dir, const char *suffix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  if (!d)
    return 0;
  const char *e;
  while ((e = g_dir_read_name (d))) {
    if (suffix && !g_str_has_suffix (e, suffix))
      continue;
    char *path = g_build_filename (dir, e, NULL);
    char *data;
    gsize len;
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_file_get_contents (path, &data, &len, NULL)) {
      g_test_message ("%s: %s", h->name, path);
      h->one ((const uint8_t *) data, len);
      g_free (data);
      n++;
    }
    g_free (path);
  }
  g_dir_close (d);
  return n;
}

static void
test_harness (gconstpointer p)
{
  const Harness *h = p;
  const char *top = g_getenv ("top_srcdir");
  char *regress = g_build_filename (top ? top : ".", "tests", "fuzz", "regress", h->name, NULL);
  char *seeds = g_build_filename (top ? top : ".", "tests", "fuzz", "seeds", h->name, NULL);
  guint n = run_dir (h, regress, NULL) + run_dir (h, seeds, NULL);
  g_free (seeds);
  if (h->fixtures) {
    char *fx = g_build_filename (top ? top : ".", "fixtures", NULL);
    GDir *d = g_dir_open (fx, 0, NULL);
    g_assert_nonnull (d);
    const char *e;
    while ((e = g_dir_read_name (d))) {
      char *sub = g_build_filename (fx, e, NULL);
      n += run_dir (h, sub, ".eml");
      g_free (sub);
    }
    g_dir_close (d);
    g_free (fx);
    g_assert_cmpuint (n, >, 100);
  }
  g_test_message ("%s: %u inputs", h->name, n);
  g_free (regress);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  fuzz_init ();
  g_log_set_default_handler (g_log_default_handler, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (harnesses); i++) {
    char *name = g_strdup_printf ("/fuzz-regress/%s", harnesses[i].name);
    g_test_add_data_func (name, &harnesses[i], test_harness);
    g_free (name);
  }
  return g_test_run ();
}
