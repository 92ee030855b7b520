/* cmd-maint.c — `unscatter expire` and `unscatter stats`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_expire (int argc, char **argv)
{
  fprintf (stderr, "unscatter: expire: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}

int
cmd_stats (int argc, char **argv)
{
  fprintf (stderr, "unscatter: stats: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
