/* usc-record.h — the sent-mail record: what the user really sent.
 *
 * One interface in front of the storage (SQLite by default, WAL mode, busy
 * timeout) so that another backend can be added. Lookups return 1 found,
 * 0 not found, -1 error: a lock timeout, I/O error or corrupt file is NEVER
 * "not found" (USC_ERROR_TEMPFAIL / USC_ERROR_IO / USC_ERROR_CORRUPT).
 */
#ifndef USC_RECORD_H
#define USC_RECORD_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

typedef struct _UscRecord UscRecord;

typedef struct {
  double   busy_timeout;  /* seconds to wait for a lock (default 10) */
  gboolean read_only;     /* open without creating or writing */
} UscRecordOptions;

/* Open (creating it and its directory when needed, unless read_only) the
 * record at @path. Returns NULL with @error on failure. */
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

/* Remove entries recorded before @before. Returns how many, or -1. */
gint64 usc_record_expire (UscRecord *record, gint64 before, GError **error);

/* Keep one classification for `unscatter stats`. 0 or -1. */
int usc_record_log_decision (UscRecord *record, gint64 when, const char *verdict,
                             const char *kind, GError **error);

/* Counts per day, verdict and kind: calls @fn for each row, oldest day first.
 * @day is "YYYY-MM-DD". 0 or -1. */
typedef void (*UscStatsFunc) (const char *day, const char *verdict, const char *kind,
                              gint64 count, gpointer user_data);
int usc_record_stats (UscRecord *record, gint64 since, UscStatsFunc fn,
                      gpointer user_data, GError **error);

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
