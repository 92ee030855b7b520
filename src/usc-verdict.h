/* usc-verdict.h — from evidence to a verdict, its reasons and the action.
 *
 * Order of evidence (strongest first): a valid X-Unscatter-Sig in the
 * returned original (legitimate), a BATV tag on the envelope recipient
 * (valid -> legitimate; bad/stale/future -> backscatter; missing with
 * batv.require -> backscatter); an invalid X-Unscatter-Sig (or none while
 * sign.require is set) -> backscatter; an executable payload (backscatter,
 * unless an original Message-ID is in the record: legitimate); original
 * Message-IDs looked up in the record (any found -> legitimate, none ->
 * backscatter); failed recipients the user mailed within the window before the
 * bounce (legitimate, else backscatter); nothing -> unknown.
 */
#ifndef USC_VERDICT_H
#define USC_VERDICT_H

#include <glib.h>
#include "usc-bounce.h"
#include "usc-envelope.h"
#include "usc-record.h"
#include "usc-batv.h"
#include "usc-config.h"
#include "usc-sign.h"

G_BEGIN_DECLS

typedef struct {
  UscVerdictKind verdict;
  UscAction      action;       /* from the config for this verdict */
  GPtrArray     *reasons;      /* owned char*, human-readable, most decisive first */
  gboolean       batv_checked; /* a tag was looked for */
  UscBatvResult  batv;         /* what BATV said (status NONE when no tag) */
  gint64         record_size;  /* entries in the record, -1 when no record */
  UscSignStatus  sign;         /* the returned original's X-Unscatter-Sig (NONE: absent or not checked) */
  int            sign_key;     /* its key number, -1 unknown */
  gint64         sign_day;     /* its day, -1 unknown */
} UscVerdict;

/* Decide for @bounce. @record and @keys may be NULL (no record / no BATV keys).
 * Returns a new verdict, or NULL with @error when the record failed (the caller
 * must then treat the message as not decided: temporary failure). */
UscVerdict *usc_verdict_decide (const UscBounce *bounce, const UscEnvelope *envelope,
                                UscRecord *record, const UscBatvKeys *keys,
                                const UscConfig *config, GError **error);

/* The same with the keys of X-Unscatter-Sig (usc-sign.h) apart from the
 * BATV keys: @sign_keys may be NULL (no signature is then checked; one
 * present is only noted). usc_verdict_decide() uses @keys for both. The
 * signature comes beside BATV: a valid one -> legitimate (before BATV, so
 * that a bounce delayed past the BATV tag's week still proves itself); a
 * forged, stale (older than record.expire_days), future-dated or
 * unknown-key one -> backscatter (after a BATV tag, which may still prove
 * it); none in a returned copy of the original while sign.require is set ->
 * backscatter. */
UscVerdict *usc_verdict_decide_signed (const UscBounce *bounce, const UscEnvelope *envelope,
                                       UscRecord *record, const UscBatvKeys *keys,
                                       const UscBatvKeys *sign_keys, const UscConfig *config,
                                       GError **error);

void usc_verdict_free (UscVerdict **verdict);

/* Change @verdict's verdict to @kind (its action from @config) and add
 * @reason (copied) after its reasons. */
void usc_verdict_override (UscVerdict *verdict, UscVerdictKind kind, const UscConfig *config,
                           const char *reason);

/* The two header fields filter and deliver add, each ending in "\n" (the
 * caller converts line endings): "X-Unscatter-Verdict: backscatter (dsn)\n"
 * "X-Unscatter-Reason: ...\n" (folded, printable ASCII only). Newly allocated. */
char *usc_verdict_header_block (const UscVerdict *verdict, const UscBounce *bounce);

G_END_DECLS
#endif
