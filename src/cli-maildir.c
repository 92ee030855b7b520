/* cli-maildir.c — storing a message the way the delivery agents do
 * (`unscatter deliver`, unscatter-sieve): the fatal-signal policy (75 until
 * the message is durably stored or discarded, 0 after), the stop signals held
 * while it is being stored, ~ in the Maildir path, and one store call that
 * answers 0 or 75. maildir(5) itself is usc-maildir.c's.
 */
#include "config.h"
#include "cli.h"
#include "usc-maildir.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What a fatal signal exits with: 75 until the message is durably stored
 * (or discarded), 0 after — a 75 then would make the MTA deliver it again. */
static volatile sig_atomic_t signal_exit = CLI_EX_TEMPFAIL;

/* SIGTRAP: GLib's g_error() (g_malloc() out of memory) raises it, not SIGABRT. */
static const int fatal_signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
                                     SIGXCPU, SIGTERM, SIGHUP, SIGINT };

static void
on_fatal_signal (int sig G_GNUC_UNUSED)
{
  /* Out of memory (GLib aborts), a bug, or the MTA stopping us: let the MTA
   * keep the message, unless it is already delivered. */
  _exit (signal_exit);
}

void
cli_delivery_signals (gboolean install)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
    signal (fatal_signals[i], install ? on_fatal_signal : SIG_DFL);
  if (install) {
    signal (SIGXFSZ, SIG_IGN);
    cli_set_watchdog (0, 0);  /* ignores SIGPIPE */
  } else {
    signal (SIGXFSZ, SIG_DFL);
    signal (SIGALRM, SIG_DFL);
  }
}

/* The signals by which the MTA stops us: held while the message is being
 * stored, so that a stored message is never answered with 75. */
static void
hold_stop_signals (gboolean hold)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  sigaddset (&set, SIGINT);
  sigprocmask (hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

char *
cli_maildir_path (const char *dir)
{
  if (dir == NULL || *dir == '\0')
    dir = "~/Maildir";
  if (dir[0] == '~' && (dir[1] == '/' || dir[1] == '\0'))
    return g_build_filename (g_get_home_dir (), dir + 1, NULL);
  return g_strdup (dir);
}

void
cli_delivered (void)
{
  signal_exit = CLI_EX_OK;
  signal (SIGALRM, on_fatal_signal);
}

int
cli_store (const char *name, const char *maildir, const char *folder,
           const GBytes *const *chunks, guint n, gboolean *unsafe_r)
{
  GError *error = NULL;
  if (unsafe_r)
    *unsafe_r = FALSE;
  hold_stop_signals (TRUE);
  if (usc_maildir_deliver (maildir, folder, chunks, n, NULL, &error) < 0) {
    hold_stop_signals (FALSE);
    cli_error (name, error);
    if (unsafe_r)
      *unsafe_r = g_error_matches (error, USC_ERROR, USC_ERROR_UNSAFE);
    g_clear_error (&error);
    return CLI_EX_TEMPFAIL;
  }
  cli_delivered ();
  hold_stop_signals (FALSE);
  return CLI_EX_OK;
}
