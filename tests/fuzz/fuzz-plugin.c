/* fuzz-plugin.c — libFuzzer harness: the Pigeonhole plugin's inputs, through
 * its bridge to the library (sieve-ext/dovecot/unscatter-glue.h: the only
 * code of the plugin that sees message bytes and envelope strings; the
 * Dovecot side passes them on). unscatter_glue_classify() is what the
 * `unscatter_bounce` / `unscatter_backscatter` tests call on the message
 * Dovecot delivers, with the envelope recipient and sender as Dovecot has
 * them (partly the sender's: SMTP MAIL FROM / RCPT TO);
 * unscatter_glue_record() is the `unscatter_record` command (imapsieve on
 * the Sent folder) on a message the user sent.
 *
 * Input: the recipient up to the first LF, the sender up to the second (a
 * lone "-" for none: NULL), then the message. The last byte's low bit
 * picks unscatter_glue_record() instead. One user context, with a record
 * on /dev/shm (or the temporary directory), made again every 512 inputs.
 *
 * Asserted: classify returns 0 exactly when the outcome is classified; a
 * classified outcome has a kind and a verdict from the known names, is_bounce
 * and is_backscatter agree with them, and a log line of printable ASCII of
 * at most 2,100 bytes; an unclassified one says why (error) and has no
 * verdict; record returns 1 or 0, or -1 with an error.
 */
#include "fuzz-common.h"
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unscatter-glue.h"

int FUZZ_ENTRY (plugin) (const uint8_t *data, size_t size);

static char *fuzz_plugin_home;
static struct unscatter_glue_user *fuzz_plugin_user;
static guint fuzz_plugin_runs;

static void
fuzz_plugin_remove (void)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  char *record = g_build_filename (fuzz_plugin_home, "record.db", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
    char *p = g_strconcat (record, suffixes[i], NULL);
    g_unlink (p);
    g_free (p);
  }
  g_free (record);
}

static void
fuzz_plugin_cleanup (void)
{
  unscatter_glue_user_release (&fuzz_plugin_user);
  fuzz_plugin_remove ();
  g_rmdir (fuzz_plugin_home);
}

static void
fuzz_plugin_reset (void)
{
  unscatter_glue_user_release (&fuzz_plugin_user);
  if (fuzz_plugin_home == NULL) {
    const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0
                       ? "/dev/shm" : g_get_tmp_dir ();
    char *tmpl = g_build_filename (base, "fuzz-plugin-XXXXXX", NULL);
    fuzz_plugin_home = g_mkdtemp (tmpl);
    FUZZ_ASSERT (fuzz_plugin_home != NULL);
    atexit (fuzz_plugin_cleanup);
  }
  fuzz_plugin_remove ();
  char *record = g_build_filename (fuzz_plugin_home, "record.db", NULL);
  fuzz_plugin_user = unscatter_glue_user_get (fuzz_plugin_home, NULL, record);
  g_free (record);
}

/* The glue's reader over the fuzzer's bytes, as the plugin's reader is over
 * Dovecot's stream: at most @max bytes (0: no limit), a longer message
 * given as @max + 1 bytes for the library to refuse. */
struct fuzz_plugin_buffer {
  const uint8_t *data;
  size_t size;
};

static int
fuzz_plugin_read (void *context, size_t max, const void **data_r, size_t *size_r,
                  const char **error_r)
{
  const struct fuzz_plugin_buffer *b = context;
  (void) error_r;
  *data_r = b->data;
  *size_r = max > 0 && b->size > max ? max + 1 : b->size;
  return 0;
}

static const char *const kinds[] = { "not-bounce", "dsn", "autoreply", "challenge", "virus-notice",
                                     "feedback-report", NULL };
static const char *const verdicts[] = { "not-bounce", "legitimate", "backscatter", "unknown", NULL };

int
FUZZ_ENTRY (plugin) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  unscatter_glue_process_init ();
  if (fuzz_plugin_user == NULL || ++fuzz_plugin_runs % 512 == 0)
    fuzz_plugin_reset ();
  const uint8_t *end = data + size, *p = data;
  const uint8_t *nl1 = memchr (p, '\n', size);
  const uint8_t *nl2 = nl1 ? memchr (nl1 + 1, '\n', end - nl1 - 1) : NULL;
  char *rcpt = NULL, *sender = NULL;
  const uint8_t *msg = data;
  if (nl2) {
    rcpt = g_strndup ((const char *) data, nl1 - data);
    sender = g_strndup ((const char *) nl1 + 1, nl2 - nl1 - 1);
    msg = nl2 + 1;
  }
  if (sender && strcmp (sender, "-") == 0)
    g_clear_pointer (&sender, g_free);
  struct fuzz_plugin_buffer buffer = { msg, (size_t) (end - msg) };
  if (size > 0 && (data[size - 1] & 1)) {
    char *error = NULL;
    int r = unscatter_glue_record (fuzz_plugin_user, fuzz_plugin_read, &buffer, &error);
    FUZZ_ASSERT (r == 1 || r == 0 || (r == -1 && error != NULL));
    unscatter_glue_free (error);
  } else {
    struct unscatter_glue_outcome out;
    int r = unscatter_glue_classify (fuzz_plugin_user, fuzz_plugin_read, &buffer, rcpt,
                                     sender, &out);
    FUZZ_ASSERT (r == 0 || r == -1);
    FUZZ_ASSERT ((r == 0) == (out.classified == 1));
    if (out.classified) {
      FUZZ_ASSERT (out.kind && g_strv_contains (kinds, out.kind));
      FUZZ_ASSERT (out.verdict && g_strv_contains (verdicts, out.verdict));
      FUZZ_ASSERT (out.is_bounce == (strcmp (out.kind, "not-bounce") != 0));
      FUZZ_ASSERT (out.is_backscatter == (strcmp (out.verdict, "backscatter") == 0));
      FUZZ_ASSERT (out.log_line != NULL && !out.unjudgeable);
      gsize n = strlen (out.log_line);
      FUZZ_ASSERT (n > 0 && n <= 2100);
      for (gsize i = 0; i < n; i++)
        FUZZ_ASSERT (out.log_line[i] >= 0x20 && out.log_line[i] < 0x7f);
    } else {
      FUZZ_ASSERT (out.error != NULL && out.verdict == NULL && out.log_line == NULL);
    }
    unscatter_glue_outcome_clear (&out);
  }
  g_free (rcpt);
  g_free (sender);
  return 0;
}
