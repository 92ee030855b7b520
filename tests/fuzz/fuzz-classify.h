/* fuzz-classify.h — what the message and filter harnesses share: read the
 * input as a message, analyse it and decide without a record or keys, as
 * cli_classify() does. Included after fuzz-common.h.
 */
#ifndef USC_FUZZ_CLASSIFY_H
#define USC_FUZZ_CLASSIFY_H
#include "usc-message.h"
#include "usc-bounce.h"
#include "usc-envelope.h"
#include "usc-verdict.h"
#include "usc-config.h"

typedef struct {
  UscMessage  *msg;
  UscBounce   *bounce;
  UscEnvelope  env;
  UscConfig   *config;
  UscVerdict  *verdict;
} FuzzClassified;

/* FALSE when the input is refused as a message or not analysed (nothing to
 * check then); else fills @c (free with fuzz_classified_clear). @in_place:
 * read as filter and deliver do (usc_message_new_in_place: CRLF input parsed
 * in its own buffer); a refused message must give its bytes back unchanged. */
static inline gboolean
fuzz_classify_with (const uint8_t *data, size_t size, gboolean in_place, FuzzClassified *c)
{
  GError *error = NULL;
  memset (c, 0, sizeof *c);
  if (in_place) {
    GBytes *raw = g_bytes_new (data, size);
    c->msg = usc_message_new_in_place (&raw, NULL, &error);
    FUZZ_ASSERT ((c->msg == NULL) == (raw != NULL));
    if (raw) {
      FUZZ_ASSERT (g_bytes_get_size (raw) == size
                   && (size == 0 || memcmp (g_bytes_get_data (raw, NULL), data, size) == 0));
      g_bytes_unref (raw);
    }
  } else
    c->msg = usc_message_new_from_data (data, size, NULL, &error);
  if (c->msg)
    c->bounce = usc_bounce_analyze (c->msg, &error);
  if (c->bounce) {
    usc_envelope_find (&c->env, c->msg, NULL, NULL);
    c->config = usc_config_new_default ();
    c->verdict = usc_verdict_decide (c->bounce, &c->env, NULL, NULL, c->config, &error);
    FUZZ_ASSERT (c->verdict != NULL);   /* without a record it cannot fail */
  }
  g_clear_error (&error);
  return c->bounce != NULL;
}

static inline gboolean
fuzz_classify (const uint8_t *data, size_t size, FuzzClassified *c)
{
  return fuzz_classify_with (data, size, FALSE, c);
}

static inline void
fuzz_classified_clear (FuzzClassified *c)
{
  usc_verdict_free (&c->verdict);
  usc_config_free (&c->config);
  usc_envelope_clear (&c->env);
  usc_bounce_free (&c->bounce);
  usc_message_free (&c->msg);
}
#endif
