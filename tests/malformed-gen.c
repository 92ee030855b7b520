/* malformed-gen.c — writes the malformed-input set into a directory. (being written) */
#include <glib.h>
int
main (int argc, char **argv)
{
  return 0;
}
