/* cli.h — what the command front ends share: option conventions, the context
 * around the library's UscContext, decision logging, the delivery skeleton of
 * filter and deliver, error printing and the watchdog. The pipeline itself is
 * the library's (usc-classify.h).
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
#include "usc-classify.h"
#include "usc-sent.h"

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
  char             *opt_db;      /* --db */
  char             *opt_config;  /* --config */
  UscContext       *usc;         /* made by cli_context_init */
  const UscConfig  *config;      /* usc's configuration (borrowed) */
} CliContext;

/* GOptionEntry lines for --db and --config, pointing into @ctx. */
void cli_add_common_options (GOptionContext *oc, CliContext *ctx);

/* Load the configuration (the library's context for the calling user).
 * FALSE with @error on a bad config. */
gboolean cli_context_init (CliContext *ctx, GError **error);
void cli_context_clear (CliContext *ctx);

/* usc_context_record() / usc_context_keys() of @ctx's library context. */
UscRecord *cli_context_record (CliContext *ctx, gboolean create, GError **error);
UscBatvKeys *cli_context_keys (CliContext *ctx, GError **error);

/* After a verdict in deliver / filter mode (not check): count it in the
 * record's decision log (usc_context_count_decision: only when a record
 * exists) and, unless [log] syslog = false, syslog it (mail.info) as
 * "unscatter: " + usc_result_summary(). A failure is only a warning on
 * stderr: the decision stands. */
void cli_log_decision (CliContext *ctx, const UscResult *result);

/* The options and set-up the delivery front ends share (cli-delivery.c):
 * filter, deliver and unscatter-sieve. */
typedef struct {
  CliContext      ctx;          /* --db, --config; the library context */
  char           *opt_maildir;  /* --maildir */
  char           *opt_rcpt;     /* --recipient */
  char           *opt_sender;   /* --sender */
  char           *opt_user;     /* --user (delivering commands only) */
  gboolean        opt_help;
  char           *maildir;      /* set by cli_delivery_start(): the Maildir
                                   delivered to (deliver, sieve), or whose Sent
                                   folders are read (filter; NULL: none) */
  GOptionContext *oc;
  const char     *name;         /* "deliver", "filter", "sieve" (static) */
  gboolean        delivers;     /* stores into the Maildir (deliver, sieve) */
} CliDeliveryCmd;

/* Parse @argv of the front end @name ("deliver", "filter", "sieve": it
 * prefixes every message) into @c: --maildir, --recipient, --sender,
 * --help, --db, --config, and --user when @delivers (a command that stores
 * into the Maildir). @parameter is the usage line's summary. GLib's own
 * --help is off (it exits 0, which the MTA would take as delivered); ours
 * prints the help and returns FALSE, as does a usage error (printed as
 * "unscatter: NAME: ..."): the caller exits 75 either way. TRUE: go on,
 * with *@argc / *@argv holding the positional arguments (argv[0] the
 * command). Clear @c with cli_delivery_cmd_clear() in every case. */
gboolean cli_delivery_parse (CliDeliveryCmd *c, const char *name, gboolean delivers,
                             const char *parameter, int *argc, char ***argv);
/* After cli_delivery_parse() and the caller's check of the positional
 * arguments: become the --user (before anything is opened), resolve the
 * Maildir (delivering: --maildir or ~/Maildir, "~/" expanded; as root
 * without --user only a Maildir root owns; filter: --maildir, else
 * ~/Maildir when it is one, else none), load the config (cli_context_init)
 * and start the watchdog: it exits 75 after @rounds times the config's
 * max_seconds, plus twice its busy_timeout, plus @extra_seconds. FALSE with
 * the reason printed ("unscatter: NAME: ..."): exit 75. */
gboolean cli_delivery_start (CliDeliveryCmd *c, guint rounds, double extra_seconds);
void cli_delivery_cmd_clear (CliDeliveryCmd *c);

/* The read -> parse -> classify -> annotate skeleton that filter and deliver
 * share (cli-delivery.c). */
typedef struct {
  GBytes     *raw;         /* stdin as read, whole (no size limit: a message
                              too big to judge must still be passed on) */
  gsize       from_end;    /* length of a leading mbox "From " line, or 0 */
  gsize       insert_at;   /* where the added fields go in raw
                              (usc_message_fields_offset) */
  UscMessage *msg;         /* NULL when the message could not be parsed */
  UscResult   result;      /* filled when classified */
  gboolean    classified;
  GBytes     *fields;      /* X-Unscatter-Verdict/-Reason in the message's
                              line ending; NULL when not classified */
  GBytes     *lead, *rest; /* raw without its From line, cut at insert_at
                              (classified; else rest only: all of it) */
} CliDelivery;

/* Read stdin into @d, import what is new in the Sent folders of @maildir
 * (NULL: none; usc_context_import_sent: a failure there is a warning on
 * stderr, and with $UNSCATTER_VERBOSE set what it did is printed too),
 * parse the message within the configured limits and classify it for
 * @rcpt / @sender (may be NULL). TRUE when delivery can go on: either
 * classified, or the message itself cannot be judged (unparsable, over a
 * limit: d->classified FALSE, the reason printed to stderr as
 * "unscatter: NAME: REASON; ACTION"). FALSE with @error on a failure of
 * ours (stdin, record, keys, ...). Clear @d with cli_delivery_clear(). */
gboolean cli_delivery_classify (CliContext *ctx, const char *name, const char *unjudged_action,
                                const char *maildir, const char *rcpt, const char *sender,
                                CliDelivery *d, GError **error);
void cli_delivery_clear (CliDelivery *d);
/* The exit status of a delivery path (filter, deliver): CLI_EX_OK when
 * @delivered (the message was passed on or stored), CLI_EX_TEMPFAIL for
 * anything else, so the MTA keeps it and retries. Never another code: an
 * MTA bounces on those, which would make backscatter. */
int cli_delivery_exit (gboolean delivered);
/* What deliver and unscatter-sieve store, in @chunks (borrowed from @d):
 * classified, the input without its From line with the two fields at
 * insert_at (3 chunks); not, the input without its From line, unchanged
 * (1 chunk). Returns the number of chunks. */
guint cli_delivery_chunks (const CliDelivery *d, const GBytes *chunks[3]);

/* Storing like a delivery agent (cli-maildir.c), for deliver and
 * unscatter-sieve: exit only 0 or 75.
 * cli_delivery_signals(TRUE): fatal signals (crash, out of memory, the MTA's
 * SIGTERM) exit 75 until cli_delivered(), 0 after; SIGXFSZ ignored (an MTA's
 * file size limit shows as EFBIG); SIGPIPE ignored. FALSE puts the default
 * dispositions back (in a child process that must die visibly). */
void cli_delivery_signals (gboolean install);
/* The message is safe (stored or discarded): every way out from now on,
 * signals and the watchdog included, exits 0. */
void cli_delivered (void);
/* @dir, or ~/Maildir when NULL or empty, with a leading "~/" expanded from
 * $HOME (or the password file): Exim runs .forward pipes without a shell.
 * Newly allocated. */
char *cli_maildir_path (const char *dir);
/* Deliver @n chunks to @maildir / Maildir++ @folder (NULL: the inbox) with
 * the stop signals held; on success cli_delivered(). CLI_EX_OK, or
 * CLI_EX_TEMPFAIL with "unscatter: NAME: error" on stderr and *@unsafe_r
 * (may be NULL) set when the Maildir was refused as unsafe (USC_ERROR_UNSAFE:
 * a symlink planted in it). */
int cli_store (const char *name, const char *maildir, const char *folder,
               const GBytes *const *chunks, guint n, gboolean *unsafe_r);

/* Become the user @name (a login name, or a numeric uid) for good, before
 * anything is opened: initgroups(), setgid(), setuid(), checked (getting
 * root back must fail); then HOME, USER and LOGNAME are the user's, and
 * XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and UNSCATTER_DB (the
 * caller's, not the user's) are unset, so that every default is the
 * user's. Only root can become another user; naming oneself is a no-op.
 * FALSE with @error (USC_ERROR_UNSAFE) otherwise. */
gboolean cli_become_user (const char *name, GError **error);

/* Running as root without --user: TRUE when @path (a Maildir, existing or
 * not) belongs to root, i.e. its nearest existing ancestor is owned by uid
 * 0; else FALSE with @error saying to use --user. Delivering as root into
 * another user's Maildir would leave files its owner cannot read. */
gboolean cli_root_may_deliver (const char *path, GError **error);

/* Print "unscatter: CONTEXT: MESSAGE" to stderr. */
void cli_error (const char *context, const GError *error);
/* What cli_error() prints, appended to @out. */
void cli_error_append (GString *out, const char *context, const GError *error);

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
int cmd_report (int argc, char **argv);
int cmd_msgid (int argc, char **argv);

#endif
