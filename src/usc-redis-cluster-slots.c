/* usc-redis-cluster-slots.c — the Redis Cluster's slot map, as much of it
 * as the client needs (the master serving its one slot): CLUSTER SLOTS
 * asked of the known nodes in turn, every node met remembered; the node a
 * -MOVED or -ASK redirection names.
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

#include <string.h>

/* Ask @node for CLUSTER SLOTS; the master of our slot in *@master_r (and
 * every node met is remembered). TRUE when found. */
static gboolean
slots_from (UscRedis *r, const char *node, char **master_r, GError **error)
{
  redisContext *c = usc_rc_connect_node (r, node, error);
  if (c == NULL)
    return FALSE;
  gboolean ready = FALSE;
  const char *argv[] = { "CLUSTER", "SLOTS" };
  redisReply *rep = usc_rc_roundtrip (r, c, &ready, node, FALSE, 2, argv, NULL, error);
  redisFree (c);
  if (rep == NULL)
    return FALSE;
  gboolean found = FALSE;
  if (rep->type == REDIS_REPLY_ERROR) {
    usc_rc_set_reply_error (r, node, rep->str, error);
  } else if (rep->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 0; i < rep->elements; i++) {
      redisReply *range = rep->element[i];
      if (range->type != REDIS_REPLY_ARRAY || range->elements < 3
          || range->element[0]->type != REDIS_REPLY_INTEGER
          || range->element[1]->type != REDIS_REPLY_INTEGER)
        continue;
      for (size_t j = 2; j < range->elements; j++) {
        redisReply *n = range->element[j];
        if (n->type != REDIS_REPLY_ARRAY || n->elements < 2 || n->element[0]->type != REDIS_REPLY_STRING
            || n->element[1]->type != REDIS_REPLY_INTEGER)
          continue;
        /* An empty host means "the node you asked". */
        char *h = n->element[0]->len ? usc_rc_join_node (n->element[0]->str, (int) n->element[1]->integer)
                                     : NULL;
        if (h == NULL) {
          char *host;
          int port;
          usc_rc_split_node (node, &host, &port);
          h = g_strdup_printf ("%s:%d", host, (int) n->element[1]->integer);
          g_free (host);
        }
        usc_rc_add_host (r, h);
        if (j == 2 && !found && (guint) range->element[0]->integer <= r->slot
            && r->slot <= (guint) range->element[1]->integer) {
          *master_r = g_strdup (h);
          found = TRUE;
        }
        g_free (h);
      }
    }
    if (!found)
      g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL,
                   "Redis %s: no node serves slot %u (CLUSTER SLOTS)", node, r->slot);
  } else {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: CLUSTER SLOTS: an unexpected reply", node);
  }
  freeReplyObject (rep);
  return found;
}

/* Read the map again from the first node that answers. */
gboolean
usc_rc_refresh_map (UscRedis *r, GError **error)
{
  GError *last = NULL;
  g_clear_pointer (&r->slot_node, g_free);
  for (guint i = 0; i < r->hosts->len; i++) {
    char *node = g_strdup (r->hosts->pdata[i]);
    g_clear_error (&last);
    gboolean ok = slots_from (r, node, &r->slot_node, &last);
    g_free (node);
    if (ok) {
      g_clear_error (&last);
      return TRUE;
    }
  }
  if (last)
    g_prefix_error (&last, "no cluster node knows slot %u: ", r->slot);
  else
    g_set_error (&last, USC_ERROR, USC_ERROR_CONFIG, "Redis %s: no cluster node", r->name);
  g_propagate_error (error, last);
  return FALSE;
}

/* Parse "-MOVED 3999 127.0.0.1:6381" / "-ASK ..." into the node. */
char *
usc_rc_redirect_target (const char *msg)
{
  const char *sp = strchr (msg, ' ');
  if (sp == NULL || (sp = strchr (sp + 1, ' ')) == NULL || sp[1] == '\0')
    return NULL;
  return g_strdup (sp + 1);
}
