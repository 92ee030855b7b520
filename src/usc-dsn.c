/* usc-dsn.c — RFC 3464 / 6522 / 6533 delivery-status parsing. (placeholder, being written) */
#include "config.h"
#include "usc-dsn.h"

UscDsnReport *
usc_dsn_parse (const char *text, gsize len, GError **error)
{
  g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "not implemented");
  return NULL;
}

void
usc_dsn_report_free (UscDsnReport **report)
{
  if (report && *report) {
    g_free (*report);
    *report = NULL;
  }
}

gboolean
usc_dsn_status_valid (const char *s)
{
  return FALSE;
}
