/* cli.c — shared plumbing of the command front ends: common options, the
 * lazily opened record and BATV keys, the classification pipeline, the
 * watchdog. Results become exit codes only in the cmd-*.c files.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <unistd.h>

void
cli_add_common_options (GOptionContext *oc, CliContext *ctx)
{
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &ctx->opt_db,
      "the sent-mail record (default $UNSCATTER_DB, record.path, $XDG_DATA_HOME/unscatter/record.db)", "PATH" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &ctx->opt_config,
      "configuration file (default $XDG_CONFIG_HOME/unscatter/config)", "PATH" },
    { NULL }
  };
  GOptionGroup *g = g_option_group_new ("common", "Common options", "Options every command takes", NULL, NULL);
  g_option_group_add_entries (g, entries);
  g_option_context_add_group (oc, g);
}

gboolean
cli_context_init (CliContext *ctx, GError **error)
{
  ctx->config = usc_config_load (ctx->opt_config, error);
  return ctx->config != NULL;
}

void
cli_context_clear (CliContext *ctx)
{
  usc_record_close (&ctx->record);
  usc_batv_keys_free (&ctx->keys);
  usc_config_free (&ctx->config);
  g_clear_pointer (&ctx->opt_db, g_free);
  g_clear_pointer (&ctx->opt_config, g_free);
}

UscRecord *
cli_context_record (CliContext *ctx, gboolean create, GError **error)
{
  if (ctx->record || (ctx->record_tried && !create))
    return ctx->record;
  ctx->record_tried = TRUE;
  char *path = usc_config_record_path (ctx->config, ctx->opt_db);
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    ctx->record_absent = TRUE;
    g_free (path);
    return NULL;
  }
  UscRecordOptions opts = { .busy_timeout = ctx->config->busy_timeout, .read_only = FALSE };
  ctx->record = usc_record_open (path, &opts, error);
  if (ctx->record == NULL && !create && access (path, W_OK) != 0
      && (errno == EACCES || errno == EPERM || errno == EROFS)) {
    /* A record we may not write (read-only file or file system) can still
     * be read: judge with it rather than defer the mail until it bounces. */
    GError *ro_error = NULL;
    opts.read_only = TRUE;
    ctx->record = usc_record_open (path, &opts, &ro_error);
    if (ctx->record != NULL && error)
      g_clear_error (error);
    g_clear_error (&ro_error);
  }
  if (ctx->record == NULL && error && *error)
    g_prefix_error (error, "record %s: ", path);
  g_free (path);
  return ctx->record;
}

UscBatvKeys *
cli_context_keys (CliContext *ctx, GError **error)
{
  if (ctx->keys_tried)
    return ctx->keys;
  ctx->keys_tried = TRUE;
  char *path = ctx->config->batv_keys
                 ? g_strdup (ctx->config->batv_keys)
                 : g_build_filename (g_get_user_config_dir (), "unscatter", "batv-keys", NULL);
  if (ctx->config->batv_keys || g_file_test (path, G_FILE_TEST_EXISTS))
    ctx->keys = usc_batv_keys_load (path, error);
  g_free (path);
  return ctx->keys;
}

gboolean
cli_classify (CliContext *ctx, UscMessage *msg, const char *opt_recipient,
              const char *opt_sender, CliResult *r, GError **error)
{
  memset (r, 0, sizeof *r);
  r->bounce = usc_bounce_analyze (msg, error);
  if (r->bounce == NULL)
    return FALSE;
  usc_envelope_find (&r->envelope, msg, opt_recipient, opt_sender);

  UscRecord *record = NULL;
  UscBatvKeys *keys = NULL;
  if (r->bounce->kind != USC_KIND_NOT_BOUNCE) {
    record = cli_context_record (ctx, FALSE, error);
    if (record == NULL && error && *error)
      return FALSE;
    keys = cli_context_keys (ctx, error);
    if (keys == NULL && error && *error)
      return FALSE;
  }
  r->verdict = usc_verdict_decide (r->bounce, &r->envelope, record, keys, ctx->config, error);
  return r->verdict != NULL;
}

void
cli_result_clear (CliResult *r)
{
  usc_bounce_free (&r->bounce);
  usc_envelope_clear (&r->envelope);
  usc_verdict_free (&r->verdict);
}

void
cli_log_decision (CliContext *ctx, const CliResult *r)
{
  if (r == NULL || r->verdict == NULL || r->bounce == NULL)
    return;
  const char *verdict = usc_verdict_name (r->verdict->verdict);
  const char *kind = usc_kind_name (r->bounce->kind);
  GError *error = NULL;
  /* Counted only where a record exists: ordinary mail must not create one. */
  UscRecord *record = cli_context_record (ctx, FALSE, &error);
  if ((record == NULL && error != NULL)
      || (record != NULL && usc_record_log_decision (record, usc_now (), verdict, kind, &error) < 0)) {
    cli_error ("warning: decision not counted", error);
    g_clear_error (&error);
  }
  if (ctx->config && !ctx->config->log_syslog)
    return;
  /* The Message-ID is attacker-controlled: printable ASCII, bounded. */
  char id[200] = "-";
  if (r->bounce->message_ids->len) {
    const char *s = r->bounce->message_ids->pdata[0];
    gsize n = 0;
    for (; s[n] && n < sizeof id - 1; n++)
      id[n] = (s[n] > 0x20 && s[n] < 0x7f) ? s[n] : '?';
    id[n] = '\0';
  }
  openlog ("unscatter", LOG_PID, LOG_MAIL);
  syslog (LOG_MAIL | LOG_INFO, "unscatter: verdict=%s kind=%s id=%s action=%s", verdict, kind,
          id, usc_action_name (r->verdict->action));
  closelog ();
}

void
cli_error (const char *context, const GError *error)
{
  if (context)
    fprintf (stderr, "unscatter: %s: %s\n", context, error ? error->message : "unknown error");
  else
    fprintf (stderr, "unscatter: %s\n", error ? error->message : "unknown error");
}

static volatile sig_atomic_t watchdog_exit = 75;

static void
on_alarm (int sig G_GNUC_UNUSED)
{
  static const char m[] = "unscatter: time limit exceeded\n";
  ssize_t n G_GNUC_UNUSED = write (2, m, sizeof m - 1);
  _exit (watchdog_exit);
}

void
cli_set_watchdog (double seconds, int timeout_exit)
{
  signal (SIGPIPE, SIG_IGN);
  if (seconds <= 0) {
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer (ITIMER_REAL, &off, NULL);
    return;
  }
  watchdog_exit = timeout_exit;
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction (SIGALRM, &sa, NULL);
  struct itimerval it = { { 0, 0 }, { (time_t) seconds, (suseconds_t) ((seconds - (time_t) seconds) * 1e6) } };
  setitimer (ITIMER_REAL, &it, NULL);
}
