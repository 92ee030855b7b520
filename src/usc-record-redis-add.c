/* usc-record-redis-add.c — recording in the Redis record: one entry (one
 * script: its bucket shard's field, its recipient records, meta), and an
 * import's batch pipelined (the splits that make room first).
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

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

  usc_rr_cmd_init (c);
  usc_rr_cmd_eval (c, usc_rr_script_add);
  usc_rr_cmd_add_int (c, 1 + (b1 - b0 + 1) + 1 + recs->len / RREC);
  usc_rr_cmd_add_key (c, s, "meta", G_MININT64);
  for (gint64 i = b0; i <= b1; i++)
    usc_rr_cmd_add_shard (c, s, i, shard_index (id, shards_of (s, i)));
  usc_rr_cmd_add_key (c, s, "r:", rk);
  for (guint i = 0; i < recs->len; i += RREC)
    usc_rr_cmd_add_rsub (c, s, rk, get_be64 (recs->data + i));
  usc_rr_cmd_add_len (c, idb, 8);
  usc_rr_cmd_add_len (c, value->data, value->len);
  usc_rr_cmd_add_len (c, recs->data, recs->len);
  usc_rr_cmd_add_int (c, 1 + (b - b0));
  usc_rr_cmd_add_int (c, (b + 1) * BUCKET_SECONDS + s->expire);
  usc_rr_cmd_add_int (c, b);
  usc_rr_cmd_add_int (c, MIN (date, recorded));
  usc_rr_cmd_add_int (c, b0);
  usc_rr_cmd_add_int (c, BUCKET_SECONDS);
  usc_rr_cmd_add_int (c, day);
  for (gint64 i = b0; i <= b1; i++)
    usc_rr_cmd_add_int (c, shards_of (s, i));
  for (guint i = 0; i < conts->len; i++) {
    GByteArray *a = conts->pdata[i];
    idb[8] = (guint8) (i + 1);
    usc_rr_cmd_add_len (c, idb, 9);
    usc_rr_cmd_add_len (c, a->data, a->len);
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
    gint64 v = usc_rr_cmd_int (s, &c, "add", error);
    if (v < -2 || v == -1 || v > 2) {
      if (v != -1)
        g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: add: an unexpected reply", usc_redis_name (s->r));
      return -1;
    }
    if (v == -2) {
      if (usc_rr_stale (s, &tries, "add", error) < 0)
        return -1;
      continue;
    }
    if (v >= 1)
      added (s, e->date, e->recorded);
    if (v == 2 && usc_rr_split_bucket (s, b, shards_of (s, b), error) < 0)
      return -1;
    return v == 0 ? 0 : 1;
  }
}

int
usc_rr_add (gpointer be, gint64 id, gint64 date, gint64 recorded, const gint64 *rcpts, guint n_rcpts,
            GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
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

int
usc_rr_add_many (gpointer be, const UscRecordEntry *e, guint n, int *results_r, GError **error)
{
  RedisBe *s = be;
  /* A batch may keep the server busy for longer than one reply should
   * take: its commands (the pipeline, meta read again, the retries) wait
   * up to IMPORT_TIMEOUT_MS each (or timeout_ms when longer). */
  guint saved_ms = usc_redis_set_timeout (s->r, 0);
  usc_redis_set_timeout (s->r, MAX (saved_ms, IMPORT_TIMEOUT_MS));
  int rc = add_many (s, e, n, results_r, error);
  usc_redis_set_timeout (s->r, saved_ms);
  return rc;
}

static int
add_many (RedisBe *s, const UscRecordEntry *e, guint n, int *results_r, GError **error)
{
  if (usc_rr_ensure_loaded (s, error) < 0)
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
  usc_rr_cmd_init (&cmds[m]);
  usc_rr_cmd_add (&cmds[m], "SCRIPT");
  usc_rr_cmd_add (&cmds[m], "LOAD");
  usc_rr_cmd_add (&cmds[m], usc_rr_script_add);
  which[m++] = G_MAXUINT;
  usc_rr_cmd_init (&cmds[m]);
  usc_rr_cmd_add (&cmds[m], "SCRIPT");
  usc_rr_cmd_add (&cmds[m], "LOAD");
  usc_rr_cmd_add (&cmds[m], usc_rr_script_split);
  which[m++] = G_MAXUINT;
  for (guint k = 0; k < nb; k++) {
    guint32 *have = &g_array_index (s->shards, guint32, k);
    while (*have < want[k] && usc_rr_build_split (s, s->sb0 + k, *have, &cmds[m])) {
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
    usc_rr_cmd_clear (&cmds[j]);
  }
  /* The next batch's splits come from the counts read now. */
  if (rc == 0 && usc_rr_load_meta (s, FALSE, &local) < 0)
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
