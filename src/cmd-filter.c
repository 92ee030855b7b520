/* cmd-filter.c — `unscatter filter`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_filter (int argc, char **argv)
{
  fprintf (stderr, "unscatter: filter: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
