/* usc-budget.c — the per-message parse budget (see usc-budget.h). */
#include "config.h"
#include "usc-budget.h"
#include "usc-common.h"

UscBudget *
usc_budget_new (gsize message_bytes, gsize max_header_bytes, guint max_headers,
                guint max_parts, double max_seconds)
{
  UscBudget *b = g_new0 (UscBudget, 1);
  gsize bytes = message_bytes;
  if (bytes <= (G_MAXSIZE - USC_BUDGET_BYTES_SLACK) / USC_BUDGET_BYTES_FACTOR)
    bytes = bytes * USC_BUDGET_BYTES_FACTOR + USC_BUDGET_BYTES_SLACK;
  else
    bytes = G_MAXSIZE;
  b->bytes_left = bytes;
  b->fields_left = max_headers;
  b->field_bytes_left = max_header_bytes;
  b->parts_left = max_parts;
  b->deadline = usc_now_monotonic () + (gint64) (max_seconds * G_USEC_PER_SEC);
  return b;
}

void
usc_budget_free (UscBudget **budget)
{
  if (budget == NULL || *budget == NULL)
    return;
  g_free (*budget);
  *budget = NULL;
}

gboolean
usc_budget_expired (const UscBudget *budget)
{
  return budget != NULL && usc_now_monotonic () > budget->deadline;
}

gboolean
usc_budget_spent (UscBudget *budget)
{
  if (budget->exhausted)
    return TRUE;
  if (budget->bytes_left == 0 || budget->fields_left == 0 || budget->field_bytes_left == 0
      || budget->parts_left == 0 || usc_budget_expired (budget))
    budget->exhausted = TRUE;
  return budget->exhausted;
}

gsize
usc_budget_take_bytes (UscBudget *budget, gsize want)
{
  gsize got = MIN (want, budget->bytes_left);
  budget->bytes_left -= got;
  if (got < want)
    budget->exhausted = TRUE;
  return got;
}

void
usc_budget_charge (UscBudget *budget, guint fields, gsize field_bytes, guint parts, gboolean cut)
{
  budget->fields_left -= MIN (fields, budget->fields_left);
  budget->field_bytes_left -= MIN (field_bytes, budget->field_bytes_left);
  budget->parts_left -= MIN (parts, budget->parts_left);
  if (cut)
    budget->exhausted = TRUE;
}
