/* record-fixture.h — the set-up the record's unit tests share
 * (tests/test-record.c, tests/test-record-spool.c): one temporary
 * directory per test program, records opened in it (every failure a test
 * failure), a `stats` row and an export as text. */
#ifndef RECORD_FIXTURE_H
#define RECORD_FIXTURE_H

#include <glib.h>
#include "usc-record.h"

/* Make the temporary directory (@tmpl as g_dir_make_tmp's) / remove it
 * whole: returns @rc, or 1 when the removal failed and @rc was 0. */
void rec_fixture_init (const char *tmpl);
int rec_fixture_done (int rc);
/* The temporary directory (the fixture's). */
const char *rec_dir (void);

/* @name in the temporary directory (newly allocated). */
char *rec_path (const char *name);
/* The record at @path, opened with @busy_timeout seconds (asserts). */
UscRecord *rec_open (const char *path, double busy_timeout, gboolean read_only);
/* A new record at @name (the file removed first; asserts). */
UscRecord *rec_open_fresh (const char *name, double busy_timeout);

/* A UscStatsFunc appending "DAY VERDICT KIND COUNT\n" to the GString
 * @data. */
void rec_stats_line (const char *day, const char *verdict, const char *kind, gint64 count, gpointer data);
/* The export of @r (newly allocated; asserts it succeeded). */
char *rec_export_string (UscRecord *r);

#endif
