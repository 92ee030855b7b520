/* record-fixture.c — the set-up the record's unit tests share
 * (record-fixture.h). */
#include "config.h"
#include "record-fixture.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

static char *tmpdir;

void
rec_fixture_init (const char *tmpl)
{
  tmpdir = g_dir_make_tmp (tmpl, NULL);
  g_assert_nonnull (tmpdir);
}

int
rec_fixture_done (int rc)
{
  char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    rc = rc ? rc : 1;
  g_free (cmd);
  g_clear_pointer (&tmpdir, g_free);
  return rc;
}

const char *
rec_dir (void)
{
  return tmpdir;
}

char *
rec_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

UscRecord *
rec_open (const char *path, double busy_timeout, gboolean read_only)
{
  UscRecordOptions o = { .busy_timeout = busy_timeout, .read_only = read_only };
  GError *e = NULL;
  UscRecord *r = usc_record_open (path, &o, &e);
  g_assert_no_error (e);
  g_assert_nonnull (r);
  return r;
}

UscRecord *
rec_open_fresh (const char *name, double busy_timeout)
{
  char *p = rec_path (name);
  g_unlink (p);
  UscRecord *r = rec_open (p, busy_timeout, FALSE);
  g_free (p);
  return r;
}

void
rec_stats_line (const char *day, const char *verdict, const char *kind, gint64 count, gpointer data)
{
  g_string_append_printf (data, "%s %s %s %" G_GINT64_FORMAT "\n", day, verdict, kind, count);
}

char *
rec_export_string (UscRecord *r)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  GError *e = NULL;
  gint64 n = -1;
  g_assert_cmpint (usc_record_export (r, f, &n, &e), ==, 0);
  g_assert_no_error (e);
  fclose (f);
  g_assert_cmpint (n, >=, 0);
  return buf;
}
