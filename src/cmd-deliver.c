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
 * The storing and the signal policy are cli-maildir.c's, the options and
 * set-up cli-delivery.c's (both shared with filter and unscatter-sieve).
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

  CliDeliveryCmd c;
  GError *error = NULL;
  int rc = CLI_EX_TEMPFAIL;
  CliDelivery d = { 0 };

  if (!cli_delivery_parse (&c, "deliver", TRUE,
                           "— deliver the message on stdin into a Maildir (exit 0 or 75 only)", &argc, &argv))
    goto out;
  if (argc > 1) {
    fprintf (stderr, "unscatter: deliver: unexpected argument '%s' (the message is read from stdin)\n", argv[1]);
    goto out;
  }
  if (!cli_delivery_start (&c, 2, 30))
    goto out;
  const char *maildir = c.maildir;

  if (!cli_delivery_classify (&c.ctx, "deliver", "delivered to the inbox unfiltered", maildir,
                              c.opt_rcpt, c.opt_sender, &d, &error)) {
    /* stdin unreadable, record locked / unreadable / corrupt, keys unusable, ...: defer. */
    cli_error ("deliver", error);
    goto out;
  }
  const GBytes *chunks[3];
  guint n_chunks = cli_delivery_chunks (&d, chunks);
  if (!d.classified) {
    /* Nothing we can judge: the inbox, unchanged (but for a From line),
     * rather than defer forever. */
    rc = store (maildir, NULL, chunks, n_chunks, NULL);
    goto out;
  }

  /* The input without its From line, the two fields at insert_at. */
  switch (d.result.verdict->action) {
  case USC_ACTION_DISCARD:
    cli_delivered ();
    rc = CLI_EX_OK;
    break;
  case USC_ACTION_FILE: {
    gboolean unsafe = FALSE;
    rc = store (maildir, c.ctx.config->folder ? c.ctx.config->folder : "Backscatter", chunks, n_chunks, &unsafe);
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
    cli_log_decision (&c.ctx, &d.result);

out:
  g_clear_error (&error);
  cli_delivery_clear (&d);
  cli_delivery_cmd_clear (&c);
  return cli_delivery_exit (rc == CLI_EX_OK);
}
