/* usc-budget.h — one budget per message for everything parsed on its behalf.
 *
 * The top-level parse and every re-parse done while analysing the message
 * (text/rfc822-headers blocks, encoded message/rfc822 parts, inline copies,
 * a bounce returned inside a bounce) draw on the same budget: bytes handed to
 * the parser, header fields and their bytes, MIME parts, and one deadline.
 * So the cost of a message is bounded by a small constant times its size,
 * however many parts it splits itself into (issue 10: "amplification").
 *
 * A budget belongs to one message (UscMessage owns it) and is used by one
 * thread. Once a draw fails the budget is "exhausted": further re-parses are
 * refused (they return nothing, analysis goes on with what it has).
 */
#ifndef USC_BUDGET_H
#define USC_BUDGET_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gsize    bytes_left;        /* bytes all parses together may still hand to GMime */
  guint    fields_left;       /* header fields below the top level (all of them in a re-parse) */
  gsize    field_bytes_left;  /* their bytes */
  guint    parts_left;        /* MIME parts (a re-parsed message counts as one) */
  gint64   deadline;          /* usc_now_monotonic() value after which nothing more is parsed */
  gboolean exhausted;         /* a parse was cut or refused for lack of budget */
} UscBudget;

/* Extra bytes of re-parsing allowed beyond the message's own size: a re-parse
 * may read USC_BUDGET_BYTES_FACTOR x the message size plus this. */
#define USC_BUDGET_BYTES_SLACK  (1024 * 1024)
#define USC_BUDGET_BYTES_FACTOR 2

/* A new budget for a message of @message_bytes: USC_BUDGET_BYTES_FACTOR x
 * @message_bytes + USC_BUDGET_BYTES_SLACK bytes, @max_headers fields of
 * @max_header_bytes in all, @max_parts parts, @max_seconds from now.
 * Free with usc_budget_free(). */
UscBudget *usc_budget_new (gsize message_bytes, gsize max_header_bytes, guint max_headers,
                           guint max_parts, double max_seconds);

/* Frees *@budget and sets it to NULL; accepts NULL and *NULL. */
void usc_budget_free (UscBudget **budget);

/* TRUE once the budget's deadline has passed (@budget may be NULL: FALSE). */
gboolean usc_budget_expired (const UscBudget *budget);

/* TRUE when the budget can pay for no further parse at all: exhausted, out of
 * time, of bytes, fields or parts. Sets exhausted when it says so. */
gboolean usc_budget_spent (UscBudget *budget);

/* Take up to @want bytes; returns how many were granted (less than @want
 * marks the budget exhausted). */
gsize usc_budget_take_bytes (UscBudget *budget, gsize want);

/* Charge what one parse used: @fields header fields of @field_bytes bytes in
 * @parts parts (clamped at zero left). @cut: the parse was cut short by the
 * budget (marks it exhausted). */
void usc_budget_charge (UscBudget *budget, guint fields, gsize field_bytes, guint parts,
                        gboolean cut);

G_END_DECLS
#endif
