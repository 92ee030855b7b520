/* usc-record-backend.h — the storage backend interface of the sent-mail
 * record (private to libunscatter: usc-record.c and its backends). */
#pragma once

#include "usc-record.h"


/* ------------------------------------------------------------------------ */
/* The backend interface. Keys are already hashed by the generic layer.      */

/* One entry as stored: @id the hashed key, @rcpts its @n_rcpts recipient
 * keys. Returns FALSE to stop. */
typedef gboolean (*UscRecordEntryFunc) (gint64 id, gint64 date, gint64 recorded,
                                        const gint64 *rcpts, guint n_rcpts, gpointer user_data);

/* One entry to add (add_many). */
typedef struct {
  gint64        id, date, recorded;
  const gint64 *rcpts;
  guint         n_rcpts;
} UscRecordEntry;

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
  /* Remove sent entries recorded before @before (returns how many) AND the
   * decision-log rows with time < @before. */
  gint64   (*expire) (gpointer be, gint64 before, GError **error);
  int      (*log_decision) (gpointer be, gint64 day, const char *verdict, const char *kind,
                            GError **error);
  int      (*stats) (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data,
                     GError **error);
  /* Export / import. */
  int      (*foreach) (gpointer be, UscRecordEntryFunc fn, gpointer user_data, GError **error);
  int      (*add_decisions) (gpointer be, gint64 day, const char *verdict, const char *kind,
                             gint64 count, GError **error);
  /* Optional: add @n entries at once; @results_r[i] as add() returns. */
  int      (*add_many) (gpointer be, const UscRecordEntry *entries, guint n, int *results_r,
                        GError **error);
  /* since = @since (import: what the exported record covered). */
  int      (*set_since) (gpointer be, gint64 since, GError **error);
  /* The decision log (for `unscatter report`; may be NULL in a backend
   * that keeps none: adding is then a no-op and reading an error).
   * add_decision: keep one row (strings already cut to
   * USC_DECISION_FIELD_MAX and clean, any may be NULL); then, when more than
   * @max_rows rows are kept (0: no cap), remove the oldest (lowest time,
   * then first added) down to @max_rows. Called inside begin/commit. 0 / -1.
   * decisions: call @fn for every row with @since <= time < @until, oldest
   * first (equal times in the order added); strings valid during the call
   * only. 0 / -1. */
  int      (*add_decision) (gpointer be, const UscDecision *d, guint max_rows, GError **error);
  int      (*decisions) (gpointer be, gint64 since, gint64 until, UscDecisionFunc fn,
                         gpointer user_data, GError **error);
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
  /* The decision spool's state (usc-record-spool.c): one integer per @key
   * ("spool_gen", "spool_done") in the record, read and written inside the
   * fold's transaction. meta_get: 1 found, 0 none (*@v_r = 0), -1 error;
   * meta_set: insert or replace, 0 / -1. NULL in a backend without a spool. */
  int      (*meta_get) (gpointer be, const char *key, gint64 *v_r, GError **error);
  int      (*meta_set) (gpointer be, const char *key, gint64 v, GError **error);
} UscRecordBackend;

/* The record (usc-record.c; usc-record-spool.c reads it too). */
struct _UscRecord {
  const UscRecordBackend *backend;
  gpointer                be;
  gboolean                in_transaction;
  char                   *spool;          /* the decision spool's path (SQLite), NULL: none */
  gboolean                read_only;
  double                  busy_timeout;
};

/* usc-record-spool.c, for the generic layer: the per-day counts and the
 * decision log with the spool's rows in them — folded into the record
 * first when it is open read-write, else (or when the fold fails) merged
 * as they are read. Same contract as backend->stats / backend->decisions
 * (@since_day a day number for stats). 0 / -1. */
int usc_record_spool_stats (UscRecord *record, gint64 since_day, UscStatsFunc fn, gpointer user_data,
                            GError **error);
int usc_record_spool_decisions (UscRecord *record, gint64 since, gint64 until, UscDecisionFunc fn,
                                gpointer user_data, GError **error);
/* @s cut to USC_DECISION_FIELD_MAX bytes on a character boundary, invalid
 * UTF-8 and control characters replaced by '?'; NULL stays NULL (usc-record.c). */
char *usc_record_clean_field (const char *s);
/* The day number (days since the epoch, rounded down) of @when. */
gint64 usc_record_day_of (gint64 when);

/* The SQLite backend (usc-record-sqlite.c). */
extern const UscRecordBackend usc_record_sqlite_backend;
#ifdef HAVE_HIREDIS
/* The Redis backend (usc-record-redis.c): @path is the URL; opened with
 * if_exists it returns NULL without an error when the record is absent. */
extern const UscRecordBackend usc_record_redis_backend;
#endif
