/* fuzz-message.c — libFuzzer harness: read a message from bytes
 * (usc_message_new_from_data), classify it (usc_bounce_analyze), decide
 * without a record (usc_verdict_decide) and write the JSON result
 * (usc_json_result). The JSON must be valid UTF-8 whatever the input.
 */
#include "fuzz-common.h"
#include "usc-message.h"
#include "usc-bounce.h"
#include "usc-envelope.h"
#include "usc-verdict.h"
#include "usc-config.h"
#include "usc-json.h"

int FUZZ_ENTRY (message) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (message) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  GError *error = NULL;
  UscMessage *msg = usc_message_new_from_data (data, size, NULL, &error);
  if (!msg) {
    g_clear_error (&error);
    return 0;
  }
  UscBounce *bounce = usc_bounce_analyze (msg, &error);
  if (bounce) {
    UscEnvelope env = { 0 };
    usc_envelope_find (&env, msg, NULL, NULL);
    UscConfig *config = usc_config_new_default ();
    UscVerdict *verdict = usc_verdict_decide (bounce, &env, NULL, NULL, config, &error);
    char *json = usc_json_result ("fuzz.eml", bounce, verdict);
    FUZZ_ASSERT (json != NULL);
    FUZZ_ASSERT (g_utf8_validate (json, -1, NULL));
    g_free (json);
    usc_verdict_free (&verdict);
    usc_config_free (&config);
    usc_envelope_clear (&env);
    usc_bounce_free (&bounce);
  }
  g_clear_error (&error);
  usc_message_free (&msg);
  return 0;
}
