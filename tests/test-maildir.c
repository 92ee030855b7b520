/* test-maildir.c — unit tests for usc-maildir (GTest, table-driven): unique
 * names, Maildir and Maildir++ folder creation with "maildirfolder", exact
 * contents, and failures that leave nothing in new/ (and nothing in tmp/). */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "usc-maildir.h"

static char *
make_tmpdir (void)
{
  GError *error = NULL;
  char *d = g_dir_make_tmp ("usc-maildir-XXXXXX", &error);
  g_assert_no_error (error);
  return d;
}

static void
rm_rf (const char *path)
{
  char *argv[] = { (char *) "rm", (char *) "-rf", (char *) path, NULL };
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Names of the entries in @dir, sorted; NULL when @dir cannot be read. */
static GPtrArray *
list_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return NULL;
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
  const char *n;
  while ((n = g_dir_read_name (d)))
    g_ptr_array_add (a, g_strdup (n));
  g_dir_close (d);
  g_ptr_array_sort (a, (GCompareFunc) g_strcmp0);
  return a;
}

static guint
count_dir (const char *base, const char *sub)
{
  char *p = g_build_filename (base, sub, NULL);
  GPtrArray *a = list_dir (p);
  g_free (p);
  guint n = a ? a->len : 0;
  if (a)
    g_ptr_array_unref (a);
  return n;
}

static gboolean
is_dir (const char *base, const char *sub)
{
  char *p = g_build_filename (base, sub, NULL);
  gboolean r = g_file_test (p, G_FILE_TEST_IS_DIR);
  g_free (p);
  return r;
}

static int
deliver_str (const char *maildir, const char *folder, const char *a, const char *b,
             char **path_r, GError **error)
{
  GBytes *c0 = g_bytes_new_static (a, strlen (a));
  GBytes *c1 = b ? g_bytes_new_static (b, strlen (b)) : NULL;
  const GBytes *chunks[] = { c0, c1 };
  int rc = usc_maildir_deliver (maildir, folder, chunks, b ? 2 : 1, path_r, error);
  g_bytes_unref (c0);
  if (c1)
    g_bytes_unref (c1);
  return rc;
}

/* ---- unique names and exact contents ---- */

static void
test_names (void)
{
  char *top = make_tmpdir ();
  char *md = g_build_filename (top, "a", "b", "Maildir", NULL);   /* parents created too */
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GRegex *re = g_regex_new ("^[0-9]+\\.M[0-9]{6}P[0-9]+Q[0-9]+\\.[^/:]+,S=([0-9]+)$", 0, 0, NULL);
  for (int i = 0; i < 200; i++) {
    char *body = g_strdup_printf ("Subject: %d\n\nmessage %d\n", i, i);
    char *path = NULL;
    GError *error = NULL;
    g_assert_cmpint (deliver_str (md, NULL, "X-Added: yes\n", body, &path, &error), ==, 0);
    g_assert_no_error (error);
    g_assert_nonnull (path);
    char *dir = g_path_get_dirname (path);
    char *want_dir = g_build_filename (md, "new", NULL);
    g_assert_cmpstr (dir, ==, want_dir);
    char *leaf = g_path_get_basename (path);
    GMatchInfo *mi = NULL;
    g_assert_true (g_regex_match (re, leaf, 0, &mi));
    char *size = g_match_info_fetch (mi, 1);
    char *contents = NULL;
    gsize len = 0;
    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    char *want = g_strconcat ("X-Added: yes\n", body, NULL);
    g_assert_cmpstr (contents, ==, want);
    g_assert_cmpuint (g_ascii_strtoull (size, NULL, 10), ==, len);
    g_assert_true (g_hash_table_add (seen, leaf));    /* never the same name twice */
    g_free (want);
    g_free (contents);
    g_free (size);
    g_match_info_free (mi);
    g_free (want_dir);
    g_free (dir);
    g_free (path);
    g_free (body);
  }
  g_assert_cmpuint (count_dir (md, "new"), ==, 200);
  g_assert_cmpuint (count_dir (md, "tmp"), ==, 0);
  g_assert_cmpuint (count_dir (md, "cur"), ==, 0);
  g_regex_unref (re);
  g_hash_table_unref (seen);
  rm_rf (top);
  g_free (md);
  g_free (top);
}

/* Several processes delivering at once never collide. */
static void
test_concurrent (void)
{
  char *md = make_tmpdir ();
  enum { KIDS = 8, EACH = 50 };
  pid_t pids[KIDS];
  for (int k = 0; k < KIDS; k++) {
    pids[k] = fork ();
    g_assert_cmpint (pids[k], >=, 0);
    if (pids[k] == 0) {
      for (int i = 0; i < EACH; i++) {
        char *body = g_strdup_printf ("Subject: %d/%d\n\nx\n", k, i);
        if (deliver_str (md, (i & 1) ? "Backscatter" : NULL, body, NULL, NULL, NULL) < 0)
          _exit (1);
        g_free (body);
      }
      _exit (0);
    }
  }
  for (int k = 0; k < KIDS; k++) {
    int st = 0;
    g_assert_cmpint (waitpid (pids[k], &st, 0), ==, pids[k]);
    g_assert_true (WIFEXITED (st) && WEXITSTATUS (st) == 0);
  }
  g_assert_cmpuint (count_dir (md, "new"), ==, KIDS * EACH / 2);
  g_assert_cmpuint (count_dir (md, ".Backscatter/new"), ==, KIDS * EACH / 2);
  g_assert_cmpuint (count_dir (md, "tmp"), ==, 0);
  g_assert_cmpuint (count_dir (md, ".Backscatter/tmp"), ==, 0);
  rm_rf (md);
  g_free (md);
}

/* ---- Maildir++ folders ---- */

static const struct {
  const char *folder;   /* as configured */
  const char *dir;      /* expected directory under the Maildir, NULL: refused */
} folder_cases[] = {
  { "Backscatter", ".Backscatter" },
  { ".Backscatter", ".Backscatter" },
  { "Junk.Backscatter", ".Junk.Backscatter" },
  { "Spam Traps", ".Spam Traps" },
  { "", NULL },
  { ".", NULL },
  { "a/b", NULL },
  { "../escape", NULL },
  { "a..b", NULL },
  { "trailing.", NULL },
  { "..", NULL },
  { "../../etc", NULL },
  { "a/../../b", NULL },
  { "line\nfeed", NULL },
  { "esc\033[2J", NULL },
  { "del\177", NULL },
  { "bad\377utf8", NULL },
  { "caf\xc3\xa9", ".caf\xc3\xa9" },   /* valid UTF-8 is a name like any */
  /* 200 bytes is the limit, 201 is over */
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
  { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
    NULL },
};

static void
test_folders (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (folder_cases); i++) {
    char *md = make_tmpdir ();
    GError *error = NULL;
    char *path = NULL;
    int rc = deliver_str (md, folder_cases[i].folder, "Subject: f\n\nbody\n", NULL, &path, &error);
    /* The Maildir itself is a Maildir in both cases. */
    g_assert_true (is_dir (md, "new") && is_dir (md, "cur") && is_dir (md, "tmp"));
    if (folder_cases[i].dir == NULL) {
      g_assert_cmpint (rc, ==, -1);
      g_assert_error (error, USC_ERROR, USC_ERROR_INVALID);
      g_assert_null (path);
      GPtrArray *entries = list_dir (md);
      g_assert_cmpuint (entries->len, ==, 3);   /* cur new tmp, nothing else */
      g_ptr_array_unref (entries);
      g_assert_cmpuint (count_dir (md, "new"), ==, 0);
      g_clear_error (&error);
    } else {
      g_assert_cmpint (rc, ==, 0);
      g_assert_no_error (error);
      const char *d = folder_cases[i].dir;
      char *sub;
      static const char *const parts[] = { "new", "cur", "tmp" };
      for (gsize j = 0; j < G_N_ELEMENTS (parts); j++) {
        sub = g_build_filename (d, parts[j], NULL);
        g_assert_true (is_dir (md, sub));
        g_free (sub);
      }
      sub = g_build_filename (md, d, "maildirfolder", NULL);
      GStatBuf st;
      g_assert_cmpint (g_stat (sub, &st), ==, 0);
      g_assert_true (S_ISREG (st.st_mode));
      g_assert_cmpint (st.st_size, ==, 0);
      g_free (sub);
      sub = g_build_filename (d, "new", NULL);
      g_assert_cmpuint (count_dir (md, sub), ==, 1);
      g_free (sub);
      char *want = g_build_filename (md, d, "new", NULL);
      char *dir = g_path_get_dirname (path);
      g_assert_cmpstr (dir, ==, want);
      g_free (dir);
      g_free (want);
      g_assert_cmpuint (count_dir (md, "new"), ==, 0);   /* not in the inbox */
      /* ensure is idempotent and keeps what is there */
      g_assert_cmpint (usc_maildir_ensure (md, folder_cases[i].folder, &error), ==, 0);
      g_assert_no_error (error);
      sub = g_build_filename (d, "new", NULL);
      g_assert_cmpuint (count_dir (md, sub), ==, 1);
      g_free (sub);
    }
    g_free (path);
    rm_rf (md);
    g_free (md);
  }
}

/* ---- failures leave nothing behind ---- */

typedef enum { BREAK_TMP_IS_FILE, BREAK_NEW_IS_FILE, BREAK_UNDER_FILE, BREAK_FILE_SIZE,
               BREAK_NEW_OTHER_FS, BREAK_TMP_READONLY } Breakage;

static const struct {
  const char *name;
  Breakage    how;
  gboolean    needs_non_root;
  gint        code;   /* UscErrorCode */
} failure_cases[] = {
  { "tmp/ is a regular file", BREAK_TMP_IS_FILE, FALSE, USC_ERROR_IO },
  { "new/ is a regular file", BREAK_NEW_IS_FILE, FALSE, USC_ERROR_IO },
  /* a symlink is refused before anything is written (see test_symlinks) */
  { "new/ a symlink to another file system", BREAK_NEW_OTHER_FS, FALSE, USC_ERROR_UNSAFE },
  { "the Maildir path goes through a regular file", BREAK_UNDER_FILE, FALSE, USC_ERROR_IO },
  { "the write fails (EFBIG: file size limit, SIGXFSZ ignored)", BREAK_FILE_SIZE, FALSE, USC_ERROR_IO },
  { "tmp/ not writable (chmod 0500; not as root)", BREAK_TMP_READONLY, TRUE, USC_ERROR_IO },
};

static void
touch (const char *path)
{
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

static void
test_failures (void)
{
  /* A message bigger than the size limit set below. */
  GString *big = g_string_new ("Subject: big\n\n");
  while (big->len < 256 * 1024)
    g_string_append (big, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n");

  for (gsize i = 0; i < G_N_ELEMENTS (failure_cases); i++) {
    if (failure_cases[i].needs_non_root && geteuid () == 0) {
      g_test_message ("skipped as root: %s", failure_cases[i].name);
      continue;
    }
    g_test_message ("case: %s", failure_cases[i].name);
    char *top = make_tmpdir ();
    char *md = g_build_filename (top, "Maildir", NULL);
    GError *error = NULL;
    g_assert_cmpint (usc_maildir_ensure (md, NULL, &error), ==, 0);
    g_assert_no_error (error);
    char *tmp = g_build_filename (md, "tmp", NULL);
    char *new = g_build_filename (md, "new", NULL);
    char *target = g_strdup (md);
    char *other = NULL;
    struct rlimit saved;
    getrlimit (RLIMIT_FSIZE, &saved);
    switch (failure_cases[i].how) {
    case BREAK_TMP_IS_FILE:
      g_assert_cmpint (g_rmdir (tmp), ==, 0);
      touch (tmp);
      break;
    case BREAK_NEW_IS_FILE:
      g_assert_cmpint (g_rmdir (new), ==, 0);
      touch (new);
      break;
    case BREAK_UNDER_FILE: {
      char *f = g_build_filename (top, "file", NULL);
      touch (f);
      g_free (target);
      target = g_build_filename (f, "Maildir", NULL);
      g_free (f);
      break;
    }
    case BREAK_FILE_SIZE: {
      signal (SIGXFSZ, SIG_IGN);
      struct rlimit rl = saved;
      rl.rlim_cur = 64 * 1024;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rl), ==, 0);
      break;
    }
    case BREAK_TMP_READONLY:
      g_assert_cmpint (g_chmod (tmp, 0500), ==, 0);
      break;
    case BREAK_NEW_OTHER_FS: {
      GStatBuf a, b;
      other = g_strdup ("/dev/shm/usc-maildir-XXXXXX");
      if (g_mkdtemp (other) == NULL || g_stat (other, &a) != 0 || g_stat (top, &b) != 0
          || a.st_dev == b.st_dev) {
        g_test_message ("skipped: no second file system at /dev/shm");
        if (g_file_test (other, G_FILE_TEST_IS_DIR))
          g_rmdir (other);
        g_clear_pointer (&other, g_free);
        rm_rf (top);
        g_free (target); g_free (tmp); g_free (new); g_free (md); g_free (top);
        continue;
      }
      g_assert_cmpint (g_rmdir (new), ==, 0);
      g_assert_cmpint (symlink (other, new), ==, 0);
      break;
    }
    }
    char *path = NULL;
    int rc = deliver_str (target, NULL, big->str, NULL, &path, &error);
    setrlimit (RLIMIT_FSIZE, &saved);
    g_assert_cmpint (rc, ==, -1);
    g_assert_error (error, USC_ERROR, failure_cases[i].code);
    g_assert_nonnull (error->message);
    g_assert_cmpuint (strlen (error->message), >, 0);
    g_test_message ("error: %s", error->message);
    g_assert_null (path);
    g_clear_error (&error);
    /* Nothing in new/, and no partial file left in tmp/. */
    if (g_file_test (new, G_FILE_TEST_IS_DIR))
      g_assert_cmpuint (count_dir (md, "new"), ==, 0);
    if (g_file_test (tmp, G_FILE_TEST_IS_DIR))
      g_assert_cmpuint (count_dir (md, "tmp"), ==, 0);
    if (other) {
      GPtrArray *left = list_dir (other);
      g_assert_cmpuint (left->len, ==, 0);
      g_ptr_array_unref (left);
      rm_rf (other);
      g_free (other);
    }
    g_chmod (tmp, 0700);
    rm_rf (top);
    g_free (target);
    g_free (tmp);
    g_free (new);
    g_free (md);
    g_free (top);
  }
  g_string_free (big, TRUE);
}

/* ---- symlinks inside the Maildir are never followed ---- */

typedef enum { LINK_TMP, LINK_NEW, LINK_CUR, LINK_FOLDER, LINK_FOLDER_NEW, LINK_FOLDER_TMP,
               LINK_MAILDIRFOLDER_DANGLING, LINK_MAILDIRFOLDER_FILE } LinkPlace;

static const struct {
  const char *name;
  LinkPlace   where;
  const char *folder;   /* delivered to (NULL: the inbox) */
} symlink_cases[] = {
  { "tmp/ a symlink to a directory elsewhere", LINK_TMP, NULL },
  { "new/ a symlink to a directory elsewhere", LINK_NEW, NULL },
  { "cur/ a symlink to a directory elsewhere", LINK_CUR, NULL },
  { "tmp/ a symlink, filing into a folder (the inbox is checked too)", LINK_TMP, "Backscatter" },
  { ".Backscatter a symlink to a Maildir elsewhere", LINK_FOLDER, "Backscatter" },
  { ".Backscatter/new a symlink", LINK_FOLDER_NEW, "Backscatter" },
  { ".Backscatter/tmp a symlink", LINK_FOLDER_TMP, "Backscatter" },
  { ".Backscatter/maildirfolder a dangling symlink", LINK_MAILDIRFOLDER_DANGLING, "Backscatter" },
  { ".Backscatter/maildirfolder a symlink to a file", LINK_MAILDIRFOLDER_FILE, "Backscatter" },
};

static void
test_symlinks (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (symlink_cases); i++) {
    g_test_message ("case: %s", symlink_cases[i].name);
    char *top = make_tmpdir ();
    char *md = g_build_filename (top, "Maildir", NULL);
    char *elsewhere = g_build_filename (top, "elsewhere", NULL);   /* the attacker's target */
    char *victim = g_build_filename (top, "victim", NULL);         /* a file the attacker wants created */
    GError *error = NULL;
    g_assert_cmpint (usc_maildir_ensure (md, NULL, &error), ==, 0);
    g_assert_no_error (error);
    g_assert_cmpint (usc_maildir_ensure (elsewhere, NULL, &error), ==, 0);   /* tmp/ new/ cur/ there too */
    const char *link_at = NULL, *target = elsewhere;
    char *fdir = g_build_filename (md, ".Backscatter", NULL);
    switch (symlink_cases[i].where) {
    case LINK_TMP: link_at = "tmp"; break;
    case LINK_NEW: link_at = "new"; break;
    case LINK_CUR: link_at = "cur"; break;
    case LINK_FOLDER: link_at = ".Backscatter"; break;
    case LINK_FOLDER_NEW: link_at = ".Backscatter/new"; break;
    case LINK_FOLDER_TMP: link_at = ".Backscatter/tmp"; break;
    case LINK_MAILDIRFOLDER_DANGLING: link_at = ".Backscatter/maildirfolder"; target = victim; break;
    case LINK_MAILDIRFOLDER_FILE:
      link_at = ".Backscatter/maildirfolder";
      target = victim;
      touch (victim);
      break;
    }
    if (g_str_has_prefix (link_at, ".Backscatter/")) {
      g_assert_cmpint (usc_maildir_ensure (md, "Backscatter", &error), ==, 0);
      g_assert_no_error (error);
    }
    char *at = g_build_filename (md, link_at, NULL);
    if (g_file_test (at, G_FILE_TEST_IS_DIR))
      g_assert_cmpint (g_rmdir (at), ==, 0);
    else
      g_unlink (at);
    g_assert_cmpint (symlink (target, at), ==, 0);
    GStatBuf before = { 0 };
    gboolean victim_existed = g_stat (victim, &before) == 0;

    char *path = NULL;
    int rc = deliver_str (md, symlink_cases[i].folder, "Subject: s\n\nbody\n", NULL, &path, &error);
    g_assert_cmpint (rc, ==, -1);
    g_assert_error (error, USC_ERROR, USC_ERROR_UNSAFE);
    g_assert_nonnull (strstr (error->message, "symbolic link"));
    g_test_message ("error: %s", error->message);
    g_clear_error (&error);
    g_assert_null (path);
    /* ensure refuses the same way */
    g_assert_cmpint (usc_maildir_ensure (md, symlink_cases[i].folder, &error), ==, -1);
    g_assert_error (error, USC_ERROR, USC_ERROR_UNSAFE);
    g_clear_error (&error);
    /* nothing written through the link, nothing created at its target */
    g_assert_cmpuint (count_dir (elsewhere, "tmp"), ==, 0);
    g_assert_cmpuint (count_dir (elsewhere, "new"), ==, 0);
    g_assert_cmpuint (count_dir (elsewhere, "cur"), ==, 0);
    GPtrArray *e = list_dir (elsewhere);
    g_assert_cmpuint (e->len, ==, 3);   /* cur new tmp, no maildirfolder */
    g_ptr_array_unref (e);
    GStatBuf after = { 0 };
    if (victim_existed) {
      g_assert_cmpint (g_stat (victim, &after), ==, 0);
      g_assert_cmpint (after.st_size, ==, 0);
    } else {
      g_assert_false (g_file_test (victim, G_FILE_TEST_EXISTS));
    }
    /* and the link is still a link: nothing replaced it */
    GStatBuf lst;
    g_assert_cmpint (g_lstat (at, &lst), ==, 0);
    g_assert_true (S_ISLNK (lst.st_mode));
    g_free (at);
    g_free (fdir);
    rm_rf (top);
    g_free (md);
    g_free (elsewhere);
    g_free (victim);
    g_free (top);
  }
}

/* Files and directories are created 0600 / 0700 whatever the umask. */
static void
test_modes (void)
{
  mode_t old = umask (022);
  char *top = make_tmpdir ();
  char *md = g_build_filename (top, "Maildir", NULL);
  GError *error = NULL;
  char *path = NULL;
  g_assert_cmpint (deliver_str (md, "Backscatter", "Subject: m\n\nbody\n", NULL, &path, &error), ==, 0);
  g_assert_no_error (error);
  static const struct { const char *rel; mode_t mode; } want[] = {
    { "", 0700 }, { "tmp", 0700 }, { "new", 0700 }, { "cur", 0700 }, { ".Backscatter", 0700 },
    { ".Backscatter/tmp", 0700 }, { ".Backscatter/new", 0700 }, { ".Backscatter/cur", 0700 },
    { ".Backscatter/maildirfolder", 0600 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (want); i++) {
    char *p = g_build_filename (md, want[i].rel, NULL);
    GStatBuf st;
    g_assert_cmpint (g_stat (p, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, want[i].mode);
    g_free (p);
  }
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_free (path);
  rm_rf (top);
  g_free (md);
  g_free (top);
  umask (old);
}

static void
test_no_maildir (void)
{
  GError *error = NULL;
  g_assert_cmpint (usc_maildir_ensure (NULL, NULL, &error), ==, -1);
  g_assert_error (error, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (usc_maildir_ensure ("", "Backscatter", &error), ==, -1);
  g_assert_error (error, USC_ERROR, USC_ERROR_INVALID);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/maildir/names", test_names);
  g_test_add_func ("/maildir/concurrent", test_concurrent);
  g_test_add_func ("/maildir/folders", test_folders);
  g_test_add_func ("/maildir/failures", test_failures);
  g_test_add_func ("/maildir/no-maildir", test_no_maildir);
  g_test_add_func ("/maildir/symlinks", test_symlinks);
  g_test_add_func ("/maildir/modes", test_modes);
  return g_test_run ();
}
