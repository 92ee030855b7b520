/* usc-record-redis-lookup.c — the Redis record's lookups: a Message-ID (in
 * every live bucket, one script), a recipient within a window of Date
 * (the r:<K> keys of the days a Date fell on, one script), and the counts
 * kept from meta.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

int
usc_rr_has_id (gpointer be, gint64 id, GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  int tries = 0;
  for (;;) {
    gint64 now = usc_now (), b0, b1;
    live_buckets (s, now, &b0, &b1);
    Cmd c;
    usc_rr_cmd_init (&c);
    usc_rr_cmd_eval (&c, usc_rr_script_has_id);
    usc_rr_cmd_add_int (&c, 1 + (b1 - b0 + 1));
    usc_rr_cmd_add_key (&c, s, "meta", G_MININT64);
    for (gint64 b = b0; b <= b1; b++)
      usc_rr_cmd_add_shard (&c, s, b, shard_index (id, shards_of (s, b)));
    usc_rr_cmd_add_be64 (&c, id);
    usc_rr_cmd_add_int (&c, cutoff (s, now));
    usc_rr_cmd_add_int (&c, b0);
    for (gint64 b = b0; b <= b1; b++)
      usc_rr_cmd_add_int (&c, shards_of (s, b));
    gint64 v = usc_rr_cmd_int (s, &c, "look up Message-ID", error);
    if (v == -2) {
      if (usc_rr_stale (s, &tries, "look up Message-ID", error) < 0)
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

int
usc_rr_has_rcpt (gpointer be, gint64 rcpt, gint64 since, gint64 until, GError **error)
{
  RedisBe *s = be;
  if (until < since)
    return 0;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  /* Only days a Date ever fell on (the day keys of a window reaching far
   * beyond are not asked for), at most MAX_RCPT_DAYS of them. */
  gint64 d0 = MAX (floordiv (since, 86400), s->dlo), d1 = MIN (floordiv (until, 86400), s->dhi);
  if (d1 < d0)
    return 0;
  if (d1 - d0 >= MAX_RCPT_DAYS)
    d0 = d1 - MAX_RCPT_DAYS + 1;
  gint64 k0 = floordiv (d0, RDAYS), k1 = floordiv (d1, RDAYS);
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_eval (&c, usc_rr_script_has_rcpt);
  usc_rr_cmd_add_int (&c, 2 * (k1 - k0 + 1));
  for (gint64 k = k0; k <= k1; k++) {
    usc_rr_cmd_add_key (&c, s, "r:", k);
    usc_rr_cmd_add_rsub (&c, s, k, (guint64) rcpt);
  }
  usc_rr_cmd_add_be64 (&c, rcpt);
  usc_rr_cmd_add_int (&c, since);
  usc_rr_cmd_add_int (&c, until);
  usc_rr_cmd_add_int (&c, CLAMP (cutoff (s, usc_now ()), 0, (gint64) G_MAXUINT32));
  usc_rr_cmd_add_int (&c, k0);
  gint64 v = usc_rr_cmd_int (s, &c, "look up recipient", error);
  return v < 0 ? -1 : v == 1;
}

gint64
usc_rr_count (gpointer be, GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  return s->count;
}

gint64
usc_rr_since (gpointer be, GError **error)
{
  RedisBe *s = be;
  if (usc_rr_ensure_loaded (s, error) < 0)
    return -1;
  return s->since;
}
