/* usc-classify.h — the pipeline every front end shares (the CLI's check,
 * filter and deliver, the Sieve plugin, unscatter-sieve): message -> bounce
 * analysis -> envelope -> record and BATV keys -> verdict.
 *
 * A UscContext holds one user's configuration and, opened on first use, the
 * user's record and BATV keys. A one-message process makes one; a long-lived
 * one (Dovecot LMTP) makes one per user and delivery and frees it after. The
 * library never prints: syslog and stderr stay in the front ends.
 */
#ifndef USC_CLASSIFY_H
#define USC_CLASSIFY_H

#include <glib.h>
#include "usc-message.h"
#include "usc-bounce.h"
#include "usc-envelope.h"
#include "usc-verdict.h"
#include "usc-config.h"
#include "usc-record.h"
#include "usc-batv.h"
#include "usc-received.h"
#include "usc-sentdir.h"

G_BEGIN_DECLS

typedef struct _UscContext UscContext;

/* A context for the user whose home is @home, or (@home NULL) for the
 * calling process's user as the CLI sees it.
 *   @config_path: the config file (must exist); NULL: the default,
 *     @home/.config/unscatter/config with @home, else
 *     $XDG_CONFIG_HOME/unscatter/config (each only if it exists).
 *   @record_path: the record; NULL: with @home, the config's record.path,
 *     else @home/.local/share/unscatter/record.db ($UNSCATTER_DB is not
 *     read: it belongs to the process, not the user); without @home as
 *     usc_config_record_path() (--db, $UNSCATTER_DB, record.path, XDG).
 *   BATV keys: the config's batv.keys, else @home/.config/unscatter/batv-keys
 *     (or $XDG_CONFIG_HOME/unscatter/batv-keys), only if it exists.
 * All strings are copied. NULL with @error (USC_ERROR_CONFIG, ...) on a bad
 * config. Free with usc_context_free(). */
UscContext *usc_context_new (const char *home, const char *config_path,
                             const char *record_path, GError **error);
void usc_context_free (UscContext **ctx);

/* The configuration (owned by @ctx). */
const UscConfig *usc_context_config (const UscContext *ctx);
/* The record's path (owned by @ctx). */
const char *usc_context_record_path (const UscContext *ctx);

/* The record, opened on first call (read-write, created if @create; a record
 * we may not write is opened read-only). Owned by @ctx. NULL with *@error on
 * failure (the message names the path once); NULL with no error when no
 * record exists and @create is FALSE. */
UscRecord *usc_context_record (UscContext *ctx, gboolean create, GError **error);

/* Close the record (committing what was written); the next
 * usc_context_record() opens it again. */
void usc_context_close_record (UscContext *ctx);

/* TRUE when usc_context_record() found no record file. */
gboolean usc_context_record_absent (const UscContext *ctx);

/* BATV keys, loaded on first call (owned by @ctx); NULL with no error when
 * there is no keys file; NULL with @error when the file is unusable. */
UscBatvKeys *usc_context_keys (UscContext *ctx, GError **error);

/* The Sent folder read at delivery (usc-sentdir.h): one bounded step over
 * the Sent folders of the Maildir @maildir ([record] sent_folder,
 * sent_folder_max_ms; nothing when sent_folder = none). The record is
 * created only when a folder holds a file. Adds to @stats (zero it first).
 * TRUE when done or nothing to do; FALSE with @error when the record failed
 * (the delivery goes on: the caller logs it; the record is closed again so
 * that usc_classify() opens it afresh and fails as it would have). While a
 * folder is unfinished (stats->pending), usc_classify() calls a miss in the
 * record "unknown", not "backscatter": the missing original may be among
 * the files not read yet. */
gboolean usc_context_import_sent (UscContext *ctx, const char *maildir, UscSentdirStats *stats,
                                  GError **error);

/* The keys of X-Unscatter-Sig (usc-sign.h): the file [sign] keys names
 * (it must exist), else the BATV keys (usc_context_keys). Owned by @ctx;
 * NULL with no error when there are none, NULL with @error when unusable
 * (a file others can read: USC_ERROR_UNSAFE). */
UscBatvKeys *usc_context_sign_keys (UscContext *ctx, GError **error);

/* The outcome for one message. Every member is owned by the result: clear it
 * with usc_result_clear(). */
typedef struct {
  UscBounce   *bounce;
  UscEnvelope  envelope;
  UscVerdict  *verdict;
  /* For a bounce: the first external relay of its Received chain
   * (usc_received_first_external_of), internal being the envelope
   * recipient's domain, the config's [report] internal_hosts and the
   * built-in private ranges; all NULL when there is none. */
  UscReceivedHop relay;
} UscResult;

/* Classify @msg (borrowed) for the delivery to @recipient from @sender (the
 * envelope as the delivery agent knows it; NULL: from the environment and
 * the headers, see usc_envelope_find()). The record and keys are read only
 * for bounces. TRUE with *@result filled; FALSE with @error when something
 * failed — USC_ERROR_PARSE / USC_ERROR_LIMIT when the message itself cannot
 * be judged, anything else (record, keys, I/O) a temporary failure of ours;
 * *@result is then empty. */
gboolean usc_classify (UscContext *ctx, UscMessage *msg, const char *recipient,
                       const char *sender, UscResult *result, GError **error);
void usc_result_clear (UscResult *result);

/* TRUE when @error says the message itself cannot be judged (unparsable or
 * over a limit), as opposed to a failure of ours (I/O, record, config). */
gboolean usc_error_is_unjudgeable (const GError *error);

/* The two header fields filter, deliver and the Sieve runners add
 * (X-Unscatter-Verdict, X-Unscatter-Reason: usc_verdict_header_block()),
 * written in @msg's own line ending, to go at usc_message_fields_offset() of
 * the raw message. Returns new bytes. */
GBytes *usc_result_header_fields (const UscResult *result, const UscMessage *msg);

/* The decision log's row for @result (usc-record.h) at time @now, its
 * strings borrowed from @result except those in *@owned_r (free with
 * g_strfreev) — the forged sender without its BATV tag, the payload list. */
void usc_result_decision (const UscResult *result, gint64 now, UscDecision *d, char ***owned_r);

/* Count the decision in the record's decision log (for `unscatter stats`
 * and, for a bounce, with usc_result_decision()'s row for `unscatter report`,
 * at most [record] max_decisions rows kept):
 * only where a record exists, since ordinary mail must not create one, and
 * since a record created for a bounce would be an empty one (whose misses
 * prove nothing but would look like proof). A SQLite record is not opened
 * for it: the decision goes to the record's decision spool
 * (usc_record_spool_decision), folded into the record by the delivery that
 * makes it due and by whatever reads the counts; a Redis record, or a
 * spool that cannot be written, counts it in the record itself. TRUE when
 * counted or when there is no record; FALSE with @error when the record
 * failed. */
gboolean usc_context_count_decision (UscContext *ctx, const UscResult *result, GError **error);

/* One line for a log: "verdict=V kind=K id=<ID or -> action=A" with the
 * original's Message-ID (attacker-controlled) reduced to printable ASCII and
 * at most 199 bytes. Newly allocated. */
char *usc_result_summary (const UscResult *result);

G_END_DECLS
#endif
