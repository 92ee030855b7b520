/* usc-record-sqlite.c — the SQLite backend of the sent-mail record.
 *
 * Behind the vtable of usc-record-backend.h; usc-record.c is the generic
 * layer that hashes keys and dispatches here.
 *
 * The SQLite backend (https://sqlite.org/wal.html, /pragma.html):
 *   - WAL journal, synchronous=NORMAL (consistent after a crash; the last
 *     commits may be lost on power failure), a busy timeout from the options;
 *   - writes take the lock up front (BEGIN IMMEDIATE) so that a busy writer
 *     waits in the busy handler instead of failing on a lock upgrade;
 *   - schema version in PRAGMA user_version, application_id 'usc1', and a
 *     list of migrations applied in one transaction when an older file is
 *     opened read-write; a newer file is refused;
 *   - tables (about 120 bytes per sent message with 2 recipients, measured):
 *       sent(id INTEGER PRIMARY KEY,            -- hash of the Message-ID or fingerprint
 *            date INTEGER, recorded INTEGER)
 *       rcpt(addr, date, msg) PRIMARY KEY WITHOUT ROWID  -- hash of the address
 *       decisions(day, verdict, kind, count) WITHOUT ROWID -- for `stats`
 *       meta(key TEXT PRIMARY KEY, value INTEGER)  -- 'since': earliest date covered,
 *                                                 -- 'count', 'decision_log_count',
 *                                                 -- 'spool_gen', 'spool_ino', 'spool_done' (the last
 *                                                 -- decision spool folded, usc-record-spool.c)
 *       decision_log(id INTEGER PRIMARY KEY, time, verdict, kind, reporting_mta,
 *            relay_host, relay_ip, mta_family, forged_sender, recipient, payload,
 *            reason), index on time      -- one row per bounce, for `report`
 *            (about 150-250 bytes a row with typical fields, measured)
 *       sentdir(dir INTEGER PRIMARY KEY, stamp, cookie, flags) -- Sent folder import
 *       sentseen(name INTEGER PRIMARY KEY)          -- its seen file names (hashed)
 *   - SQLITE_BUSY / SQLITE_LOCKED (after the timeout) -> USC_ERROR_TEMPFAIL,
 *     SQLITE_CORRUPT / SQLITE_NOTADB -> USC_ERROR_CORRUPT, anything else ->
 *     USC_ERROR_IO. An error is never reported as "not found".
 *
 * Message-IDs (RFC 5322 section 3.6.4) and addresses are compared ASCII
 * case-insensitively: they are lower-cased before hashing.
 */
#include "config.h"
#include "usc-record-backend.h"
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

/* ------------------------------------------------------------------------ */
/* SQLite backend                                                            */

#define USC_APPLICATION_ID 0x75736331 /* "usc1" */

/* Migration i brings user_version i to i + 1. Never edit a released step:
 * append a new one. */
static const char *const sqlite_migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE sent (id INTEGER PRIMARY KEY, date INTEGER NOT NULL, recorded INTEGER NOT NULL);"
  "CREATE TABLE rcpt (addr INTEGER NOT NULL, date INTEGER NOT NULL, msg INTEGER NOT NULL,"
  "  PRIMARY KEY (addr, date, msg)) WITHOUT ROWID;"
  "CREATE TABLE decisions (day INTEGER NOT NULL, verdict TEXT NOT NULL, kind TEXT NOT NULL,"
  "  count INTEGER NOT NULL, PRIMARY KEY (day, verdict, kind)) WITHOUT ROWID;"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
  /* count(*) scans the table (11 ms at 1e6 entries): keep the count here. */
  "INSERT INTO meta (key, value) VALUES ('count', 0);",
  /* 1 -> 2: the decision log of `unscatter report` (issue 12). */
  "CREATE TABLE decision_log (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
  "  verdict TEXT NOT NULL, kind TEXT NOT NULL, reporting_mta TEXT, relay_host TEXT,"
  "  relay_ip TEXT, mta_family TEXT, forged_sender TEXT, recipient TEXT, payload TEXT,"
  "  reason TEXT);"
  "CREATE INDEX decision_log_time ON decision_log (time);"
  "INSERT INTO meta (key, value) VALUES ('decision_log_count', 0);",
  /* 2 -> 3: the Sent folder import's state (usc-sentdir.c) */
  "CREATE TABLE IF NOT EXISTS sentdir (dir INTEGER PRIMARY KEY, stamp INTEGER NOT NULL, cookie INTEGER NOT NULL,"
  "  flags INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sentseen (name INTEGER PRIMARY KEY);",
};
#define SQLITE_SCHEMA_VERSION ((int) G_N_ELEMENTS (sqlite_migrations))

enum {
  ST_INSERT_SENT, ST_INSERT_RCPT, ST_HAS_ID, ST_HAS_RCPT,
  ST_SINCE_MIN, ST_COUNT_INC, ST_LOG, ST_STATS, ST_DLOG_ADD, ST_DLOG_COUNT, ST_DLOG_COUNT_INC,
  ST_DLOG_TRIM, ST_DLOG_READ, ST_DIR_GET, ST_DIR_SET, ST_SEEN_GET, ST_SEEN_ADD,
  ST_META_GET, ST_META_SET, ST_N
};

static const char *const sqlite_statements[ST_N] = {
  [ST_INSERT_SENT] = "INSERT OR IGNORE INTO sent (id, date, recorded) VALUES (?1, ?2, ?3)",
  [ST_INSERT_RCPT] = "INSERT OR IGNORE INTO rcpt (addr, date, msg) VALUES (?1, ?2, ?3)",
  [ST_HAS_ID]      = "SELECT 1 FROM sent WHERE id = ?1",
  [ST_HAS_RCPT]    = "SELECT 1 FROM rcpt WHERE addr = ?1 AND date BETWEEN ?2 AND ?3 LIMIT 1",
  [ST_COUNT_INC]   = "UPDATE meta SET value = value + ?1 WHERE key = 'count'",
  [ST_SINCE_MIN]   = "INSERT INTO meta (key, value) VALUES ('since', ?1) "
                     "ON CONFLICT (key) DO UPDATE SET value = min(value, excluded.value)",
  [ST_LOG]         = "INSERT INTO decisions (day, verdict, kind, count) VALUES (?1, ?2, ?3, 1) "
                     "ON CONFLICT (day, verdict, kind) DO UPDATE SET count = count + 1",
  [ST_STATS]       = "SELECT day, verdict, kind, count FROM decisions WHERE day >= ?1 "
                     "ORDER BY day, verdict, kind",
  [ST_DLOG_ADD]    = "INSERT INTO decision_log (time, verdict, kind, reporting_mta, relay_host,"
                     " relay_ip, mta_family, forged_sender, recipient, payload, reason)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
  [ST_DLOG_COUNT]  = "SELECT value FROM meta WHERE key = 'decision_log_count'",
  [ST_DLOG_COUNT_INC] = "UPDATE meta SET value = value + ?1 WHERE key = 'decision_log_count'",
  [ST_DLOG_TRIM]   = "DELETE FROM decision_log WHERE id IN"
                     " (SELECT id FROM decision_log ORDER BY time, id LIMIT ?1)",
  [ST_DLOG_READ]   = "SELECT time, verdict, kind, reporting_mta, relay_host, relay_ip, mta_family,"
                     " forged_sender, recipient, payload, reason FROM decision_log"
                     " WHERE time >= ?1 AND time < ?2 ORDER BY time, id",
  [ST_DIR_GET]     = "SELECT stamp, cookie, flags FROM sentdir WHERE dir = ?1",
  [ST_DIR_SET]     = "INSERT OR REPLACE INTO sentdir (dir, stamp, cookie, flags) VALUES (?1, ?2, ?3, ?4)",
  [ST_SEEN_GET]    = "SELECT 1 FROM sentseen WHERE name = ?1",
  [ST_SEEN_ADD]    = "INSERT OR IGNORE INTO sentseen (name) VALUES (?1)",
  [ST_META_GET]    = "SELECT value FROM meta WHERE key = ?1",
  [ST_META_SET]    = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
};

typedef struct {
  sqlite3      *db;
  char         *path;
  sqlite3_stmt *st[ST_N];
  gboolean      changed;  /* sent messages were added or removed */
} SqliteBe;

static int
sqlite_error_code (int rc)
{
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return USC_ERROR_TEMPFAIL;
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return USC_ERROR_CORRUPT;
  default:
    return USC_ERROR_IO;
  }
}

static int
sqlite_fail (SqliteBe *s, int rc, const char *what, GError **error)
{
  int code = sqlite_error_code (rc);
  const char *msg = s->db ? sqlite3_errmsg (s->db) : sqlite3_errstr (rc);
  const char *hint = code == USC_ERROR_TEMPFAIL ? " (locked by another process past the busy timeout; try again later)"
                   : code == USC_ERROR_CORRUPT ? " (the file is damaged or not an unscatter record)"
                   : "";
  g_set_error (error, USC_ERROR, code, "%s: %s: %s%s", s->path, what, msg, hint);
  return -1;
}

static int
sqlite_exec (SqliteBe *s, const char *sql, GError **error)
{
  int rc = sqlite3_exec (s->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return sqlite_fail (s, rc, sql, error);
  return 0;
}

/* Checkpoint on close once the WAL holds this many frames (see close). */
#define WAL_CLOSE_FRAMES 32

/* Frames in @db_path's WAL file, from its size (0 when there is none). */
static gint64
wal_frames (const char *db_path)
{
  char *wal = g_strconcat (db_path, "-wal", NULL);
  GStatBuf st;
  gint64 n = 0;
  if (g_stat (wal, &st) == 0 && st.st_size > 32)
    n = (st.st_size - 32) / (24 + 4096);  /* WAL header, frame header + page (page_size 4096) */
  g_free (wal);
  return n;
}

/* Run a one-integer query; -1 with @error on failure. */
static int
sqlite_int_query (SqliteBe *s, const char *sql, gint64 *value_r, GError **error)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (s->db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK)
    return sqlite_fail (s, rc, sql, error);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW) {
    *value_r = sqlite3_column_int64 (st, 0);
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    *value_r = 0;
    rc = SQLITE_OK;
  }
  sqlite3_finalize (st);
  if (rc != SQLITE_OK)
    return sqlite_fail (s, rc, sql, error);
  return 0;
}

static sqlite3_stmt *
sqlite_stmt (SqliteBe *s, int which, GError **error)
{
  if (s->st[which] == NULL) {
    int rc = sqlite3_prepare_v3 (s->db, sqlite_statements[which], -1, SQLITE_PREPARE_PERSISTENT,
                                 &s->st[which], NULL);
    if (rc != SQLITE_OK) {
      sqlite_fail (s, rc, "prepare", error);
      return NULL;
    }
  } else {
    sqlite3_reset (s->st[which]);
    sqlite3_clear_bindings (s->st[which]);
  }
  return s->st[which];
}

/* Step a statement that returns no rows. */
static int
sqlite_step_done (SqliteBe *s, sqlite3_stmt *st, const char *what, GError **error)
{
  int rc = sqlite3_step (st);
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return sqlite_fail (s, rc, what, error);
  return 0;
}

/* Step a query; 1 a row, 0 none, -1 error. The value of column 0 in *@v_r. */
static int
sqlite_step_row (SqliteBe *s, sqlite3_stmt *st, const char *what, gint64 *v_r, GError **error)
{
  int rc = sqlite3_step (st);
  int ret;
  if (rc == SQLITE_ROW) {
    if (v_r)
      *v_r = sqlite3_column_int64 (st, 0);
    ret = 1;
  } else if (rc == SQLITE_DONE) {
    ret = 0;
  } else {
    ret = sqlite_fail (s, rc, what, error);
  }
  sqlite3_reset (st);
  return ret;
}

static void
sqlite_close (gpointer be)
{
  SqliteBe *s = be;
  if (s == NULL)
    return;
  for (int i = 0; i < ST_N; i++)
    sqlite3_finalize (s->st[i]);
  if (s->db) {
    if (!sqlite3_get_autocommit (s->db))
      sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
    /* A delivery only looks up and logs one decision: the checkpoint (two
     * fsyncs) that the last close does is skipped while the WAL is short.
     * It cannot be left to the automatic checkpoint: every process opens the
     * record afresh, the first connection rebuilds the WAL index by reading
     * the whole WAL (SQLite's unix VFS resets the -shm then) and forgets what
     * was checkpointed, so the WAL would never restart and each delivery
     * would read all of it. So one delivery in about WAL_CLOSE_FRAMES pays
     * the checkpoint and the WAL is removed. After recording, the close
     * always checkpoints, so that the file alone holds what was recorded. */
    if (!s->changed && wal_frames (s->path) < WAL_CLOSE_FRAMES)
      sqlite3_db_config (s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
    sqlite3_close_v2 (s->db);
  }
  g_free (s->path);
  g_free (s);
}

/* Bring the schema to SQLITE_SCHEMA_VERSION from @version (PRAGMA
 * user_version, just read). */
static int
sqlite_migrate (SqliteBe *s, gint64 version, gboolean read_only, GError **error)
{
  gint64 app = 0, tables = 0;
  if (version == SQLITE_SCHEMA_VERSION)
    return 0;
  if (version > SQLITE_SCHEMA_VERSION) {
    g_set_error (error, USC_ERROR, USC_ERROR_CORRUPT,
                 "%s: record schema version %" G_GINT64_FORMAT " is newer than this program's (%d)",
                 s->path, version, SQLITE_SCHEMA_VERSION);
    return -1;
  }
  if (read_only) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO,
                 "%s: record schema version %" G_GINT64_FORMAT " needs an upgrade (open it read-write)",
                 s->path, version);
    return -1;
  }
  if (sqlite_exec (s, "BEGIN IMMEDIATE", error) < 0)
    return -1;
  /* Another process may have done it while we waited for the lock. */
  if (sqlite_int_query (s, "PRAGMA user_version", &version, error) < 0
      || sqlite_int_query (s, "PRAGMA application_id", &app, error) < 0
      || sqlite_int_query (s, "SELECT count(*) FROM sqlite_master", &tables, error) < 0)
    goto fail;
  if ((app != 0 && app != USC_APPLICATION_ID) || (version == 0 && tables != 0)) {
    g_set_error (error, USC_ERROR, USC_ERROR_CORRUPT,
                 "%s: an SQLite database that is not an unscatter record", s->path);
    goto fail;
  }
  for (gint64 v = version; v < SQLITE_SCHEMA_VERSION; v++)
    if (sqlite_exec (s, sqlite_migrations[v], error) < 0)
      goto fail;
  char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                               USC_APPLICATION_ID, SQLITE_SCHEMA_VERSION);
  int rc = sqlite_exec (s, sql, error);
  g_free (sql);
  if (rc < 0 || sqlite_exec (s, "COMMIT", error) < 0)
    goto fail;
  return 0;
fail:
  sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
  return -1;
}

/* SQLite's process-wide settings, made once before its first use in the
 * process: sqlite3_config() works only before sqlite3_initialize(). In a
 * host that has used SQLite already (a Dovecot process may) SQLite refuses
 * them with SQLITE_MISUSE and the host's stay, which is harmless: they
 * only make a short process's set-up cheaper (doc/benchmarks.md, start13).
 *   - No memory statistics (SQLITE_CONFIG_MEMSTATUS): SQLite would count
 *     every allocation under a mutex; nothing here reads the counts (no
 *     sqlite3_memory_used(), no soft heap limit). A delivery's lookup:
 *     0.1 M instructions fewer.
 *   - No bulk page-cache allocation at a connection's first read
 *     (SQLITE_CONFIG_PAGECACHE with no buffer and no lines): room for 20
 *     pages allocated and touched where a lookup reads 4 or 5; the pages
 *     are allocated one by one as they are read: 17 page faults fewer. */
static void
sqlite_configure_once (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config (SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
    g_once_init_leave (&once, 1);
  }
}

static gpointer
sqlite_open (const char *path, const UscRecordOptions *options, GError **error)
{
  sqlite_configure_once ();
  SqliteBe *s = g_new0 (SqliteBe, 1);
  s->path = g_strdup (path);

  /* The file's own header (https://sqlite.org/fileformat.html, 1.3): bytes
   * 18 and 19 are 2 in a WAL-mode file, which is then not asked to become
   * one again (a record opened for a delivery's lookup spends most of its
   * time in such set-up). Read from the file as it is on disk, outside
   * SQLite's locks: once 2 they stay 2 (only `PRAGMA journal_mode` with
   * another mode, which unscatter never runs, changes them). */
  gboolean wal_mode = FALSE;
  if (!options->read_only) {
    /* Create the file ourselves so that it (and the -wal / -shm files SQLite
     * derives from it) is private to the user. */
    /* Never through a symlink planted in the last component. */
    int fd = open (path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
      char *dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) < 0) {
        int e = errno;
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: cannot create directory: %s", dir, g_strerror (e));
        g_free (dir);
        goto fail;
      }
      g_free (dir);
      fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    if (fd < 0) {
      int e = errno;
      if (e == ELOOP)
        g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "%s is a symbolic link: refusing to follow it", path);
      else
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "%s: %s", path, g_strerror (e));
      goto fail;
    }
    guchar hdr[20];
    wal_mode = pread (fd, hdr, sizeof hdr, 0) == (ssize_t) sizeof hdr
               && memcmp (hdr, "SQLite format 3", 16) == 0 && hdr[18] == 2 && hdr[19] == 2;
    close (fd);
  }

  /* SQLITE_OPEN_NOFOLLOW: SQLite refuses a database file that is a symlink
   * (and opens its -wal / -shm files with O_NOFOLLOW). */
  int flags = (options->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE)
              | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  /* Read-only, a record without a WAL file is opened immutable: SQLite
   * would otherwise create the -wal and -shm files, owned by the reader —
   * an admin's report (root) would leave files in a user's directory that
   * the user's own deliveries could not open. Without a WAL file every
   * commit is in the main file, so nothing is missed; a writer starting
   * meanwhile may make this read fail (an error, never a wrong "not found"
   * for long: the file is only read). */
  char *wal = g_strconcat (path, "-wal", NULL);
  char *uri = NULL;
  if (options->read_only && !g_file_test (wal, G_FILE_TEST_EXISTS)) {
    GString *u = g_string_new ("file:");
    for (const char *p = path; *p; p++) {
      if (*p == '%' || *p == '?' || *p == '#')
        g_string_append_printf (u, "%%%02X", (guchar) *p);
      else
        g_string_append_c (u, *p);
    }
    g_string_append (u, "?immutable=1");
    uri = g_string_free (u, FALSE);
    flags |= SQLITE_OPEN_URI;
  }
  g_free (wal);
  int rc = sqlite3_open_v2 (uri ? uri : path, &s->db, flags, NULL);
  g_free (uri);
  if (rc == SQLITE_CANTOPEN_SYMLINK) {
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE, "%s is a symbolic link: refusing to follow it", path);
    goto fail;
  }
  if (rc != SQLITE_OK) {
    sqlite_fail (s, rc, "open", error);
    goto fail;
  }
  sqlite3_extended_result_codes (s->db, 1);
  double t = options->busy_timeout > 0 ? options->busy_timeout : 0;
  sqlite3_busy_timeout (s->db, (int) MIN (t * 1000.0, (double) G_MAXINT));

  gint64 version;
  /* Reading the schema first tells a damaged / foreign file from a locked one. */
  if (sqlite_int_query (s, "PRAGMA user_version", &version, error) < 0)
    goto fail;
  if (!options->read_only && !wal_mode) {
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2 (s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) {
      rc = sqlite3_step (st);
      rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? SQLITE_OK : rc;
    }
    sqlite3_finalize (st);
    if (rc != SQLITE_OK) {
      sqlite_fail (s, rc, "PRAGMA journal_mode = WAL", error);
      goto fail;
    }
  }
  if (sqlite_exec (s, "PRAGMA synchronous = NORMAL", error) < 0)
    goto fail;
  if (sqlite_migrate (s, version, options->read_only, error) < 0)
    goto fail;
  return s;

fail:
  sqlite_close (s);
  return NULL;
}

static int
sqlite_begin (gpointer be, GError **error)
{
  return sqlite_exec (be, "BEGIN IMMEDIATE", error);
}

static int
sqlite_commit (gpointer be, GError **error)
{
  return sqlite_exec (be, "COMMIT", error);
}

static int
sqlite_rollback (gpointer be, GError **error)
{
  SqliteBe *s = be;
  if (sqlite3_get_autocommit (s->db))
    return 0;
  return sqlite_exec (s, "ROLLBACK", error);
}

static int
sqlite_add (gpointer be, gint64 id, gint64 date, gint64 recorded,
            const gint64 *rcpts, guint n_rcpts, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_INSERT_SENT, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, id);
  sqlite3_bind_int64 (st, 2, date);
  sqlite3_bind_int64 (st, 3, recorded);
  if (sqlite_step_done (s, st, "add", error) < 0)
    return -1;
  if (sqlite3_changes (s->db) == 0)
    return 0;
  s->changed = TRUE;
  for (guint i = 0; i < n_rcpts; i++) {
    st = sqlite_stmt (s, ST_INSERT_RCPT, error);
    if (st == NULL)
      return -1;
    sqlite3_bind_int64 (st, 1, rcpts[i]);
    sqlite3_bind_int64 (st, 2, date);
    sqlite3_bind_int64 (st, 3, id);
    if (sqlite_step_done (s, st, "add recipient", error) < 0)
      return -1;
  }
  st = sqlite_stmt (s, ST_SINCE_MIN, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, MIN (date, recorded));
  if (sqlite_step_done (s, st, "add", error) < 0)
    return -1;
  st = sqlite_stmt (s, ST_COUNT_INC, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, 1);
  if (sqlite_step_done (s, st, "add", error) < 0)
    return -1;
  return 1;
}

static int
sqlite_has_id (gpointer be, gint64 id, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_HAS_ID, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, id);
  return sqlite_step_row (s, st, "look up Message-ID", NULL, error);
}

static int
sqlite_has_rcpt (gpointer be, gint64 rcpt, gint64 since, gint64 until, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_HAS_RCPT, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, rcpt);
  sqlite3_bind_int64 (st, 2, since);
  sqlite3_bind_int64 (st, 3, until);
  return sqlite_step_row (s, st, "look up recipient", NULL, error);
}

/* A meta value (0 when the key is absent), -1 with @error. The count and
 * 'since' that every lookup reads go through the one statement of
 * ST_META_GET: one statement prepared per process instead of two
 * (~25 K instructions each). */
static gint64
sqlite_meta_value (SqliteBe *s, const char *key, const char *what, GError **error)
{
  sqlite3_stmt *st = sqlite_stmt (s, ST_META_GET, error);
  gint64 n = 0;
  if (st == NULL)
    return -1;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  if (sqlite_step_row (s, st, what, &n, error) < 0)
    return -1;
  return n;
}

static gint64
sqlite_count (gpointer be, GError **error)
{
  return sqlite_meta_value (be, "count", "count", error);
}

static gint64
sqlite_since (gpointer be, GError **error)
{
  return sqlite_meta_value (be, "since", "read meta", error);
}

static gint64
sqlite_expire (gpointer be, gint64 before, GError **error)
{
  SqliteBe *s = be;
  gboolean own = sqlite3_get_autocommit (s->db);
  if (own && sqlite_exec (s, "BEGIN IMMEDIATE", error) < 0)
    return -1;
  char *sql = g_strdup_printf (
      "DELETE FROM rcpt WHERE msg IN (SELECT id FROM sent WHERE recorded < %" G_GINT64_FORMAT ");"
      "DELETE FROM sent WHERE recorded < %" G_GINT64_FORMAT, before, before);
  int rc = sqlite_exec (s, sql, error);
  g_free (sql);
  gint64 n = sqlite3_changes (s->db);
  if (rc == 0) {
    /* The decision log expires by when the decision was made. */
    sql = g_strdup_printf ("DELETE FROM decision_log WHERE time < %" G_GINT64_FORMAT, before);
    rc = sqlite_exec (s, sql, error);
    g_free (sql);
    gint64 d = sqlite3_changes (s->db);
    if (rc == 0 && d > 0) {
      sqlite3_stmt *st = sqlite_stmt (s, ST_DLOG_COUNT_INC, error);
      if (st == NULL)
        rc = -1;
      else {
        sqlite3_bind_int64 (st, 1, -d);
        rc = sqlite_step_done (s, st, "expire", error);
      }
    }
  }
  if (rc == 0 && n > 0) {
    s->changed = TRUE;
    /* What was recorded before @before is gone: the record now covers
     * @before onwards at best. */
    sql = g_strdup_printf ("UPDATE meta SET value = max(value, %" G_GINT64_FORMAT ") WHERE key = 'since'",
                           before);
    rc = sqlite_exec (s, sql, error);
    g_free (sql);
    if (rc == 0) {
      sqlite3_stmt *st = sqlite_stmt (s, ST_COUNT_INC, error);
      if (st == NULL)
        rc = -1;
      else {
        sqlite3_bind_int64 (st, 1, -n);
        rc = sqlite_step_done (s, st, "expire", error);
      }
    }
  }
  if (own) {
    if (rc == 0)
      rc = sqlite_exec (s, "COMMIT", error);
    if (rc < 0)
      sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
  }
  return rc < 0 ? -1 : n;
}

static int
sqlite_log_decision (gpointer be, gint64 day, const char *verdict, const char *kind, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_LOG, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, day);
  sqlite3_bind_text (st, 2, verdict, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, kind, -1, SQLITE_STATIC);
  return sqlite_step_done (s, st, "log decision", error);
}

static int
sqlite_stats (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_STATS, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, since_day);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    gint64 day = sqlite3_column_int64 (st, 0);
    GDateTime *dt = g_date_time_new_from_unix_utc (day * 86400);
    char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
    fn (d, (const char *) sqlite3_column_text (st, 1), (const char *) sqlite3_column_text (st, 2),
        sqlite3_column_int64 (st, 3), user_data);
    g_free (d);
    if (dt)
      g_date_time_unref (dt);
  }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return sqlite_fail (s, rc, "stats", error);
  return 0;
}

/* Every entry with its recipient keys: the two tables read in the order of
 * the message key and merged. */
static int
sqlite_foreach (gpointer be, UscRecordEntryFunc fn, gpointer user_data, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *sent = NULL, *rcpt = NULL;
  int rc = sqlite3_prepare_v2 (s->db, "SELECT id, date, recorded FROM sent ORDER BY id", -1, &sent, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (s->db, "SELECT msg, addr FROM rcpt ORDER BY msg, addr", -1, &rcpt, NULL);
  if (rc != SQLITE_OK) {
    sqlite3_finalize (sent);
    return sqlite_fail (s, rc, "export", error);
  }
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rrc = sqlite3_step (rcpt);
  int src;
  gboolean go = TRUE;
  while (go && (src = sqlite3_step (sent)) == SQLITE_ROW) {
    gint64 id = sqlite3_column_int64 (sent, 0);
    g_array_set_size (keys, 0);
    /* Recipients of messages that are gone (none: the key is the same order). */
    while (rrc == SQLITE_ROW && sqlite3_column_int64 (rcpt, 0) < id)
      rrc = sqlite3_step (rcpt);
    while (rrc == SQLITE_ROW && sqlite3_column_int64 (rcpt, 0) == id) {
      gint64 k = sqlite3_column_int64 (rcpt, 1);
      g_array_append_val (keys, k);
      rrc = sqlite3_step (rcpt);
    }
    if (rrc != SQLITE_ROW && rrc != SQLITE_DONE)
      break;
    go = fn (id, sqlite3_column_int64 (sent, 1), sqlite3_column_int64 (sent, 2),
             (const gint64 *) keys->data, keys->len, user_data);
  }
  g_array_free (keys, TRUE);
  sqlite3_finalize (sent);
  sqlite3_finalize (rcpt);
  if (rrc != SQLITE_ROW && rrc != SQLITE_DONE)
    return sqlite_fail (s, rrc, "export recipients", error);
  if (go && src != SQLITE_DONE)
    return sqlite_fail (s, src, "export", error);
  return 0;
}

static int
sqlite_add_decisions (gpointer be, gint64 day, const char *verdict, const char *kind, gint64 count,
                      GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2 (s->db,
                               "INSERT INTO decisions (day, verdict, kind, count) VALUES (?1, ?2, ?3, ?4) "
                               "ON CONFLICT (day, verdict, kind) DO UPDATE SET count = count + ?4",
                               -1, &st, NULL);
  if (rc != SQLITE_OK)
    return sqlite_fail (s, rc, "import decisions", error);
  sqlite3_bind_int64 (st, 1, day);
  sqlite3_bind_text (st, 2, verdict, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 4, count);
  rc = sqlite_step_done (s, st, "import decisions", error);
  sqlite3_finalize (st);
  return rc;
}

static int
sqlite_set_since (gpointer be, gint64 since, GError **error)
{
  SqliteBe *s = be;
  char *sql = g_strdup_printf ("INSERT INTO meta (key, value) VALUES ('since', %" G_GINT64_FORMAT ") "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", since);
  int rc = sqlite_exec (s, sql, error);
  g_free (sql);
  return rc;
}

static void
bind_text_or_null (sqlite3_stmt *st, int i, const char *v)
{
  if (v)
    sqlite3_bind_text (st, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (st, i);
}

static int
sqlite_add_decision (gpointer be, const UscDecision *d, guint max_rows, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_DLOG_ADD, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, d->time);
  sqlite3_bind_text (st, 2, d->verdict ? d->verdict : "?", -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, d->kind ? d->kind : "?", -1, SQLITE_STATIC);
  const char *v[] = { d->reporting_mta, d->relay_host, d->relay_ip, d->mta_family,
                      d->forged_sender, d->recipient, d->payload, d->reason };
  for (int i = 0; i < (int) G_N_ELEMENTS (v); i++)
    bind_text_or_null (st, 4 + i, v[i]);
  if (sqlite_step_done (s, st, "log decision", error) < 0)
    return -1;
  st = sqlite_stmt (s, ST_DLOG_COUNT_INC, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, 1);
  if (sqlite_step_done (s, st, "log decision", error) < 0)
    return -1;
  if (max_rows == 0)
    return 0;
  gint64 n = 0;
  st = sqlite_stmt (s, ST_DLOG_COUNT, error);
  if (st == NULL || sqlite_step_row (s, st, "log decision", &n, error) < 0)
    return -1;
  if (n <= (gint64) max_rows)
    return 0;
  st = sqlite_stmt (s, ST_DLOG_TRIM, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, n - (gint64) max_rows);
  if (sqlite_step_done (s, st, "trim decision log", error) < 0)
    return -1;
  gint64 gone = sqlite3_changes (s->db);
  st = sqlite_stmt (s, ST_DLOG_COUNT_INC, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, -gone);
  return sqlite_step_done (s, st, "trim decision log", error);
}

static int
sqlite_decisions (gpointer be, gint64 since, gint64 until, UscDecisionFunc fn, gpointer user_data,
                  GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_DLOG_READ, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, since);
  sqlite3_bind_int64 (st, 2, until);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW) {
    UscDecision d = {
      .time = sqlite3_column_int64 (st, 0),
      .verdict = (const char *) sqlite3_column_text (st, 1),
      .kind = (const char *) sqlite3_column_text (st, 2),
      .reporting_mta = (const char *) sqlite3_column_text (st, 3),
      .relay_host = (const char *) sqlite3_column_text (st, 4),
      .relay_ip = (const char *) sqlite3_column_text (st, 5),
      .mta_family = (const char *) sqlite3_column_text (st, 6),
      .forged_sender = (const char *) sqlite3_column_text (st, 7),
      .recipient = (const char *) sqlite3_column_text (st, 8),
      .payload = (const char *) sqlite3_column_text (st, 9),
      .reason = (const char *) sqlite3_column_text (st, 10),
    };
    fn (&d, user_data);
  }
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    return sqlite_fail (s, rc, "read decision log", error);
  return 0;
}

static int
sqlite_dir_get (gpointer be, gint64 dir, UscRecordDirState *state_r, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_DIR_GET, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, dir);
  int rc = sqlite3_step (st);
  int ret = 0;
  if (rc == SQLITE_ROW) {
    state_r->stamp = sqlite3_column_int64 (st, 0);
    state_r->cookie = sqlite3_column_int64 (st, 1);
    state_r->flags = sqlite3_column_int64 (st, 2);
    ret = 1;
  } else if (rc != SQLITE_DONE) {
    ret = sqlite_fail (s, rc, "read the Sent folder state", error);
  }
  sqlite3_reset (st);
  return ret;
}

static int
sqlite_dir_set (gpointer be, gint64 dir, const UscRecordDirState *state, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_DIR_SET, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_int64 (st, 1, dir);
  sqlite3_bind_int64 (st, 2, state->stamp);
  sqlite3_bind_int64 (st, 3, state->cookie);
  sqlite3_bind_int64 (st, 4, state->flags);
  return sqlite_step_done (s, st, "write the Sent folder state", error);
}

static int
sqlite_seen_check (gpointer be, const gint64 *names, guint n, gboolean *seen_r, GError **error)
{
  SqliteBe *s = be;
  for (guint i = 0; i < n; i++) {
    sqlite3_stmt *st = sqlite_stmt (s, ST_SEEN_GET, error);
    if (st == NULL)
      return -1;
    sqlite3_bind_int64 (st, 1, names[i]);
    int rc = sqlite_step_row (s, st, "look up a seen file name", NULL, error);
    if (rc < 0)
      return -1;
    seen_r[i] = rc == 1;
  }
  return 0;
}

static int
sqlite_seen_add (gpointer be, const gint64 *names, guint n, GError **error)
{
  SqliteBe *s = be;
  for (guint i = 0; i < n; i++) {
    sqlite3_stmt *st = sqlite_stmt (s, ST_SEEN_ADD, error);
    if (st == NULL)
      return -1;
    sqlite3_bind_int64 (st, 1, names[i]);
    if (sqlite_step_done (s, st, "mark a file name seen", error) < 0)
      return -1;
  }
  s->changed = TRUE;
  return 0;
}

static void
sqlite_set_busy_timeout (gpointer be, double seconds)
{
  SqliteBe *s = be;
  double t = seconds > 0 ? seconds : 0;
  sqlite3_busy_timeout (s->db, (int) MIN (t * 1000.0, (double) G_MAXINT));
}

/* meta (key, value): the decision spool's state (usc-record-spool.c). */
static int
sqlite_meta_get (gpointer be, const char *key, gint64 *v_r, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_META_GET, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  *v_r = 0;
  return sqlite_step_row (s, st, "read meta", v_r, error);
}

static int
sqlite_meta_set (gpointer be, const char *key, gint64 v, GError **error)
{
  SqliteBe *s = be;
  sqlite3_stmt *st = sqlite_stmt (s, ST_META_SET, error);
  if (st == NULL)
    return -1;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, v);
  return sqlite_step_done (s, st, "write meta", error);
}

const UscRecordBackend usc_record_sqlite_backend = {
  .name = "sqlite",
  .open = sqlite_open,
  .close = sqlite_close,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .add = sqlite_add,
  .has_id = sqlite_has_id,
  .has_rcpt = sqlite_has_rcpt,
  .count = sqlite_count,
  .since = sqlite_since,
  .expire = sqlite_expire,
  .log_decision = sqlite_log_decision,
  .stats = sqlite_stats,
  .foreach = sqlite_foreach,
  .add_decisions = sqlite_add_decisions,
  .set_since = sqlite_set_since,
  .add_decision = sqlite_add_decision,
  .decisions = sqlite_decisions,
  .dir_get = sqlite_dir_get,
  .dir_set = sqlite_dir_set,
  .seen_check = sqlite_seen_check,
  .seen_add = sqlite_seen_add,
  .set_busy_timeout = sqlite_set_busy_timeout,
  .meta_get = sqlite_meta_get,
  .meta_set = sqlite_meta_set,
};
