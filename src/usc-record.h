/* usc-record.h — the sent-mail record: what the user really sent.
 *
 * One interface in front of the storage: SQLite by default (one file per
 * user, WAL mode, busy timeout), or Redis (a record shared by a cluster of
 * delivery hosts; the layout in doc/record-redis.md). Lookups return 1 found,
 * 0 not found, -1 error: a lock timeout, I/O error or corrupt file is NEVER
 * "not found" (USC_ERROR_TEMPFAIL / USC_ERROR_IO / USC_ERROR_CORRUPT; for
 * Redis also USC_ERROR_CONFIG for a refused password or a bad URL, and
 * USC_ERROR_UNSAFE for a password file others can read).
 */
#ifndef USC_RECORD_H
#define USC_RECORD_H

#include <glib.h>
#include <stdio.h>
#include "usc-common.h"

G_BEGIN_DECLS

typedef struct _UscRecord UscRecord;

typedef enum {
  USC_RECORD_AUTO = 0,   /* Redis when the path is a Redis URL (usc_record_is_redis_url), else SQLite */
  USC_RECORD_SQLITE,
  USC_RECORD_REDIS
} UscRecordBackendKind;

typedef struct {
  double   busy_timeout;  /* seconds to wait for a lock (default 10) */
  gboolean read_only;     /* open without creating or writing */
  gboolean if_exists;     /* return NULL without an error (and create nothing)
                             when there is no record yet */
  UscRecordBackendKind backend;
  /* Redis only (all borrowed): */
  guint       expire_days;   /* entries' TTL: [record] expire_days (0: 180) */
  guint       timeout_ms;    /* connect and command time-out (0: 200) */
  const char *password_file; /* AUTH password (mode 0600), NULL: no AUTH */
  const char *user;          /* ACL user for AUTH, NULL: the default user */
  const char *prefix;        /* key prefix, "%u" is the user (NULL: "unscatter:{%u}:") */
  const char *user_name;     /* the user ("%u"), NULL: the process's user */
} UscRecordOptions;

/* TRUE when @path names a Redis server (redis://, redis-cluster://, unix:). */
gboolean usc_record_is_redis_url (const char *path);

/* TRUE when this build has the Redis backend (hiredis). */
gboolean usc_record_have_redis (void);

/* Open (creating it and its directory when needed, unless read_only or
 * if_exists) the record at @path: a file name (SQLite) or a Redis URL.
 * Returns NULL with @error on failure (NULL without @error: if_exists and no
 * record). */
UscRecord *usc_record_open (const char *path, const UscRecordOptions *options, GError **error);
void usc_record_close (UscRecord **record);

/* One sent message. */
typedef struct {
  const char        *message_id;  /* without <>, or NULL when the message had none */
  const char *const *recipients;  /* NULL-terminated, lower-case addresses; may be NULL */
  gint64             date;        /* the Date header, seconds since epoch; 0 unknown */
  gint64             recorded;    /* when recorded (seconds); expiry counts from here */
  const char        *fingerprint; /* dedup key for messages without Message-ID, or NULL */
} UscSentMessage;

/* Group many adds in one transaction (import). */
int usc_record_begin (UscRecord *record, GError **error);
int usc_record_commit (UscRecord *record, GError **error);
/* Abandon the open transaction (no-op when none is open). 0 or -1. */
int usc_record_rollback (UscRecord *record, GError **error);

/* Add @msg. Returns 1 added, 0 already present (same Message-ID, or same
 * fingerprint when no Message-ID), -1 error. */
int usc_record_add (UscRecord *record, const UscSentMessage *msg, GError **error);

/* Is @message_id (without <>) in the record? 1 / 0 / -1. */
int usc_record_has_id (UscRecord *record, const char *message_id, GError **error);

/* Did the user mail @recipient with a Date in [@since, @until]? 1 / 0 / -1. */
int usc_record_has_recipient (UscRecord *record, const char *recipient,
                              gint64 since, gint64 until, GError **error);

/* Same, but only among messages recorded WITHOUT a Message-ID (the MTA gave
 * them one we never saw, so a Message-ID miss proves nothing for them). */
int usc_record_has_recipient_without_id (UscRecord *record, const char *recipient,
                                         gint64 since, gint64 until, GError **error);

/* The earliest time the record covers (the oldest Date or recording time
 * ever added, raised by expiry), 0 when nothing was ever added, -1 error. */
gint64 usc_record_since (UscRecord *record, GError **error);

/* Number of sent messages recorded, or -1. */
gint64 usc_record_count (UscRecord *record, GError **error);

/* Remove entries recorded before @before, and the decision log's rows
 * decided before it. Returns how many entries, or -1. */
gint64 usc_record_expire (UscRecord *record, gint64 before, GError **error);

/* Keep one classification for `unscatter stats`. 0 or -1. */
int usc_record_log_decision (UscRecord *record, gint64 when, const char *verdict,
                             const char *kind, GError **error);

/* ---- The decision log (what `unscatter report` reads) ----
 * One row per bounce judged, expired with the rest of the record
 * (usc_record_expire removes the rows decided before its @before too) and
 * capped in number (usc_record_add_decision). */

/* The longest field kept, in bytes (longer ones are cut on a UTF-8 boundary). */
#define USC_DECISION_FIELD_MAX 255

/* One decision. Every string may be NULL (unknown); the record owns nothing
 * of it. */
typedef struct {
  gint64      time;           /* when it was decided, seconds since the epoch */
  const char *verdict;        /* usc_verdict_name() */
  const char *kind;           /* usc_kind_name() */
  const char *reporting_mta;  /* the bounce's Reporting-MTA (or what the MTA's text says) */
  const char *relay_host;     /* the first external relay's name (usc-received.h) */
  const char *relay_ip;       /* its IP, canonical text form */
  const char *mta_family;     /* "postfix", "exim", ... */
  const char *forged_sender;  /* the address the original claimed to be from */
  const char *recipient;      /* where the original went (the first failed recipient) */
  const char *payload;        /* what an attached payload is, "" or NULL when none */
  const char *reason;         /* the verdict's first reason */
} UscDecision;

/* Count @d in the per-day totals (as usc_record_log_decision) and, when it
 * is a bounce (kind other than "not-bounce"), keep it in the decision log;
 * when more than @max_rows rows are then kept (0: no cap), the oldest go.
 * Fields are cut to USC_DECISION_FIELD_MAX bytes, control characters and
 * invalid UTF-8 replaced. One transaction (inside the caller's, if one is
 * open). 0 or -1. */
int usc_record_add_decision (UscRecord *record, const UscDecision *d, guint max_rows,
                             GError **error);

/* ---- The decision spool (SQLite records; usc-record-spool.c) ----
 * A delivery counts its decision without opening the record: one line
 * appended (O_APPEND, one write) to the spool beside it, usc_record_spool_path(),
 * folded into the record's counts and decision log in one transaction by
 * usc_record_fold_spool() (the delivery that makes the spool outgrow
 * USC_RECORD_SPOOL_FOLD_BYTES, `stats`, `expire`, `record --export`), and
 * read with the record by a reader that cannot write it (`report`).
 * usc_record_stats(), usc_record_decisions() and usc_record_export() see
 * the spool's decisions as if they had been counted in the record (a
 * reader that cannot write the record, which merges rather than folds,
 * applies the max_decisions cap of the spool's lines only at the next fold:
 * it may list the oldest rows a full log is about to lose). Not for a Redis
 * record: counted in it directly. */

/* Past this size the spool is due to be folded. */
#define USC_RECORD_SPOOL_FOLD_BYTES (32 * 1024)

/* The spool of the SQLite record at @record_path (newly allocated). */
char *usc_record_spool_path (const char *record_path);

/* Count @d (as usc_record_add_decision (record, @d, @max_rows) would) in
 * the spool of the SQLite record at @record_path, without opening the
 * record (the cap is applied when the line is folded); a lock held by a fold
 * is waited for up to @busy_timeout seconds. The spool is created (mode
 * 0600, owned as the record when run as root) when there is none. Returns
 * 1 counted and the spool is due to be folded, 0 counted, -1 not counted
 * (@error: USC_ERROR_TEMPFAIL, USC_ERROR_IO, USC_ERROR_UNSAFE for a symbolic
 * link); the caller may then count it in the record itself. */
int usc_record_spool_decision (const char *record_path, const UscDecision *d, guint max_rows,
                               double busy_timeout, GError **error);

/* Move the spool's decisions into @record (open read-write, no transaction
 * open) in one transaction, then remove the spool. 0 (also when there is no
 * spool or the record keeps none) or -1, the spool then left as it was. A
 * fold interrupted after its commit leaves a spool whose decisions the
 * record knows it holds (the spool's generation and length are kept in the
 * record): they are never counted twice. */
int usc_record_fold_spool (UscRecord *record, GError **error);

/* Calls @fn for each kept decision with @since <= time < @until, oldest
 * first; the strings are valid during the call only. 0 or -1 (also when the
 * backend keeps no decision log: USC_ERROR_INVALID). */
typedef void (*UscDecisionFunc) (const UscDecision *d, gpointer user_data);
int usc_record_decisions (UscRecord *record, gint64 since, gint64 until, UscDecisionFunc fn,
                          gpointer user_data, GError **error);

/* Counts per day, verdict and kind: calls @fn for each row, oldest day first.
 * @day is "YYYY-MM-DD". 0 or -1. */
typedef void (*UscStatsFunc) (const char *day, const char *verdict, const char *kind,
                              gint64 count, gpointer user_data);
int usc_record_stats (UscRecord *record, gint64 since, UscStatsFunc fn,
                      gpointer user_data, GError **error);

/* Moving a record between backends: `unscatter record --export/--import`.
 * The export is text, one line each (the format in doc/record-redis.md,
 * "Export format"): a header, "since", every entry (the hashed keys, Date,
 * recording time, recipient keys), every decision count, and an "end" line
 * with the number of entries so that a truncated file is refused. */
int usc_record_export (UscRecord *record, FILE *out, gint64 *n_entries_r, GError **error);

typedef struct {
  gint64 entries;    /* entry lines read */
  gint64 added;      /* added to the record */
  gint64 present;    /* already there (or already past expiry) */
  gint64 decisions;  /* decision lines read */
} UscRecordImportCounts;

/* Read an export from @in into @record (in one transaction where the
 * backend has them). -1 with USC_ERROR_PARSE on a malformed or truncated
 * file (nothing of it is kept where the backend has transactions). */
int usc_record_import (UscRecord *record, FILE *in, UscRecordImportCounts *counts, GError **error);

/* ---- The Sent folder import's state (usc-sentdir.c) ----
 * Kept in the record so that every delivery host sees it. Opaque to the
 * record: one state per directory (a Sent folder's new/ or cur/, named by
 * its path), and a set of seen Maildir file names (their unique part, per
 * folder). Not part of an export. Backends without these operations make
 * them fail with USC_ERROR_INVALID (the import is then skipped). */
typedef struct {
  gint64 stamp;   /* the directory's identity and mtime when its scan began */
  gint64 cookie;  /* where to resume reading it (telldir), 0 the start */
  gint64 flags;   /* USC_SENTDIR_DONE, ... (usc-sentdir.h) */
} UscRecordDirState;

/* 1 found (*@state_r filled), 0 none, -1 error. */
int usc_record_dir_get (UscRecord *record, const char *dir, UscRecordDirState *state_r,
                        GError **error);
/* 0 or -1. */
int usc_record_dir_set (UscRecord *record, const char *dir, const UscRecordDirState *state,
                        GError **error);
/* For each of the @n @names (NUL-terminated, compared byte for byte) of
 * @folder: was it marked seen? Fills @seen_r[0..n-1]. 0 or -1. */
int usc_record_seen_check (UscRecord *record, const char *folder, const char *const *names,
                           guint n, gboolean *seen_r, GError **error);
/* Mark @n @names of @folder seen. 0 or -1. */
int usc_record_seen_add (UscRecord *record, const char *folder, const char *const *names,
                         guint n, GError **error);
/* How long the next operations wait for a lock (SQLite's busy timeout;
 * seconds, 0 fail at once). The import lowers it to its time bound and
 * restores the configured one. */
void usc_record_set_busy_timeout (UscRecord *record, double seconds);

G_END_DECLS
#endif
