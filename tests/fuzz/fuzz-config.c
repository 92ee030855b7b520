/* fuzz-config.c — libFuzzer harness: the configuration parser
 * (usc_config_load, unscatter.conf(5)) over a file holding the input, and
 * the record path derived from what it loaded.
 */
#include "fuzz-common.h"
#include "usc-config.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int FUZZ_ENTRY (config) (const uint8_t *data, size_t size);

static char *fuzz_config_path;

static void
fuzz_config_cleanup (void)
{
  g_unlink (fuzz_config_path);
}

int
FUZZ_ENTRY (config) (const uint8_t *data, size_t size)
{
  char *path;
  fuzz_init ();
  if (!fuzz_config_path) {
    /* on /dev/shm when there is one: a loaded disk made the file's rewrite
     * the whole cost (145 exec/s instead of 3,700) */
    if (access ("/dev/shm", W_OK) == 0) {
      path = g_strdup ("/dev/shm/fuzz-config-XXXXXX");
      int fd = g_mkstemp (path);
      FUZZ_ASSERT (fd >= 0);
      close (fd);
    } else {
      int fd = g_file_open_tmp ("fuzz-config-XXXXXX", &path, NULL);
      FUZZ_ASSERT (fd >= 0);
      close (fd);
    }
    fuzz_config_path = path;
    atexit (fuzz_config_cleanup);
  }
  path = fuzz_config_path;
  FILE *f = fopen (path, "wb");      /* not g_file_set_contents: its fsync costs 10 ms */
  FUZZ_ASSERT (f != NULL);
  FUZZ_ASSERT (fwrite (data, 1, size, f) == size || size == 0);
  FUZZ_ASSERT (fclose (f) == 0);
  GError *error = NULL;
  UscConfig *c = usc_config_load (path, &error);
  if (c) {
    char *p = usc_config_record_path (c, NULL);
    g_free (p);
    usc_config_free (&c);
  }
  g_clear_error (&error);
  return 0;
}
