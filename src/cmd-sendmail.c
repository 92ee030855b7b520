/* cmd-sendmail.c — `unscatter sendmail`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_sendmail (int argc, char **argv)
{
  fprintf (stderr, "unscatter: sendmail: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
