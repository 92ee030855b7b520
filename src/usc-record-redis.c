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
 */
#include "config.h"
#include "usc-record-backend.h"
#include "usc-redis.h"

#include <string.h>

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
/* Scripts                                                                   */

/* KEYS: meta. ARGV: create (0/1), the first and the last live bucket, the
 * bucket length. Returns {exists, since, count, cut, first and last day of
 * a Date, then the shard count and the entries of each live bucket}. */
static const char SCRIPT_OPEN[] =
  "local v = redis.call('HGET', KEYS[1], 'v')\n"
  "if not v then\n"
  "  if ARGV[1] ~= '1' then return {0, 0, 0, 0, 0, -1} end\n"
  "  redis.call('HSET', KEYS[1], 'v', '" LAYOUT "')\n"
  "  v = '" LAYOUT "'\n"
  "end\n"
  "if v ~= '" LAYOUT "' then return redis.error_reply('ERR unscatter record layout ' .. v .. "
  "' is not " LAYOUT " (move it with record --export and --import of the unscatter that wrote it)') end\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first', 'cut', 'dlo', 'dhi')\n"
  "local since = tonumber(m[1]) or 0\n"
  "local first = tonumber(m[2])\n"
  "local bmin, bmax, len = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
  "if first and first < bmin and since < bmin * len then since = bmin * len end\n"
  "local out = {1, tostring(since), 0, tostring(tonumber(m[3]) or 0), m[4] or '0', m[5] or '-1'}\n"
  "local n = 0\n"
  "for b = bmin, bmax do\n"
  "  local f = redis.call('HMGET', KEYS[1], 'c' .. b, 's' .. b)\n"
  "  n = n + (tonumber(f[1]) or 0)\n"
  "  out[#out + 1] = tonumber(f[2]) or 1\n"
  "  out[#out + 1] = tonumber(f[1]) or 0\n"
  "end\n"
  "out[3] = n\n"
  "return out\n";

/* The check every script that names shards starts with: the shard counts
 * the client assumed (ARGV[@first..], for the buckets from ARGV[@b0]) are
 * still those in meta (KEYS[1]); else -2 (another host split a bucket: read
 * meta again and retry). */
#define CHECK_SHARDS(b0, first, n) \
  "local function shards_ok(b0, at, n)\n" \
  "  if n == 0 then return true end\n" \
  "  local f = {}\n" \
  "  for i = 1, n do f[i] = 's' .. (b0 + i - 1) end\n" \
  "  local s = redis.call('HMGET', KEYS[1], unpack(f))\n" \
  "  for i = 1, n do\n" \
  "    if (tonumber(s[i]) or 1) ~= tonumber(ARGV[at + i - 1]) then return false end\n" \
  "  end\n" \
  "  return true\n" \
  "end\n" \
  "if not shards_ok(tonumber(ARGV[" b0 "]), " first ", " n ") then return -2 end\n"

/* KEYS: meta, the shard of the id in each live bucket, the r key of the
 * Date's day. ARGV: 1 id, 2 value, 3 recipient records, 4 index of the
 * target bucket among the buckets (1: the first live one), 5 its EXPIREAT,
 * 6 its number, 7 min (date, recorded), 8 the first live bucket, 9 the
 * bucket length, 10 the Date's day, 11.. the shard count of each live
 * bucket, then continuation fields and values. Returns 1 added, 0 present,
 * 2 added (and the target bucket should get a shard more), -2 stale shard
 * counts. */
static const char SCRIPT_ADD[] =
  "local nrec = #ARGV[3] / " G_STRINGIFY (RREC) "\n"
  "local nb = #KEYS - 2 - nrec\n"
  CHECK_SHARDS ("8", "11", "nb")
  "local id = ARGV[1]\n"
  "for i = 2, nb + 1 do\n"
  "  if redis.call('HEXISTS', KEYS[i], id) == 1 then return 0 end\n"
  "end\n"
  "local ti = tonumber(ARGV[4])\n"
  "local t = KEYS[1 + ti]\n"
  "local shards = tonumber(ARGV[10 + ti])\n"
  "local b = ARGV[6]\n"
  "local exp = tonumber(ARGV[5])\n"
  "local function extend(k)\n"
  "  local e = redis.call('EXPIRETIME', k)\n"
  "  if e < exp then redis.call('EXPIREAT', k, exp) end\n"
  "end\n"
  "redis.call('HSET', t, id, ARGV[2], unpack(ARGV, 11 + nb))\n"
  "extend(t)\n"
  "if nrec > 0 then\n"
  "  local r = KEYS[nb + 2]\n"
  "  if redis.call('STRLEN', r) < " G_STRINGIFY (RFULL) " then\n"
  "    redis.call('APPEND', r, ARGV[3])\n"
  "    extend(r)\n"
  "  else\n"
  "    for q = 1, nrec do\n"
  "      local k = KEYS[nb + 2 + q]\n"
  "      redis.call('APPEND', k, string.sub(ARGV[3], (q - 1) * " G_STRINGIFY (RREC) " + 1, q * " G_STRINGIFY (RREC) "))\n"
  "      extend(k)\n"
  "    end\n"
  "  end\n"
  "end\n"
  "local c = redis.call('HINCRBY', KEYS[1], 'c' .. b, 1)\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first', 'dlo', 'dhi')\n"
  "local since = tonumber(m[1])\n"
  "local first = tonumber(m[2])\n"
  "local was = {m[1], m[2], m[3], m[4]}\n"
  "local bmin = tonumber(ARGV[8])\n"
  "if first and first < bmin then\n"
  "  local edge = bmin * tonumber(ARGV[9])\n"
  "  if since and since < edge then since = edge end\n"
  "  for o = math.max(first, bmin - 1000), bmin - 1 do redis.call('HDEL', KEYS[1], 'c' .. o, 's' .. o) end\n"
  "  first = bmin\n"
  "end\n"
  "local s = tonumber(ARGV[7])\n"
  "if not since or s < since then since = s end\n"
  "local bn = tonumber(b)\n"
  "if not first or bn < first then first = bn end\n"
  "local day = tonumber(ARGV[10])\n"
  "local dlo, dhi = tonumber(m[3]), tonumber(m[4])\n"
  "if not dlo or day < dlo then dlo = day end\n"
  "if not dhi or day > dhi then dhi = day end\n"
  "local now = {tostring(since), tostring(first), tostring(dlo), tostring(dhi)}\n"
  "if now[1] ~= was[1] or now[2] ~= was[2] or now[3] ~= was[3] or now[4] ~= was[4] then\n"
  "  redis.call('HSET', KEYS[1], 'since', now[1], 'first', now[2], 'dlo', now[3], 'dhi', now[4])\n"
  "end\n"
  "if shards < " G_STRINGIFY (MAX_SHARDS) " and c > " G_STRINGIFY (SPLIT_FILL) " * shards then return 2 end\n"
  "return 1\n";

/* KEYS: meta, the shard to split (n - S, S the largest power of two not
 * above n) and the new one (n) of bucket ARGV[1], ARGV[2] = n. Moves the
 * entries whose id (its last two bytes) mod 2S is n into the new shard and
 * records n + 1. 1 split, 0 someone else did. */
static const char SCRIPT_SPLIT[] =
  "local b, n = ARGV[1], tonumber(ARGV[2])\n"
  "if (tonumber(redis.call('HGET', KEYS[1], 's' .. b)) or 1) ~= n then return 0 end\n"
  "local s = 1\n"
  "while s * 2 <= n do s = s * 2 end\n"
  "local src, dst = KEYS[2], KEYS[3]\n"
  "local all = redis.call('HGETALL', src)\n"
  "local hs, hd = {}, {}\n"
  "for k = 1, #all, 2 do\n"
  "  local f = all[k]\n"
  "  local lo = string.byte(f, 7) * 256 + string.byte(f, 8)\n"
  "  if math.floor(lo / s) % 2 == 1 then\n"
  "    hs[#hs + 1] = f\n"
  "    hs[#hs + 1] = all[k + 1]\n"
  "    hd[#hd + 1] = f\n"
  "  end\n"
  "  if #hd == 200 or (k + 2 > #all and #hd > 0) then\n"
  "    redis.call('HSET', dst, unpack(hs))\n"
  "    redis.call('HDEL', src, unpack(hd))\n"
  "    hs, hd = {}, {}\n"
  "  end\n"
  "end\n"
  "local e = redis.call('EXPIRETIME', src)\n"
  "if e > 0 and redis.call('EXISTS', dst) == 1 then redis.call('EXPIREAT', dst, e) end\n"
  "redis.call('HSET', KEYS[1], 's' .. b, tostring(n + 1))\n"
  "return 1\n";

/* KEYS: meta, the shard of the id in each live bucket. ARGV: id, cutoff,
 * the first live bucket, then the shard counts. 1 found, 0 not, -2 stale. */
static const char SCRIPT_HAS_ID[] =
  CHECK_SHARDS ("3", "4", "#KEYS - 1")
  "for i = 2, #KEYS do\n"
  "  local v = redis.call('HGET', KEYS[i], ARGV[1])\n"
  "  if v and #v >= 12 and struct.unpack('>I4', v, 9) >= tonumber(ARGV[2]) then return 1 end\n"
  "end\n"
  "return 0\n";

/* KEYS: the r keys of the window, each followed by its sub-key for the
 * recipient key. ARGV: key, since, until, cutoff, the first key's number.
 * A record: key (8), the Date's second of its key's period (3), the
 * recording time (4). */
static const char SCRIPT_HAS_RCPT[] =
  "local key, since, till, cut = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
  "local d0 = tonumber(ARGV[5])\n"
  "for i = 1, #KEYS do\n"
  "  local s = redis.call('GET', KEYS[i])\n"
  "  if s then\n"
  "    local base = (d0 + math.floor((i - 1) / 2)) * " G_STRINGIFY (RDAYS) " * 86400\n"
  "    local pos = 1\n"
  "    while true do\n"
  "      local p = string.find(s, key, pos, true)\n"
  "      if not p then break end\n"
  "      if (p - 1) % " G_STRINGIFY (RREC) " == 0 then\n"
  "        local d = base + struct.unpack('>I3', s, p + 8)\n"
  "        local rec = struct.unpack('>I4', s, p + 11)\n"
  "        if d >= since and d <= till and rec >= cut then return 1 end\n"
  "        pos = p + " G_STRINGIFY (RREC) "\n"
  "      else\n"
  "        pos = p + 1\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "return 0\n";

/* KEYS: meta, the shards of the buckets up to the one holding @before.
 * ARGV: before, the first bucket's number, the bucket length, then each
 * bucket's shard count. Returns how many entries removed, -2 stale. */
static const char SCRIPT_EXPIRE[] =
  CHECK_SHARDS ("2", "4", "#ARGV - 3")
  "local before, b0, len = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
  "local n, k = 0, 2\n"
  "for i = 1, #ARGV - 3 do\n"
  "  local b = b0 + i - 1\n"
  "  local s = tonumber(ARGV[3 + i])\n"
  "  if (b + 1) * len <= before then\n"
  "    n = n + (tonumber(redis.call('HGET', KEYS[1], 'c' .. b)) or 0)\n"
  "    for j = 1, s do redis.call('DEL', KEYS[k]); k = k + 1 end\n"
  "    redis.call('HDEL', KEYS[1], 'c' .. b, 's' .. b)\n"
  "  else\n"
  "    local gone = 0\n"
  "    for j = 1, s do\n"
  "      local all = redis.call('HGETALL', KEYS[k])\n"
  "      local old, del = {}, {}\n"
  "      for q = 1, #all, 2 do\n"
  "        if #all[q] == 8 and #all[q + 1] >= 12 and struct.unpack('>I4', all[q + 1], 9) < before then\n"
  "          old[all[q]] = true\n"
  "          gone = gone + 1\n"
  "        end\n"
  "      end\n"
  "      for q = 1, #all, 2 do\n"
  "        if old[string.sub(all[q], 1, 8)] then del[#del + 1] = all[q] end\n"
  "      end\n"
  "      for q = 1, #del, 200 do redis.call('HDEL', KEYS[k], unpack(del, q, math.min(q + 199, #del))) end\n"
  "      k = k + 1\n"
  "    end\n"
  "    if gone > 0 then redis.call('HINCRBY', KEYS[1], 'c' .. b, -gone) end\n"
  "    n = n + gone\n"
  "  end\n"
  "end\n"
  "if n > 0 then\n"
  "  local m = redis.call('HMGET', KEYS[1], 'since', 'cut')\n"
  "  if not tonumber(m[1]) or tonumber(m[1]) < before then redis.call('HSET', KEYS[1], 'since', ARGV[1]) end\n"
  "  if not tonumber(m[2]) or tonumber(m[2]) < before then redis.call('HSET', KEYS[1], 'cut', ARGV[1]) end\n"
  "end\n"
  "return n\n";

/* ------------------------------------------------------------------------ */
/* Commands                                                                  */

typedef struct {
  GPtrArray  *argv;   /* owned copies */
  GArray     *lens;
  const char *script; /* EVALSHA of this script (EVAL when the server has not seen it) */
} Cmd;

static void
cmd_init (Cmd *c)
{
  c->argv = g_ptr_array_new_with_free_func (g_free);
  c->lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  c->script = NULL;
}

static void
cmd_clear (Cmd *c)
{
  g_ptr_array_free (c->argv, TRUE);
  g_array_free (c->lens, TRUE);
}

static void
cmd_add_len (Cmd *c, const void *data, gsize len)
{
  char *copy = g_malloc (len + 1);
  if (len > 0)
    memcpy (copy, data, len);
  copy[len] = '\0';
  g_ptr_array_add (c->argv, copy);
  g_array_append_val (c->lens, len);
}

static void
cmd_add (Cmd *c, const char *s)
{
  cmd_add_len (c, s, strlen (s));
}

static void
cmd_add_int (Cmd *c, gint64 v)
{
  char buf[24];
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
  cmd_add (c, buf);
}

static void
cmd_add_key (Cmd *c, const RedisBe *s, const char *fmt, gint64 n)
{
  char *k = n == G_MININT64 ? g_strconcat (s->prefix, fmt, NULL)
                            : g_strdup_printf ("%s%s%" G_GINT64_FORMAT, s->prefix, fmt, n);
  cmd_add (c, k);
  g_free (k);
}

/* EVALSHA @script: its body is sent only when the server does not have it
 * (NOSCRIPT, e.g. after a restart or on another cluster node). */
static void
cmd_eval (Cmd *c, const char *script)
{
  cmd_add (c, "EVALSHA");
  char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, script, -1);
  cmd_add (c, sha);
  g_free (sha);
  c->script = script;
}

static UscRedisReply *
cmd_run (RedisBe *s, Cmd *c, const char *what, GError **error)
{
  GError *local = NULL;
  UscRedisReply *rep = usc_redis_command (s->r, (int) c->argv->len, (const char *const *) c->argv->pdata,
                                          (const gsize *) c->lens->data, &local);
  if (rep == NULL && c->script && local && strstr (local->message, "NOSCRIPT")) {
    g_clear_error (&local);
    g_free (c->argv->pdata[0]);
    c->argv->pdata[0] = g_strdup ("EVAL");
    g_array_index (c->lens, gsize, 0) = 4;
    g_free (c->argv->pdata[1]);
    c->argv->pdata[1] = g_strdup (c->script);
    g_array_index (c->lens, gsize, 1) = strlen (c->script);
    rep = usc_redis_command (s->r, (int) c->argv->len, (const char *const *) c->argv->pdata,
                             (const gsize *) c->lens->data, &local);
  }
  if (rep == NULL) {
    g_prefix_error (&local, "%s: ", what);
    g_propagate_error (error, local);
  }
  return rep;
}

/* An integer reply, or -1 with an error naming @what. */
static gint64
int_reply (RedisBe *s, UscRedisReply *rep, const char *what, GError **error)
{
  gint64 v;
  if (!usc_redis_reply_integer (rep, &v)) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: %s: an unexpected reply",
                 usc_redis_name (s->r), what);
    v = -1;
  }
  usc_redis_reply_free (&rep);
  return v;
}

static gint64
floordiv (gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The live buckets at @now: [*@b0_r, *@b1_r]. */
static void
live_buckets (const RedisBe *s, gint64 now, gint64 *b0_r, gint64 *b1_r)
{
  *b0_r = floordiv (now - s->expire, BUCKET_SECONDS);
  *b1_r = floordiv (now, BUCKET_SECONDS) + 1;
}

static void
put_be64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = (guint8) v;
}

static guint64
get_be64 (const guint8 *p)
{
  guint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | p[i];
  return v;
}

/* The shard count of bucket @b as last read (1: unsplit or unknown; a
 * script refuses a stale one). */
static guint
shards_of (const RedisBe *s, gint64 b)
{
  if (s->shards == NULL || b < s->sb0 || b - s->sb0 >= (gint64) s->shards->len)
    return 1;
  return g_array_index (s->shards, guint32, b - s->sb0);
}

/* The largest power of two not above @n (>= 1). */
static guint
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
static guint
shard_index (gint64 id, guint n)
{
  guint lo = (guint) ((guint64) id & 0xffff), two = 2 * low_pow2 (n);
  guint j = lo & (two - 1);
  return j >= n ? j - two / 2 : j;
}

static void
cmd_add_shard (Cmd *c, const RedisBe *s, gint64 b, guint j)
{
  char *k = g_strdup_printf ("%sm:%" G_GINT64_FORMAT ":%u", s->prefix, b, j);
  cmd_add (c, k);
  g_free (k);
}

/* r:<K>:<j>, where the records of a full r:<K> go (j from the recipient
 * key). */
static void
cmd_add_rsub (Cmd *c, const RedisBe *s, gint64 k, guint64 rcpt)
{
  char *name = g_strdup_printf ("%sr:%" G_GINT64_FORMAT ":%u", s->prefix, k, (guint) (rcpt % RFAN));
  cmd_add (c, name);
  g_free (name);
}

/* Run the open script: the meta values. */
static int
load_meta (RedisBe *s, gboolean create, GError **error)
{
  gint64 b0, b1;
  live_buckets (s, usc_now (), &b0, &b1);
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_OPEN);
  cmd_add (&c, "1");
  cmd_add_key (&c, s, "meta", G_MININT64);
  cmd_add (&c, create ? "1" : "0");
  cmd_add_int (&c, b0);
  cmd_add_int (&c, b1);
  cmd_add_int (&c, BUCKET_SECONDS);
  UscRedisReply *rep = cmd_run (s, &c, "open", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  gint64 v[6];
  gsize n = usc_redis_reply_n_elements (rep);
  gboolean ok = n >= 6;
  for (int i = 0; ok && i < 6; i++)
    ok = usc_redis_reply_integer (usc_redis_reply_element (rep, i), &v[i]);
  if (ok && v[0] == 1 && n != 6 + 2 * (gsize) (b1 - b0 + 1))
    ok = FALSE;
  GArray *shards = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *fill = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (gsize i = 6; ok && i + 1 < n; i += 2) {
    gint64 sh, entries;
    ok = usc_redis_reply_integer (usc_redis_reply_element (rep, i), &sh) && sh >= 1 && sh <= MAX_SHARDS
         && usc_redis_reply_integer (usc_redis_reply_element (rep, i + 1), &entries);
    guint32 v32 = (guint32) sh;
    g_array_append_val (shards, v32);
    g_array_append_val (fill, entries);
  }
  usc_redis_reply_free (&rep);
  if (!ok) {
    g_array_free (shards, TRUE);
    g_array_free (fill, TRUE);
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: open: an unexpected reply", usc_redis_name (s->r));
    return -1;
  }
  s->exists = v[0] == 1;
  s->since = v[1];
  s->count = v[2];
  s->cut = v[3];
  s->dlo = v[4];
  s->dhi = v[5];
  if (s->shards)
    g_array_free (s->shards, TRUE);
  if (s->fill)
    g_array_free (s->fill, TRUE);
  s->shards = shards;
  s->fill = fill;
  s->sb0 = b0;
  s->loaded = TRUE;
  return 0;
}

static int
ensure_loaded (RedisBe *s, GError **error)
{
  return s->loaded ? 0 : load_meta (s, FALSE, error);
}

/* Entries recorded before this are no longer in the record. */
static gint64
cutoff (const RedisBe *s, gint64 now)
{
  return MAX (s->cut, now - s->expire);
}

/* Another host split a bucket meanwhile: read meta again (the caller
 * retries); an error after MAX_STALE tries. */
static int
stale (RedisBe *s, int *tries, const char *what, GError **error)
{
  if (++*tries > MAX_STALE) {
    g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL,
                 "Redis %s: %s: the record's buckets kept changing (split by other hosts); try again later",
                 usc_redis_name (s->r), what);
    return -1;
  }
  return load_meta (s, FALSE, error);
}

/* The command giving bucket @b (of @n shards) one shard more, into @c
 * (initialised here); FALSE when it has the most already. */
static gboolean
build_split (RedisBe *s, gint64 b, guint n, Cmd *c)
{
  if (n >= MAX_SHARDS)
    return FALSE;
  cmd_init (c);
  cmd_eval (c, SCRIPT_SPLIT);
  cmd_add (c, "3");
  cmd_add_key (c, s, "meta", G_MININT64);
  cmd_add_shard (c, s, b, n - low_pow2 (n));
  cmd_add_shard (c, s, b, n);
  cmd_add_int (c, b);
  cmd_add_int (c, n);
  return TRUE;
}

/* One shard more for bucket @b (of @n shards, as last read); another host
 * doing it first is fine. */
static int
split_bucket (RedisBe *s, gint64 b, guint n, GError **error)
{
  Cmd c;
  if (!build_split (s, b, n, &c))
    return 0;
  UscRedisReply *rep = cmd_run (s, &c, "split a bucket", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  if (int_reply (s, rep, "split a bucket", error) < 0)
    return -1;
  return load_meta (s, FALSE, error);
}

/* ------------------------------------------------------------------------ */
/* The backend                                                               */

static void
redis_close (gpointer be)
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
redis_open (const char *path, const UscRecordOptions *options, GError **error)
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
  if (load_meta (s, create, error) < 0) {
    redis_close (s);
    return NULL;
  }
  if (!s->exists && options->if_exists) {
    redis_close (s);
    return NULL;
  }
  return s;
}

/* Each entry is written atomically by its script: nothing to group. */
static int
redis_noop (gpointer be, GError **error)
{
  (void) be;
  (void) error;
  return 0;
}

static void
put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

/* The command that adds an entry into @c (initialised here); FALSE (and
 * nothing to send) when the entry is already past its expiry. The target
 * bucket's number in *@bucket_r. */
static gboolean
build_add (RedisBe *s, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
           Cmd *c, gint64 *bucket_r)
{
  gint64 now = usc_now ();
  if (recorded < cutoff (s, now))
    return FALSE;  /* already past its expiry: it would not be found */
  gint64 b0, b1;
  live_buckets (s, now, &b0, &b1);
  gint64 b = MIN (floordiv (recorded, BUCKET_SECONDS), b1);
  gint64 day = floordiv (date, 86400);
  *bucket_r = b;

  /* The value: the Date (8 bytes, signed), the recording time (4), the
   * first MAIN_KEYS distinct recipient keys (8 each), the others in
   * continuation fields (the id and a byte 1, 2, ...); the recipient
   * records for the Date's day. */
  guint8 head[12];
  put_be64 (head, (guint64) date);
  guint32 rec32 = (guint32) CLAMP (recorded, 0, (gint64) G_MAXUINT32);
  put_be32 (head + 8, rec32);
  GByteArray *value = g_byte_array_new ();
  g_byte_array_append (value, head, sizeof head);
  GPtrArray *conts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  GByteArray *recs = g_byte_array_new ();
  guint distinct = 0;
  gint64 rk = floordiv (date, RSECONDS);
  guint32 off = (guint32) (date - rk * RSECONDS);
  for (guint i = 0; i < n_rcpts; i++) {
    gboolean dup = FALSE;
    for (guint j = 0; j < i && !dup; j++)
      dup = rcpts[j] == rcpts[i];
    if (dup)
      continue;
    guint8 k[RREC];
    put_be64 (k, (guint64) rcpts[i]);
    if (distinct < MAIN_KEYS) {
      g_byte_array_append (value, k, 8);
    } else {
      if ((distinct - MAIN_KEYS) % CONT_KEYS == 0)
        g_ptr_array_add (conts, g_byte_array_new ());
      g_byte_array_append (conts->pdata[conts->len - 1], k, 8);
    }
    distinct++;
    k[8] = off >> 16;
    k[9] = off >> 8;
    k[10] = off;
    put_be32 (k + 11, rec32);
    g_byte_array_append (recs, k, RREC);
  }
  guint8 idb[9];
  put_be64 (idb, (guint64) id);

  cmd_init (c);
  cmd_eval (c, SCRIPT_ADD);
  cmd_add_int (c, 1 + (b1 - b0 + 1) + 1 + recs->len / RREC);
  cmd_add_key (c, s, "meta", G_MININT64);
  for (gint64 i = b0; i <= b1; i++)
    cmd_add_shard (c, s, i, shard_index (id, shards_of (s, i)));
  cmd_add_key (c, s, "r:", rk);
  for (guint i = 0; i < recs->len; i += RREC)
    cmd_add_rsub (c, s, rk, get_be64 (recs->data + i));
  cmd_add_len (c, idb, 8);
  cmd_add_len (c, value->data, value->len);
  cmd_add_len (c, recs->data, recs->len);
  cmd_add_int (c, 1 + (b - b0));
  cmd_add_int (c, (b + 1) * BUCKET_SECONDS + s->expire);
  cmd_add_int (c, b);
  cmd_add_int (c, MIN (date, recorded));
  cmd_add_int (c, b0);
  cmd_add_int (c, BUCKET_SECONDS);
  cmd_add_int (c, day);
  for (gint64 i = b0; i <= b1; i++)
    cmd_add_int (c, shards_of (s, i));
  for (guint i = 0; i < conts->len; i++) {
    GByteArray *a = conts->pdata[i];
    idb[8] = (guint8) (i + 1);
    cmd_add_len (c, idb, 9);
    cmd_add_len (c, a->data, a->len);
  }
  g_byte_array_free (value, TRUE);
  g_ptr_array_free (conts, TRUE);
  g_byte_array_free (recs, TRUE);
  return TRUE;
}

/* The cached meta values after an entry was added. */
static void
added (RedisBe *s, gint64 date, gint64 recorded)
{
  gint64 cand = MIN (date, recorded), day = floordiv (date, 86400);
  s->count++;
  s->since = s->since == 0 ? cand : MIN (s->since, cand);
  if (s->dhi < s->dlo) {
    s->dlo = s->dhi = day;
  } else {
    s->dlo = MIN (s->dlo, day);
    s->dhi = MAX (s->dhi, day);
  }
}

/* Add one entry: 1 added, 0 present, -1 error; giving its bucket a shard
 * more when the script asks for it and retrying when another host split
 * one meanwhile. */
static int
add_one (RedisBe *s, const UscRecordEntry *e, GError **error)
{
  int tries = 0;
  for (;;) {
    Cmd c;
    gint64 b;
    if (!build_add (s, e->id, e->date, e->recorded, e->rcpts, e->n_rcpts, &c, &b))
      return 0;
    UscRedisReply *rep = cmd_run (s, &c, "add", error);
    cmd_clear (&c);
    if (rep == NULL)
      return -1;
    gint64 v = int_reply (s, rep, "add", error);
    if (v < -2 || v == -1 || v > 2) {
      if (v != -1)
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: add: an unexpected reply", usc_redis_name (s->r));
      return -1;
    }
    if (v == -2) {
      if (stale (s, &tries, "add", error) < 0)
        return -1;
      continue;
    }
    if (v >= 1)
      added (s, e->date, e->recorded);
    if (v == 2 && split_bucket (s, b, shards_of (s, b), error) < 0)
      return -1;
    return v == 0 ? 0 : 1;
  }
}

static int
redis_add (gpointer be, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
           GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  UscRecordEntry e = { .id = id, .date = date, .recorded = recorded, .rcpts = rcpts, .n_rcpts = n_rcpts };
  return add_one (s, &e, error);
}

static gint64
bucket_of (const RedisBe *s, gint64 recorded, gint64 now)
{
  gint64 b0, b1;
  live_buckets (s, now, &b0, &b1);
  return MIN (floordiv (recorded, BUCKET_SECONDS), b1);
}

/* An import's entries, pipelined: SCRIPT LOAD, the splits that make room
 * for the batch in each bucket (so that no shard outgrows its compact
 * encoding meanwhile), then one EVALSHA each; the entries refused because
 * another host split a bucket meanwhile are added one by one. */
static int add_many (RedisBe *s, const UscRecordEntry *e, guint n, int *results_r, GError **error);

static int
redis_add_many (gpointer be, const UscRecordEntry *e, guint n, int *results_r, GError **error)
{
  RedisBe *s = be;
  /* A batch may keep the server busy for longer than one reply should
   * take: its commands (the pipeline, meta read again, the retries) wait
   * up to IMPORT_TIMEOUT_MS each. */
  guint saved_ms = usc_redis_set_timeout (s->r, IMPORT_TIMEOUT_MS);
  int rc = add_many (s, e, n, results_r, error);
  usc_redis_set_timeout (s->r, saved_ms);
  return rc;
}

static int
add_many (RedisBe *s, const UscRecordEntry *e, guint n, int *results_r, GError **error)
{
  if (ensure_loaded (s, error) < 0)
    return -1;
  gint64 now = usc_now ();
  guint nb = s->shards->len;
  /* The shards each live bucket needs after the batch. */
  gint64 *want = g_new0 (gint64, nb);
  for (guint i = 0; i < n; i++) {
    gint64 b = bucket_of (s, e[i].recorded, now) - s->sb0;
    if (b >= 0 && b < (gint64) nb && e[i].recorded >= cutoff (s, now))
      want[b]++;
  }
  guint n_split = 0;
  for (guint k = 0; k < nb; k++) {
    gint64 need = (g_array_index (s->fill, gint64, k) + want[k] + SPLIT_FILL - 1) / SPLIT_FILL;
    need = CLAMP (need, 1, MAX_SHARDS);
    guint have = g_array_index (s->shards, guint32, k);
    want[k] = need > have ? need : have;
    n_split += (guint) (want[k] - have);
  }
  guint total = 2 + n_split + n;
  Cmd *cmds = g_new0 (Cmd, total);
  int *argcs = g_new (int, total);
  const char *const **argvs = g_new (const char *const *, total);
  const gsize **lens = g_new (const gsize *, total);
  guint *which = g_new (guint, total);
  UscRedisReply **replies = g_new0 (UscRedisReply *, total);
  GArray *again = g_array_new (FALSE, FALSE, sizeof (guint));
  guint m = 0;
  cmd_init (&cmds[m]);
  cmd_add (&cmds[m], "SCRIPT");
  cmd_add (&cmds[m], "LOAD");
  cmd_add (&cmds[m], SCRIPT_ADD);
  which[m++] = G_MAXUINT;
  cmd_init (&cmds[m]);
  cmd_add (&cmds[m], "SCRIPT");
  cmd_add (&cmds[m], "LOAD");
  cmd_add (&cmds[m], SCRIPT_SPLIT);
  which[m++] = G_MAXUINT;
  for (guint k = 0; k < nb; k++) {
    guint32 *have = &g_array_index (s->shards, guint32, k);
    while (*have < want[k] && build_split (s, s->sb0 + k, *have, &cmds[m])) {
      which[m++] = G_MAXUINT - 1;
      (*have)++;   /* what the adds below assume */
    }
  }
  guint first_add = m;
  for (guint i = 0; i < n; i++) {
    results_r[i] = 0;
    gint64 b;
    if (build_add (s, e[i].id, e[i].date, e[i].recorded, e[i].rcpts, e[i].n_rcpts, &cmds[m], &b))
      which[m++] = i;
  }
  for (guint j = 0; j < m; j++) {
    argcs[j] = (int) cmds[j].argv->len;
    argvs[j] = (const char *const *) cmds[j].argv->pdata;
    lens[j] = (const gsize *) cmds[j].lens->data;
  }
  GError *local = NULL;
  int rc = usc_redis_pipeline (s->r, m, argcs, argvs, lens, replies, &local);
  for (guint j = 2; rc == 0 && j < m; j++) {
    gint64 v;
    if (!usc_redis_reply_integer (replies[j], &v) || (j >= first_add && (v < -2 || v == -1 || v > 2))) {
      g_set_error (&local, USC_ERROR, USC_ERROR_IO, "Redis %s: an unexpected reply", usc_redis_name (s->r));
      rc = -1;
      break;
    }
    if (j < first_add)
      continue;   /* a split: 0 when another host was first (the adds then say -2) */
    if (v >= 1) {
      results_r[which[j]] = 1;
      added (s, e[which[j]].date, e[which[j]].recorded);
    }
    if (v == -2)
      g_array_append_val (again, which[j]);
  }
  for (guint j = 0; j < m; j++) {
    usc_redis_reply_free (&replies[j]);
    cmd_clear (&cmds[j]);
  }
  /* The next batch's splits come from the counts read now. */
  if (rc == 0 && load_meta (s, FALSE, &local) < 0)
    rc = -1;
  for (guint k = 0; rc == 0 && k < again->len; k++) {
    guint i = g_array_index (again, guint, k);
    int r1 = add_one (s, &e[i], &local);
    if (r1 < 0)
      rc = -1;
    else
      results_r[i] = r1;
  }
  if (local) {
    g_prefix_error (&local, "import: ");
    g_propagate_error (error, local);
  }
  if (rc < 0)
    s->loaded = FALSE;
  g_free (want);
  g_free (cmds);
  g_free (argcs);
  g_free (argvs);
  g_free (lens);
  g_free (which);
  g_free (replies);
  g_array_free (again, TRUE);
  return rc;
}

static int
redis_has_id (gpointer be, gint64 id, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  int tries = 0;
  for (;;) {
    gint64 now = usc_now (), b0, b1;
    live_buckets (s, now, &b0, &b1);
    guint8 idb[8];
    put_be64 (idb, (guint64) id);
    Cmd c;
    cmd_init (&c);
    cmd_eval (&c, SCRIPT_HAS_ID);
    cmd_add_int (&c, 1 + (b1 - b0 + 1));
    cmd_add_key (&c, s, "meta", G_MININT64);
    for (gint64 b = b0; b <= b1; b++)
      cmd_add_shard (&c, s, b, shard_index (id, shards_of (s, b)));
    cmd_add_len (&c, idb, 8);
    cmd_add_int (&c, cutoff (s, now));
    cmd_add_int (&c, b0);
    for (gint64 b = b0; b <= b1; b++)
      cmd_add_int (&c, shards_of (s, b));
    UscRedisReply *rep = cmd_run (s, &c, "look up Message-ID", error);
    cmd_clear (&c);
    if (rep == NULL)
      return -1;
    gint64 v = int_reply (s, rep, "look up Message-ID", error);
    if (v == -2) {
      if (stale (s, &tries, "look up Message-ID", error) < 0)
        return -1;
      continue;
    }
    if (v != 0 && v != 1) {
      if (v != -1)
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: look up Message-ID: an unexpected reply",
                     usc_redis_name (s->r));
      return -1;
    }
    return (int) v;
  }
}

static int
redis_has_rcpt (gpointer be, gint64 rcpt, gint64 since, gint64 until, GError **error)
{
  RedisBe *s = be;
  if (until < since)
    return 0;
  if (ensure_loaded (s, error) < 0)
    return -1;
  /* Only days a Date ever fell on (the day keys of a window reaching far
   * beyond are not asked for), at most MAX_RCPT_DAYS of them. */
  gint64 d0 = MAX (floordiv (since, 86400), s->dlo), d1 = MIN (floordiv (until, 86400), s->dhi);
  if (d1 < d0)
    return 0;
  if (d1 - d0 >= MAX_RCPT_DAYS)
    d0 = d1 - MAX_RCPT_DAYS + 1;
  gint64 k0 = floordiv (d0, RDAYS), k1 = floordiv (d1, RDAYS);
  guint8 kb[8];
  put_be64 (kb, (guint64) rcpt);
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_HAS_RCPT);
  cmd_add_int (&c, 2 * (k1 - k0 + 1));
  for (gint64 k = k0; k <= k1; k++) {
    cmd_add_key (&c, s, "r:", k);
    cmd_add_rsub (&c, s, k, (guint64) rcpt);
  }
  cmd_add_len (&c, kb, 8);
  cmd_add_int (&c, since);
  cmd_add_int (&c, until);
  cmd_add_int (&c, CLAMP (cutoff (s, usc_now ()), 0, (gint64) G_MAXUINT32));
  cmd_add_int (&c, k0);
  UscRedisReply *rep = cmd_run (s, &c, "look up recipient", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  gint64 v = int_reply (s, rep, "look up recipient", error);
  return v < 0 ? -1 : v == 1;
}

static gint64
redis_count (gpointer be, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  return s->count;
}

static gint64
redis_since (gpointer be, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  return s->since;
}

static int dlog_expire (RedisBe *s, gint64 before, GError **error);

static gint64
redis_expire (gpointer be, gint64 before, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  int tries = 0;
  gint64 n;
  for (;;) {
    gint64 b0, b1;
    live_buckets (s, usc_now (), &b0, &b1);
    gint64 last = MIN (floordiv (before, BUCKET_SECONDS), b1);
    if (last < b0)
      return dlog_expire (s, before, error) < 0 ? -1 : 0;
    gint64 nkeys = 1;
    for (gint64 b = b0; b <= last; b++)
      nkeys += shards_of (s, b);
    Cmd c;
    cmd_init (&c);
    cmd_eval (&c, SCRIPT_EXPIRE);
    cmd_add_int (&c, nkeys);
    cmd_add_key (&c, s, "meta", G_MININT64);
    for (gint64 b = b0; b <= last; b++)
      for (guint j = 0; j < shards_of (s, b); j++)
        cmd_add_shard (&c, s, b, j);
    cmd_add_int (&c, before);
    cmd_add_int (&c, b0);
    cmd_add_int (&c, BUCKET_SECONDS);
    for (gint64 b = b0; b <= last; b++)
      cmd_add_int (&c, shards_of (s, b));
    UscRedisReply *rep = cmd_run (s, &c, "expire", error);
    cmd_clear (&c);
    if (rep == NULL)
      return -1;
    n = int_reply (s, rep, "expire", error);
    if (n == -2) {
      if (stale (s, &tries, "expire", error) < 0)
        return -1;
      continue;
    }
    break;
  }
  s->loaded = FALSE;
  if (n >= 0 && dlog_expire (s, before, error) < 0)
    return -1;
  return n;
}

static int
hincrby_stats (RedisBe *s, gint64 day, const char *verdict, const char *kind, gint64 n,
               const char *what, GError **error)
{
  char *field = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", day, verdict, kind);
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "HINCRBY");
  cmd_add_key (&c, s, "stats", G_MININT64);
  cmd_add (&c, field);
  cmd_add_int (&c, n);
  g_free (field);
  UscRedisReply *rep = cmd_run (s, &c, what, error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  return int_reply (s, rep, what, error) < 0 ? -1 : 0;
}

static int
redis_log_decision (gpointer be, gint64 day, const char *verdict, const char *kind, GError **error)
{
  return hincrby_stats (be, day, verdict, kind, 1, "log decision", error);
}

static int
redis_add_decisions (gpointer be, gint64 day, const char *verdict, const char *kind, gint64 n,
                     GError **error)
{
  return hincrby_stats (be, day, verdict, kind, n, "import decisions", error);
}

typedef struct {
  gint64 day;
  char  *verdict, *kind;
  gint64 count;
} StatRow;

static gint
cmp_rows (gconstpointer a, gconstpointer b)
{
  const StatRow *x = a, *y = b;
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  int c = strcmp (x->verdict, y->verdict);
  return c ? c : strcmp (x->kind, y->kind);
}

static int
redis_stats (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "HGETALL");
  cmd_add_key (&c, s, "stats", G_MININT64);
  UscRedisReply *rep = cmd_run (s, &c, "stats", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (StatRow));
  gsize n = usc_redis_reply_n_elements (rep);
  for (gsize i = 0; i + 1 < n; i += 2) {
    gsize flen = 0;
    const char *f = usc_redis_reply_string (usc_redis_reply_element (rep, i), &flen);
    StatRow row = { 0 };
    if (f == NULL || !usc_redis_reply_integer (usc_redis_reply_element (rep, i + 1), &row.count))
      continue;
    char *field = g_strndup (f, flen);
    char **parts = g_strsplit (field, " ", 3);
    g_free (field);
    char *end = NULL;
    if (g_strv_length (parts) == 3) {
      row.day = g_ascii_strtoll (parts[0], &end, 10);
      if (end && *end == '\0' && row.day >= since_day) {
        row.verdict = g_strdup (parts[1]);
        row.kind = g_strdup (parts[2]);
        g_array_append_val (rows, row);
      }
    }
    g_strfreev (parts);
  }
  usc_redis_reply_free (&rep);
  g_array_sort (rows, cmp_rows);
  for (guint i = 0; i < rows->len; i++) {
    StatRow *row = &g_array_index (rows, StatRow, i);
    GDateTime *dt = g_date_time_new_from_unix_utc (row->day * 86400);
    char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
    fn (d, row->verdict, row->kind, row->count, user_data);
    g_free (d);
    if (dt)
      g_date_time_unref (dt);
    g_free (row->verdict);
    g_free (row->kind);
  }
  g_array_free (rows, TRUE);
  return 0;
}

/* One shard's fields, read whole (HSCAN may return a field twice): the
 * entries and their continuation fields (the id and a byte 1, 2, ...). */
static int
read_shard (RedisBe *s, const char *key, GHashTable *fields, GError **error)
{
  char *cursor = g_strdup ("0");
  int ret = 0;
  do {
    Cmd c;
    cmd_init (&c);
    cmd_add (&c, "HSCAN");
    cmd_add (&c, key);
    cmd_add (&c, cursor);
    cmd_add (&c, "COUNT");
    cmd_add (&c, "1000");
    UscRedisReply *rep = cmd_run (s, &c, "export", error);
    cmd_clear (&c);
    if (rep == NULL) {
      ret = -1;
      break;
    }
    const UscRedisReply *items = usc_redis_reply_element (rep, 1);
    gsize clen = 0;
    const char *cs = usc_redis_reply_string (usc_redis_reply_element (rep, 0), &clen);
    if (cs == NULL || !usc_redis_reply_is_array (items)) {
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: export: an unexpected HSCAN reply",
                   usc_redis_name (s->r));
      usc_redis_reply_free (&rep);
      ret = -1;
      break;
    }
    g_free (cursor);
    cursor = g_strndup (cs, clen);
    gsize n = usc_redis_reply_n_elements (items);
    for (gsize i = 0; i + 1 < n; i += 2) {
      gsize flen = 0, vlen = 0;
      const char *f = usc_redis_reply_string (usc_redis_reply_element (items, i), &flen);
      const char *v = usc_redis_reply_string (usc_redis_reply_element (items, i + 1), &vlen);
      if (f && v && (flen == 8 || flen == 9))
        g_hash_table_replace (fields, g_bytes_new (f, flen), g_bytes_new (v, vlen));
    }
    usc_redis_reply_free (&rep);
  } while (strcmp (cursor, "0") != 0);
  g_free (cursor);
  return ret;
}

typedef struct {
  gint64 id, date, recorded;
  guint  first, n;    /* the recipient keys: keys[first .. first + n - 1] */
} ExportEntry;

static gint
cmp_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static gint
cmp_export (gconstpointer a, gconstpointer b)
{
  return cmp_i64 (&((const ExportEntry *) a)->id, &((const ExportEntry *) b)->id);
}

static int
redis_foreach (gpointer be, UscRecordEntryFunc fn, gpointer user_data, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  gint64 now = usc_now (), b0, b1;
  live_buckets (s, now, &b0, &b1);
  gint64 cut = cutoff (s, now);
  GArray *seen = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (gint64 b = b0; b <= b1; b++) {
    guint32 n = shards_of (s, b);
    g_array_append_val (seen, n);
  }
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *fields = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                              (GDestroyNotify) g_bytes_unref);
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (ExportEntry));
  int ret = 0;
  gboolean go = TRUE;
  for (gint64 b = b0; go && ret == 0 && b <= b1; b++) {
    for (guint j = 0; go && ret == 0 && j < g_array_index (seen, guint32, b - b0); j++) {
      char *key = g_strdup_printf ("%sm:%" G_GINT64_FORMAT ":%u", s->prefix, b, j);
      g_hash_table_remove_all (fields);
      ret = read_shard (s, key, fields, error);
      g_free (key);
      if (ret < 0)
        break;
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, fields);
      while (g_hash_table_iter_next (&it, &k, &v)) {
        gsize vlen;
        const guint8 *val = g_bytes_get_data (v, &vlen);
        if (g_bytes_get_size (k) != 8 || vlen < 12 || (vlen - 12) % 8)
          continue;
        ExportEntry x = { .id = (gint64) get_be64 (g_bytes_get_data (k, NULL)), .date = (gint64) get_be64 (val),
                          .recorded = (gint64) (((guint32) val[8] << 24) | ((guint32) val[9] << 16)
                                                | ((guint32) val[10] << 8) | val[11]),
                          .first = keys->len };
        if (x.recorded < cut)
          continue;
        for (gsize q = 12; q < vlen; q += 8) {
          gint64 key8 = (gint64) get_be64 (val + q);
          g_array_append_val (keys, key8);
        }
        guint8 cf[9];
        memcpy (cf, g_bytes_get_data (k, NULL), 8);
        for (guint c = 1; c < 256; c++) {
          cf[8] = (guint8) c;
          GBytes *ck = g_bytes_new_static (cf, 9);
          GBytes *cv = g_hash_table_lookup (fields, ck);
          g_bytes_unref (ck);
          if (cv == NULL)
            break;
          gsize clen;
          const guint8 *cd = g_bytes_get_data (cv, &clen);
          for (gsize q = 0; q + 8 <= clen; q += 8) {
            gint64 key8 = (gint64) get_be64 (cd + q);
            g_array_append_val (keys, key8);
          }
        }
        x.n = keys->len - x.first;
        g_array_append_val (entries, x);
      }
    }
  }
  /* In the SQLite export's order: by id, each entry's recipient keys
   * sorted (both as signed 64-bit numbers), so that the two backends'
   * exports of one record are the same text. */
  g_array_sort (entries, cmp_export);
  for (guint i = 0; go && ret == 0 && i < entries->len; i++) {
    ExportEntry *x = &g_array_index (entries, ExportEntry, i);
    gint64 *kp = &g_array_index (keys, gint64, x->first);
    qsort (kp, x->n, sizeof *kp, cmp_i64);
    go = fn (x->id, x->date, x->recorded, x->n ? kp : NULL, x->n, user_data);
  }
  g_array_free (entries, TRUE);
  g_hash_table_destroy (fields);
  g_array_free (keys, TRUE);
  /* A bucket split meanwhile moved entries to shards not read: refuse the
   * export rather than give one that misses them. */
  if (ret == 0 && go) {
    if (load_meta (s, FALSE, error) < 0) {
      ret = -1;
    } else {
      for (gint64 b = b0; ret == 0 && b <= b1; b++)
        if (shards_of (s, b) != g_array_index (seen, guint32, b - b0)) {
          g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL,
                       "Redis %s: export: the record changed meanwhile (a bucket was split by another host); run it again",
                       usc_redis_name (s->r));
          ret = -1;
        }
    }
  }
  g_array_free (seen, TRUE);
  return ret;
}

static int
redis_set_since (gpointer be, gint64 since, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "HSET");
  cmd_add_key (&c, s, "meta", G_MININT64);
  cmd_add (&c, "since");
  cmd_add_int (&c, since);
  UscRedisReply *rep = cmd_run (s, &c, "import", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  s->loaded = FALSE;
  return int_reply (s, rep, "import", error) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* The decision log: a stream                                                */

static const char *const DLOG_FIELDS[] = { "mta", "rh", "ri", "fam", "fs", "rc", "p", "r" };

static const char **
dlog_values (const UscDecision *d, const char **v)
{
  v[0] = d->reporting_mta;
  v[1] = d->relay_host;
  v[2] = d->relay_ip;
  v[3] = d->mta_family;
  v[4] = d->forged_sender;
  v[5] = d->recipient;
  v[6] = d->payload;
  v[7] = d->reason;
  return v;
}

static int
redis_add_decision (gpointer be, const UscDecision *d, guint max_rows, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "XADD");
  cmd_add_key (&c, s, "dlog", G_MININT64);
  if (max_rows > 0) {
    cmd_add (&c, "MAXLEN");
    cmd_add_int (&c, max_rows);
  }
  cmd_add (&c, "*");
  cmd_add (&c, "t");
  cmd_add_int (&c, d->time);
  cmd_add (&c, "v");
  cmd_add (&c, d->verdict ? d->verdict : "?");
  cmd_add (&c, "k");
  cmd_add (&c, d->kind ? d->kind : "?");
  const char *v[G_N_ELEMENTS (DLOG_FIELDS)];
  dlog_values (d, v);
  for (gsize i = 0; i < G_N_ELEMENTS (DLOG_FIELDS); i++)
    if (v[i]) {
      cmd_add (&c, DLOG_FIELDS[i]);
      cmd_add (&c, v[i]);
    }
  UscRedisReply *rep = cmd_run (s, &c, "log decision", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  usc_redis_reply_free (&rep);
  return 0;
}

typedef struct {
  gint64  time;
  guint64 seq;
  char   *f[10];  /* verdict, kind, then DLOG_FIELDS */
} DlogRow;

static gint
cmp_dlog (gconstpointer a, gconstpointer b)
{
  const DlogRow *x = *(DlogRow *const *) a, *y = *(DlogRow *const *) b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
dlog_row_free (gpointer p)
{
  DlogRow *r = p;
  for (gsize i = 0; i < G_N_ELEMENTS (r->f); i++)
    g_free (r->f[i]);
  g_free (r);
}

/* The stream read in pages of 1000 (XRANGE), rows in [since, until) sorted
 * by their time, then in the order added. */
static int
redis_decisions (gpointer be, gint64 since, gint64 until, UscDecisionFunc fn, gpointer user_data,
                 GError **error)
{
  RedisBe *s = be;
  GPtrArray *rows = g_ptr_array_new_with_free_func (dlog_row_free);
  char *start = g_strdup ("-");
  guint64 seq = 0;
  int ret = 0;
  for (;;) {
    Cmd c;
    cmd_init (&c);
    cmd_add (&c, "XRANGE");
    cmd_add_key (&c, s, "dlog", G_MININT64);
    cmd_add (&c, start);
    cmd_add (&c, "+");
    cmd_add (&c, "COUNT");
    cmd_add (&c, "1000");
    UscRedisReply *rep = cmd_run (s, &c, "read decision log", error);
    cmd_clear (&c);
    if (rep == NULL) {
      ret = -1;
      break;
    }
    gsize n = usc_redis_reply_n_elements (rep);
    for (gsize i = 0; i < n; i++) {
      const UscRedisReply *e = usc_redis_reply_element (rep, i);
      gsize idlen = 0;
      const char *id = usc_redis_reply_string (usc_redis_reply_element (e, 0), &idlen);
      const UscRedisReply *kv = usc_redis_reply_element (e, 1);
      if (id == NULL || kv == NULL)
        continue;
      if (i == n - 1) {
        g_free (start);
        start = g_strdup_printf ("(%.*s", (int) idlen, id);
      }
      DlogRow *row = g_new0 (DlogRow, 1);
      row->seq = seq++;
      gboolean have_time = FALSE;
      for (gsize j = 0; j + 1 < usc_redis_reply_n_elements (kv); j += 2) {
        gsize flen = 0, vlen = 0;
        const char *f = usc_redis_reply_string (usc_redis_reply_element (kv, j), &flen);
        const char *v = usc_redis_reply_string (usc_redis_reply_element (kv, j + 1), &vlen);
        if (f == NULL || v == NULL)
          continue;
        char *fs = g_strndup (f, flen);
        if (strcmp (fs, "t") == 0) {
          have_time = usc_redis_reply_integer (usc_redis_reply_element (kv, j + 1), &row->time);
        } else if (strcmp (fs, "v") == 0 || strcmp (fs, "k") == 0) {
          g_free (row->f[fs[0] == 'v' ? 0 : 1]);
          row->f[fs[0] == 'v' ? 0 : 1] = g_strndup (v, vlen);
        } else {
          for (gsize k = 0; k < G_N_ELEMENTS (DLOG_FIELDS); k++)
            if (strcmp (fs, DLOG_FIELDS[k]) == 0) {
              g_free (row->f[2 + k]);
              row->f[2 + k] = g_strndup (v, vlen);
            }
        }
        g_free (fs);
      }
      if (have_time && row->time >= since && row->time < until)
        g_ptr_array_add (rows, row);
      else
        dlog_row_free (row);
    }
    usc_redis_reply_free (&rep);
    if (n < 1000)
      break;
  }
  g_free (start);
  if (ret == 0) {
    g_ptr_array_sort (rows, cmp_dlog);
    for (guint i = 0; i < rows->len; i++) {
      DlogRow *r = rows->pdata[i];
      UscDecision d = {
        .time = r->time, .verdict = r->f[0], .kind = r->f[1], .reporting_mta = r->f[2],
        .relay_host = r->f[3], .relay_ip = r->f[4], .mta_family = r->f[5], .forged_sender = r->f[6],
        .recipient = r->f[7], .payload = r->f[8], .reason = r->f[9],
      };
      fn (&d, user_data);
    }
  }
  g_ptr_array_free (rows, TRUE);
  return ret;
}

/* KEYS: the stream. ARGV: before. Deletes the rows whose own time (field
 * t) is before @before; returns how many. */
static const char SCRIPT_DLOG_EXPIRE[] =
  "local before, n, start = tonumber(ARGV[1]), 0, '-'\n"
  "while true do\n"
  "  local page = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1000)\n"
  "  for _, e in ipairs(page) do\n"
  "    local f = e[2]\n"
  "    for i = 1, #f, 2 do\n"
  "      if f[i] == 't' then\n"
  "        if tonumber(f[i + 1]) < before then redis.call('XDEL', KEYS[1], e[1]); n = n + 1 end\n"
  "        break\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "  if #page < 1000 then break end\n"
  "  start = '(' .. page[#page][1]\n"
  "end\n"
  "return n\n";

/* The log's rows decided before @before. */
static int
dlog_expire (RedisBe *s, gint64 before, GError **error)
{
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_DLOG_EXPIRE);
  cmd_add (&c, "1");
  cmd_add_key (&c, s, "dlog", G_MININT64);
  cmd_add_int (&c, before);
  UscRedisReply *rep = cmd_run (s, &c, "expire decision log", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  usc_redis_reply_free (&rep);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* The Sent folder import's state (usc-sentdir.c)                            */

/* P sentdir: hash, field the 8-byte directory key, value "stamp cookie
 * flags" in decimal; P seen: set of 8-byte file-name keys. Neither expires
 * (a file still in the folder is not recorded again). */
static int
redis_dir_get (gpointer be, gint64 dir, UscRecordDirState *state_r, GError **error)
{
  RedisBe *s = be;
  guint8 k[8];
  put_be64 (k, (guint64) dir);
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "HGET");
  cmd_add_key (&c, s, "sentdir", G_MININT64);
  cmd_add_len (&c, k, 8);
  UscRedisReply *rep = cmd_run (s, &c, "read the Sent folder state", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  int ret = 0;
  gsize len = 0;
  const char *v = usc_redis_reply_is_nil (rep) ? NULL : usc_redis_reply_string (rep, &len);
  if (v != NULL) {
    char *text = g_strndup (v, len);
    gint64 a, b, f;
    if (sscanf (text, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &a, &b, &f) == 3) {
      *state_r = (UscRecordDirState) { .stamp = a, .cookie = b, .flags = f };
      ret = 1;
    }
    g_free (text);
  }
  if (ret == 0 && !usc_redis_reply_is_nil (rep)) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: read the Sent folder state: an unexpected reply",
                 usc_redis_name (s->r));
    ret = -1;
  }
  usc_redis_reply_free (&rep);
  return ret;
}

static int
redis_dir_set (gpointer be, gint64 dir, const UscRecordDirState *state, GError **error)
{
  RedisBe *s = be;
  guint8 k[8];
  put_be64 (k, (guint64) dir);
  char *v = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                             state->stamp, state->cookie, state->flags);
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "HSET");
  cmd_add_key (&c, s, "sentdir", G_MININT64);
  cmd_add_len (&c, k, 8);
  cmd_add (&c, v);
  g_free (v);
  UscRedisReply *rep = cmd_run (s, &c, "write the Sent folder state", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  return int_reply (s, rep, "write the Sent folder state", error) < 0 ? -1 : 0;
}

static int
redis_seen_check (gpointer be, const gint64 *names, guint n, gboolean *seen_r, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "SMISMEMBER");
  cmd_add_key (&c, s, "seen", G_MININT64);
  for (guint i = 0; i < n; i++) {
    guint8 k[8];
    put_be64 (k, (guint64) names[i]);
    cmd_add_len (&c, k, 8);
  }
  UscRedisReply *rep = cmd_run (s, &c, "look up seen file names", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  int ret = 0;
  if (!usc_redis_reply_is_array (rep) || usc_redis_reply_n_elements (rep) != n)
    ret = -1;
  for (guint i = 0; i < n && ret == 0; i++) {
    gint64 v;
    if (!usc_redis_reply_integer (usc_redis_reply_element (rep, i), &v))
      ret = -1;
    else
      seen_r[i] = v == 1;
  }
  if (ret < 0)
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: look up seen file names: an unexpected reply",
                 usc_redis_name (s->r));
  usc_redis_reply_free (&rep);
  return ret;
}

static int
redis_seen_add (gpointer be, const gint64 *names, guint n, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  cmd_init (&c);
  cmd_add (&c, "SADD");
  cmd_add_key (&c, s, "seen", G_MININT64);
  for (guint i = 0; i < n; i++) {
    guint8 k[8];
    put_be64 (k, (guint64) names[i]);
    cmd_add_len (&c, k, 8);
  }
  UscRedisReply *rep = cmd_run (s, &c, "mark file names seen", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  return int_reply (s, rep, "mark file names seen", error) < 0 ? -1 : 0;
}

const UscRecordBackend usc_record_redis_backend = {
  .name = "redis",
  .open = redis_open,
  .close = redis_close,
  .begin = redis_noop,
  .commit = redis_noop,
  .rollback = redis_noop,
  .add = redis_add,
  .has_id = redis_has_id,
  .has_rcpt = redis_has_rcpt,
  .count = redis_count,
  .since = redis_since,
  .expire = redis_expire,
  .log_decision = redis_log_decision,
  .stats = redis_stats,
  .foreach = redis_foreach,
  .add_decisions = redis_add_decisions,
  .add_many = redis_add_many,
  .set_since = redis_set_since,
  .add_decision = redis_add_decision,
  .decisions = redis_decisions,
  .dir_get = redis_dir_get,
  .dir_set = redis_dir_set,
  .seen_check = redis_seen_check,
  .seen_add = redis_seen_add,
};
