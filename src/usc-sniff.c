/* usc-sniff.c — libmagic payload sniffing. (placeholder, being written) */
#include "config.h"
#include "usc-sniff.h"

char *
usc_sniff_type (const void *data, gsize len, GError **error)
{
  g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "not implemented");
  return NULL;
}

gboolean
usc_sniff_is_executable (const char *mime_type, const char *filename)
{
  return FALSE;
}
