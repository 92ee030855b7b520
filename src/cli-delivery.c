/* cli-delivery.c — the skeleton `filter` and `deliver` share: read the whole
 * message from stdin (no size limit: a message too big to judge must still
 * be passed on), parse it within the configured limits, classify it
 * (usc_classify), and make the two header fields that go into it.
 *
 * A message that cannot be judged (unparsable, over a size or header limit)
 * is not a failure of ours: the caller passes it on unchanged. Anything else
 * that fails (stdin, record, keys) is, and the caller defers.
 */
#include "config.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

gboolean
cli_delivery_classify (CliContext *ctx, const char *name, const char *unjudged_action,
                       const char *maildir, const char *rcpt, const char *sender, CliDelivery *d,
                       GError **error)
{
  memset (d, 0, sizeof *d);
  const UscLimits *limits = &ctx->config->limits;
  GError *local = NULL;

  d->raw = usc_read_all (0, 0, &local);
  if (d->raw == NULL) {
    g_prefix_error (&local, "stdin: ");
    g_propagate_error (error, local);
    return FALSE;
  }
  if (maildir != NULL) {
    UscSentdirStats st = { 0 };
    if (!usc_context_import_sent (ctx->usc, maildir, &st, &local)) {
      fprintf (stderr, "unscatter: %s: warning: %s (delivery goes on)\n", name, local->message);
      g_clear_error (&local);
    }
    const char *v = g_getenv ("UNSCATTER_VERBOSE");
    if (v && *v && st.folders) {
      char *sum = usc_sentdir_summary (&st);
      fprintf (stderr, "unscatter: %s: Sent folder: %s\n", name, sum);
      g_free (sum);
    }
  }
  gsize rlen = 0;
  const char *rdata = g_bytes_get_data (d->raw, &rlen);
  d->from_end = usc_mbox_from_end (rdata, rlen);
  d->insert_at = usc_message_fields_offset (rdata, rlen);

  if (rlen > limits->max_bytes)
    g_set_error (&local, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
                 rlen, limits->max_bytes);
  else
    d->msg = usc_message_new_from_bytes (d->raw, limits, &local);
  if (d->msg)
    d->classified = usc_classify (ctx->usc, d->msg, rcpt, sender, &d->result, &local);
  if (d->classified) {
    d->fields = usc_result_header_fields (&d->result, d->msg);
    return TRUE;
  }
  if (!usc_error_is_unjudgeable (local)) {
    g_propagate_error (error, local);
    return FALSE;
  }
  char *m = usc_display_escape (local->message, -1);
  fprintf (stderr, "unscatter: %s: %s; %s\n", name, m, unjudged_action);
  g_free (m);
  g_clear_error (&local);
  return TRUE;
}

int
cli_delivery_exit (gboolean delivered)
{
  return delivered ? CLI_EX_OK : CLI_EX_TEMPFAIL;
}

void
cli_delivery_clear (CliDelivery *d)
{
  usc_result_clear (&d->result);
  usc_message_free (&d->msg);
  g_clear_pointer (&d->fields, g_bytes_unref);
  g_clear_pointer (&d->raw, g_bytes_unref);
}
