/* unscatter.c — the `unscatter` command: dispatch to a sub-command.
 * The common options (--db, --config) may also come before the command
 * name, as with git: `unscatter --db X record ...` is `unscatter record --db
 * X ...` (they are moved behind the name, so the command parses them as
 * usual). See unscatter(1) and ../doc/decisions.md. */
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
  { "report",   cmd_report,   "the backscatter report (text, --json, --html FILE)" },
  { "msgid",    cmd_msgid,    "print a fresh Message-ID (for mail clients)" },
};

/* The options every command takes, accepted before the command name too. */
static const char *const global_options[] = { "--db", "--config" };

/* If @arg is a global option, the number of words it takes (1 for
 * "--db=X", 2 for "--db X"), else 0. */
static int
global_option_words (const char *arg)
{
  for (gsize i = 0; i < G_N_ELEMENTS (global_options); i++) {
    gsize n = strlen (global_options[i]);
    if (strncmp (arg, global_options[i], n) == 0) {
      if (arg[n] == '\0')
        return 2;
      if (arg[n] == '=')
        return 1;
    }
  }
  return 0;
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: unscatter [--db PATH] [--config PATH] COMMAND [OPTION...] [ARG...]\n"
           "\n--db and --config go before or after COMMAND; every other option after it.\n"
           "\ncommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (f, "  %-9s %s\n", commands[i].name, commands[i].help);
  fprintf (f, "\n'unscatter COMMAND --help' for a command's options; see unscatter(1).\n");
}

int
main (int argc, char **argv)
{
  /* Only the character set (LC_CTYPE) follows the environment: GLib's
   * g_get_charset() and GMime's locale charset (a fallback for undeclared
   * 8-bit header text) read it. Nothing we print depends on the other
   * categories (no translations, no locale-formatted numbers or dates), and
   * loading all of them costs each delivery a dozen file opens and mappings
   * (doc/decisions.md, "Performance"). */
  setlocale (LC_CTYPE, "");
  /* Leading global options: moved behind the command name. */
  int lead = 1;
  while (lead < argc) {
    int w = global_option_words (argv[lead]);
    if (w == 0)
      break;
    if (lead + w > argc) {
      fprintf (stderr, "unscatter: option '%s' needs a value\n", argv[lead]);
      return CLI_EX_USAGE;
    }
    lead += w;
  }
  if (lead >= argc) {
    usage (stderr);
    return CLI_EX_USAGE;
  }
  if (lead > 1) {
    /* argv[lead] is the command: rotate it in front of the options.
     * argv belongs to main: reordering it in place is allowed. */
    char *cmd = argv[lead];
    memmove (argv + 2, argv + 1, (gsize) (lead - 1) * sizeof *argv);
    argv[1] = cmd;
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
