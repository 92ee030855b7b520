/* fuzz-sieve-report.c — libFuzzer harness: what unscatter-sieve's delivering
 * process reads from its evaluating child (usv-child.h: records of a type
 * byte, a 32-bit big-endian length and text; the child runs libsieve on the
 * sender's message, so its report is not trusted), usv_report_parse, then
 * the plan made of it (usv_plan_make).
 *
 * Asserted: a report taken as complete builds back (usv_report_build) to the
 * same bytes; the plan stores the message somewhere or discards it (never
 * neither), each folder once, the inbox whenever the evaluation had an
 * error, a refused action or no action but a discard; a garbled report
 * is not acted on in part (the parent's rule: the inbox).
 */
#include "fuzz-common.h"
#include <string.h>
#include "usv-child.h"
#include "usv-plan.h"
#include <sieve2.h>

int FUZZ_ENTRY (sieve_report) (const uint8_t *data, size_t size);

static gboolean
has_folder (const UsvPlan *p, const char *name)
{
  for (guint i = 0; i < p->folders->len; i++)
    if (strcmp (p->folders->pdata[i], name) == 0)
      return TRUE;
  return FALSE;
}

int
FUZZ_ENTRY (sieve_report) (const uint8_t *data, size_t size)
{
  fuzz_init ();
  UsvOutcome out;
  usv_outcome_init (&out);
  gboolean ok = usv_report_parse (data, size, &out);
  if (!ok) {
    /* what the parent does with a report cut short or garbled (usv-child.c
     * set_status): nothing of it acted on, CRASHED */
    for (guint i = 0; i < out.actions->len; i++)
      g_free (g_array_index (out.actions, UsvAction, i).arg);
    g_array_set_size (out.actions, 0);
    g_ptr_array_set_size (out.parse_errors, 0);
    g_ptr_array_set_size (out.runtime_errors, 0);
    out.status = USV_STATUS_CRASHED;
    out.status_detail = g_strdup ("its report was incomplete");
  } else {
    FUZZ_ASSERT (out.status == USV_STATUS_DONE);
    GBytes *back = usv_report_build (&out);
    gsize blen;
    const guint8 *b = g_bytes_get_data (back, &blen);
    /* the same records; the rc may have been written with leading zeros */
    UsvOutcome again;
    usv_outcome_init (&again);
    FUZZ_ASSERT (usv_report_parse (b, blen, &again));
    FUZZ_ASSERT (again.rc == out.rc && again.actions->len == out.actions->len
                 && again.parse_errors->len == out.parse_errors->len
                 && again.runtime_errors->len == out.runtime_errors->len);
    for (guint i = 0; i < out.actions->len; i++) {
      const UsvAction *x = &g_array_index (out.actions, UsvAction, i);
      const UsvAction *y = &g_array_index (again.actions, UsvAction, i);
      FUZZ_ASSERT (x->type == y->type && g_strcmp0 (x->arg, y->arg) == 0);
    }
    usv_outcome_clear (&again);
    g_bytes_unref (back);
  }
  UsvPlan plan;
  usv_plan_make (&out, &plan);
  FUZZ_ASSERT (plan.discard ? plan.folders->len == 0 : plan.folders->len > 0);
  for (guint i = 0; i < plan.folders->len; i++)
    for (guint j = i + 1; j < plan.folders->len; j++)
      FUZZ_ASSERT (strcmp (plan.folders->pdata[i], plan.folders->pdata[j]) != 0);
  gboolean failed = out.status != USV_STATUS_DONE || out.parse_errors->len > 0
                    || out.rc != SIEVE2_OK || out.runtime_errors->len > 0;
  if (failed) {
    FUZZ_ASSERT (!plan.discard && plan.folders->len == 1 && has_folder (&plan, ""));
    FUZZ_ASSERT (plan.notes->len > 0);
  }
  gboolean only_discard = out.actions->len > 0;
  for (guint i = 0; i < out.actions->len; i++) {
    const UsvAction *a = &g_array_index (out.actions, UsvAction, i);
    if (a->type == USV_ACTION_REFUSED && !failed)
      FUZZ_ASSERT (has_folder (&plan, ""));
    if (a->type != USV_ACTION_DISCARD)
      only_discard = FALSE;
  }
  FUZZ_ASSERT (plan.discard == (!failed && only_discard));
  usv_plan_clear (&plan);
  usv_outcome_clear (&out);
  return 0;
}
