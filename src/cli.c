/* cli.c — shared plumbing of the command front ends: common options, the
 * library context (config, record, BATV keys: usc-classify.c), decision
 * logging, error printing, the watchdog. Results become exit codes only in the
 * cmd-*.c files.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
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

gboolean
cli_become_user (const char *name, GError **error)
{
  struct passwd *pw = NULL;
  if (name && *name) {
    pw = getpwnam (name);
    if (pw == NULL && g_ascii_isdigit (*name)) {
      char *end = NULL;
      guint64 uid = g_ascii_strtoull (name, &end, 10);
      if (end && *end == '\0' && uid <= G_MAXUINT32)
        pw = getpwuid ((uid_t) uid);
    }
  }
  if (pw == NULL) {
    char *shown = usc_display_escape (name ? name : "", -1);
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "--user %s: no such user", shown);
    g_free (shown);
    return FALSE;
  }
  uid_t uid = pw->pw_uid;
  gid_t gid = pw->pw_gid;
  char *login = g_strdup (pw->pw_name);
  char *home = g_strdup (pw->pw_dir);
  gboolean ok = TRUE;
  if (geteuid () != 0) {
    if (uid != geteuid () || uid != getuid ()) {
      g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "--user %s: only root can become another user", login);
      ok = FALSE;
    }
  } else if (initgroups (login, gid) != 0 || setgid (gid) != 0 || setuid (uid) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "--user %s: cannot become the user: %s", login, g_strerror (e));
    ok = FALSE;
  } else if (getuid () != uid || geteuid () != uid || getgid () != gid || getegid () != gid
             || (uid != 0 && setuid (0) == 0)) {
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "--user %s: privileges were not dropped", login);
    ok = FALSE;
  }
  if (ok) {
    g_setenv ("HOME", home, TRUE);
    g_setenv ("USER", login, TRUE);
    g_setenv ("LOGNAME", login, TRUE);
    static const char *const unset[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "UNSCATTER_DB" };
    for (gsize i = 0; i < G_N_ELEMENTS (unset); i++)
      g_unsetenv (unset[i]);
  }
  g_free (login);
  g_free (home);
  return ok;
}

gboolean
cli_root_may_deliver (const char *path, GError **error)
{
  char *p = g_strdup (path);
  struct stat st;
  for (;;) {
    if (stat (p, &st) == 0)   /* the Maildir path is followed when delivering: so here */
      break;
    char *up = g_path_get_dirname (p);
    if (strcmp (up, p) == 0) {
      g_free (up);
      st.st_uid = 0;
      break;
    }
    g_free (p);
    p = up;
  }
  gboolean ok = st.st_uid == 0;
  if (!ok) {
    char *shown = usc_display_escape (p, -1);
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE,
                 "running as root, and %s belongs to uid %ld: refusing to deliver as root into another "
                 "user's Maildir (use --user NAME to deliver as that user)", shown, (long) st.st_uid);
    g_free (shown);
  }
  g_free (p);
  return ok;
}

void
cli_error_append (GString *out, const char *context, const GError *error)
{
  /* file names and error texts may carry bytes from a message or a path:
   * one line, no controls (usc_display_escape) */
  char *m = usc_display_escape (error ? error->message : "unknown error", -1);
  char *c = context ? usc_display_escape (context, -1) : NULL;
  if (c)
    g_string_append_printf (out, "unscatter: %s: %s\n", c, m);
  else
    g_string_append_printf (out, "unscatter: %s\n", m);
  g_free (c);
  g_free (m);
}

void
cli_error (const char *context, const GError *error)
{
  GString *s = g_string_new (NULL);
  cli_error_append (s, context, error);
  fputs (s->str, stderr);
  g_string_free (s, TRUE);
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
