/* usc-maildir.c — Maildir delivery done right.
 *
 * Follows D. J. Bernstein's maildir(5) delivery protocol
 * (https://cr.yp.to/proto/maildir.html) and the Maildir++ folder convention
 * (Courier, Dovecot): a folder "Name" of the Maildir DIR is DIR/.Name/ with
 * its own cur/ new/ tmp/ and an empty "maildirfolder" file.
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

/* fsync a directory; file systems that cannot (EINVAL) count as done. */
static int
fsync_dir (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "open %s: %s", path, g_strerror (e));
    return -1;
  }
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS) {
    int e = errno;
    close (fd);
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "fsync %s: %s", path, g_strerror (e));
    return -1;
  }
  close (fd);
  return 0;
}

/* mkdir that accepts an existing directory. Returns 1 created, 0 existed, -1. */
static int
make_dir (const char *path, GError **error)
{
  if (mkdir (path, DIR_MODE) == 0)
    return 1;
  int e = errno;
  struct stat st;
  if (e == EEXIST && stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return 0;
  if (e == EEXIST)
    e = ENOTDIR;
  g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create directory %s: %s", path, g_strerror (e));
  return -1;
}

/* mkdir -p for the Maildir's own path. */
static int
make_dir_parents (const char *path, GError **error)
{
  struct stat st;
  if (stat (path, &st) == 0) {
    if (S_ISDIR (st.st_mode))
      return 0;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", path, g_strerror (ENOTDIR));
    return -1;
  }
  if (g_mkdir_with_parents (path, DIR_MODE) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create directory %s: %s", path, g_strerror (e));
    return -1;
  }
  return 0;
}

/* tmp/ new/ cur/ under @dir. */
static int
make_maildir_subdirs (const char *dir, GError **error)
{
  static const char *const subdirs[] = { "tmp", "new", "cur" };
  gboolean created = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++) {
    char *p = g_build_filename (dir, subdirs[i], NULL);
    int rc = make_dir (p, error);
    g_free (p);
    if (rc < 0)
      return -1;
    created |= rc == 1;
  }
  if (created && fsync_dir (dir, error) < 0)
    return -1;
  return 0;
}

/* TRUE when @s holds a control character (C0 or DEL). */
static gboolean
has_control (const char *s)
{
  for (; *s; s++)
    if ((unsigned char) *s < 0x20 || *s == 0x7f)
      return TRUE;
  return FALSE;
}

/* Validate a Maildir++ folder name and return it without leading dots
 * (newly allocated), or NULL with @error. "Junk.Backscatter" is the
 * sub-folder Backscatter of Junk, as in Maildir++. Refused: an empty name,
 * '/', "..", a trailing '.', and control characters (the name may come from
 * a user's Sieve script; a newline or an escape sequence in a directory name
 * would also end up in logs and terminals). */
static char *
folder_name (const char *folder, GError **error)
{
  while (*folder == '.')
    folder++;
  if (*folder == '\0' || strchr (folder, '/') || strstr (folder, "..")
      || folder[strlen (folder) - 1] == '.' || has_control (folder)) {
    char *shown = g_strescape (folder, NULL);
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID,
                 "invalid Maildir++ folder name \"%s\"", shown);
    g_free (shown);
    return NULL;
  }
  return g_strdup (folder);
}

/* Create (if needed) @maildir and @folder under it; set *@target_r to the
 * directory that receives the message (newly allocated). */
static int
ensure (const char *maildir, const char *folder, char **target_r, GError **error)
{
  if (maildir == NULL || *maildir == '\0') {
    g_set_error (error, USC_ERROR, USC_ERROR_INVALID, "no Maildir given");
    return -1;
  }
  if (make_dir_parents (maildir, error) < 0 || make_maildir_subdirs (maildir, error) < 0)
    return -1;
  if (folder == NULL) {
    if (target_r)
      *target_r = g_strdup (maildir);
    return 0;
  }
  char *name = folder_name (folder, error);
  if (name == NULL)
    return -1;
  char *dot = g_strconcat (".", name, NULL);
  char *fdir = g_build_filename (maildir, dot, NULL);
  g_free (dot);
  g_free (name);
  int rc = make_dir (fdir, error);
  if (rc >= 0)
    rc = make_maildir_subdirs (fdir, error);
  if (rc >= 0) {
    char *mf = g_build_filename (fdir, "maildirfolder", NULL);
    if (access (mf, F_OK) != 0) {
      int fd = open (mf, O_WRONLY | O_CREAT | O_CLOEXEC, FILE_MODE);
      if (fd < 0 || close (fd) != 0) {
        int e = errno;
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create %s: %s", mf, g_strerror (e));
        rc = -1;
      } else if (fsync_dir (fdir, error) < 0 || fsync_dir (maildir, error) < 0) {
        rc = -1;
      }
    }
    g_free (mf);
  }
  if (rc < 0) {
    g_free (fdir);
    return -1;
  }
  if (target_r)
    *target_r = fdir;
  else
    g_free (fdir);
  return 0;
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

/* Move tmp/@tmp_path to new/: link, or a rename that never replaces. Picks
 * another name when the one chosen exists. Returns 0 with *@new_path_r set,
 * or -1 with errno. */
static int
move_to_new (const char *tmp_path, const char *new_dir, const char *host, gsize size,
             const char *first_base, char **new_path_r)
{
  char *base = g_strdup (first_base);
  for (int attempt = 0; attempt < 100; attempt++) {
    char *leaf = g_strdup_printf ("%s,S=%" G_GSIZE_FORMAT, base, size);
    char *new_path = g_build_filename (new_dir, leaf, NULL);
    g_free (leaf);
    int rc = link (tmp_path, new_path);
    int e = errno;
    if (rc != 0 && (e == EPERM || e == EXDEV || e == ENOSYS || e == EOPNOTSUPP || e == EMLINK)) {
      /* No hard links here (some FUSE, AFS, vfat): rename, refusing to replace. */
#ifdef RENAME_NOREPLACE
      rc = renameat2 (AT_FDCWD, tmp_path, AT_FDCWD, new_path, RENAME_NOREPLACE);
      e = errno;
      if (rc != 0 && (e == EINVAL || e == ENOSYS))
#endif
      {
        struct stat st;
        if (lstat (new_path, &st) == 0) {
          rc = -1;
          e = EEXIST;
        } else {
          rc = rename (tmp_path, new_path);
          e = errno;
        }
      }
    }
    if (rc == 0) {
      g_free (base);
      *new_path_r = new_path;
      return 0;
    }
    g_free (new_path);
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
  char *target = NULL;
  if (ensure (maildir, folder, &target, error) < 0)
    return -1;

  char *host = escaped_hostname ();
  char *tmp_dir = g_build_filename (target, "tmp", NULL);
  char *new_dir = g_build_filename (target, "new", NULL);
  char *base = NULL, *tmp_path = NULL, *new_path = NULL;
  int fd = -1, rc = -1;
  gsize size = 0;

  for (guint i = 0; i < n_chunks; i++)
    if (chunks[i])
      size += g_bytes_get_size ((GBytes *) chunks[i]);

  for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
    g_free (base);
    g_free (tmp_path);
    base = unique_name (host);
    tmp_path = g_build_filename (tmp_dir, base, NULL);
    fd = open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
    if (fd < 0 && errno != EEXIST) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create %s: %s", tmp_path, g_strerror (e));
      g_clear_pointer (&tmp_path, g_free);
      goto out;
    }
  }
  if (fd < 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot create a unique file in %s", tmp_dir);
    g_clear_pointer (&tmp_path, g_free);
    goto out;
  }

  for (guint i = 0; i < n_chunks; i++) {
    if (chunks[i] == NULL)
      continue;
    gsize len = 0;
    const char *data = g_bytes_get_data ((GBytes *) chunks[i], &len);
    if (len && write_all (fd, data, len) < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "write %s: %s", tmp_path, g_strerror (e));
      goto out;
    }
  }
  if (fsync (fd) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "fsync %s: %s", tmp_path, g_strerror (e));
    goto out;
  }
  int cfd = fd;
  fd = -1;
  if (close (cfd) != 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "close %s: %s", tmp_path, g_strerror (e));
    goto out;
  }

  if (move_to_new (tmp_path, new_dir, host, size, base, &new_path) < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "cannot move %s into %s: %s", tmp_path, new_dir,
                 g_strerror (e));
    goto out;
  }
  /* After a rename tmp_path no longer exists; after a link it goes now. */
  (void) unlink (tmp_path);
  g_clear_pointer (&tmp_path, g_free);

  if (fsync_dir (new_dir, error) < 0) {
    /* Not durable: take it back so that the caller defers rather than risks loss. */
    (void) unlink (new_path);
    g_clear_pointer (&new_path, g_free);
    goto out;
  }
  rc = 0;
  if (path_r) {
    *path_r = new_path;
    new_path = NULL;
  }

out:
  if (fd >= 0)
    close (fd);
  if (tmp_path)
    (void) unlink (tmp_path);
  g_free (tmp_path);
  g_free (new_path);
  g_free (base);
  g_free (tmp_dir);
  g_free (new_dir);
  g_free (host);
  g_free (target);
  return rc;
}
