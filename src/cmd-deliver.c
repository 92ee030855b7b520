/* cmd-deliver.c — `unscatter deliver [--maildir DIR] [--recipient A] [--sender A]`:
 * a local delivery agent for ~/.forward (Postfix local(8), Exim, sendmail).
 *
 * Classifies the message on stdin, then per the configured action for its
 * verdict delivers it to the Maildir DIR (new/), files it into the Maildir++
 * folder DIR/.<folder>/ (default "Backscatter"), or discards it (only when
 * configured). The stored message is the input byte for byte, with the two
 * header fields `filter` adds (X-Unscatter-Verdict, X-Unscatter-Reason) at the
 * top (after any lines that begin with a blank before the first field: see
 * usc_message_fields_offset), and without a leading mbox "From " line (Postfix local(8) prepends
 * one to piped messages; a Maildir file has none). Delivery follows
 * maildir(5): see usc-maildir.c.
 *
 * Exit status: ONLY 0 (delivered, filed or discarded) or 75 (EX_TEMPFAIL: the
 * MTA keeps the message and retries). Postfix and Exim bounce on any other
 * code, which would create backscatter. So:
 *   - usage errors, a bad config, an unreadable stdin, a record that is
 *     locked past its busy timeout, unreadable or corrupt, a BATV key file
 *     that is unusable, any I/O error while delivering (full disk, quota,
 *     permissions), out of memory, a crash, SIGTERM and the watchdog: 75;
 *   - a message that cannot be parsed at all, or is over the size/header
 *     limits, is not a failure of ours and would be deferred forever: it is
 *     delivered to the inbox unchanged (no headers added) with exit 0;
 *   - everything else: 0 once the message is durably in new/. From then on
 *     a signal, a crash or the watchdog (logging the decision can wait on a
 *     locked record) exits 0 too: a 75 would have it delivered twice. SIGTERM,
 *     SIGHUP and SIGINT are held while the message is being stored.
 * SIGXFSZ is ignored so that an MTA's file size limit shows as EFBIG (75).
 * The storing and the signal policy are cli-maildir.c's (shared with
 * unscatter-sieve).
 *
 * DIR defaults to ~/Maildir; a leading "~/" is expanded here from $HOME (or
 * the password file), since Exim runs .forward pipes without a shell.
 */
#include "config.h"
#include "cli.h"

#include <stdio.h>
#include <unistd.h>

/* Deliver @n chunks to @maildir / @folder; 0 or 75. *@unsafe_r (may be
 * NULL) is set when the Maildir was refused as unsafe (a symlink in it). */
static int
store (const char *maildir, const char *folder, const GBytes *const *chunks, guint n, gboolean *unsafe_r)
{
  return cli_store ("deliver", maildir, folder, chunks, n, unsafe_r);
}

int
cmd_deliver (int argc, char **argv)
{
  cli_delivery_signals (TRUE);  /* 75 on a crash until stored (cli-maildir.c) */

  CliContext ctx = { 0 };
  gboolean opt_help = FALSE;
  char *opt_maildir = NULL, *opt_rcpt = NULL, *opt_sender = NULL, *opt_user = NULL, *maildir = NULL;
  GOptionEntry entries[] = {
    { "maildir", 'm', 0, G_OPTION_ARG_FILENAME, &opt_maildir, "the Maildir to deliver to (default ~/Maildir)", "DIR" },
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &opt_rcpt, "envelope recipient of the delivery", "ADDR" },
    { "sender", 's', 0, G_OPTION_ARG_STRING, &opt_sender, "envelope sender of the delivery", "ADDR" },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &opt_user, "as root: become this user before anything else (required as root unless the Maildir is root's)", "NAME" },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &opt_help, "show this help (exit 75)", NULL },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("— deliver the message on stdin into a Maildir (exit 0 or 75 only)");
  g_option_context_add_main_entries (oc, entries, NULL);
  /* GLib's own --help exits 0: the MTA (procmail) would take the message as
   * delivered (as this help text). Ours exits 75 like any usage error. */
  g_option_context_set_help_enabled (oc, FALSE);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  int rc = CLI_EX_TEMPFAIL;
  CliDelivery d = { 0 };
  GBytes *lead = NULL, *rest = NULL;

  if (!g_option_context_parse (oc, &argc, &argv, &error)) {
    cli_error ("deliver", error);
    goto out;
  }
  if (opt_help) {
    char *help = g_option_context_get_help (oc, FALSE, NULL);
    fputs (help, stdout);
    g_free (help);
    goto out;
  }
  if (argc > 1) {
    fprintf (stderr, "unscatter: deliver: unexpected argument '%s' (the message is read from stdin)\n", argv[1]);
    goto out;
  }
  /* Root: become the user named by --user before anything is opened (the
   * config, the record and the Maildir are then the user's); without it,
   * deliver only into a Maildir that is root's own. */
  if (opt_user && !cli_become_user (opt_user, &error)) {
    cli_error ("deliver", error);
    goto out;
  }
  maildir = cli_maildir_path (opt_maildir);
  if (opt_user == NULL && geteuid () == 0 && !cli_root_may_deliver (maildir, &error)) {
    cli_error ("deliver", error);
    goto out;
  }
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("deliver", error);
    goto out;
  }
  const UscLimits *limits = &ctx.config->limits;
  cli_set_watchdog (limits->max_seconds * 2 + ctx.config->busy_timeout * 2 + 30, CLI_EX_TEMPFAIL);

  if (!cli_delivery_classify (&ctx, "deliver", "delivered to the inbox unfiltered", maildir,
                              opt_rcpt, opt_sender, &d, &error)) {
    /* stdin unreadable, record locked / unreadable / corrupt, keys unusable, ...: defer. */
    cli_error ("deliver", error);
    goto out;
  }
  gsize rlen = g_bytes_get_size (d.raw);
  if (!d.classified) {
    /* Nothing we can judge: the inbox, unchanged (but for a From line),
     * rather than defer forever. */
    rest = g_bytes_new_from_bytes (d.raw, d.from_end, rlen - d.from_end);
    const GBytes *chunks[] = { rest };
    rc = store (maildir, NULL, chunks, 1, NULL);
    goto out;
  }

  /* The input without its From line, the two fields at insert_at. */
  lead = g_bytes_new_from_bytes (d.raw, d.from_end, d.insert_at - d.from_end);
  rest = g_bytes_new_from_bytes (d.raw, d.insert_at, rlen - d.insert_at);
  const GBytes *chunks[] = { lead, d.fields, rest };
  const guint n_chunks = G_N_ELEMENTS (chunks);
  switch (d.result.verdict->action) {
  case USC_ACTION_DISCARD:
    cli_delivered ();
    rc = CLI_EX_OK;
    break;
  case USC_ACTION_FILE: {
    gboolean unsafe = FALSE;
    rc = store (maildir, ctx.config->folder ? ctx.config->folder : "Backscatter", chunks, n_chunks, &unsafe);
    /* A folder that cannot be used (a file in its place, no permission) is
     * not worth deferring for: the queue would give up after days and the
     * message would be lost. The inbox gets it, verdict headers and all.
     * But a symlink planted in the Maildir is a sign of tampering: defer
     * (75) until someone looks, rather than deliver next to it. */
    if (rc != CLI_EX_OK && !unsafe) {
      fprintf (stderr, "unscatter: deliver: filing failed, delivering to the inbox instead\n");
      rc = store (maildir, NULL, chunks, n_chunks, NULL);
    }
    break;
  }
  case USC_ACTION_DELIVER:
  default:
    rc = store (maildir, NULL, chunks, n_chunks, NULL);
    break;
  }
  /* Once the message is safe: syslog and the record's counts (a failure
   * there is only a warning on stderr). */
  if (rc == CLI_EX_OK)
    cli_log_decision (&ctx, &d.result);

out:
  g_clear_error (&error);
  g_option_context_free (oc);
  cli_delivery_clear (&d);
  g_clear_pointer (&lead, g_bytes_unref);
  g_clear_pointer (&rest, g_bytes_unref);
  cli_context_clear (&ctx);
  g_free (maildir);
  g_free (opt_maildir);
  g_free (opt_rcpt);
  g_free (opt_sender);
  g_free (opt_user);
  return cli_delivery_exit (rc == CLI_EX_OK);
}
