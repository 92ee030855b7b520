/* startup-floor.c — the floor under one `unscatter check` per delivery: a
 * process linked against the same libraries as unscatter (GMime, GLib,
 * SQLite, libmagic, the same way: bench/Makefile.am links $(DEPS_LIBS)) that
 * does nothing but initialise GMime. `make bench` times it beside
 * `unscatter check MESSAGE` (wall time, page faults): the difference is what
 * unscatter itself costs per delivery.
 * Usage: startup-floor ; exits 0. */
#include "config.h"
#include <gmime/gmime.h>
#include <sqlite3.h>
#include <magic.h>

int
main (int argc, char **argv)
{
  (void) argv;
  g_mime_init ();
  /* Never true: keeps SQLite and libmagic linked, as in unscatter, without
   * running them (--as-needed would drop a library nothing refers to). */
  if (argc > 99) {
    sqlite3_libversion ();
    magic_version ();
  }
  g_mime_shutdown ();
  return 0;
}
