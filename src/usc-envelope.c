/* usc-envelope.c — the delivery's envelope. (placeholder, being written) */
#include "config.h"
#include "usc-envelope.h"
#include <string.h>

void
usc_envelope_find (UscEnvelope *env, const UscMessage *msg, const char *opt_recipient,
                   const char *opt_sender)
{
  memset (env, 0, sizeof *env);
  env->recipient = g_strdup (opt_recipient);
  env->sender = g_strdup (opt_sender);
}

void
usc_envelope_clear (UscEnvelope *env)
{
  g_clear_pointer (&env->recipient, g_free);
  g_clear_pointer (&env->sender, g_free);
}
