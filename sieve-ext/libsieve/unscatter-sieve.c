/* unscatter-sieve.c — `unscatter-sieve [--maildir DIR] [--recipient A]
 * [--sender A] SCRIPT`: Sieve (RFC 5228) without Dovecot, for procmail,
 * maildrop and ~/.forward users. The message on stdin is classified like
 * `unscatter deliver` does (cli-delivery.c: the same options, set-up and
 * skeleton), the user's SCRIPT runs on it through libsieve with the verdict
 * visible as synthetic header fields (usv-view.h), and the message is
 * stored by the script's actions: keep (DIR/new), fileinto NAME (the
 * Maildir++ folder DIR/.NAME/), discard.
 *
 * The stored message is what `deliver` stores: the input byte for byte,
 * without a leading mbox "From " line, with X-Unscatter-Verdict and
 * X-Unscatter-Reason added (a message that cannot be judged: unchanged, in
 * the inbox, the script not run).
 *
 * Exit status: ONLY 0 or 75, as `deliver` (see cmd-deliver.c; the signal and
 * storing policy is cli-maildir.c's). Everything about the script keeps the
 * message and exits 0, with a line on stderr and in syslog: a script that is
 * missing or does not compile, libsieve crashing or hanging (it runs in a
 * child process: usv-child.c), a redirect (refused: a filter sends no mail),
 * a folder that cannot be used (the inbox instead).
 */
#include "config.h"
#include "cli.h"
#include "usv-view.h"
#include "usv-child.h"
#include "usv-plan.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* A line on stderr and, unless [log] syslog = false, in syslog (mail.warning):
 * Postfix and Exim show nothing of a successful pipe delivery's stderr. */
static void
note (const CliContext *ctx, const char *script, const char *line)
{
  fprintf (stderr, "unscatter: sieve: %s: %s\n", script, line);
  if (ctx->config && !ctx->config->log_syslog)
    return;
  openlog ("unscatter", LOG_PID, LOG_MAIL);
  syslog (LOG_MAIL | LOG_WARNING, "unscatter: sieve: %s: %s", script, line);
  closelog ();
}

/* Store @chunks in each folder of @plan; a folder that fails gets its copy
 * in the inbox instead — unless the Maildir was refused as unsafe (a symlink
 * planted in it: a sign of tampering, deliver defers too). 0 once a copy is
 * stored (a 75 then would store it twice), 75 when none could be. */
static int
store_plan (const CliContext *ctx, const char *script, const char *maildir, const UsvPlan *plan,
            const GBytes *const *chunks, guint n)
{
  gboolean stored = FALSE, inbox_done = FALSE, inbox_wanted = FALSE, unsafe = FALSE;
  for (guint i = 0; i < plan->folders->len; i++) {
    const char *folder = plan->folders->pdata[i];
    if (*folder == '\0') {
      if (inbox_done)
        continue;
      if (cli_store ("sieve", maildir, NULL, chunks, n, NULL) == CLI_EX_OK)
        stored = inbox_done = TRUE;
      continue;
    }
    gboolean folder_unsafe = FALSE;
    if (cli_store ("sieve", maildir, folder, chunks, n, &folder_unsafe) == CLI_EX_OK) {
      stored = TRUE;
      continue;
    }
    unsafe |= folder_unsafe;
    char *shown = g_strescape (folder, NULL);
    char *line = g_strdup_printf (folder_unsafe ? "fileinto \"%s\" refused (unsafe Maildir)"
                                                : "fileinto \"%s\" failed: delivering to the inbox instead", shown);
    note (ctx, script, line);
    g_free (line);
    g_free (shown);
    inbox_wanted = !folder_unsafe || inbox_wanted;
  }
  if (inbox_wanted && !inbox_done && !unsafe
      && cli_store ("sieve", maildir, NULL, chunks, n, NULL) == CLI_EX_OK)
    stored = TRUE;
  return stored ? CLI_EX_OK : CLI_EX_TEMPFAIL;
}

/* Read @path. NULL with *@missing TRUE when it does not exist (the caller
 * keeps the message), NULL with @error on any other failure (defer). */
static char *
read_script (const char *path, gboolean *missing, GError **error)
{
  char *text = NULL;
  gsize len = 0;
  GError *local = NULL;
  *missing = FALSE;
  if (!g_file_get_contents (path, &text, &len, &local)) {
    if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      *missing = TRUE;
      g_clear_error (&local);
    } else {
      g_propagate_error (error, local);
    }
    return NULL;
  }
  if (memchr (text, '\0', len)) {
    /* libsieve reads a C string: what follows a NUL would be silently
     * ignored. Let the parser see the truncation point as an error. */
    *strchr (text, '\0') = '\0';
  }
  return text;
}

static int
run (int argc, char **argv)
{
  cli_delivery_signals (TRUE);  /* 75 on a crash until stored (cli-maildir.c) */

  CliDeliveryCmd c;
  char *script = NULL;
  GError *error = NULL;
  int rc = CLI_EX_TEMPFAIL;
  CliDelivery d = { 0 };
  UsvView *view = NULL;
  UsvOutcome outcome = { 0 };
  UsvPlan plan = { 0 };

  if (!cli_delivery_parse (&c, "sieve", TRUE,
                           "SCRIPT — run the Sieve SCRIPT on the message on stdin, deliver into a Maildir (exit 0 or 75 only)",
                           &argc, &argv))
    goto out;
  if (argc != 2) {
    fprintf (stderr, argc < 2 ? "unscatter: sieve: no SCRIPT given\n"
                              : "unscatter: sieve: one SCRIPT only (the message is read from stdin)\n");
    goto out;
  }
  const char *script_path = argv[1];
  /* The user, the Maildir, the config as deliver; the watchdog: judging,
   * then the script's own time limit, then storing. */
  if (!cli_delivery_start (&c, 3, 30))
    goto out;
  const CliContext *ctx = &c.ctx;
  const char *maildir = c.maildir;
  const UscLimits *limits = &ctx->config->limits;

  /* The Sent folders of the Maildir are imported first, as deliver does. */
  if (!cli_delivery_classify (&c.ctx, "sieve", "delivered to the inbox unfiltered", maildir,
                              c.opt_rcpt, c.opt_sender, &d, &error)) {
    cli_error ("sieve", error);
    goto out;
  }
  gsize rlen = g_bytes_get_size (d.raw);
  const GBytes *chunks[3];
  guint n_chunks = cli_delivery_chunks (&d, chunks);
  if (!d.classified) {
    /* Nothing to judge, and no header fields to show a script: the inbox,
     * unchanged (but for a From line), as deliver does. */
    rc = cli_store ("sieve", maildir, NULL, chunks, n_chunks, NULL);
    goto out;
  }

  gboolean missing = FALSE;
  script = read_script (script_path, &missing, &error);
  usv_outcome_init (&outcome);
  if (script == NULL && !missing) {
    /* Unreadable (permissions, I/O): a temporary failure, as Dovecot's. */
    cli_error ("sieve", error);
    goto out;
  }
  if (script == NULL) {
    outcome.status = USV_STATUS_FAILED;
    outcome.status_detail = g_strdup ("no such script");
  } else {
    view = usv_view_new (d.msg->mime, &d.result, rlen - d.from_end);
    usv_run_isolated (script, view, limits->max_seconds, &outcome);
  }
  usv_plan_make (&outcome, &plan);
  for (guint i = 0; i < plan.notes->len; i++)
    note (ctx, script_path, plan.notes->pdata[i]);

  if (plan.discard) {
    cli_delivered ();
    rc = CLI_EX_OK;
  } else {
    rc = store_plan (ctx, script_path, maildir, &plan, chunks, n_chunks);
  }
  if (rc == CLI_EX_OK)
    cli_log_decision (&c.ctx, &d.result);

out:
  g_clear_error (&error);
  usv_plan_clear (&plan);
  if (outcome.actions)
    usv_outcome_clear (&outcome);
  usv_view_free (&view);
  cli_delivery_clear (&d);
  cli_delivery_cmd_clear (&c);
  g_free (script);
  return rc == CLI_EX_OK ? CLI_EX_OK : CLI_EX_TEMPFAIL;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_mime_init ();
  int rc = run (argc, argv);
  g_mime_shutdown ();
  return rc;
}
