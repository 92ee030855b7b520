/* test-sentdir.c — unit tests for usc-sentdir (GTest, table-driven): which
 * Sent folders are found (usual names, a configured name with or without
 * its dot, an absolute path, none, a symbolic link read once, a file in a
 * folder's place), the empty-folder check, and import steps: a deadline
 * already past still imports one file and resumes where it stopped; a flag
 * rename is not an import; an unchanged folder is not read again.
 */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "usc-sentdir.h"
#include "usc-common.h"

static char *tmp;

static void
mkdirs (const char *base, const char *folder)
{
  static const char *const subs[] = { "cur", "new", "tmp" };
  for (gsize i = 0; i < G_N_ELEMENTS (subs); i++) {
    char *p = g_build_filename (base, folder, subs[i], NULL);
    g_assert_cmpint (g_mkdir_with_parents (p, 0700), ==, 0);
    g_free (p);
  }
}

static void
put (const char *dir, const char *name, const char *id)
{
  char *p = g_build_filename (dir, name, NULL);
  char *m = g_strdup_printf ("Message-ID: <%s@example.org>\nFrom: me@example.org\nTo: you@example.net\n"
                             "Date: Mon, 4 Mar 2024 08:15:12 +0100\n\nhi\n", id);
  g_assert_true (g_file_set_contents (p, m, -1, NULL));
  g_free (m);
  g_free (p);
}

typedef struct {
  const char *name;      /* [record] sent_folder, NULL the usual names */
  const char *expect;    /* the folders found, basenames joined with '|' */
} FindCase;

static const FindCase find_cases[] = {
  { NULL, ".INBOX.Sent|.Sent|.Sent Items" },
  { "none", "" },
  { "NONE", "" },
  { "Gesendet", ".Gesendet" },
  { ".Gesendet", ".Gesendet" },
  { "Missing", "" },
  { "Plain", "" },          /* a file, not a folder */
};

static void
test_find (void)
{
  char *md = g_build_filename (tmp, "find", NULL);
  mkdirs (md, ".Sent");
  mkdirs (md, ".Sent Items");
  mkdirs (md, ".INBOX.Sent");
  mkdirs (md, ".Gesendet");
  char *plain = g_build_filename (md, ".Plain", NULL);
  g_assert_true (g_file_set_contents (plain, "x", 1, NULL));
  /* ".Sent Messages" is a link to ".Sent": read once */
  char *link = g_build_filename (md, ".Sent Messages", NULL);
  g_assert_cmpint (symlink (".Sent", link), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (find_cases); i++) {
    GPtrArray *f = usc_sentdir_find (md, find_cases[i].name);
    GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
    for (guint k = 0; k < f->len; k++) {
      g_assert_true (g_path_is_absolute (f->pdata[k]));
      g_ptr_array_add (names, g_path_get_basename (f->pdata[k]));
    }
    for (guint a = 0; a < names->len; a++)
      for (guint b = a + 1; b < names->len; b++)
        if (strcmp (names->pdata[a], names->pdata[b]) > 0) {
          gpointer t = names->pdata[a];
          names->pdata[a] = names->pdata[b];
          names->pdata[b] = t;
        }
    g_ptr_array_add (names, NULL);
    char *got = g_strjoinv ("|", (char **) names->pdata);
    g_assert_cmpstr (got, ==, find_cases[i].expect);
    g_free (got);
    g_ptr_array_unref (names);
    g_ptr_array_unref (f);
  }
  /* an absolute path */
  char *abs = g_build_filename (md, ".Gesendet", NULL);
  GPtrArray *f = usc_sentdir_find ("/nonexistent", abs);
  g_assert_cmpuint (f->len, ==, 1);
  g_assert_cmpstr (f->pdata[0], ==, abs);
  g_ptr_array_unref (f);
  g_free (abs);
  g_free (link);
  g_free (plain);
  g_free (md);
}

static void
test_nonempty (void)
{
  char *md = g_build_filename (tmp, "ne", NULL);
  mkdirs (md, ".Sent");
  char *folder = g_build_filename (md, ".Sent", NULL);
  char *cur = g_build_filename (folder, "cur", NULL);
  g_assert_false (usc_sentdir_nonempty (folder));
  put (cur, ".hidden", "h");
  g_assert_false (usc_sentdir_nonempty (folder));
  put (cur, "1.M1P1.h:2,S", "a");
  g_assert_true (usc_sentdir_nonempty (folder));
  g_assert_false (usc_sentdir_nonempty ("/nonexistent"));
  g_free (cur);
  g_free (folder);
  g_free (md);
}

static void
test_steps (void)
{
  char *md = g_build_filename (tmp, "steps", NULL);
  mkdirs (md, ".Sent");
  char *folder = g_build_filename (md, ".Sent", NULL);
  char *cur = g_build_filename (folder, "cur", NULL);
  for (int i = 0; i < 5; i++) {
    char name[64], id[16];
    g_snprintf (name, sizeof name, "170000000%d.M%dP1.h:2,S", i, i);
    g_snprintf (id, sizeof id, "s%d", i);
    put (cur, name, id);
  }
  char *db = g_build_filename (tmp, "steps.db", NULL);
  GError *e = NULL;
  UscRecord *r = usc_record_open (db, NULL, &e);
  g_assert_no_error (e);
  /* A deadline in the past: one file per step, resumed, never stuck. */
  guint total = 0;
  for (int step = 0; step < 5; step++) {
    UscSentdirStats st = { 0 };
    g_assert_cmpint (usc_sentdir_import (r, folder, 0, 1, &st, &e), ==, 0);
    g_assert_no_error (e);
    g_assert_cmpuint (st.imported, ==, 1);
    /* the last file read ends the directory: finished */
    g_assert_cmpint (st.pending, ==, step < 4);
    total += st.imported;
  }
  UscSentdirStats st = { 0 };
  g_assert_cmpint (usc_sentdir_import (r, folder, usc_now_monotonic () + 10 * G_USEC_PER_SEC, 1, &st, &e), ==, 0);
  g_assert_cmpuint (st.imported, ==, 0);
  g_assert_false (st.pending);
  g_assert_cmpuint (total, ==, 5);
  g_assert_cmpint (usc_record_count (r, &e), ==, 5);
  /* A flag rename and a new file: only the new one. */
  char *from = g_build_filename (cur, "1700000000.M0P1.h:2,S", NULL);
  char *to = g_build_filename (cur, "1700000000.M0P1.h:2,RS", NULL);
  g_assert_cmpint (g_rename (from, to), ==, 0);
  put (cur, "1700000009.M9P1.h:2,", "s9");
  memset (&st, 0, sizeof st);
  g_assert_cmpint (usc_sentdir_import (r, folder, usc_now_monotonic () + 10 * G_USEC_PER_SEC, 1, &st, &e), ==, 0);
  g_assert_cmpuint (st.imported, ==, 1);
  g_assert_cmpuint (st.present, ==, 0);
  g_assert_cmpint (usc_record_count (r, &e), ==, 6);
  g_assert_cmpint (usc_record_has_id (r, "s9@example.org", &e), ==, 1);
  /* Once the directory's mtime is old enough to trust: not read at all. */
  GStatBuf sb;
  g_assert_cmpint (g_stat (cur, &sb), ==, 0);
  char *touch = g_strdup_printf ("touch -d '@%ld' '%s' '%s/new'", (long) (sb.st_mtime - 10), cur, folder);
  g_assert_cmpint (system (touch), ==, 0);
  g_free (touch);
  memset (&st, 0, sizeof st);
  g_assert_cmpint (usc_sentdir_import (r, folder, usc_now_monotonic () + 10 * G_USEC_PER_SEC, 1, &st, &e), ==, 0);
  g_assert_cmpuint (st.scanned, >, 0);  /* the mtime changed: read once more */
  memset (&st, 0, sizeof st);
  g_assert_cmpint (usc_sentdir_import (r, folder, usc_now_monotonic () + 10 * G_USEC_PER_SEC, 1, &st, &e), ==, 0);
  g_assert_cmpuint (st.scanned, ==, 0);
  g_assert_cmpuint (st.imported, ==, 0);
  g_assert_cmpuint (st.folders, ==, 1);
  char *sum = usc_sentdir_summary (&st);
  g_assert_true (g_str_has_prefix (sum, "imported 0, already present 0, 0 skipped, 0 entries read in "));
  g_free (sum);
  usc_record_close (&r);
  g_free (from);
  g_free (to);
  g_free (db);
  g_free (cur);
  g_free (folder);
  g_free (md);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  tmp = g_dir_make_tmp ("usc-sentdir-XXXXXX", NULL);
  g_test_add_func ("/sentdir/find", test_find);
  g_test_add_func ("/sentdir/nonempty", test_nonempty);
  g_test_add_func ("/sentdir/steps", test_steps);
  int rc = g_test_run ();
  char *rm = g_strdup_printf ("rm -rf '%s'", tmp);
  if (system (rm) != 0)
    rc = 1;
  g_free (rm);
  g_free (tmp);
  g_mime_shutdown ();
  return rc;
}
