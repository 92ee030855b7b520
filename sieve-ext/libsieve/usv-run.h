/* usv-run.h — one evaluation of a Sieve script by libsieve, in this process:
 * a fresh libsieve context per call (libsieve keeps state in its context and
 * in globals, and is not thread-safe: never share one, never run two at once),
 * the callbacks that collect the script's actions, and what came out.
 *
 * Registered: keep, discard, fileinto, and redirect — redirect is part of
 * base Sieve (no `require` can turn it off), so its callback is registered to
 * REFUSE it: nothing is ever sent. reject, vacation and notify are not
 * registered, so a script that requires them does not compile. Neither
 * imap4flags' flags nor subaddress are supported.
 *
 * libsieve crashes on some scripts (`envelope :is "auth" ""`): call this in
 * a child process (usv-child.h), never in the delivering process.
 */
#ifndef USV_RUN_H
#define USV_RUN_H

#include <glib.h>
#include "usv-view.h"

G_BEGIN_DECLS

typedef enum {
  USV_ACTION_KEEP,
  USV_ACTION_DISCARD,
  USV_ACTION_FILEINTO,   /* arg: the mailbox name, as the script wrote it */
  USV_ACTION_REFUSED     /* arg: what was refused, e.g. "redirect to <a@b>" */
} UsvActionType;

typedef struct {
  UsvActionType type;
  char         *arg;     /* owned; NULL for keep and discard */
} UsvAction;

/* How the evaluation ended. */
typedef enum {
  USV_STATUS_DONE,       /* libsieve returned (rc says how) */
  USV_STATUS_CRASHED,    /* the evaluating process died or exited abnormally */
  USV_STATUS_TIMEOUT,    /* the evaluating process took too long and was killed */
  USV_STATUS_FAILED      /* the evaluation could not be run (fork, pipe, garbled report) */
} UsvStatus;

/* Everything an evaluation produced. Owned members; usv_outcome_clear(). */
typedef struct {
  UsvStatus  status;
  char      *status_detail;   /* for CRASHED/TIMEOUT/FAILED: e.g. "killed by signal 11" */
  int        rc;              /* sieve2_execute()'s return (SIEVE2_OK ...), DONE only */
  GArray    *actions;         /* UsvAction, in the order the script ran them */
  GPtrArray *parse_errors;    /* char*: "line N: message" (libsieve reports them only
                                 through its callback: sieve2_execute returns OK) */
  GPtrArray *runtime_errors;  /* char* */
} UsvOutcome;

void usv_outcome_init (UsvOutcome *out);
void usv_outcome_clear (UsvOutcome *out);
/* Append an action (@arg copied; may be NULL). */
void usv_outcome_add_action (UsvOutcome *out, UsvActionType type, const char *arg);

/* Evaluate @script (NUL-terminated Sieve text) against @view with a fresh
 * libsieve context, filling @out (initialised by the caller) with status
 * DONE. Returns out->rc. */
int usv_run (const char *script, const UsvView *view, UsvOutcome *out);

/* libsieve's text for @rc (static). */
const char *usv_rc_text (int rc);

G_END_DECLS
#endif
