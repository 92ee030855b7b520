/* cli.h — what the command front ends share: option conventions, the context
 * (config, record and BATV keys, opened lazily), the classification pipeline,
 * and the one place where results become exit codes.
 */
#ifndef USC_CLI_H
#define USC_CLI_H

#include <glib.h>
#include "usc-message.h"
#include "usc-bounce.h"
#include "usc-envelope.h"
#include "usc-verdict.h"
#include "usc-config.h"
#include "usc-record.h"
#include "usc-batv.h"

/* Exit codes (sysexits.h values where they apply). */
enum {
  CLI_EX_OK = 0,
  CLI_EX_NO = 1,          /* check: not backscatter; batv verify: invalid */
  CLI_EX_USAGE = 2,
  CLI_EX_DATAERR = 65,    /* bad input */
  CLI_EX_SOFTWARE = 70,
  CLI_EX_TEMPFAIL = 75
};

typedef struct {
  char        *opt_db;        /* --db */
  char        *opt_config;    /* --config */
  UscConfig   *config;        /* loaded by cli_context_init */
  UscRecord   *record;        /* opened on first use */
  gboolean     record_tried;
  gboolean     record_absent; /* no record file exists (nothing recorded yet) */
  UscBatvKeys *keys;          /* loaded on first use; NULL when no keys file */
  gboolean     keys_tried;
} CliContext;

/* GOptionEntry lines for --db and --config, pointing into @ctx. */
void cli_add_common_options (GOptionContext *oc, CliContext *ctx);

/* Load the configuration. FALSE with @error on a bad config. */
gboolean cli_context_init (CliContext *ctx, GError **error);
void cli_context_clear (CliContext *ctx);

/* The record, opened on first call (read-write, created if @create). Returns
 * NULL with *@error set on failure; NULL with no error when no record exists
 * and @create is FALSE. */
UscRecord *cli_context_record (CliContext *ctx, gboolean create, GError **error);

/* BATV keys, loaded on first call; NULL with no error when there is no keys
 * file; NULL with @error when the file is unusable. */
UscBatvKeys *cli_context_keys (CliContext *ctx, GError **error);

typedef struct {
  UscBounce   *bounce;
  UscEnvelope  envelope;
  UscVerdict  *verdict;
} CliResult;

/* message -> bounce analysis -> envelope -> verdict. FALSE with @error when
 * something failed (caller maps to its exit code). */
gboolean cli_classify (CliContext *ctx, UscMessage *msg, const char *opt_recipient,
                       const char *opt_sender, CliResult *result, GError **error);
void cli_result_clear (CliResult *result);

/* After a verdict in deliver / filter mode (not check): count it in the
 * record's decision log (for `unscatter stats`; only when a record exists)
 * and, unless [log] syslog = false, syslog it (mail.info):
 * "unscatter: verdict=V kind=K id=<original's Message-ID or -> action=A".
 * A failure is only a warning on stderr: the decision stands. */
void cli_log_decision (CliContext *ctx, const CliResult *result);

/* Recording sent mail (cmd-record.c, shared with cmd-sendmail.c). */
typedef struct {
  guint recorded, present, old, empty, bad;
} CliRecordCounts;

/* Read the header block of the message in @data (@len bytes; any line
 * endings; an mbox "From " line allowed) and add it to @record with the
 * recipients of To, Cc, Bcc, Resent-To/Cc/Bcc and @extra (envelope
 * recipients, may be NULL). Messages dated before @min_date (0: no limit)
 * are skipped. Updates @counts. Returns 1 added, 0 present or skipped,
 * -1 record failure (@error set; temporary), -2 not a message (@error set). */
int cli_record_message (UscRecord *record, const char *data, gsize len,
                        const char *const *extra, gint64 min_date,
                        CliRecordCounts *counts, GError **error);

/* "recorded 120, already present 3[, ...]" (newly allocated). */
char *cli_record_summary (const CliRecordCounts *counts, guint since_days);

/* Print "unscatter: CONTEXT: MESSAGE" to stderr. */
void cli_error (const char *context, const GError *error);

/* Ignore SIGPIPE, set up an alarm that ends a stuck process with @timeout_exit
 * after @seconds; 0 (or less) stops a running watchdog. */
void cli_set_watchdog (double seconds, int timeout_exit);

/* Commands: each gets argv with argv[0] = the command name. */
int cmd_check (int argc, char **argv);
int cmd_filter (int argc, char **argv);
int cmd_deliver (int argc, char **argv);
int cmd_record (int argc, char **argv);
int cmd_sendmail (int argc, char **argv);
int cmd_batv (int argc, char **argv);
int cmd_expire (int argc, char **argv);
int cmd_stats (int argc, char **argv);

#endif
