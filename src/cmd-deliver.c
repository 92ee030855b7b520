/* cmd-deliver.c — `unscatter deliver`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_deliver (int argc, char **argv)
{
  fprintf (stderr, "unscatter: deliver: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
