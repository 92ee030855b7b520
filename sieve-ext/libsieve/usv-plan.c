/* usv-plan.c — the script's actions to destinations (RFC 5228 sections
 * 2.10.2 implicit keep, 2.10.6 errors; 4.1-4.4 the actions). See usv-plan.h.
 */
#include "config.h"
#include "usv-plan.h"

#include <stddef.h>   /* sieve2_error.h uses NULL */
#include <sieve2.h>
#include <string.h>

static void
add_folder (UsvPlan *plan, const char *name)
{
  for (guint i = 0; i < plan->folders->len; i++)
    if (strcmp (plan->folders->pdata[i], name) == 0)
      return;
  g_ptr_array_add (plan->folders, g_strdup (name));
}

static void
keep_only (UsvPlan *plan)
{
  g_ptr_array_set_size (plan->folders, 0);
  add_folder (plan, "");
  plan->discard = FALSE;
}

void
usv_plan_make (const UsvOutcome *out, UsvPlan *plan)
{
  plan->folders = g_ptr_array_new_with_free_func (g_free);
  plan->notes = g_ptr_array_new_with_free_func (g_free);
  plan->discard = FALSE;

  if (out->status != USV_STATUS_DONE) {
    const char *what = out->status == USV_STATUS_TIMEOUT ? "took too long"
                     : out->status == USV_STATUS_CRASHED ? "crashed" : "could not run";
    g_ptr_array_add (plan->notes, g_strdup_printf ("the Sieve evaluation %s (%s): kept in the inbox", what,
                                                   out->status_detail ? out->status_detail : "?"));
    keep_only (plan);
    return;
  }
  if (out->parse_errors->len > 0) {
    for (guint i = 0; i < out->parse_errors->len; i++)
      g_ptr_array_add (plan->notes, g_strdup_printf ("script error: %s",
                                                     (const char *) out->parse_errors->pdata[i]));
    g_ptr_array_add (plan->notes, g_strdup_printf ("the script does not compile (%u error%s): kept in the inbox",
                                                   out->parse_errors->len,
                                                   out->parse_errors->len == 1 ? "" : "s"));
    keep_only (plan);
    return;
  }
  if (out->rc != SIEVE2_OK || out->runtime_errors->len > 0) {
    for (guint i = 0; i < out->runtime_errors->len; i++)
      g_ptr_array_add (plan->notes, g_strdup_printf ("runtime error: %s",
                                                     (const char *) out->runtime_errors->pdata[i]));
    if (out->rc != SIEVE2_OK)
      g_ptr_array_add (plan->notes, g_strdup_printf ("the script failed (libsieve: %s): kept in the inbox",
                                                     usv_rc_text (out->rc)));
    else
      g_ptr_array_add (plan->notes, g_strdup ("the script failed at run time: kept in the inbox"));
    keep_only (plan);
    return;
  }

  gboolean discarded = FALSE;
  for (guint i = 0; i < out->actions->len; i++) {
    const UsvAction *a = &g_array_index (out->actions, UsvAction, i);
    switch (a->type) {
    case USV_ACTION_KEEP:
      add_folder (plan, "");
      break;
    case USV_ACTION_FILEINTO:
      add_folder (plan, g_ascii_strcasecmp (a->arg, "INBOX") == 0 ? "" : a->arg);
      break;
    case USV_ACTION_DISCARD:
      discarded = TRUE;
      break;
    case USV_ACTION_REFUSED:
    default:
      g_ptr_array_add (plan->notes, g_strdup_printf ("%s refused (a filter sends no mail): kept in the inbox",
                                                     a->arg ? a->arg : "an action"));
      add_folder (plan, "");
      break;
    }
  }
  if (plan->folders->len == 0) {
    if (discarded)
      plan->discard = TRUE;
    else
      add_folder (plan, "");   /* the implicit keep */
  }
}

void
usv_plan_clear (UsvPlan *plan)
{
  g_clear_pointer (&plan->folders, g_ptr_array_unref);
  g_clear_pointer (&plan->notes, g_ptr_array_unref);
  plan->discard = FALSE;
}
