/* cmd-filter.c — `unscatter filter [--recipient A] [--sender A]`: the
 * procmail `:0fw` / maildrop `xfilter` front end.
 *
 * Reads the whole message from stdin, classifies it, and writes it to stdout
 * unchanged byte for byte except for two added header fields,
 * X-Unscatter-Verdict and X-Unscatter-Reason (RFC 5322 section 3.6.8
 * optional fields), written with the message's own line ending.
 *
 * Where they go: at the very top of the header block (after an mbox "From "
 * line, which must stay first, and after any lines that begin with a blank
 * before the first field, which would otherwise continue ours:
 * usc_message_fields_offset). Header fields of the same names that the
 * message already carries are left untouched, below ours: every reader that
 * takes the first occurrence (formail -x, most MUAs, Sieve's :index 1) sees
 * ours, and a recipe matching "^X-Unscatter-Verdict: backscatter" anywhere
 * can only be made to file the forger's own message. Changing or removing
 * the forged fields would break "byte for byte".
 *
 * Output is produced only at the end, in full, and every write is checked:
 * on any failure (bad usage, bad config, unreadable input, record locked or
 * corrupt, out of memory, time limit) the exit status is 75 (EX_TEMPFAIL) and
 * nothing on stdout is to be trusted — procmail then keeps the original
 * message, maildrop defers the delivery. A message that cannot be parsed at
 * all (or is over the size limits) is not a failure of ours: it is written
 * back unchanged, without headers, with exit 0, so that maildrop does not
 * defer it forever.
 *
 * Each decision is logged (syslog, and counted in the record for `unscatter
 * stats`) once the output is written; a logging failure is only a warning.
 *
 * The options and set-up, reading, parsing and classifying are shared with
 * deliver and unscatter-sieve (cli-delivery.c).
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- the command ---- */

static gboolean
write_all (int fd, const char *data, gsize len, GError **error)
{
  while (len > 0) {
    ssize_t n = write (fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "write to stdout: %s", g_strerror (e));
      return FALSE;
    }
    data += n;
    len -= (gsize) n;
  }
  return TRUE;
}

static void
on_fatal_signal (int sig G_GNUC_UNUSED)
{
  /* abort() on out of memory, or a bug: nothing on stdout is to be trusted. */
  _exit (CLI_EX_TEMPFAIL);
}

int
cmd_filter (int argc, char **argv)
{
  /* SIGTRAP: GLib's g_error() (g_malloc() out of memory) raises it, not SIGABRT. */
  static const int fatal[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGXCPU,
                               SIGTERM, SIGHUP, SIGINT };
  for (gsize i = 0; i < G_N_ELEMENTS (fatal); i++)
    signal (fatal[i], on_fatal_signal);
  signal (SIGXFSZ, SIG_IGN);
  cli_set_watchdog (0, 0);  /* SIGPIPE ignored: a closed stdout is a write error */

  CliDeliveryCmd c;
  GError *error = NULL;
  int rc = CLI_EX_TEMPFAIL;
  CliDelivery d = { 0 };

  if (!cli_delivery_parse (&c, "filter", FALSE,
                           "— add X-Unscatter-Verdict and X-Unscatter-Reason to the message on stdin", &argc, &argv))
    goto out;
  if (argc > 1) {
    fprintf (stderr, "unscatter: filter: unexpected argument '%s' (the message is read from stdin)\n", argv[1]);
    goto out;
  }
  if (!cli_delivery_start (&c, 2, 10))
    goto out;
  if (!cli_delivery_classify (&c.ctx, "filter", "message passed on unchanged", c.maildir, c.opt_rcpt,
                              c.opt_sender, &d, &error)) {
    cli_error ("filter", error);
    goto out;
  }
  gsize rlen = 0, hlen = 0, at = d.insert_at;
  const char *rdata = g_bytes_get_data (d.raw, &rlen);
  const char *hdata = d.fields ? g_bytes_get_data (d.fields, &hlen) : NULL;
  if (!write_all (1, rdata, at, &error)
      || (hlen && !write_all (1, hdata, hlen, &error))
      || !write_all (1, rdata + at, rlen - at, &error)) {
    cli_error ("filter", error);
    goto out;
  }
  if (fsync (1) != 0 && errno != EINVAL && errno != EROFS && errno != EBADF) {
    /* stdout on a file: make sure the data reached it (pipes give EINVAL). */
    int e = errno;
    fprintf (stderr, "unscatter: filter: stdout: %s\n", g_strerror (e));
    goto out;
  }
  if (close (1) != 0) {
    int e = errno;
    fprintf (stderr, "unscatter: filter: stdout: %s\n", g_strerror (e));
    goto out;
  }
  rc = CLI_EX_OK;
  /* Syslog and the record's counts; a failure there is only a warning. */
  if (d.classified)
    cli_log_decision (&c.ctx, &d.result);

out:
  g_clear_error (&error);
  cli_delivery_clear (&d);
  cli_delivery_cmd_clear (&c);
  return cli_delivery_exit (rc == CLI_EX_OK);
}
