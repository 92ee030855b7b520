/* usc-record-redis.c — the Redis backend of the sent-mail record: one record
 * shared by a cluster of delivery hosts (Redis 7 or Valkey; Redis Cluster
 * through usc-redis-cluster.c).
 *
 * The layout is the contract in doc/record-redis.md. In short, with P the
 * user's key prefix (default "unscatter:{USER}:", the braces making the user
 * the Redis Cluster hash tag, so that a user's keys share one slot):
 *
 *   P meta       hash: v (layout version, 2), since, first (oldest bucket
 *                written), cut (entries recorded before it were expired by
 *                `unscatter expire`), dlo/dhi (first and last day of a Date),
 *                c<B> (entries in bucket B), s<B> (its shard count, a power
 *                of two, absent: 1)
 *   P m:<B>:<j>  hash, shard j of the bucket of BUCKET_DAYS days of recording
 *                time B = recorded / (BUCKET_DAYS * 86400), j = the id's low
 *                bits mod s<B>: field the 8-byte key of the Message-ID (or
 *                fingerprint), value the Date (8 bytes, signed), the
 *                recording time (4) and up to MAIN_KEYS recipient keys (8
 *                each); more recipients in fields id + byte 1, 2, ...;
 *                EXPIREAT the end of the bucket + expire_days. A bucket is
 *                split (s<B> doubled, in one script) when it holds more than
 *                SPLIT_FILL entries per shard, so that every shard stays a
 *                listpack, Redis's compact encoding
 *   P r:<K>      string, one per RDAYS days of the Date header (K = Date /
 *                (RDAYS * 86400)): 15-byte records (recipient key 8, the
 *                Date's second of the period 3, recording time 4, big
 *                endian) appended; EXPIREAT the latest of its entries'
 *                buckets
 *   P stats      hash: "<day> <verdict> <kind>" -> count (for `stats`)
 *   P sentdir    hash: the Sent folder import's state per directory
 *                (usc-sentdir.c): 8-byte key -> "stamp cookie flags"
 *   P seen       set: 8-byte keys of the Sent folder's file names seen
 *   P dlog       stream: the decision log (`unscatter report`), one entry
 *                per bounce judged (fields t, v, k and those known of mta,
 *                rh, ri, fam, fs, rc, p, r), capped by MAXLEN max_decisions
 *                (the first added go first); `expire` deletes the rows
 *                whose t is older
 *
 * Every operation is one EVALSHA (EVAL the first time) of a script whose
 * keys are all declared (so that Redis Cluster checks them against the slot
 * and answers TRYAGAIN in the middle of a migration rather than half an
 * answer): a lookup costs one round trip after the one that opens the
 * record (AUTH, SELECT and the meta script pipelined). The open returns the
 * shard counts; a script given stale ones (another host split a bucket
 * meanwhile) answers -2 and the client reads meta again and retries. Entries live expire_days from when they were recorded:
 * lookups ignore older ones, and the buckets' TTLs reclaim them at most
 * BUCKET_DAYS later; `unscatter expire` removes them at once.
 *
 * Every failure (connection, time-out, LOADING, READONLY, OOM, NOAUTH,
 * WRONGPASS, a protocol error, an unexpected reply) is an error, never "not
 * found".
 *
 * This file opens and closes the record and holds the backend's table; the
 * operations are in usc-record-redis-*.c (the list in
 * usc-record-redis-private.h).
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

static void
usc_rr_close (gpointer be)
{
  RedisBe *s = be;
  if (s == NULL)
    return;
  usc_redis_free (&s->r);
  g_free (s->prefix);
  if (s->shards)
    g_array_free (s->shards, TRUE);
  if (s->fill)
    g_array_free (s->fill, TRUE);
  g_free (s);
}

static gpointer
usc_rr_open (const char *path, const UscRecordOptions *options, GError **error)
{
  UscRedisUrl *url = usc_redis_url_parse (path, error);
  if (url == NULL)
    return NULL;
  const char *user = options->user_name ? options->user_name : g_get_user_name ();
  char *prefix = usc_redis_expand_prefix (options->prefix, user, error);
  if (prefix == NULL) {
    usc_redis_url_free (&url);
    return NULL;
  }
  if (url->kind == USC_REDIS_CLUSTER && !usc_redis_has_hash_tag (prefix)) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG,
                 "Redis key prefix '%s' has no {hash tag}: Redis Cluster needs one so that a user's keys share a slot",
                 prefix);
    g_free (prefix);
    usc_redis_url_free (&url);
    return NULL;
  }
  char *password = NULL;
  if (options->password_file) {
    password = usc_redis_read_password (options->password_file, error);
    if (password == NULL) {
      g_free (prefix);
      usc_redis_url_free (&url);
      return NULL;
    }
  }
  UscRedisOptions ro = { .user = options->user, .password = password,
                         .timeout_ms = options->timeout_ms ? options->timeout_ms : 200 };
  RedisBe *s = g_new0 (RedisBe, 1);
  s->prefix = prefix;
  s->expire = (gint64) (options->expire_days ? options->expire_days : 180) * 86400;
  s->r = usc_redis_new (url, &ro, prefix);
  usc_redis_url_free (&url);
  if (password) {
    memset (password, 0, strlen (password));
    g_free (password);
  }
  gboolean create = !options->read_only && !options->if_exists;
  if (usc_rr_load_meta (s, create, error) < 0) {
    usc_rr_close (s);
    return NULL;
  }
  if (!s->exists && options->if_exists) {
    usc_rr_close (s);
    return NULL;
  }
  return s;
}

/* Each entry is written atomically by its script: nothing to group. */
static int
usc_rr_noop (gpointer be, GError **error)
{
  (void) be;
  (void) error;
  return 0;
}


const UscRecordBackend usc_record_redis_backend = {
  .name = "redis",
  .open = usc_rr_open,
  .close = usc_rr_close,
  .begin = usc_rr_noop,
  .commit = usc_rr_noop,
  .rollback = usc_rr_noop,
  .add = usc_rr_add,
  .has_id = usc_rr_has_id,
  .has_rcpt = usc_rr_has_rcpt,
  .count = usc_rr_count,
  .since = usc_rr_since,
  .expire = usc_rr_expire,
  .log_decision = usc_rr_log_decision,
  .stats = usc_rr_stats,
  .foreach = usc_rr_foreach,
  .add_decisions = usc_rr_add_decisions,
  .add_many = usc_rr_add_many,
  .set_since = usc_rr_set_since,
  .add_decision = usc_rr_add_decision,
  .decisions = usc_rr_decisions,
  .dir_get = usc_rr_dir_get,
  .dir_set = usc_rr_dir_set,
  .seen_check = usc_rr_seen_check,
  .seen_add = usc_rr_seen_add,
};
