/* usc-bounce.c — bounce detection. (placeholder, being written) */
#include "config.h"
#include "usc-bounce.h"

const char *
usc_kind_name (UscKind kind)
{
  static const char *const names[] = { "not-bounce", "dsn", "autoreply", "challenge",
                                       "virus-notice", "feedback-report" };
  return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "not-bounce";
}

UscBounce *
usc_bounce_new (void)
{
  UscBounce *b = g_new0 (UscBounce, 1);
  b->message_ids = g_ptr_array_new_with_free_func (g_free);
  b->id_sources = g_ptr_array_new_with_free_func (g_free);
  b->recipients = g_ptr_array_new_with_free_func (g_free);
  b->status = g_ptr_array_new_with_free_func (g_free);
  b->diagnostics = g_ptr_array_new_with_free_func (g_free);
  b->payload_types = g_ptr_array_new_with_free_func (g_free);
  b->notes = g_ptr_array_new_with_free_func (g_free);
  return b;
}

void
usc_bounce_free (UscBounce **bounce)
{
  if (bounce == NULL || *bounce == NULL)
    return;
  UscBounce *b = *bounce;
  g_ptr_array_unref (b->message_ids);
  g_ptr_array_unref (b->id_sources);
  g_ptr_array_unref (b->recipients);
  g_ptr_array_unref (b->status);
  g_ptr_array_unref (b->diagnostics);
  g_ptr_array_unref (b->payload_types);
  g_ptr_array_unref (b->notes);
  g_free (b->envelope_id);
  g_free (b->envelope_sender);
  g_free (b->subject);
  g_free (b->date);
  g_free (b->bounce_date);
  g_free (b->reporting_mta);
  g_free (b->mta_family);
  g_free (b);
  *bounce = NULL;
}

UscBounce *
usc_bounce_analyze (UscMessage *msg, GError **error)
{
  return usc_bounce_new ();
}
