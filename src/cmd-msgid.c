/* cmd-msgid.c — `unscatter msgid [--domain DOMAIN]`: print a fresh
 * Message-ID (RFC 5322 section 3.6.4, with its angle brackets) for mail
 * clients that let a command choose it, so that the ID in the record (and
 * in X-Unscatter-Sig) is the one the message leaves with. The domain:
 * --domain, else [sign] msgid_domain, else the host name when it has a dot,
 * else "localhost.invalid" (usc_sign_message_id). Exit 0, 2 usage, 75 bad
 * config.
 */
#include "config.h"
#include "cli.h"
#include "usc-sign.h"

#include <stdio.h>
#include <string.h>

/* A domain for the right-hand side: a dot-atom (RFC 5322 3.2.3) of letters,
 * digits, '-' and '.'. */
static gboolean
plausible_domain (const char *d)
{
  if (d == NULL || *d == '\0' || *d == '.' || d[strlen (d) - 1] == '.' || strstr (d, ".."))
    return FALSE;
  for (const char *p = d; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

int
cmd_msgid (int argc, char **argv)
{
  CliContext ctx = { 0 };
  char *opt_domain = NULL;
  GOptionEntry entries[] = {
    { "domain", 'd', 0, G_OPTION_ARG_STRING, &opt_domain, "the domain after '@' (default [sign] msgid_domain, else the host name)", "DOMAIN" },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("— print a fresh Message-ID");
  g_option_context_add_main_entries (oc, entries, NULL);
  cli_add_common_options (oc, &ctx);
  GError *error = NULL;
  int rc = CLI_EX_USAGE;
  if (!g_option_context_parse (oc, &argc, &argv, &error) || argc > 1) {
    if (error)
      cli_error ("msgid", error);
    else
      fprintf (stderr, "unscatter: msgid: unexpected argument '%s'\n", argv[1]);
    goto out;
  }
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("msgid", error);
    rc = CLI_EX_TEMPFAIL;
    goto out;
  }
  const char *domain = opt_domain ? opt_domain : ctx.config->msgid_domain;
  if (domain && !plausible_domain (domain)) {
    fprintf (stderr, "unscatter: msgid: '%s' is not a domain (letters, digits, '-' and '.')\n", domain);
    goto out;
  }
  char *id = usc_sign_message_id (domain);
  printf ("%s\n", id);
  g_free (id);
  rc = fflush (stdout) == 0 ? CLI_EX_OK : CLI_EX_TEMPFAIL;
out:
  g_clear_error (&error);
  g_option_context_free (oc);
  cli_context_clear (&ctx);
  g_free (opt_domain);
  return rc;
}
