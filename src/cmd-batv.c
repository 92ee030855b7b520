/* cmd-batv.c — `unscatter batv`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_batv (int argc, char **argv)
{
  fprintf (stderr, "unscatter: batv: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
