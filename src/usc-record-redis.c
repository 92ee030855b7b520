/* usc-record-redis.c — the Redis backend of the sent-mail record: one record
 * shared by a cluster of delivery hosts (Redis 7 or Valkey; Redis Cluster
 * through usc-redis-cluster.c).
 *
 * The layout is the contract in doc/record-redis.md. In short, with P the
 * user's key prefix (default "unscatter:{USER}:", the braces making the user
 * the Redis Cluster hash tag, so that a user's keys share one slot):
 *
 *   P meta       hash: v (layout version, 1), since, first (oldest bucket
 *                written), cut (entries recorded before it were expired by
 *                `unscatter expire`)
 *   P m:<B>      hash, one per BUCKET_DAYS days of recording time
 *                (B = recorded / (BUCKET_DAYS * 86400)): field the 8-byte
 *                key of the Message-ID (or fingerprint), value
 *                "<date> <recorded> " + the recipient keys, 8 bytes each;
 *                EXPIREAT the end of the bucket + expire_days
 *   P r:<D>      string, one per day D of the Date header: 20-byte records
 *                (recipient key 8, Date 8 signed, recording time 4, all big
 *                endian) appended; EXPIREAT the latest of its entries' buckets
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
 * Every operation is one EVALSHA (EVAL the first time) of a script whose keys are all declared (so
 * that Redis Cluster checks them against the slot and answers TRYAGAIN in
 * the middle of a migration rather than half an answer): a lookup costs one
 * round trip after the one that opens the record (AUTH, SELECT and the meta
 * script pipelined). Entries live expire_days from when they were recorded:
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

typedef struct {
  UscRedis *r;
  char     *prefix;
  gint64    expire;      /* seconds */
  gboolean  loaded;      /* the meta values below are current */
  gboolean  exists;
  gint64    since, count, cut;
  gint64    dlo, dhi;    /* the days of the oldest and newest Date (dhi < dlo: none) */
} RedisBe;

/* ------------------------------------------------------------------------ */
/* Scripts                                                                   */

/* KEYS: meta, the live m buckets. ARGV: create (0/1), the first live
 * bucket, the bucket length. Returns {exists, since, count, cut, first and
 * last day of a Date}. */
static const char SCRIPT_OPEN[] =
  "local v = redis.call('HGET', KEYS[1], 'v')\n"
  "if not v then\n"
  "  if ARGV[1] ~= '1' then return {0, 0, 0, 0, 0, -1} end\n"
  "  redis.call('HSET', KEYS[1], 'v', '1')\n"
  "  v = '1'\n"
  "end\n"
  "if v ~= '1' then return redis.error_reply('ERR unscatter record layout ' .. v .. ' is not 1') end\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first', 'cut', 'dlo', 'dhi')\n"
  "local since = tonumber(m[1]) or 0\n"
  "local first = tonumber(m[2])\n"
  "local bmin = tonumber(ARGV[2])\n"
  "if first and first < bmin and since < bmin * tonumber(ARGV[3]) then since = bmin * tonumber(ARGV[3]) end\n"
  "local n = 0\n"
  "for i = 2, #KEYS do n = n + redis.call('HLEN', KEYS[i]) end\n"
  "return {1, tostring(since), n, tostring(tonumber(m[3]) or 0), m[4] or '0', m[5] or '-1'}\n";

/* KEYS: meta, the live m buckets, the r key of the Date's day.
 * ARGV: id, value, recipient records, index of the target bucket in KEYS,
 * its EXPIREAT, its number, min (date, recorded), the first live bucket,
 * the bucket length, the Date's day. Returns 1 added, 0 present. */
static const char SCRIPT_ADD[] =
  "local id = ARGV[1]\n"
  "for i = 2, #KEYS - 1 do\n"
  "  if redis.call('HEXISTS', KEYS[i], id) == 1 then return 0 end\n"
  "end\n"
  "local exp = tonumber(ARGV[5])\n"
  "local function extend(k)\n"
  "  local t = redis.call('EXPIRETIME', k)\n"
  "  if t < exp then redis.call('EXPIREAT', k, exp) end\n"
  "end\n"
  "local t = KEYS[tonumber(ARGV[4])]\n"
  "redis.call('HSET', t, id, ARGV[2])\n"
  "extend(t)\n"
  "if #ARGV[3] > 0 then\n"
  "  local r = KEYS[#KEYS]\n"
  "  redis.call('APPEND', r, ARGV[3])\n"
  "  extend(r)\n"
  "end\n"
  "local m = redis.call('HMGET', KEYS[1], 'since', 'first')\n"
  "local since = tonumber(m[1])\n"
  "local first = tonumber(m[2])\n"
  "local bmin = tonumber(ARGV[8])\n"
  "if first and first < bmin then\n"
  "  local edge = bmin * tonumber(ARGV[9])\n"
  "  if since and since < edge then since = edge end\n"
  "  first = bmin\n"
  "end\n"
  "local s = tonumber(ARGV[7])\n"
  "if not since or s < since then since = s end\n"
  "local b = tonumber(ARGV[6])\n"
  "if not first or b < first then first = b end\n"
  "local d = redis.call('HMGET', KEYS[1], 'dlo', 'dhi')\n"
  "local day = tonumber(ARGV[10])\n"
  "local dlo, dhi = tonumber(d[1]), tonumber(d[2])\n"
  "if not dlo or day < dlo then dlo = day end\n"
  "if not dhi or day > dhi then dhi = day end\n"
  "redis.call('HSET', KEYS[1], 'v', '1', 'since', tostring(since), 'first', tostring(first),\n"
  "           'dlo', tostring(dlo), 'dhi', tostring(dhi))\n"
  "return 1\n";

/* KEYS: the live m buckets. ARGV: id, cutoff. */
static const char SCRIPT_HAS_ID[] =
  "for i = 1, #KEYS do\n"
  "  local v = redis.call('HGET', KEYS[i], ARGV[1])\n"
  "  if v then\n"
  "    local rec = tonumber(string.match(v, '^%S+ (%-?%d+)'))\n"
  "    if rec and rec >= tonumber(ARGV[2]) then return 1 end\n"
  "  end\n"
  "end\n"
  "return 0\n";

/* KEYS: the r keys of the days. ARGV: key, since, until, cutoff. */
static const char SCRIPT_HAS_RCPT[] =
  "local key, since, till, cut = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])\n"
  "for i = 1, #KEYS do\n"
  "  local s = redis.call('GET', KEYS[i])\n"
  "  if s then\n"
  "    local pos = 1\n"
  "    while true do\n"
  "      local p = string.find(s, key, pos, true)\n"
  "      if not p then break end\n"
  "      if (p - 1) % 20 == 0 then\n"
  "        local d = struct.unpack('>i8', s, p + 8)\n"
  "        local rec = struct.unpack('>I4', s, p + 16)\n"
  "        if d >= since and d <= till and rec >= cut then return 1 end\n"
  "        pos = p + 20\n"
  "      else\n"
  "        pos = p + 1\n"
  "      end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "return 0\n";

/* KEYS: meta, the m buckets up to the one holding @before. ARGV: before,
 * the first bucket's number, the bucket length. Returns how many removed. */
static const char SCRIPT_EXPIRE[] =
  "local before, b0, len = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
  "local n = 0\n"
  "for i = 2, #KEYS do\n"
  "  local b = b0 + i - 2\n"
  "  if (b + 1) * len <= before then\n"
  "    n = n + redis.call('HLEN', KEYS[i])\n"
  "    redis.call('DEL', KEYS[i])\n"
  "  else\n"
  "    local all = redis.call('HGETALL', KEYS[i])\n"
  "    for j = 1, #all, 2 do\n"
  "      local rec = tonumber(string.match(all[j + 1], '^%S+ (%-?%d+)'))\n"
  "      if rec and rec < before then\n"
  "        redis.call('HDEL', KEYS[i], all[j])\n"
  "        n = n + 1\n"
  "      end\n"
  "    end\n"
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

/* Run the open script: the meta values. */
static int
load_meta (RedisBe *s, gboolean create, GError **error)
{
  gint64 b0, b1;
  live_buckets (s, usc_now (), &b0, &b1);
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_OPEN);
  cmd_add_int (&c, 1 + (b1 - b0 + 1));
  cmd_add_key (&c, s, "meta", G_MININT64);
  for (gint64 b = b0; b <= b1; b++)
    cmd_add_key (&c, s, "m:", b);
  cmd_add (&c, create ? "1" : "0");
  cmd_add_int (&c, b0);
  cmd_add_int (&c, BUCKET_SECONDS);
  UscRedisReply *rep = cmd_run (s, &c, "open", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  gint64 v[6];
  gboolean ok = usc_redis_reply_n_elements (rep) == 6;
  for (int i = 0; ok && i < 6; i++)
    ok = usc_redis_reply_integer (usc_redis_reply_element (rep, i), &v[i]);
  usc_redis_reply_free (&rep);
  if (!ok) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: open: an unexpected reply", usc_redis_name (s->r));
    return -1;
  }
  s->exists = v[0] == 1;
  s->since = v[1];
  s->count = v[2];
  s->cut = v[3];
  s->dlo = v[4];
  s->dhi = v[5];
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

/* The command that adds an entry into @c (initialised here); FALSE (and
 * nothing to send) when the entry is already past its expiry. */
static gboolean
build_add (RedisBe *s, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
           Cmd *c)
{
  gint64 now = usc_now ();
  if (recorded < cutoff (s, now))
    return FALSE;  /* already past its expiry: it would not be found */
  gint64 b0, b1;
  live_buckets (s, now, &b0, &b1);
  gint64 b = MIN (floordiv (recorded, BUCKET_SECONDS), b1);
  gint64 day = floordiv (date, 86400);

  /* The value: "<date> <recorded> " and the distinct recipient keys; the
   * recipient records for the Date's day. */
  GString *value = g_string_new (NULL);
  g_string_append_printf (value, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " ", date, recorded);
  GByteArray *recs = g_byte_array_new ();
  guint32 rec32 = (guint32) CLAMP (recorded, 0, (gint64) G_MAXUINT32);
  for (guint i = 0; i < n_rcpts; i++) {
    gboolean dup = FALSE;
    for (guint j = 0; j < i && !dup; j++)
      dup = rcpts[j] == rcpts[i];
    if (dup)
      continue;
    guint8 k[20];
    put_be64 (k, (guint64) rcpts[i]);
    g_string_append_len (value, (const char *) k, 8);
    put_be64 (k + 8, (guint64) date);
    k[16] = rec32 >> 24;
    k[17] = rec32 >> 16;
    k[18] = rec32 >> 8;
    k[19] = rec32;
    g_byte_array_append (recs, k, 20);
  }
  guint8 idb[8];
  put_be64 (idb, (guint64) id);

  cmd_init (c);
  cmd_eval (c, SCRIPT_ADD);
  cmd_add_int (c, 1 + (b1 - b0 + 1) + 1);
  cmd_add_key (c, s, "meta", G_MININT64);
  for (gint64 i = b0; i <= b1; i++)
    cmd_add_key (c, s, "m:", i);
  cmd_add_key (c, s, "r:", day);
  cmd_add_len (c, idb, 8);
  cmd_add_len (c, value->str, value->len);
  cmd_add_len (c, recs->data, recs->len);
  cmd_add_int (c, 2 + (b - b0));
  cmd_add_int (c, (b + 1) * BUCKET_SECONDS + s->expire);
  cmd_add_int (c, b);
  cmd_add_int (c, MIN (date, recorded));
  cmd_add_int (c, b0);
  cmd_add_int (c, BUCKET_SECONDS);
  cmd_add_int (c, day);
  g_string_free (value, TRUE);
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

static int
redis_add (gpointer be, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
           GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  Cmd c;
  if (!build_add (s, id, date, recorded, rcpts, n_rcpts, &c))
    return 0;
  UscRedisReply *rep = cmd_run (s, &c, "add", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  gint64 v = int_reply (s, rep, "add", error);
  if (v == 1)
    added (s, date, recorded);
  return v < 0 ? -1 : (int) v;
}

/* An import's entries, pipelined: SCRIPT LOAD, then one EVALSHA each. */
static int
redis_add_many (gpointer be, const UscRecordEntry *e, guint n, int *results_r, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  Cmd *cmds = g_new0 (Cmd, n + 1);
  int *argcs = g_new (int, n + 1);
  const char *const **argvs = g_new (const char *const *, n + 1);
  const gsize **lens = g_new (const gsize *, n + 1);
  guint *which = g_new (guint, n + 1);
  UscRedisReply **replies = g_new0 (UscRedisReply *, n + 1);
  guint m = 0;
  cmd_init (&cmds[m]);
  cmd_add (&cmds[m], "SCRIPT");
  cmd_add (&cmds[m], "LOAD");
  cmd_add (&cmds[m], SCRIPT_ADD);
  m++;
  for (guint i = 0; i < n; i++) {
    results_r[i] = 0;
    if (build_add (s, e[i].id, e[i].date, e[i].recorded, e[i].rcpts, e[i].n_rcpts, &cmds[m]))
      which[m++] = i;
  }
  for (guint j = 0; j < m; j++) {
    argcs[j] = (int) cmds[j].argv->len;
    argvs[j] = (const char *const *) cmds[j].argv->pdata;
    lens[j] = (const gsize *) cmds[j].lens->data;
  }
  GError *local = NULL;
  int rc = usc_redis_pipeline (s->r, m, argcs, argvs, lens, replies, &local);
  for (guint j = 1; rc == 0 && j < m; j++) {
    gint64 v;
    if (!usc_redis_reply_integer (replies[j], &v)) {
      g_set_error (&local, USC_ERROR, USC_ERROR_IO, "Redis %s: an unexpected reply", usc_redis_name (s->r));
      rc = -1;
    } else {
      results_r[which[j]] = (int) v;
      if (v == 1)
        added (s, e[which[j]].date, e[which[j]].recorded);
    }
  }
  if (local) {
    g_prefix_error (&local, "import: ");
    g_propagate_error (error, local);
  }
  for (guint j = 0; j < m; j++) {
    usc_redis_reply_free (&replies[j]);
    cmd_clear (&cmds[j]);
  }
  g_free (cmds);
  g_free (argcs);
  g_free (argvs);
  g_free (lens);
  g_free (which);
  g_free (replies);
  return rc;
}

static int
redis_has_id (gpointer be, gint64 id, GError **error)
{
  RedisBe *s = be;
  if (ensure_loaded (s, error) < 0)
    return -1;
  gint64 now = usc_now (), b0, b1;
  live_buckets (s, now, &b0, &b1);
  guint8 idb[8];
  put_be64 (idb, (guint64) id);
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_HAS_ID);
  cmd_add_int (&c, b1 - b0 + 1);
  for (gint64 b = b0; b <= b1; b++)
    cmd_add_key (&c, s, "m:", b);
  cmd_add_len (&c, idb, 8);
  cmd_add_int (&c, cutoff (s, now));
  UscRedisReply *rep = cmd_run (s, &c, "look up Message-ID", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  gint64 v = int_reply (s, rep, "look up Message-ID", error);
  return v < 0 ? -1 : v == 1;
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
  guint8 kb[8];
  put_be64 (kb, (guint64) rcpt);
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_HAS_RCPT);
  cmd_add_int (&c, d1 - d0 + 1);
  for (gint64 d = d0; d <= d1; d++)
    cmd_add_key (&c, s, "r:", d);
  cmd_add_len (&c, kb, 8);
  cmd_add_int (&c, since);
  cmd_add_int (&c, until);
  cmd_add_int (&c, CLAMP (cutoff (s, usc_now ()), 0, (gint64) G_MAXUINT32));
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
  gint64 b0, b1;
  live_buckets (s, usc_now (), &b0, &b1);
  gint64 last = MIN (floordiv (before, BUCKET_SECONDS), b1);
  if (last < b0)
    return dlog_expire (s, before, error) < 0 ? -1 : 0;
  Cmd c;
  cmd_init (&c);
  cmd_eval (&c, SCRIPT_EXPIRE);
  cmd_add_int (&c, 1 + (last - b0 + 1));
  cmd_add_key (&c, s, "meta", G_MININT64);
  for (gint64 b = b0; b <= last; b++)
    cmd_add_key (&c, s, "m:", b);
  cmd_add_int (&c, before);
  cmd_add_int (&c, b0);
  cmd_add_int (&c, BUCKET_SECONDS);
  UscRedisReply *rep = cmd_run (s, &c, "expire", error);
  cmd_clear (&c);
  if (rep == NULL)
    return -1;
  s->loaded = FALSE;
  gint64 n = int_reply (s, rep, "expire", error);
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

/* Parse a bucket's value: FALSE when it is not ours. */
static gboolean
parse_value (const char *v, gsize len, gint64 *date_r, gint64 *recorded_r, const guint8 **keys_r,
             guint *n_r)
{
  const char *sp1 = memchr (v, ' ', len);
  const char *sp2 = sp1 ? memchr (sp1 + 1, ' ', len - (sp1 + 1 - v)) : NULL;
  if (sp2 == NULL || sp1 - v > 22 || sp2 - sp1 > 22)
    return FALSE;
  char a[24], b[24], *e1 = NULL, *e2 = NULL;
  memcpy (a, v, sp1 - v);
  a[sp1 - v] = '\0';
  memcpy (b, sp1 + 1, sp2 - sp1 - 1);
  b[sp2 - sp1 - 1] = '\0';
  *date_r = g_ascii_strtoll (a, &e1, 10);
  *recorded_r = g_ascii_strtoll (b, &e2, 10);
  gsize rest = len - (sp2 + 1 - v);
  if (*e1 || *e2 || !a[0] || !b[0] || rest % 8)
    return FALSE;
  *keys_r = (const guint8 *) sp2 + 1;
  *n_r = rest / 8;
  return TRUE;
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
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  int ret = 0;
  gboolean go = TRUE;
  for (gint64 b = b0; go && ret == 0 && b <= b1; b++) {
    char *cursor = g_strdup ("0");
    do {
      Cmd c;
      cmd_init (&c);
      cmd_add (&c, "HSCAN");
      cmd_add_key (&c, s, "m:", b);
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
      for (gsize i = 0; go && i + 1 < n; i += 2) {
        gsize flen = 0, vlen = 0;
        const char *f = usc_redis_reply_string (usc_redis_reply_element (items, i), &flen);
        const char *v = usc_redis_reply_string (usc_redis_reply_element (items, i + 1), &vlen);
        gint64 date, recorded;
        const guint8 *kb;
        guint nk;
        if (f == NULL || v == NULL || flen != 8 || !parse_value (v, vlen, &date, &recorded, &kb, &nk)
            || recorded < cut)
          continue;
        g_array_set_size (keys, 0);
        for (guint k = 0; k < nk; k++) {
          gint64 key = (gint64) get_be64 (kb + 8 * k);
          g_array_append_val (keys, key);
        }
        go = fn ((gint64) get_be64 ((const guint8 *) f), date, recorded, (const gint64 *) keys->data,
                 keys->len, user_data);
      }
      usc_redis_reply_free (&rep);
    } while (go && strcmp (cursor, "0") != 0);
    g_free (cursor);
  }
  g_array_free (keys, TRUE);
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
