/* unscatter.c — the `unscatter` command: dispatch to a sub-command.
 * See unscatter(1) and ../doc/decisions.md. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <locale.h>
#include <gmime/gmime.h>
#include "cli.h"

static const struct {
  const char *name;
  int (*fn) (int, char **);
  const char *help;
} commands[] = {
  { "check",    cmd_check,    "classify messages: exit 0 backscatter, 1 not" },
  { "filter",   cmd_filter,   "procmail/maildrop filter: add X-Unscatter-* headers" },
  { "deliver",  cmd_deliver,  "local delivery agent into a Maildir (exit 0 or 75)" },
  { "record",   cmd_record,   "add sent messages to the sent-mail record" },
  { "sendmail", cmd_sendmail, "record a message, then pass it to the real sendmail" },
  { "batv",     cmd_batv,     "BATV: sign, verify, keygen" },
  { "expire",   cmd_expire,   "remove old entries from the record" },
  { "stats",    cmd_stats,    "counts per day, verdict and kind" },
};

static void
usage (FILE *f)
{
  fprintf (f, "usage: unscatter COMMAND [OPTION...] [ARG...]\n\ncommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (f, "  %-9s %s\n", commands[i].name, commands[i].help);
  fprintf (f, "\n'unscatter COMMAND --help' for a command's options; see unscatter(1).\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc < 2) {
    usage (stderr);
    return CLI_EX_USAGE;
  }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0) {
    usage (stdout);
    return 0;
  }
  if (strcmp (argv[1], "--version") == 0) {
    printf ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
    return 0;
  }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (strcmp (argv[1], commands[i].name) == 0) {
      g_mime_init ();
      int rc = commands[i].fn (argc - 1, argv + 1);
      g_mime_shutdown ();
      return rc;
    }
  }
  fprintf (stderr, "unscatter: unknown command '%s'\n", argv[1]);
  usage (stderr);
  return CLI_EX_USAGE;
}
