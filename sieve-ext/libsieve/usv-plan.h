/* usv-plan.h — from what the script did (usv-run.h) to where the message
 * goes: RFC 5228's implicit keep, with unscatter-sieve's rule that every
 * doubt keeps the message in the inbox.
 */
#ifndef USV_PLAN_H
#define USV_PLAN_H

#include <glib.h>
#include "usv-run.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *folders;   /* where to store, in the order the script asked: char*
                           Maildir++ folder names, "" for the inbox; each once */
  gboolean   discard;   /* store nothing (folders is then empty) */
  GPtrArray *notes;     /* char*: log lines saying why the message was kept
                           (parse errors, a crash, a refused redirect, ...) */
} UsvPlan;

/* Decide for @out. The message is stored in the inbox (and nowhere else)
 * when the evaluation did not complete (crash, time-out, failure), when the
 * script did not compile (each error a note), when libsieve reported an
 * error. Otherwise: keep and fileinto "INBOX" (any case) store in the inbox,
 * fileinto NAME in folder NAME (checked when storing: usc-maildir refuses
 * names that could leave the Maildir), a refused action (redirect) also keeps
 * (a note says so), and with no keep/fileinto at all: discard when the script
 * discarded, else the implicit keep. Clear with usv_plan_clear(). */
void usv_plan_make (const UsvOutcome *out, UsvPlan *plan);
void usv_plan_clear (UsvPlan *plan);

G_END_DECLS
#endif
