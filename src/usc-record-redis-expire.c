/* usc-record-redis-expire.c — `unscatter expire` on the Redis record: the
 * entries recorded before a time (whole buckets deleted, the others'
 * old fields; one script), then the decision log's old rows.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

gint64
usc_rr_expire (gpointer be, gint64 before, GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  int tries = 0;
  gint64 n;
  for (;;) {
    gint64 b0, b1;
    live_buckets (s, usc_now (), &b0, &b1);
    gint64 last = MIN (floordiv (before, BUCKET_SECONDS), b1);
    if (last < b0)
      return usc_rr_dlog_expire (s, before, error) < 0 ? -1 : 0;
    gint64 nkeys = 1;
    for (gint64 b = b0; b <= last; b++)
      nkeys += shards_of (s, b);
    Cmd c;
    usc_rr_cmd_init (&c);
    usc_rr_cmd_eval (&c, usc_rr_script_expire);
    usc_rr_cmd_add_int (&c, nkeys);
    usc_rr_cmd_add_key (&c, s, "meta", G_MININT64);
    for (gint64 b = b0; b <= last; b++)
      for (guint j = 0; j < shards_of (s, b); j++)
        usc_rr_cmd_add_shard (&c, s, b, j);
    usc_rr_cmd_add_int (&c, before);
    usc_rr_cmd_add_int (&c, b0);
    usc_rr_cmd_add_int (&c, BUCKET_SECONDS);
    for (gint64 b = b0; b <= last; b++)
      usc_rr_cmd_add_int (&c, shards_of (s, b));
    UscRedisReply *rep = usc_rr_cmd_run (s, &c, "expire", error);
    usc_rr_cmd_clear (&c);
    if (rep == NULL)
      return -1;
    n = usc_rr_int_reply (s, rep, "expire", error);
    if (n == -2) {
      if (usc_rr_stale (s, &tries, "expire", error) < 0)
        return -1;
      continue;
    }
    break;
  }
  s->loaded = FALSE;
  if (n >= 0 && usc_rr_dlog_expire (s, before, error) < 0)
    return -1;
  return n;
}
