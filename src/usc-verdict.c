/* usc-verdict.c — evidence to verdict. (placeholder, being written) */
#include "config.h"
#include "usc-verdict.h"

UscVerdict *
usc_verdict_decide (const UscBounce *bounce, const UscEnvelope *envelope, UscRecord *record,
                    const UscBatvKeys *keys, const UscConfig *config, GError **error)
{
  UscVerdict *v = g_new0 (UscVerdict, 1);
  v->reasons = g_ptr_array_new_with_free_func (g_free);
  v->batv.key_number = v->batv.day = -1;
  v->record_size = -1;
  if (bounce->kind == USC_KIND_NOT_BOUNCE) {
    v->verdict = USC_VERDICT_NOT_BOUNCE;
    g_ptr_array_add (v->reasons, g_strdup ("not a bounce"));
  } else {
    v->verdict = USC_VERDICT_UNKNOWN;
    g_ptr_array_add (v->reasons, g_strdup ("no sent-mail record to compare with"));
  }
  v->action = config->action[v->verdict];
  return v;
}

void
usc_verdict_free (UscVerdict **verdict)
{
  if (verdict == NULL || *verdict == NULL)
    return;
  g_ptr_array_unref ((*verdict)->reasons);
  usc_batv_result_clear (&(*verdict)->batv);
  g_free (*verdict);
  *verdict = NULL;
}

char *
usc_verdict_header_block (const UscVerdict *verdict, const UscBounce *bounce)
{
  return g_strdup_printf ("X-Unscatter-Verdict: %s (%s)\nX-Unscatter-Reason: %s\n",
                          usc_verdict_name (verdict->verdict), usc_kind_name (bounce->kind),
                          verdict->reasons->len ? (const char *) verdict->reasons->pdata[0] : "none");
}
