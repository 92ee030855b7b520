/* test-record-spool.c — unit tests for the decision spool
 * (usc-record-spool.c): the same decisions counted in one record directly
 * (usc_record_add_decision) and in another through the spool must give the
 * same `stats` rows, decision log and export, whether the spool is merged
 * by a read-only reader or folded; a fold cut off before it removed the
 * spool never counts twice, a copy of a folded spool is a new one; a fragment left by a short write is skipped;
 * the cap of each line is the one applied; concurrent appenders and folds
 * lose nothing; a symbolic link is refused. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "usc-record.h"
#include "record-fixture.h"

/* A fresh record at @name; its path (free it). */
static char *
fresh (const char *name)
{
  char *p = rec_path (name);
  char *sp = usc_record_spool_path (p);
  char *wal = g_strconcat (p, "-wal", NULL), *shm = g_strconcat (p, "-shm", NULL);
  g_unlink (p);
  g_unlink (sp);
  g_unlink (wal);
  g_unlink (shm);
  g_free (sp);
  g_free (wal);
  g_free (shm);
  UscRecord *r = rec_open (p, 5, FALSE);
  usc_record_close (&r);
  return p;
}

#define T0 1700000000

/* Decisions on three days: ordinary mail, bounces with every field, NULLs,
 * a backslash, a tab and newline (cleaned), "\N" as text, a long field. */
static const UscDecision decisions[] = {
  { .time = T0 + 10, .verdict = "not-bounce", .kind = "not-bounce" },
  { T0 + 11, "backscatter", "dsn", "mx.example.net", "relay.example.net", "192.0.2.1", "postfix",
    "me@example.org", "you@example.net", NULL, "original Message-ID <a@b> not in the sent record" },
  { T0 + 11, "legitimate", "dsn", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { T0 + 12, "backscatter", "autoreply", "a\\b", "tab\there", "\\N", "x\ny", "", "r", "application/zip", "why" },
  { .time = T0 + 86400, .verdict = "not-bounce", .kind = "not-bounce" },
  { T0 + 86400, "unknown", "challenge", "mx", NULL, NULL, NULL, "f@example.org", NULL, NULL, NULL },
  { .time = T0 + 86401, .verdict = "not-bounce", .kind = "not-bounce" },
  { T0 + 2 * 86400, "backscatter", "virus-notice", NULL, NULL, NULL, NULL, NULL, NULL, "application/x-dosexec", "virus" },
  { T0 + 5, "backscatter", "dsn", "older but added later", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
dlog_line (const UscDecision *d, gpointer user_data)
{
  const char *v[] = { d->verdict, d->kind, d->reporting_mta, d->relay_host, d->relay_ip, d->mta_family,
                      d->forged_sender, d->recipient, d->payload, d->reason };
  g_string_append_printf (user_data, "%" G_GINT64_FORMAT, d->time);
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    g_string_append_printf (user_data, "|%s", v[i] ? v[i] : "(null)");
  g_string_append_c (user_data, '\n');
}

/* stats, the decision log (two windows) and the export of @path, opened
 * read-only or not. */
static char *
view (const char *path, gboolean read_only)
{
  UscRecord *r = rec_open (path, 5, read_only);
  GString *s = g_string_new (NULL);
  GError *e = NULL;
  g_assert_cmpint (usc_record_stats (r, G_MININT32 * (gint64) 86400, rec_stats_line, s, &e), ==, 0);
  g_assert_no_error (e);
  g_string_append (s, "--\n");
  g_assert_cmpint (usc_record_stats (r, T0 + 86400, rec_stats_line, s, &e), ==, 0);
  g_string_append (s, "--\n");
  g_assert_cmpint (usc_record_decisions (r, G_MININT64, G_MAXINT64, dlog_line, s, &e), ==, 0);
  g_string_append (s, "--\n");
  g_assert_cmpint (usc_record_decisions (r, T0 + 11, T0 + 86401, dlog_line, s, &e), ==, 0);
  g_assert_no_error (e);
  g_string_append (s, "--\n");
  char *buf = rec_export_string (r);
  g_string_append (s, buf);
  free (buf);
  usc_record_close (&r);
  return g_string_free (s, FALSE);
}

static gboolean
spool_exists (const char *path)
{
  char *sp = usc_record_spool_path (path);
  gboolean x = g_file_test (sp, G_FILE_TEST_EXISTS);
  g_free (sp);
  return x;
}

static void
spool_all (const char *path, guint cap)
{
  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++) {
    GError *e = NULL;
    int rc = usc_record_spool_decision (path, &decisions[i], cap, 1, &e);
    g_assert_no_error (e);
    g_assert_cmpint (rc, ==, 0);
  }
}

static char *
direct (const char *name, guint cap)
{
  char *p = fresh (name);
  UscRecord *r = rec_open (p, 5, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++) {
    GError *e = NULL;
    g_assert_cmpint (usc_record_add_decision (r, &decisions[i], cap, &e), ==, 0);
    g_assert_no_error (e);
  }
  usc_record_close (&r);
  char *v = view (p, FALSE);
  g_free (p);
  return v;
}

/* Merged by a read-only reader, then folded: as counted directly. */
static void
test_same_as_direct (void)
{
  for (guint cap = 0; cap <= 3; cap += 3) {
    char *want = direct ("direct.db", cap);
    char *p = fresh ("spooled.db");
    spool_all (p, cap);
    g_assert_true (spool_exists (p));
    char *ro = view (p, TRUE);
    g_assert_true (spool_exists (p));  /* a read-only reader changes nothing */
    if (cap == 0)
      g_assert_cmpstr (ro, ==, want);
    char *rw = view (p, FALSE);
    g_assert_false (spool_exists (p));  /* folded */
    g_assert_cmpstr (rw, ==, want);
    char *again = view (p, TRUE);
    g_assert_cmpstr (again, ==, want);
    g_free (again);
    g_free (ro);
    g_free (rw);
    g_free (want);
    g_free (p);
  }
}

static char *
slurp (const char *path)
{
  char *s = NULL;
  gsize n = 0;
  GError *e = NULL;
  g_assert_true (g_file_get_contents (path, &s, &n, &e));
  g_assert_no_error (e);
  return s;
}

/* A fold that committed but did not remove the spool (cut off): the next
 * fold skips what it counted; lines appended afterwards count once. */
static void
test_fold_cut_off (void)
{
  char *p = fresh ("cut.db");
  char *sp = usc_record_spool_path (p);
  spool_all (p, 0);
  /* A second name keeps the file (its inode and bytes) through the unlink. */
  char *keep = g_strconcat (sp, ".keep", NULL);
  g_unlink (keep);
  g_assert_cmpint (link (sp, keep), ==, 0);
  char *before = slurp (sp);
  UscRecord *r = rec_open (p, 5, FALSE);
  GError *e = NULL;
  g_assert_cmpint (usc_record_fold_spool (r, &e), ==, 0);
  g_assert_no_error (e);
  usc_record_close (&r);
  g_assert_false (g_file_test (sp, G_FILE_TEST_EXISTS));
  char *once = view (p, FALSE);
  /* Put the folded spool back, as if the unlink had not happened. */
  g_assert_cmpint (link (keep, sp), ==, 0);
  g_unlink (keep);
  char *again = slurp (sp);
  g_assert_cmpstr (again, ==, before);
  g_free (again);
  g_assert_cmpint (usc_record_spool_decision (p, &decisions[0], 0, 1, &e), ==, 0);
  g_assert_no_error (e);
  char *ro = view (p, TRUE);
  char *twice = view (p, FALSE);
  g_assert_cmpstr (ro, ==, twice);
  g_assert_cmpstr (once, !=, twice);
  /* Exactly one more not-bounce on day T0. */
  char *day = g_strdup ("2023-11-14 not-bounce not-bounce 2\n");
  g_assert_nonnull (strstr (twice, day));
  g_assert_nonnull (strstr (once, "2023-11-14 not-bounce not-bounce 1\n"));
  g_free (day);
  g_free (once);
  g_free (twice);
  g_free (ro);
  g_free (before);
  g_free (keep);
  g_free (sp);
  g_free (p);
}

/* A spool with the bytes of a folded one but another file (a copy: a new
 * inode) is a new spool: all of it counts. */
static void
test_copy_is_new (void)
{
  char *p = fresh ("copy.db");
  char *sp = usc_record_spool_path (p);
  GError *e = NULL;
  g_assert_cmpint (usc_record_spool_decision (p, &decisions[0], 0, 1, &e), ==, 0);
  char *before = slurp (sp);
  /* the folded file kept under another name, so that the copy cannot get
   * its inode number */
  char *keep = g_strconcat (sp, ".keep", NULL);
  g_unlink (keep);
  g_assert_cmpint (link (sp, keep), ==, 0);
  char *one = view (p, FALSE);
  g_assert_true (g_file_set_contents (sp, before, -1, &e));
  g_assert_no_error (e);
  char *two = view (p, FALSE);
  g_assert_nonnull (strstr (one, "2023-11-14 not-bounce not-bounce 1\n"));
  g_assert_nonnull (strstr (two, "2023-11-14 not-bounce not-bounce 2\n"));
  g_unlink (keep);
  g_free (keep);
  g_free (one);
  g_free (two);
  g_free (before);
  g_free (sp);
  g_free (p);
}

/* A write cut short leaves a fragment: skipped, the lines around it kept;
 * a line with a bad number or the wrong count of fields is skipped too. */
static void
test_fragment (void)
{
  char *p = fresh ("frag.db");
  char *sp = usc_record_spool_path (p);
  GError *e = NULL;
  g_assert_cmpint (usc_record_spool_decision (p, &decisions[1], 0, 1, &e), ==, 0);
  int fd = open (sp, O_WRONLY | O_APPEND);
  g_assert_cmpint (fd, >=, 0);
  const char *junk[] = { "\n1700000011\t0\tbacksc", "\n17x\t0\tnot-bounce\tnot-bounce\t.",
                         "\n1700000011\t-1\tnot-bounce\tnot-bounce\t.", "\n1700000011\t0\tnot-bounce\t." };
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    g_assert_cmpint (write (fd, junk[i], strlen (junk[i])), ==, (gssize) strlen (junk[i]));
  close (fd);
  g_assert_cmpint (usc_record_spool_decision (p, &decisions[0], 0, 1, &e), ==, 0);
  char *ro = view (p, TRUE);
  char *v = view (p, FALSE);
  g_assert_cmpstr (ro, ==, v);
  g_assert_nonnull (strstr (v, "2023-11-14 backscatter dsn 1\n2023-11-14 not-bounce not-bounce 1\n--\n"));
  g_assert_true (g_str_has_prefix (v, "2023-11-14 backscatter dsn 1\n2023-11-14 not-bounce not-bounce 1\n--\n"));
  g_free (ro);
  g_free (v);
  g_free (sp);
  g_free (p);
}

/* Each line's own cap: the log keeps what direct counting kept. */
static void
test_cap_per_line (void)
{
  char *want = direct ("cap-direct.db", 2);
  char *p = fresh ("cap.db");
  spool_all (p, 2);
  char *v = view (p, FALSE);
  g_assert_cmpstr (v, ==, want);
  g_free (v);
  g_free (want);
  g_free (p);
}

#define CHILDREN 4
#define EACH 300

/* Appenders in several processes while folds run: every decision counted
 * exactly once. */
static void
test_concurrent (void)
{
  char *p = fresh ("conc.db");
  pid_t pids[CHILDREN];
  for (int c = 0; c < CHILDREN; c++) {
    pids[c] = fork ();
    g_assert_cmpint (pids[c], >=, 0);
    if (pids[c] == 0) {
      for (int i = 0; i < EACH; i++) {
        UscDecision d = { T0 + i, "backscatter", "dsn", "mx.example.net", NULL, NULL, NULL, NULL, NULL,
                          NULL, "a reason long enough to make the spool grow past its fold size" };
        if (i % 2)
          d.verdict = d.kind = "not-bounce";
        if (usc_record_spool_decision (p, &d, 0, 10, NULL) < 0)
          _exit (1);
      }
      _exit (0);
    }
  }
  int folds = 0;
  for (int done = 0; done < CHILDREN; ) {
    UscRecord *r = rec_open (p, 5, FALSE);
    GError *e = NULL;
    g_assert_cmpint (usc_record_fold_spool (r, &e), ==, 0);
    g_assert_no_error (e);
    usc_record_close (&r);
    folds++;
    int st;
    pid_t w = waitpid (-1, &st, WNOHANG);
    if (w > 0) {
      g_assert_true (WIFEXITED (st) && WEXITSTATUS (st) == 0);
      done++;
    }
  }
  char *v = view (p, FALSE);
  gint64 bs = 0, nb = 0;
  char **lines = g_strsplit (v, "\n", -1);
  for (guint i = 0; lines[i] && strcmp (lines[i], "--") != 0; i++) {
    char day[32], verdict[32], kind[32];
    gint64 n;
    if (sscanf (lines[i], "%31s %31s %31s %" G_GINT64_FORMAT, day, verdict, kind, &n) == 4)
      *(strcmp (verdict, "backscatter") == 0 ? &bs : &nb) += n;
  }
  g_strfreev (lines);
  g_test_message ("%d folds", folds);
  g_assert_cmpint (bs, ==, CHILDREN * EACH / 2);
  g_assert_cmpint (nb, ==, CHILDREN * EACH / 2);
  g_free (v);
  g_free (p);
}

/* A spool that is a symbolic link is refused, nothing written through it. */
static void
test_symlink (void)
{
  char *p = fresh ("link.db");
  char *sp = usc_record_spool_path (p);
  char *target = rec_path ("elsewhere");
  g_unlink (target);
  g_assert_cmpint (symlink (target, sp), ==, 0);
  GError *e = NULL;
  g_assert_cmpint (usc_record_spool_decision (p, &decisions[0], 0, 1, &e), ==, -1);
  g_assert_error (e, USC_ERROR, USC_ERROR_UNSAFE);
  g_clear_error (&e);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_unlink (sp);
  g_free (target);
  g_free (sp);
  g_free (p);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  rec_fixture_init ("usc-spool-XXXXXX");
  g_test_add_func ("/spool/same-as-direct", test_same_as_direct);
  g_test_add_func ("/spool/fold-cut-off", test_fold_cut_off);
  g_test_add_func ("/spool/copy-is-new", test_copy_is_new);
  g_test_add_func ("/spool/fragment", test_fragment);
  g_test_add_func ("/spool/cap-per-line", test_cap_per_line);
  g_test_add_func ("/spool/concurrent", test_concurrent);
  g_test_add_func ("/spool/symlink", test_symlink);
  return rec_fixture_done (g_test_run ());
}
