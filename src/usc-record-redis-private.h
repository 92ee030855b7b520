/* usc-record-redis-private.h — what the files of the Redis backend of the
 * sent-mail record share (not API; the layout is doc/record-redis.md and
 * the head of usc-record-redis.c):
 *
 *   usc-record-redis.c          open, close, the backend table
 *   usc-record-redis-cmd.c      a command: arguments, key names, EVALSHA
 *   usc-record-redis-scripts.c  the buckets' Lua scripts
 *   usc-record-redis-meta.c     the meta values as read, a bucket's split
 *   usc-record-redis-add.c      recording: one entry, an import's batch
 *   usc-record-redis-lookup.c   a Message-ID, a recipient, the counts
 *   usc-record-redis-expire.c   `unscatter expire`
 *   usc-record-redis-stats.c    the decision counts
 *   usc-record-redis-export.c   `record --export`, the import's since
 *   usc-record-redis-dlog.c     the decision log
 *   usc-record-redis-sentdir.c  the Sent folder import's state
 *
 * Names shared between them start with usc_rr_.
 */
#ifndef USC_RECORD_REDIS_PRIVATE_H
#define USC_RECORD_REDIS_PRIVATE_H

#include "usc-record-backend.h"
#include "usc-redis.h"

G_BEGIN_DECLS

#define BUCKET_DAYS 15
#define BUCKET_SECONDS ((gint64) BUCKET_DAYS * 86400)
#define MAX_RCPT_DAYS 800
/* Linear hashing: a bucket of n shards gets one more (half of one shard's
 * entries move into it, in one short script) when it holds more than
 * SPLIT_FILL entries per shard, so that every shard stays within Redis's
 * compact listpack encoding (hash-max-listpack-entries, default 128: an
 * unsplit shard holds about twice the average). */
#define SPLIT_FILL 48
#define MAX_SHARDS 65536
/* Recipient keys in a bucket's value; more go into continuation fields of
 * CONT_KEYS each (a listpack value is at most hash-max-listpack-value, 64
 * bytes, by default). */
#define MAIN_KEYS 6
#define CONT_KEYS 8
#define RREC 15                 /* bytes of a recipient record in r:<K> */
#define RDAYS 2                 /* days of Date per r:<K> key */
#define RFULL 16384             /* past this, r:<K>'s records go to r:<K>:<j> */
#define RFAN 16                 /* j = the recipient key mod RFAN */
#define RSECONDS ((gint64) RDAYS * 86400)
#define LAYOUT "2"
#define IMPORT_TIMEOUT_MS 5000  /* each reply of an import's batch (usc-redis-cluster.c's pipelines too) */
#define MAX_STALE 5             /* retries when another host split a bucket meanwhile */

/* The open record (owned by the backend's handle: usc-record-redis.c's
 * open makes it, close frees it and everything below). */
typedef struct {
  UscRedis *r;
  char     *prefix;
  gint64    expire;      /* seconds */
  gboolean  loaded;      /* the meta values below are current */
  gboolean  exists;
  gint64    since, count, cut;
  gint64    dlo, dhi;    /* the days of the oldest and newest Date (dhi < dlo: none) */
  gint64    sb0;         /* shards[i]: the shard count of bucket sb0 + i */
  GArray   *shards;      /* guint32 */
  GArray   *fill;        /* gint64: the entries of bucket sb0 + i */
} RedisBe;

/* ------------------------------------------------------------------------ */
/* The buckets' arithmetic                                                   */

static inline gint64
floordiv (gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The live buckets at @now: [*@b0_r, *@b1_r]. */
static inline void
live_buckets (const RedisBe *s, gint64 now, gint64 *b0_r, gint64 *b1_r)
{
  *b0_r = floordiv (now - s->expire, BUCKET_SECONDS);
  *b1_r = floordiv (now, BUCKET_SECONDS) + 1;
}

/* Entries recorded before this are no longer in the record. */
static inline gint64
cutoff (const RedisBe *s, gint64 now)
{
  return MAX (s->cut, now - s->expire);
}

static inline void
put_be64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = (guint8) v;
}

static inline guint64
get_be64 (const guint8 *p)
{
  guint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

static inline void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* The shard count of bucket @b as last read (1: unsplit or unknown; a
 * script refuses a stale one). */
static inline guint
shards_of (const RedisBe *s, gint64 b)
{
  if (s->shards == NULL || b < s->sb0 || b - s->sb0 >= (gint64) s->shards->len)
    return 1;
  return g_array_index (s->shards, guint32, b - s->sb0);
}

/* The largest power of two not above @n (>= 1). */
static inline guint
low_pow2 (guint n)
{
  guint p = 1;
  while (p * 2 <= n)
    p *= 2;
  return p;
}

/* The shard of @id in a bucket of @n shards (linear hashing on the id's
 * last two bytes, as the split script moves them): id mod 2S, or id mod S
 * when that shard is not there yet. */
static inline guint
shard_index (gint64 id, guint n)
{
  guint lo = (guint) ((guint64) id & 0xffff), two = 2 * low_pow2 (n);
  guint j = lo & (two - 1);
  return j >= n ? j - two / 2 : j;
}

/* ------------------------------------------------------------------------ */
/* A command (usc-record-redis-cmd.c)                                        */

/* One command's arguments; usc_rr_cmd_init() before use, usc_rr_cmd_clear()
 * after (frees the copies). */
typedef struct {
  GPtrArray  *argv;   /* owned copies */
  GArray     *lens;
  const char *script; /* EVALSHA of this script (EVAL when the server has not seen it) */
} Cmd;

void usc_rr_cmd_init (Cmd *c);
void usc_rr_cmd_clear (Cmd *c);
/* Append a copy of @len bytes at @data (any bytes) / of the string @s / of
 * @v in decimal. */
void usc_rr_cmd_add_len (Cmd *c, const void *data, gsize len);
void usc_rr_cmd_add (Cmd *c, const char *s);
void usc_rr_cmd_add_int (Cmd *c, gint64 v);
/* @v as 8 bytes, big endian (the layout's keys of ids, recipients, names). */
void usc_rr_cmd_add_be64 (Cmd *c, gint64 v);
/* The key prefix + @fmt, + @n in decimal unless @n is G_MININT64 ("meta",
 * "r:" and K, ...). */
void usc_rr_cmd_add_key (Cmd *c, const RedisBe *s, const char *fmt, gint64 n);
/* m:<@b>:<@j>, shard @j of bucket @b. */
void usc_rr_cmd_add_shard (Cmd *c, const RedisBe *s, gint64 b, guint j);
/* r:<@k>:<j>, where the records of a full r:<K> go (j from @rcpt). */
void usc_rr_cmd_add_rsub (Cmd *c, const RedisBe *s, gint64 k, guint64 rcpt);
/* Start the command as EVALSHA @script (a static string, kept: sent whole
 * when the server answers NOSCRIPT). */
void usc_rr_cmd_eval (Cmd *c, const char *script);
/* Send @c: the reply (the caller frees it with usc_redis_reply_free()), or
 * NULL with an error prefixed by @what. */
UscRedisReply *usc_rr_cmd_run (RedisBe *s, Cmd *c, const char *what, GError **error);
/* An integer reply (freed here), or -1 with an error naming @what. */
gint64 usc_rr_int_reply (RedisBe *s, UscRedisReply *rep, const char *what, GError **error);
/* usc_rr_cmd_run(), usc_rr_cmd_clear(), then usc_rr_int_reply(): the
 * integer, or -1 with an error. */
gint64 usc_rr_cmd_int (RedisBe *s, Cmd *c, const char *what, GError **error);

/* ------------------------------------------------------------------------ */
/* The scripts (usc-record-redis-scripts.c; each comment says its KEYS and  */
/* ARGV)                                                                     */

extern const char usc_rr_script_open[];
extern const char usc_rr_script_add[];
extern const char usc_rr_script_split[];
extern const char usc_rr_script_has_id[];
extern const char usc_rr_script_has_rcpt[];
extern const char usc_rr_script_expire[];

/* ------------------------------------------------------------------------ */
/* The meta values (usc-record-redis-meta.c); each 0 / -1 with an error      */

/* Run the open script (@create: write the layout version when there is no
 * record): the meta values into @s. */
int usc_rr_load_meta (RedisBe *s, gboolean create, GError **error);
/* usc_rr_load_meta() unless they are current. */
int usc_rr_ensure_loaded (RedisBe *s, GError **error);
/* Another host split a bucket meanwhile: read meta again (the caller
 * retries); an error after MAX_STALE tries (counted in *@tries). */
int usc_rr_stale (RedisBe *s, int *tries, const char *what, GError **error);
/* The command giving bucket @b (of @n shards) one shard more, into @c
 * (initialised here: the caller clears it); FALSE when it has the most
 * already. */
gboolean usc_rr_build_split (RedisBe *s, gint64 b, guint n, Cmd *c);
/* One shard more for bucket @b (of @n shards, as last read). */
int usc_rr_split_bucket (RedisBe *s, gint64 b, guint n, GError **error);

/* The decision log's rows decided before @before (usc-record-redis-dlog.c). */
int usc_rr_dlog_expire (RedisBe *s, gint64 before, GError **error);

/* ------------------------------------------------------------------------ */
/* The backend's operations (UscRecordBackend in usc-record-backend.h; @be  */
/* is the RedisBe)                                                           */

/* usc-record-redis-add.c */
int usc_rr_add (gpointer be, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
                GError **error);
int usc_rr_add_many (gpointer be, const UscRecordEntry *e, guint n, int *results_r, GError **error);
/* usc-record-redis-lookup.c */
int usc_rr_has_id (gpointer be, gint64 id, GError **error);
int usc_rr_has_rcpt (gpointer be, gint64 rcpt, gint64 since, gint64 until, GError **error);
gint64 usc_rr_count (gpointer be, GError **error);
gint64 usc_rr_since (gpointer be, GError **error);
/* usc-record-redis-expire.c */
gint64 usc_rr_expire (gpointer be, gint64 before, GError **error);
/* usc-record-redis-stats.c */
int usc_rr_log_decision (gpointer be, gint64 day, const char *verdict, const char *kind, GError **error);
int usc_rr_add_decisions (gpointer be, gint64 day, const char *verdict, const char *kind, gint64 n,
                          GError **error);
int usc_rr_stats (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data, GError **error);
/* usc-record-redis-export.c */
int usc_rr_foreach (gpointer be, UscRecordEntryFunc fn, gpointer user_data, GError **error);
int usc_rr_set_since (gpointer be, gint64 since, GError **error);
/* usc-record-redis-dlog.c */
int usc_rr_add_decision (gpointer be, const UscDecision *d, guint max_rows, GError **error);
int usc_rr_decisions (gpointer be, gint64 since, gint64 until, UscDecisionFunc fn, gpointer user_data,
                      GError **error);
/* usc-record-redis-sentdir.c */
int usc_rr_dir_get (gpointer be, gint64 dir, UscRecordDirState *state_r, GError **error);
int usc_rr_dir_set (gpointer be, gint64 dir, const UscRecordDirState *state, GError **error);
int usc_rr_seen_check (gpointer be, const gint64 *names, guint n, gboolean *seen_r, GError **error);
int usc_rr_seen_add (gpointer be, const gint64 *names, guint n, GError **error);

G_END_DECLS
#endif
