/* test-json.c — unit tests for usc-json (GTest, table-driven). (being written) */
#include "config.h"
#include <gmime/gmime.h>
#include "usc-json.h"

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
  g_test_add_func ("/json/placeholder", test_placeholder);
  return g_test_run ();
}
