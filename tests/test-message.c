/* test-message.c — unit tests for usc-message (GTest, table-driven). (being written) */
#include "config.h"
#include <gmime/gmime.h>
#include "usc-message.h"

static void
test_placeholder (void)
{
  g_assert_true (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/message/placeholder", test_placeholder);
  return g_test_run ();
}
