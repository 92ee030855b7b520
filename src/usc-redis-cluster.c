/* usc-redis-cluster.c — the record's Redis client on top of hiredis (0.14,
 * blocking API): one server (TCP or unix socket) or a Redis Cluster, kept
 * small and to the cluster specification
 * (https://redis.io/docs/reference/cluster-spec/):
 *
 *   - every command of one UscRedis concerns keys of one slot (the record's
 *     keys share the user's hash tag), so the client needs one entry of the
 *     slot map: the master serving that slot, found from CLUSTER SLOTS on
 *     any reachable node (the seeds of the URL, then the nodes met since);
 *   - -MOVED <slot> <host>:<port>: the slot has a new owner: remember it and
 *     send the command there (at most MAX_REDIRECTS times per command);
 *   - -ASK <slot> <host>:<port>: the slot is being migrated and this key is
 *     already on the target: send ASKING then the command there, once,
 *     without changing the map;
 *   - -TRYAGAIN (a multi-key command during a migration): wait a little and
 *     retry while the command's time allows; -CLUSTERDOWN, a refused or lost
 *     connection and a time-out are temporary failures (after the map was
 *     read again once, which finds a replica promoted by a failover).
 *
 * Connecting and authenticating (AUTH [user] password, SELECT db) are
 * pipelined with the first command, so that they cost no round trip of their
 * own. Each connect and each reply waits at most timeout_ms. SIGPIPE is
 * blocked while writing, so that a server gone away is an error, not the
 * death of the process.
 *
 * This file sends one command through the redirections; the handle, the
 * connections, the slot map, batches and replies are in
 * usc-redis-cluster-*.c (the list in usc-redis-cluster-private.h).
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

#include <string.h>

gboolean
usc_rc_ensure_connected (UscRedis *r, GError **error)
{
  if (r->c)
    return TRUE;
  if (r->kind == USC_REDIS_UNIX) {
    r->c = usc_rc_connect_node (r, NULL, error);
    return r->c != NULL;
  }
  if (r->kind == USC_REDIS_TCP) {
    r->c = usc_rc_connect_node (r, r->hosts->pdata[0], error);
    if (r->c)
      r->c_node = g_strdup (r->hosts->pdata[0]);
    return r->c != NULL;
  }
  if (r->slot_node == NULL && !usc_rc_refresh_map (r, error))
    return FALSE;
  r->c = usc_rc_connect_node (r, r->slot_node, error);
  if (r->c)
    r->c_node = g_strdup (r->slot_node);
  return r->c != NULL;
}

UscRedisReply *
usc_redis_command (UscRedis *r, int argc, const char *const *argv, const gsize *lens, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) r->timeout_ms * 1000 * 2;
  gboolean refreshed = FALSE;
  for (int attempt = 0; attempt <= MAX_REDIRECTS; attempt++) {
    GError *local = NULL;
    if (!usc_rc_ensure_connected (r, &local)) {
      /* A cluster's master may be gone: read the map again, once. */
      if (r->kind == USC_REDIS_CLUSTER && !refreshed && local->code == USC_ERROR_TEMPFAIL) {
        refreshed = TRUE;
        g_clear_error (&local);
        if (!usc_rc_refresh_map (r, &local)) {
          g_propagate_error (error, local);
          return NULL;
        }
        continue;
      }
      g_propagate_error (error, local);
      return NULL;
    }
    redisReply *rep = usc_rc_roundtrip (r, r->c, &r->c_ready, r->c_node, FALSE, argc, argv, lens, &local);
    if (rep == NULL) {
      gboolean lost = r->c->err != 0 && !(local->code == USC_ERROR_TEMPFAIL
                                          && strstr (local->message, "no answer within"));
      usc_rc_disconnect (r);
      if (r->kind == USC_REDIS_CLUSTER && lost && !refreshed) {
        /* A lost connection (not a time-out): the master may have failed
         * over; our commands are idempotent, so try the map's new owner. */
        refreshed = TRUE;
        GError *again = NULL;
        if (usc_rc_refresh_map (r, &again)) {
          g_clear_error (&local);
          continue;
        }
        g_clear_error (&again);
      }
      g_propagate_error (error, local);
      return NULL;
    }
    if (rep->type != REDIS_REPLY_ERROR)
      return (UscRedisReply *) rep;

    const char *msg = rep->str;
    if (r->kind == USC_REDIS_CLUSTER && g_str_has_prefix (msg, "MOVED ")) {
      char *to = usc_rc_redirect_target (msg);
      freeReplyObject (rep);
      if (to == NULL)
        break;
      usc_rc_add_host (r, to);
      g_free (r->slot_node);
      r->slot_node = to;
      usc_rc_disconnect (r);
      continue;
    }
    if (r->kind == USC_REDIS_CLUSTER && g_str_has_prefix (msg, "ASK ")) {
      char *to = usc_rc_redirect_target (msg);
      freeReplyObject (rep);
      if (to == NULL)
        break;
      redisContext *c = usc_rc_connect_node (r, to, error);
      if (c == NULL) {
        g_free (to);
        return NULL;
      }
      gboolean ready = FALSE;
      rep = usc_rc_roundtrip (r, c, &ready, to, TRUE, argc, argv, lens, error);
      redisFree (c);
      if (rep == NULL) {
        g_free (to);
        return NULL;
      }
      if (rep->type != REDIS_REPLY_ERROR) {
        g_free (to);
        return (UscRedisReply *) rep;
      }
      if (g_str_has_prefix (rep->str, "TRYAGAIN") && g_get_monotonic_time () < deadline) {
        freeReplyObject (rep);
        g_free (to);
        g_usleep (TRYAGAIN_SLEEP_MS * 1000);
        attempt--;
        continue;
      }
      usc_rc_set_reply_error (r, to, rep->str, error);
      freeReplyObject (rep);
      g_free (to);
      return NULL;
    }
    if (g_str_has_prefix (msg, "TRYAGAIN") && g_get_monotonic_time () < deadline) {
      freeReplyObject (rep);
      g_usleep (TRYAGAIN_SLEEP_MS * 1000);
      attempt--;
      continue;
    }
    if (r->kind != USC_REDIS_CLUSTER && (g_str_has_prefix (msg, "MOVED ") || g_str_has_prefix (msg, "ASK "))) {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG,
                   "Redis %s: the server is a cluster node (%s): use url = redis-cluster://", r->name, msg);
      freeReplyObject (rep);
      return NULL;
    }
    usc_rc_set_reply_error (r, r->c_node, msg, error);
    freeReplyObject (rep);
    return NULL;
  }
  g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL, "Redis %s: too many cluster redirects for slot %u",
               r->name, r->slot);
  return NULL;
}
