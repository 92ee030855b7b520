/* cmd-filter.c — `unscatter filter [--recipient A] [--sender A]`: the
 * procmail `:0fw` / maildrop `xfilter` front end.
 *
 * Reads the whole message from stdin, classifies it, and writes it to stdout
 * unchanged byte for byte except for two added header fields,
 * X-Unscatter-Verdict and X-Unscatter-Reason (RFC 5322 section 3.6.8
 * optional fields), written with the message's own line ending.
 *
 * Where they go: at the very top of the header block (after an mbox "From "
 * line, which must stay first). Header fields of the same names that the
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
 * The helpers first in this file (reading stdin, the header fields, the mbox
 * "From " line) are shared with cmd-deliver.c (see cmd-filter.h).
 */
#include "config.h"
#include "cli.h"
#include "cmd-filter.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers shared with cmd-deliver.c ---- */

gsize
filter_mbox_from_end (const char *data, gsize len)
{
  if (len < 5 || memcmp (data, "From ", 5) != 0)
    return 0;
  for (gsize i = 5; i < len; i++) {
    if (data[i] == '\n')
      return i + 1;
    if (data[i] == '\r')
      return i + 1 < len && data[i + 1] == '\n' ? i + 2 : i + 1;
  }
  return len;
}

GBytes *
filter_header_bytes (const UscMessage *msg, const CliResult *r)
{
  char *block = usc_verdict_header_block (r->verdict, r->bounce);
  const char *eol = msg->raw_eol ? msg->raw_eol : "\n";
  if (strcmp (eol, "\n") == 0)
    return g_bytes_new_take (block, strlen (block));
  GString *s = g_string_sized_new (strlen (block) + 16);
  for (const char *p = block; *p; p++) {
    if (*p == '\n')
      g_string_append (s, eol);
    else if (*p != '\r')
      g_string_append_c (s, *p);
  }
  g_free (block);
  gsize n = s->len;
  return g_bytes_new_take (g_string_free (s, FALSE), n);
}

gboolean
filter_error_is_unparsable (const GError *error)
{
  return error && error->domain == USC_ERROR
         && (error->code == USC_ERROR_PARSE || error->code == USC_ERROR_LIMIT);
}

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

  CliContext ctx = { 0 };
  gboolean opt_help = FALSE;
  char *opt_rcpt = NULL, *opt_sender = NULL;
  GOptionEntry entries[] = {
    { "recipient", 'r', 0, G_OPTION_ARG_STRING, &opt_rcpt, "envelope recipient of the delivery", "ADDR" },
    { "sender", 's', 0, G_OPTION_ARG_STRING, &opt_sender, "envelope sender of the delivery", "ADDR" },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &opt_help, "show this help (exit 75)", NULL },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("— add X-Unscatter-Verdict and X-Unscatter-Reason to the message on stdin");
  g_option_context_add_main_entries (oc, entries, NULL);
  /* GLib's own --help exits 0: the MTA (procmail) would take the message as
   * delivered (as this help text). Ours exits 75 like any usage error. */
  g_option_context_set_help_enabled (oc, FALSE);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  int rc = CLI_EX_TEMPFAIL;
  GBytes *raw = NULL, *hdr = NULL;
  UscMessage *msg = NULL;
  CliResult r = { 0 };
  gboolean classified = FALSE;

  if (!g_option_context_parse (oc, &argc, &argv, &error)) {
    cli_error ("filter", error);
    goto out;
  }
  if (opt_help) {
    char *help = g_option_context_get_help (oc, FALSE, NULL);
    fputs (help, stdout);
    g_free (help);
    goto out;
  }
  if (argc > 1) {
    fprintf (stderr, "unscatter: filter: unexpected argument '%s' (the message is read from stdin)\n", argv[1]);
    goto out;
  }
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("filter", error);
    goto out;
  }
  const UscLimits *limits = &ctx.config->limits;
  cli_set_watchdog (limits->max_seconds * 2 + ctx.config->busy_timeout * 2 + 10, CLI_EX_TEMPFAIL);

  raw = usc_read_all (0, 0, &error);
  if (raw == NULL) {
    cli_error ("filter: stdin", error);
    goto out;
  }
  gsize rlen = 0;
  const char *rdata = g_bytes_get_data (raw, &rlen);
  if (rlen > limits->max_bytes)
    g_set_error (&error, USC_ERROR, USC_ERROR_LIMIT,
                 "message of %" G_GSIZE_FORMAT " bytes exceeds the limit of %" G_GSIZE_FORMAT,
                 rlen, limits->max_bytes);
  else
    msg = usc_message_new_from_bytes (raw, limits, &error);
  if (msg)
    classified = cli_classify (&ctx, msg, opt_rcpt, opt_sender, &r, &error);
  if (!classified && !filter_error_is_unparsable (error)) {
    cli_error ("filter", error);
    goto out;
  }
  if (!classified) {
    /* Not something we can judge: pass it through unchanged. */
    fprintf (stderr, "unscatter: filter: %s; message passed on unchanged\n", error->message);
    g_clear_error (&error);
  }

  gsize at = filter_mbox_from_end (rdata, rlen);
  if (classified)
    hdr = filter_header_bytes (msg, &r);
  gsize hlen = 0;
  const char *hdata = hdr ? g_bytes_get_data (hdr, &hlen) : NULL;
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
  if (classified)
    cli_log_decision (&ctx, &r);

out:
  g_clear_error (&error);
  g_option_context_free (oc);
  cli_result_clear (&r);
  usc_message_free (&msg);
  if (hdr)
    g_bytes_unref (hdr);
  if (raw)
    g_bytes_unref (raw);
  cli_context_clear (&ctx);
  g_free (opt_rcpt);
  g_free (opt_sender);
  return rc;
}
