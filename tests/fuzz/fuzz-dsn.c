/* fuzz-dsn.c — libFuzzer harness: the RFC 3464 delivery-status field parser
 * (usc_dsn_parse) and the RFC 3463 status check on what it returns.
 */
#include "fuzz-common.h"
#include "usc-dsn.h"

int FUZZ_ENTRY (dsn) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (dsn) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  GError *error = NULL;
  UscDsnReport *r = usc_dsn_parse ((const char *) data, size, &error);
  if (r) {
    for (guint i = 0; i < r->recipients->len; i++) {
      UscDsnRecipient *rc = g_ptr_array_index (r->recipients, i);
      if (rc->status)
        (void) usc_dsn_status_valid (rc->status);
    }
    usc_dsn_report_free (&r);
  }
  g_clear_error (&error);
  char *s = fuzz_strdup (data, size);
  (void) usc_dsn_status_valid (s);
  g_free (s);
  return 0;
}
