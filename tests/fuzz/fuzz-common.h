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
#include <iconv.h>

static void
fuzz_quiet_log (const gchar *domain G_GNUC_UNUSED, GLogLevelFlags level G_GNUC_UNUSED,
                const gchar *message G_GNUC_UNUSED, gpointer data G_GNUC_UNUSED)
{
}

/* glibc unloads a gconv module (dlclose) when its last iconv descriptor is
 * closed and loads it again (dlopen: openat, mmap, relocation) at the next
 * iconv_open. The language guess (usc_lang_decode_guess) tries 16 charsets in
 * turn on each 8-bit text part, opening and closing each, so an execution
 * paid about 4 dlopen/dlclose pairs: under ASan a fifth of its time, in the
 * kernel. One descriptor per charset, held for the process, keeps the
 * modules loaded; every conversion is made as before. */
static const char *const fuzz_pinned_charsets[] = {
  /* usc-lang.c's guess_charsets */
  "ISO-2022-JP", "WINDOWS-1252", "WINDOWS-1250", "WINDOWS-1251", "KOI8-R", "ISO-8859-7",
  "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257", "WINDOWS-1258", "GB18030",
  "BIG5", "EUC-KR", "SHIFT_JIS", "EUC-JP", "TIS-620",
  /* the other charsets the fixtures declare, and a few common ones */
  "ISO-8859-1", "ISO-8859-2", "ISO-8859-5", "ISO-8859-9", "ISO-8859-15", "KOI8-U", "UTF-16",
  "UTF-7", "GB2312", "ISO-2022-KR", "CP932",
};
static iconv_t fuzz_pinned[G_N_ELEMENTS (fuzz_pinned_charsets)];   /* never closed */

static inline void
fuzz_init (void)
{
  static gboolean done;
  if (done)
    return;
  done = TRUE;
  g_log_set_default_handler (fuzz_quiet_log, NULL);
  g_mime_init ();
  for (gsize i = 0; i < G_N_ELEMENTS (fuzz_pinned_charsets); i++)
    fuzz_pinned[i] = iconv_open ("UTF-8", fuzz_pinned_charsets[i]);
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
