/* usc-record-backend.h — the storage backend interface of the sent-mail
 * record (private to libunscatter: usc-record.c and its backends). */
#pragma once

#include "usc-record.h"


/* ------------------------------------------------------------------------ */
/* The backend interface. Keys are already hashed by the generic layer.      */

typedef struct {
  const char *name;
  gpointer (*open) (const char *path, const UscRecordOptions *options, GError **error);
  void     (*close) (gpointer be);
  int      (*begin) (gpointer be, GError **error);
  int      (*commit) (gpointer be, GError **error);
  int      (*rollback) (gpointer be, GError **error);
  /* 1 added, 0 already present (by @id), -1 error. @rcpts holds @n_rcpts keys. */
  int      (*add) (gpointer be, gint64 id, gint64 date, gint64 recorded,
                   const gint64 *rcpts, guint n_rcpts, GError **error);
  int      (*has_id) (gpointer be, gint64 id, GError **error);
  int      (*has_rcpt) (gpointer be, gint64 rcpt, gint64 since, gint64 until, GError **error);
  gint64   (*count) (gpointer be, GError **error);
  gint64   (*since) (gpointer be, GError **error);
  gint64   (*expire) (gpointer be, gint64 before, GError **error);
  int      (*log_decision) (gpointer be, gint64 day, const char *verdict, const char *kind,
                            GError **error);
  int      (*stats) (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data,
                     GError **error);
  /* The Sent folder import's state (usc-sentdir.c); may be NULL (the
   * generic layer then fails with USC_ERROR_INVALID). @dir and the names are
   * 64-bit keys hashed by the generic layer (a seen name's key covers its
   * folder). The values of a UscRecordDirState are opaque integers to store
   * and return as they are.
   *   dir_get: 1 found (*@state_r filled), 0 none, -1 error;
   *   dir_set: insert or replace, 0 / -1;
   *   seen_check: @seen_r[i] = key @names[i] is in the seen set, for all @n
   *     at once (one round trip for a network store: SMISMEMBER), 0 / -1;
   *   seen_add: add @n keys to the seen set (idempotent), 0 / -1;
   *   set_busy_timeout: how long later operations wait for a lock (for a
   *     network store: may be ignored when its timeout is already short).
   * They run inside begin/commit when the importer writes, outside for the
   * cheap "unchanged?" check. Seen names never expire (8 bytes each):
   * a file still in the folder after its entry expired is not imported again. */
  int      (*dir_get) (gpointer be, gint64 dir, UscRecordDirState *state_r, GError **error);
  int      (*dir_set) (gpointer be, gint64 dir, const UscRecordDirState *state, GError **error);
  int      (*seen_check) (gpointer be, const gint64 *names, guint n, gboolean *seen_r,
                          GError **error);
  int      (*seen_add) (gpointer be, const gint64 *names, guint n, GError **error);
  void     (*set_busy_timeout) (gpointer be, double seconds);
} UscRecordBackend;

/* The SQLite backend (usc-record-sqlite.c). */
extern const UscRecordBackend usc_record_sqlite_backend;
