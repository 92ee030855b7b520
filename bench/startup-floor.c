/* startup-floor.c — the floor under one `unscatter check` per delivery: a
 * process linked against the same libraries as unscatter (GMime, GLib,
 * SQLite, libmagic, and hiredis / libmaxminddb when configure found them,
 * the same way: bench/Makefile.am links $(DEPS_LIBS)) that does nothing but
 * initialise GMime. `make bench` times it beside `unscatter check MESSAGE`
 * (CPU time, instructions, page faults): the difference is what unscatter
 * itself costs per delivery.
 * Usage: startup-floor ; exits 0. */
#include "config.h"
#include <gmime/gmime.h>
#include <sqlite3.h>
#include <magic.h>
#ifdef HAVE_HIREDIS
#include <hiredis/hiredis.h>
#endif
#ifdef HAVE_MAXMINDDB
#include <maxminddb.h>
#endif

int
main (int argc, char **argv)
{
  (void) argv;
  g_mime_init ();
  /* Never true: keeps SQLite, libmagic, hiredis and libmaxminddb linked, as
   * in unscatter, without running them (--as-needed would drop a library
   * nothing refers to, and its loading and relocation are part of the
   * floor). */
  if (argc > 99) {
    sqlite3_libversion ();
    magic_version ();
#ifdef HAVE_HIREDIS
    redisFree (NULL);
#endif
#ifdef HAVE_MAXMINDDB
    MMDB_lib_version ();
#endif
  }
  g_mime_shutdown ();
  return 0;
}
