/* usc-record-redis-meta.c — the Redis record's meta values as the client
 * keeps them: read by the open script (since, count, cut, the Date's days,
 * each live bucket's shard count and fill), read again when a script says
 * another host split a bucket meanwhile, and a bucket's split.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

/* Run the open script: the meta values. */
int
usc_rr_load_meta (RedisBe *s, gboolean create, GError **error)
{
  gint64 b0, b1;
  live_buckets (s, usc_now (), &b0, &b1);
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_eval (&c, usc_rr_script_open);
  usc_rr_cmd_add (&c, "1");
  usc_rr_cmd_add_key (&c, s, "meta", G_MININT64);
  usc_rr_cmd_add (&c, create ? "1" : "0");
  usc_rr_cmd_add_int (&c, b0);
  usc_rr_cmd_add_int (&c, b1);
  usc_rr_cmd_add_int (&c, BUCKET_SECONDS);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "open", error);
  usc_rr_cmd_clear (&c);
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

int
usc_rr_ensure_loaded (RedisBe *s, GError **error)
{
  return s->loaded ? 0 : usc_rr_load_meta (s, FALSE, error);
}


/* Another host split a bucket meanwhile: read meta again (the caller
 * retries); an error after MAX_STALE tries. */
int
usc_rr_stale (RedisBe *s, int *tries, const char *what, GError **error)
{
  if (++*tries > MAX_STALE) {
    g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL,
                 "Redis %s: %s: the record's buckets kept changing (split by other hosts); try again later",
                 usc_redis_name (s->r), what);
    return -1;
  }
  return usc_rr_load_meta (s, FALSE, error);
}

/* The command giving bucket @b (of @n shards) one shard more, into @c
 * (initialised here); FALSE when it has the most already. */
gboolean
usc_rr_build_split (RedisBe *s, gint64 b, guint n, Cmd *c)
{
  if (n >= MAX_SHARDS)
    return FALSE;
  usc_rr_cmd_init (c);
  usc_rr_cmd_eval (c, usc_rr_script_split);
  usc_rr_cmd_add (c, "3");
  usc_rr_cmd_add_key (c, s, "meta", G_MININT64);
  usc_rr_cmd_add_shard (c, s, b, n - low_pow2 (n));
  usc_rr_cmd_add_shard (c, s, b, n);
  usc_rr_cmd_add_int (c, b);
  usc_rr_cmd_add_int (c, n);
  return TRUE;
}

/* One shard more for bucket @b (of @n shards, as last read); another host
 * doing it first is fine. */
int
usc_rr_split_bucket (RedisBe *s, gint64 b, guint n, GError **error)
{
  Cmd c;
  if (!usc_rr_build_split (s, b, n, &c))
    return 0;
  if (usc_rr_cmd_int (s, &c, "split a bucket", error) < 0)
    return -1;
  return usc_rr_load_meta (s, FALSE, error);
}
