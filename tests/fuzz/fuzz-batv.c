/* fuzz-batv.c — libFuzzer harness: BATV (draft-levine-smtp-batv-01) tag
 * detection and verification (usc_batv_is_tagged, usc_batv_verify) with a
 * fixed key set, and signing (usc_batv_sign) of untagged input; a tag we
 * sign must verify as valid at the same time.
 */
#include "fuzz-common.h"
#include "usc-batv.h"

int FUZZ_ENTRY (batv) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (batv) (const uint8_t *data, size_t size)
{
  static UscBatvKeys *keys;
  fuzz_init ();
  if (!keys) {
    keys = usc_batv_keys_new ();
    usc_batv_keys_add (keys, 1, "fuzz-secret-one", NULL);
    usc_batv_keys_add (keys, 7, "another secret", NULL);
  }
  const gint64 now = 1700000000;
  char *s = fuzz_strdup (data, size);
  (void) usc_batv_is_tagged (s);
  UscBatvResult r = { 0 };
  (void) usc_batv_verify (keys, s, now, &r);
  usc_batv_result_clear (&r);
  (void) usc_batv_verify (NULL, s, now, &r);
  usc_batv_result_clear (&r);
  GError *error = NULL;
  char *tag = usc_batv_sign (keys, -1, s, now, &error);
  if (tag) {
    UscBatvResult v = { 0 };
    FUZZ_ASSERT (usc_batv_verify (keys, tag, now, &v) == USC_BATV_VALID);
    usc_batv_result_clear (&v);
    g_free (tag);
  }
  g_clear_error (&error);
  g_free (s);
  return 0;
}
