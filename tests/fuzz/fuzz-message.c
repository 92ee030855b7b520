/* fuzz-message.c — libFuzzer harness: read a message from bytes
 * (usc_message_new_from_data), classify it (usc_bounce_analyze), decide
 * without a record (usc_verdict_decide) and write the JSON result
 * (usc_json_result). The JSON must be valid UTF-8 whatever the input.
 */
#include "fuzz-common.h"
#include <string.h>
#include "fuzz-classify.h"
#include "usc-json.h"

int FUZZ_ENTRY (message) (const uint8_t *data, size_t size);

int
FUZZ_ENTRY (message) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  FuzzClassified c;
  if (fuzz_classify (data, size, &c)) {
    char *json = usc_json_result ("fuzz.eml", c.bounce, c.verdict);
    FUZZ_ASSERT (json != NULL);
    FUZZ_ASSERT (g_utf8_validate (json, -1, NULL));
    g_free (json);
  }
  fuzz_classified_clear (&c);
  return 0;
}
