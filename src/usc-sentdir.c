/* usc-sentdir.c — the Sent folder read at delivery (see usc-sentdir.h).
 *
 * Maildir (maildir(5), Maildir++): messages are files in new/ and cur/; a
 * file's name is "UNIQUE" in new/ and "UNIQUE:2,FLAGS" in cur/, and only the
 * part after ':' changes when flags are set or the file moves from new/ to
 * cur/. So a message is known by its folder and the part before the first
 * ':' of its name (the "seen" set in the record), and a flag change is never
 * imported twice. Files are opened O_NOFOLLOW | O_NONBLOCK and must be
 * regular (a FIFO or a link to a device cannot stall a delivery); only their
 * header block is read (at most 1 MB), by usc_sent_record_message().
 *
 * Never reading the folder twice: each directory has a state in the record
 * (UscRecordDirState):
 *   stamp   a hash of its device, inode and mtime (nanoseconds) when the
 *           current scan began; every creation, removal or rename inside
 *           the directory changes its mtime;
 *   cookie  where the scan stopped (telldir(3)), to resume with seekdir(3)
 *           at the next delivery: valid only while the stamp is unchanged,
 *           which is when the directory's entries have not changed;
 *   DONE    the scan reached the end with the stamp unchanged.
 * A delivery stats new/ and cur/: stamp unchanged and DONE -> nothing to do
 * (one stat and one lookup each). Changed -> read from the start, skipping
 * seen names (looked up 64 at a time); unchanged but not DONE -> resume at
 * the cookie. The time bound is checked before every file: a first contact
 * with a 50,000-message folder takes as many deliveries as needed, each
 * within the bound, and each entry is read once.
 * mtime granularity: the kernel's clock ticks coarsely, so a file added in
 * the same tick as the scan's end may leave the mtime unchanged; a scan is
 * only DONE when the mtime is at least 2 seconds older than the scan's
 * start (as Dovecot does with its maildir cache). Otherwise the next
 * delivery reads the directory again (seen names cost one lookup each).
 */
#include "config.h"
#include "usc-sentdir.h"
#include "usc-sent.h"
#include "usc-common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADER_READ (1024 * 1024)
#define BATCH 64
#define TRUST_AGE 2 /* seconds: an mtime this old cannot change within its tick any more */

static const char *const usual_names[] = { ".Sent", ".Sent Messages", ".Sent Items", ".INBOX.Sent" };

GPtrArray *
usc_sentdir_find (const char *maildir, const char *name)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (name && g_ascii_strcasecmp (name, "none") == 0)
    return out;
  GPtrArray *cand = g_ptr_array_new_with_free_func (g_free);
  if (name == NULL) {
    for (gsize i = 0; i < G_N_ELEMENTS (usual_names); i++)
      g_ptr_array_add (cand, g_build_filename (maildir, usual_names[i], NULL));
  } else if (g_path_is_absolute (name)) {
    g_ptr_array_add (cand, g_strdup (name));
  } else {
    char *dotted = name[0] == '.' ? g_strdup (name) : g_strconcat (".", name, NULL);
    g_ptr_array_add (cand, g_build_filename (maildir, dotted, NULL));
    g_free (dotted);
  }
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint64) * 2);
  for (guint i = 0; i < cand->len; i++) {
    struct stat st;
    if (stat (cand->pdata[i], &st) != 0 || !S_ISDIR (st.st_mode))
      continue;
    guint64 id[2] = { (guint64) st.st_dev, (guint64) st.st_ino };
    gboolean dup = FALSE;
    for (guint k = 0; k < ids->len && !dup; k++)
      dup = memcmp (&g_array_index (ids, guint64, 2 * k), id, sizeof id) == 0;
    if (dup)
      continue;
    g_array_append_vals (ids, id, 1);
    g_ptr_array_add (out, g_canonicalize_filename (cand->pdata[i], NULL));
  }
  g_array_free (ids, TRUE);
  g_ptr_array_unref (cand);
  return out;
}

gboolean
usc_sentdir_nonempty (const char *folder)
{
  static const char *const subs[] = { "new", "cur" };
  for (gsize s = 0; s < G_N_ELEMENTS (subs); s++) {
    char *p = g_build_filename (folder, subs[s], NULL);
    DIR *d = opendir (p);
    g_free (p);
    if (d == NULL)
      continue;
    struct dirent *e;
    gboolean any = FALSE;
    while (!any && (e = readdir (d)) != NULL)
      any = e->d_name[0] != '.';
    closedir (d);
    if (any)
      return TRUE;
  }
  return FALSE;
}

static gint64
stamp_of (const struct stat *st)
{
  guint64 v[4] = { (guint64) st->st_dev, (guint64) st->st_ino, (guint64) st->st_mtim.tv_sec,
                   (guint64) st->st_mtim.tv_nsec };
  guint64 h = 1469598103934665603ULL; /* FNV-1a over the four words */
  const guint8 *b = (const guint8 *) v;
  for (gsize i = 0; i < sizeof v; i++) {
    h ^= b[i];
    h *= 1099511628211ULL;
  }
  return h == 0 ? 1 : (gint64) h;
}

/* Read the header block of @path into a new array, or NULL (not a regular
 * file, unreadable): *@seen_r says whether to mark it seen anyway (a file
 * that will not become a message by itself) or try again next time. */
static GByteArray *
read_header (const char *path, gboolean *seen_r)
{
  *seen_r = TRUE;
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    /* Gone (moved to cur/ meanwhile: seen there), a link, no permission. */
    *seen_r = errno == ENOENT || errno == ELOOP || errno == EACCES || errno == EPERM;
    return NULL;
  }
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    return NULL;
  }
  GByteArray *buf = usc_sent_read_header (fd, MAX_HEADER_READ, NULL);
  if (buf == NULL)
    *seen_r = FALSE; /* a read error: try again next time */
  close (fd);
  return buf;
}

typedef struct {
  char *name;    /* the entry's file name */
  char *unique;  /* its part before ':' */
  long  pos;     /* telldir() before reading it: where to resume to read it again */
} Entry;

/* Scan @dir (the new/ or cur/ of @folder) into @record from @state->cookie
 * until its end or @deadline. Updates @state (cookie, flags). 0, or -1 when
 * the record failed. */
static int
scan_dir (UscRecord *record, const char *folder, const char *dir, UscRecordDirState *state,
          gint64 deadline, UscSentdirStats *stats, GError **error)
{
  DIR *d = opendir (dir);
  if (d == NULL) {
    /* Unreadable: nothing to import, nothing to keep trying every time. */
    state->flags = USC_SENTDIR_DONE;
    state->cookie = 0;
    return 0;
  }
  if (state->cookie != 0)
    seekdir (d, (long) state->cookie);
  gint64 wall_start = g_get_real_time () / G_USEC_PER_SEC;
  Entry batch[BATCH];
  gboolean seen[BATCH];
  const char *uniques[BATCH];
  gboolean at_end = FALSE, stopped = FALSE;
  int rc = 0;
  UscSentCounts counts = { 0 };

  gboolean progress = FALSE, imported_one = FALSE; /* at least one batch and one file per step */
  while (!at_end && !stopped && rc == 0) {
    if (progress && usc_now_monotonic () >= deadline) {
      state->cookie = telldir (d);
      stopped = TRUE;
      break;
    }
    progress = TRUE;
    guint n = 0;
    while (n < BATCH) {
      long pos = telldir (d);
      errno = 0;
      struct dirent *e = readdir (d);
      if (e == NULL) {
        at_end = TRUE;
        break;
      }
      stats->scanned++;
      if (e->d_name[0] == '.')
        continue;
      batch[n].name = g_strdup (e->d_name);
      batch[n].unique = g_strndup (e->d_name, strcspn (e->d_name, ":"));
      batch[n].pos = pos;
      uniques[n] = batch[n].unique;
      n++;
    }
    if (n > 0 && usc_record_seen_check (record, folder, uniques, n, seen, error) < 0)
      rc = -1;
    for (guint i = 0; i < n && rc == 0; i++) {
      if (seen[i])
        continue;
      if (imported_one && usc_now_monotonic () >= deadline) {
        /* Resume by reading this entry again. */
        state->cookie = batch[i].pos;
        stopped = TRUE;
        break;
      }
      imported_one = TRUE;
      char *path = g_build_filename (dir, batch[i].name, NULL);
      gboolean mark = TRUE;
      GByteArray *buf = read_header (path, &mark);
      g_free (path);
      if (buf) {
        GError *local = NULL;
        guint before = counts.recorded + counts.present;
        int r = usc_sent_record_message (record, (const char *) buf->data, buf->len, NULL, 0,
                                         &counts, &local);
        g_byte_array_free (buf, TRUE);
        if (r == -1) {
          g_propagate_error (error, local);
          rc = -1;
          break;
        }
        g_clear_error (&local);
        if (counts.recorded + counts.present == before)
          stats->skipped++;
      } else {
        stats->skipped++;
      }
      if (mark && usc_record_seen_add (record, folder, &uniques[i], 1, error) < 0)
        rc = -1;
    }
    for (guint i = 0; i < n; i++) {
      g_free (batch[i].name);
      g_free (batch[i].unique);
    }
  }
  closedir (d);
  stats->imported += counts.recorded;
  stats->present += counts.present;
  if (rc < 0)
    return -1;
  if (stopped) {
    state->flags = 0;
    stats->pending = TRUE;
    return 0;
  }
  /* The end: DONE when nothing changed meanwhile and the mtime is old
   * enough to trust; else read it again next time. */
  struct stat st;
  if (stat (dir, &st) == 0 && stamp_of (&st) == state->stamp
      && (gint64) st.st_mtim.tv_sec <= wall_start - TRUST_AGE)
    state->flags = USC_SENTDIR_DONE;
  else
    state->flags = 0;
  state->cookie = 0;
  return 0;
}

static gint64
cpu_now (void)
{
  struct timespec ts;
  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

int
usc_sentdir_import (UscRecord *record, const char *folder, gint64 deadline, double busy_timeout,
                    UscSentdirStats *stats, GError **error)
{
  static const char *const subs[] = { "new", "cur" };
  gint64 t0 = usc_now_monotonic (), c0 = cpu_now ();
  int rc = 0;
  gboolean counted = FALSE;

  for (gsize s = 0; s < G_N_ELEMENTS (subs) && rc == 0; s++) {
    char *dir = g_build_filename (folder, subs[s], NULL);
    struct stat st;
    if (stat (dir, &st) != 0 || !S_ISDIR (st.st_mode)) {
      g_free (dir);
      continue;
    }
    if (!counted) {
      stats->folders++;
      counted = TRUE;
    }
    gint64 stamp = stamp_of (&st);
    UscRecordDirState state = { 0 };
    int found = usc_record_dir_get (record, dir, &state, error);
    if (found < 0) {
      rc = -1;
    } else if (found == 0 || state.stamp != stamp || !(state.flags & USC_SENTDIR_DONE)) {
      gint64 left = deadline - usc_now_monotonic ();
      if (left <= 0 && stats->pending) {
        /* The time is spent and an earlier directory is unfinished: this
         * one waits for the next delivery (stats->pending is already set). */
      } else {
        /* One transaction, its lock waited for within the time left. */
        usc_record_set_busy_timeout (record, left > 0 ? (double) left / G_USEC_PER_SEC : 0);
        rc = usc_record_begin (record, error);
        usc_record_set_busy_timeout (record, busy_timeout);
        if (rc == 0) {
          /* Another delivery may have moved it on while we waited. */
          found = usc_record_dir_get (record, dir, &state, error);
          if (found < 0)
            rc = -1;
          else if (found == 1 && state.stamp == stamp && (state.flags & USC_SENTDIR_DONE))
            rc = 0;
          else {
            if (found == 0 || state.stamp != stamp)
              state = (UscRecordDirState) { .stamp = stamp, .cookie = 0, .flags = 0 };
            rc = scan_dir (record, folder, dir, &state, deadline, stats, error);
            if (rc == 0)
              rc = usc_record_dir_set (record, dir, &state, error);
          }
          if (rc == 0)
            rc = usc_record_commit (record, error);
          else
            usc_record_rollback (record, NULL);
        }
        if (rc < 0)
          stats->pending = TRUE;
      }
    }
    g_free (dir);
  }
  stats->elapsed_us += usc_now_monotonic () - t0;
  stats->cpu_us += cpu_now () - c0;
  return rc;
}

char *
usc_sentdir_summary (const UscSentdirStats *s)
{
  return g_strdup_printf ("imported %u, already present %u, %u skipped, %u entries read in %.1f ms "
                          "(%.1f ms CPU)%s",
                          s->imported, s->present, s->skipped, s->scanned, s->elapsed_us / 1000.0,
                          s->cpu_us / 1000.0,
                          s->pending ? " (unfinished: resumed at the next delivery)" : "");
}
