/* cmd-record.c — `unscatter record`. (placeholder, being written) */
#include "config.h"
#include "cli.h"
#include <stdio.h>

int
cmd_record (int argc, char **argv)
{
  fprintf (stderr, "unscatter: record: not implemented yet\n");
  return CLI_EX_TEMPFAIL;
}
