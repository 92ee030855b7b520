/* usc-maildir.c — Maildir delivery done right.
 *
 * Follows D. J. Bernstein's maildir(5) delivery protocol
 * (https://cr.yp.to/proto/maildir.html) and the Maildir++ folder convention
 * (Courier, Dovecot): a folder "Name" of the Maildir DIR is DIR/.Name/ with
 * its own cur/ new/ tmp/ and an empty "maildirfolder" file.
 *
 * Nothing inside the Maildir is reached through a path: the Maildir
 * directory (the path given, followed as the user gave it) is opened once
 * and everything below it, folder directories, tmp/, new/, cur/, the
 * "maildirfolder" file and the message files, is created and opened relative
 * to directory handles with O_NOFOLLOW (O_DIRECTORY for directories,
 * O_CREAT|O_EXCL for files), linked and renamed with linkat()/renameat().
 * A symlink planted anywhere there is refused (USC_ERROR_UNSAFE), never
 * followed, so the message cannot be written elsewhere.
 *
 * Delivery: create tmp/NAME exclusively, write every chunk, fsync, close
 * (checking close: NFS reports quota errors there), link() tmp/NAME to
 * new/NAME (falling back to an rename that never replaces an existing file
 * when the file system cannot link), unlink tmp/NAME, fsync new/. A failure at
 * any step removes what was created: the caller either has the message
 * durably in new/ or gets -1 and nothing in new/ (a tmp/ file may survive
 * only if the process is killed mid-write; Maildir readers clean tmp/ after
 * 36 hours).
 *
 * NAME is "SECONDS.M<usec>P<pid>Q<counter>.<host>,S=<size>": unique on this
 * host (pid and microseconds, plus a per-process counter); '/' and ':' in the
 * host name are written as "\057" and "\072" as maildir(5) asks. ",S=" is the
 * Maildir++ size field that Dovecot and Courier read to avoid a stat().
 */
#include "config.h"
#include "usc-maildir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DIR_MODE 0700
#define FILE_MODE 0600

static guint delivery_counter;

static char *
escaped_hostname (void)
{
  char host[256];
  if (gethostname (host, sizeof host - 1) != 0 || host[0] == '\0')
    g_strlcpy (host, "localhost", sizeof host);
  host[sizeof host - 1] = '\0';
  GString *s = g_string_new (NULL);
  for (const char *p = host; *p; p++) {
    if (*p == '/')
      g_string_append (s, "\\057");
    else if (*p == ':')
      g_string_append (s, "\\072");
    else
      g_string_append_c (s, *p);
  }
  return g_string_free (s, FALSE);
}

/* A new unique base name (without the ",S=" part). */
static char *
unique_name (const char *host)
{
  gint64 now = g_get_real_time ();
  return g_strdup_printf ("%" G_GINT64_FORMAT ".M%06" G_GINT64_FORMAT "P%ldQ%u.%s",
                          now / G_USEC_PER_SEC, now % G_USEC_PER_SEC, (long) getpid (),
                          ++delivery_counter, host);
}

/* fsync the directory open at @fd; file systems that cannot (EINVAL, EROFS) count as done. */
static int
fsync_dirfd (int fd, const char *path, GError **error)
{
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "fsync %s: %s", path, g_strerror (e));
    return -1;
  }
  return 0;
}

/* The error for @name in the directory @dir_path that could not be opened
 * (errno @e) as a directory without following a symlink: a symlink (or
 * anything that is no directory) is refused as unsafe, never followed. */
static void
set_open_error (GError **error, int dirfd, const char *dir_path, const char *name, int e)
{
  struct stat st;
  if ((e == ELOOP || e == ENOTDIR || e == EMLINK) && fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK (st.st_mode))
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "%s/%s is a symbolic link: refusing to follow it",
                 dir_path, name);
  else if (e == ENOTDIR)
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s/%s is not a directory", dir_path, name);
  else
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot open %s/%s: %s", dir_path, name, g_strerror (e));
}

/* Create (if missing) and open the directory @name in the directory open at
 * @dirfd (path @dir_path, for messages), never following a symlink.
 * *@created_r is set when it was created. Returns the fd or -1 with @error. */
static int
open_subdir (int dirfd, const char *dir_path, const char *name, gboolean *created_r, GError **error)
{
  if (mkdirat (dirfd, name, DIR_MODE) == 0) {
    *created_r = TRUE;
  } else if (errno != EEXIST) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create directory %s/%s: %s", dir_path, name,
                 g_strerror (e));
    return -1;
  }
  int fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    set_open_error (error, dirfd, dir_path, name, errno);
  return fd;
}

/* mkdir -p for the Maildir's own path (given by the user: it is followed,
 * symlinks and all), then open it. Returns the fd or -1 with @error. */
static int
open_maildir_root (const char *path, GError **error)
{
  struct stat st;
  if (stat (path, &st) != 0) {
    if (g_mkdir_with_parents (path, DIR_MODE) != 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create directory %s: %s", path, g_strerror (e));
      return -1;
    }
  }
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", path, g_strerror (e));
    return -1;
  }
  return fd;
}

/* An open Maildir: the directory that receives the message and its tmp/ and new/. */
typedef struct {
  int   dir;       /* the Maildir or folder directory */
  int   tmp;
  int   new_;
  char *path;      /* its path, for messages */
} Target;

static void
target_close (Target *t)
{
  if (t->dir >= 0)
    close (t->dir);
  if (t->tmp >= 0)
    close (t->tmp);
  if (t->new_ >= 0)
    close (t->new_);
  g_free (t->path);
  t->dir = t->tmp = t->new_ = -1;
  t->path = NULL;
}

/* tmp/ new/ cur/ under the directory open at @dirfd; tmp/ and new/ stay open
 * in @t when it is non-NULL. */
static int
make_maildir_subdirs (int dirfd, const char *path, Target *t, GError **error)
{
  static const char *const subdirs[] = { "tmp", "new", "cur" };
  gboolean created = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++) {
    int fd = open_subdir (dirfd, path, subdirs[i], &created, error);
    if (fd < 0)
      return -1;
    if (t != NULL && i == 0)
      t->tmp = fd;
    else if (t != NULL && i == 1)
      t->new_ = fd;
    else
      close (fd);
  }
  if (created && fsync_dirfd (dirfd, path, error) < 0)
    return -1;
  return 0;
}

gboolean
usc_maildir_folder_valid (const char *name, const char **why_r)
{
  const char *why = NULL;
  gsize len = name ? strlen (name) : 0;
  if (len == 0)
    why = "must not be empty";
  else if (len > USC_MAILDIR_FOLDER_MAX)
    why = "is too long (at most " G_STRINGIFY (USC_MAILDIR_FOLDER_MAX) " bytes)";
  else if (strchr (name, '/') || strstr (name, ".."))
    why = "must not contain '/' or '..'";
  else if (name[0] == '.' || name[len - 1] == '.')
    why = "must not start or end with '.'";
  else if (!g_utf8_validate (name, (gssize) len, NULL))
    why = "must be valid UTF-8";
  else {
    for (const char *p = name; *p && why == NULL; p++)
      if ((guchar) *p < 0x20 || *p == 0x7f)
        why = "must not contain control characters";
  }
  if (why_r)
    *why_r = why;
  return why == NULL;
}

/* Validate a Maildir++ folder name and return it without leading dots
 * (newly allocated), or NULL with @error. "Junk.Backscatter" is the
 * sub-folder Backscatter of Junk, as in Maildir++. */
static char *
folder_name (const char *folder, GError **error)
{
  while (*folder == '.')
    folder++;
  const char *why = NULL;
  if (!usc_maildir_folder_valid (folder, &why)) {
    char *shown = usc_display_escape (folder, MIN (strlen (folder), (gsize) 300));
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "invalid Maildir++ folder name \"%s\": %s", shown, why);
    g_free (shown);
    return NULL;
  }
  return g_strdup (folder);
}

/* Create (if needed) @maildir and @folder under it, without following any
 * symlink inside the Maildir; with @t, leave the receiving directory and its
 * tmp/ and new/ open there. */
static int
ensure (const char *maildir, const char *folder, Target *t, GError **error)
{
  if (maildir == NULL || *maildir == '\0') {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no Maildir given");
    return -1;
  }
  char *name = NULL;
  Target local = { -1, -1, -1, NULL };
  if (t == NULL)
    t = &local;
  int rc = -1;
  int root = open_maildir_root (maildir, error);
  if (root < 0)
    goto out;
  if (folder == NULL) {
    t->dir = root;
    root = -1;
    t->path = g_strdup (maildir);
    rc = make_maildir_subdirs (t->dir, t->path, t, error);
    goto out;
  }
  /* the inbox's own tmp/ new/ cur/ (a Maildir++ folder lives in a Maildir) */
  if (make_maildir_subdirs (root, maildir, NULL, error) < 0 || (name = folder_name (folder, error)) == NULL)
    goto out;
  char *dot = g_strconcat (".", name, NULL);
  gboolean created = FALSE;
  t->dir = open_subdir (root, maildir, dot, &created, error);
  t->path = g_build_filename (maildir, dot, NULL);
  if (t->dir < 0 || make_maildir_subdirs (t->dir, t->path, t, error) < 0) {
    g_free (dot);
    goto out;
  }
  g_free (dot);
  /* "maildirfolder": created exclusively, never through a symlink */
  int fd = openat (t->dir, "maildirfolder", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
  if (fd >= 0) {
    if (close (fd) != 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create %s/maildirfolder: %s", t->path, g_strerror (e));
      goto out;
    }
    created = TRUE;
  } else {
    int e = errno;
    struct stat st = { 0 };
    if (e != EEXIST) {
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create %s/maildirfolder: %s", t->path, g_strerror (e));
      goto out;
    }
    if (fstatat (t->dir, "maildirfolder", &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG (st.st_mode)) {
      gboolean link = S_ISLNK (st.st_mode);
      g_set_error (error, USC_ERROR, link ? USC_ERROR_UNSAFE : USC_ERROR_IO, "%s/maildirfolder %s", t->path,
                   link ? "is a symbolic link: refusing to follow it" : "is not a regular file");
      goto out;
    }
  }
  if (created && (fsync_dirfd (t->dir, t->path, error) < 0 || fsync_dirfd (root, maildir, error) < 0))
    goto out;
  rc = 0;

out:
  if (root >= 0)
    close (root);
  if (rc < 0 || t == &local)
    target_close (t);
  g_free (name);
  return rc;
}

int
usc_maildir_ensure (const char *maildir, const char *folder, GError **error)
{
  return ensure (maildir, folder, NULL, error);
}

static int
write_all (int fd, const char *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write (fd, data, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    data += n;
    len -= (gsize) n;
  }
  return 0;
}

/* Move tmp/@tmp_name to new/: link, or a rename that never replaces, both
 * relative to the open directories (no symlink is followed). Picks another
 * name when the one chosen exists. Returns 0 with *@new_name_r set, or -1 with errno. */
static int
move_to_new (const Target *t, const char *tmp_name, const char *host, gsize size, char **new_name_r)
{
  char *base = g_strdup (tmp_name);
  for (int attempt = 0; attempt < 100; attempt++) {
    char *leaf = g_strdup_printf ("%s,S=%" G_GSIZE_FORMAT, base, size);
    int rc = linkat (t->tmp, tmp_name, t->new_, leaf, 0);
    int e = errno;
    if (rc != 0 && (e == EPERM || e == EXDEV || e == ENOSYS || e == EOPNOTSUPP || e == EMLINK)) {
      /* No hard links here (some FUSE, AFS, vfat): rename, refusing to replace. */
#ifdef RENAME_NOREPLACE
      rc = renameat2 (t->tmp, tmp_name, t->new_, leaf, RENAME_NOREPLACE);
      e = errno;
      if (rc != 0 && (e == EINVAL || e == ENOSYS))
#endif
      {
        struct stat st;
        if (fstatat (t->new_, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0) {
          rc = -1;
          e = EEXIST;
        } else {
          rc = renameat (t->tmp, tmp_name, t->new_, leaf);
          e = errno;
        }
      }
    }
    if (rc == 0) {
      g_free (base);
      *new_name_r = leaf;
      return 0;
    }
    g_free (leaf);
    if (e != EEXIST) {
      g_free (base);
      errno = e;
      return -1;
    }
    g_free (base);
    base = unique_name (host);
  }
  g_free (base);
  errno = EEXIST;
  return -1;
}

int
usc_maildir_deliver (const char *maildir, const char *folder,
                     const GBytes *const *chunks, guint n_chunks,
                     char **path_r, GError **error)
{
  Target t = { -1, -1, -1, NULL };
  if (ensure (maildir, folder, &t, error) < 0)
    return -1;

  char *host = escaped_hostname ();
  char *base = NULL, *new_name = NULL;
  gboolean tmp_exists = FALSE;
  int fd = -1, rc = -1;
  gsize size = 0;

  for (guint i = 0; i < n_chunks; i++)
    if (chunks[i])
      size += g_bytes_get_size ((GBytes *) chunks[i]);

  for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
    g_free (base);
    base = unique_name (host);
    fd = openat (t.tmp, base, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
    if (fd < 0 && errno != EEXIST) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create %s/tmp/%s: %s", t.path, base, g_strerror (e));
      goto out;
    }
  }
  if (fd < 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create a unique file in %s/tmp", t.path);
    goto out;
  }
  tmp_exists = TRUE;

  for (guint i = 0; i < n_chunks; i++) {
    if (chunks[i] == NULL)
      continue;
    gsize len = 0;
    const char *data = g_bytes_get_data ((GBytes *) chunks[i], &len);
    if (len && write_all (fd, data, len) < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "write %s/tmp/%s: %s", t.path, base, g_strerror (e));
      goto out;
    }
  }
  if (fsync (fd) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "fsync %s/tmp/%s: %s", t.path, base, g_strerror (e));
    goto out;
  }
  int cfd = fd;
  fd = -1;
  if (close (cfd) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "close %s/tmp/%s: %s", t.path, base, g_strerror (e));
    goto out;
  }

  if (move_to_new (&t, base, host, size, &new_name) < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot move %s/tmp/%s into %s/new: %s", t.path, base, t.path,
                 g_strerror (e));
    goto out;
  }
  /* After a rename the tmp/ file no longer exists; after a link it goes now. */
  (void) unlinkat (t.tmp, base, 0);
  tmp_exists = FALSE;

  if (fsync_dirfd (t.new_, t.path, error) < 0) {
    /* Not durable: take it back so that the caller defers rather than risks loss. */
    (void) unlinkat (t.new_, new_name, 0);
    goto out;
  }
  rc = 0;
  if (path_r)
    *path_r = g_build_filename (t.path, "new", new_name, NULL);

out:
  if (fd >= 0)
    close (fd);
  if (tmp_exists)
    (void) unlinkat (t.tmp, base, 0);
  g_free (new_name);
  g_free (base);
  g_free (host);
  target_close (&t);
  return rc;
}
