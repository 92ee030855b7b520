/* fuzz-config.c — libFuzzer harness: the configuration parser
 * (usc_config_load, unscatter.conf(5)) over a file holding the input, and
 * the record path derived from what it loaded.
 */
#include "fuzz-common.h"
#include "usc-config.h"
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

int FUZZ_ENTRY (config) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (config) (const uint8_t *data, size_t size)
{
  static char *path;
  fuzz_init ();
  if (!path) {
    int fd = g_file_open_tmp ("fuzz-config-XXXXXX", &path, NULL);
    FUZZ_ASSERT (fd >= 0);
    close (fd);
  }
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
