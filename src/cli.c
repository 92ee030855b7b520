/* cli.c — shared plumbing of the command front ends: common options, the
 * library context (config, record, BATV keys: usc-classify.c), decision
 * logging, error printing, the watchdog. Results become exit codes only in the
 * cmd-*.c files.
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
  ctx->usc = usc_context_new (NULL, ctx->opt_config, ctx->opt_db, error);
  ctx->config = ctx->usc ? usc_context_config (ctx->usc) : NULL;
  return ctx->usc != NULL;
}

void
cli_context_clear (CliContext *ctx)
{
  usc_context_free (&ctx->usc);
  ctx->config = NULL;
  g_clear_pointer (&ctx->opt_db, g_free);
  g_clear_pointer (&ctx->opt_config, g_free);
}

UscRecord *
cli_context_record (CliContext *ctx, gboolean create, GError **error)
{
  return usc_context_record (ctx->usc, create, error);
}

UscBatvKeys *
cli_context_keys (CliContext *ctx, GError **error)
{
  return usc_context_keys (ctx->usc, error);
}

void
cli_log_decision (CliContext *ctx, const UscResult *r)
{
  if (r == NULL || r->verdict == NULL || r->bounce == NULL)
    return;
  GError *error = NULL;
  if (!usc_context_count_decision (ctx->usc, r, &error)) {
    cli_error ("warning: decision not counted", error);
    g_clear_error (&error);
  }
  if (ctx->config && !ctx->config->log_syslog)
    return;
  char *line = usc_result_summary (r);
  openlog ("unscatter", LOG_PID, LOG_MAIL);
  syslog (LOG_MAIL | LOG_INFO, "unscatter: %s", line);
  closelog ();
  g_free (line);
}

void
cli_error (const char *context, const GError *error)
{
  /* file names and error texts may carry bytes from a message or a path:
   * one line, no controls (usc_display_escape) */
  char *m = usc_display_escape (error ? error->message : "unknown error", -1);
  char *c = context ? usc_display_escape (context, -1) : NULL;
  if (c)
    fprintf (stderr, "unscatter: %s: %s\n", c, m);
  else
    fprintf (stderr, "unscatter: %s\n", m);
  g_free (c);
  g_free (m);
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
