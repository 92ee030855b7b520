/* fuzz-common.h — shared set-up of the libFuzzer harnesses (tests/fuzz/):
 * GMime initialised once, GLib's warnings kept quiet (a g_warning from
 * GMime on hostile input is not a finding; a crash or sanitizer report is).
 */
#ifndef USC_FUZZ_COMMON_H
#define USC_FUZZ_COMMON_H
#include <glib.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stddef.h>

static void
fuzz_quiet_log (const gchar *domain G_GNUC_UNUSED, GLogLevelFlags level G_GNUC_UNUSED,
                const gchar *message G_GNUC_UNUSED, gpointer data G_GNUC_UNUSED)
{
}

static inline void
fuzz_init (void)
{
  static gboolean done;
  if (done)
    return;
  done = TRUE;
  g_log_set_default_handler (fuzz_quiet_log, NULL);
  g_mime_init ();
}

/* The input as a NUL-terminated string (inputs may hold NULs: the string ends
 * at the first). Newly allocated. */
static inline char *
fuzz_strdup (const uint8_t *data, size_t size)
{
  return g_strndup ((const char *) data, size);
}

/* The entry point: LLVMFuzzerTestOneInput for libFuzzer; fuzz_NAME_one when
 * tests/test-fuzz-regress.c includes every harness into one GTest program
 * (FUZZ_REGRESS defined). */
#ifdef FUZZ_REGRESS
#define FUZZ_ENTRY(name) fuzz_##name##_one
#else
#define FUZZ_ENTRY(name) LLVMFuzzerTestOneInput
#endif

#define FUZZ_ASSERT(cond) \
  do { if (!(cond)) { g_printerr ("fuzz assertion failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); __builtin_trap (); } } while (0)

#endif
