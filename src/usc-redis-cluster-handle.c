/* usc-redis-cluster-handle.c — the Redis client's handle (UscRedis): made
 * from a parsed URL and options, its known nodes ("host:port"), its name in
 * messages, its time-out, freed (the password wiped).
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

#include <stdlib.h>
#include <string.h>

void
usc_rc_split_node (const char *node, char **host_r, int *port_r)
{
  const char *colon = strrchr (node, ':');
  *host_r = g_strndup (node, colon ? (gsize) (colon - node) : strlen (node));
  *port_r = colon ? atoi (colon + 1) : 6379;
}

char *
usc_rc_join_node (const char *host, int port)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]:%d", host, port)
                            : g_strdup_printf ("%s:%d", host, port);
}

void
usc_rc_add_host (UscRedis *r, const char *node)
{
  for (guint i = 0; i < r->hosts->len; i++)
    if (strcmp (r->hosts->pdata[i], node) == 0)
      return;
  if (r->hosts->len < 64)
    g_ptr_array_add (r->hosts, g_strdup (node));
}

UscRedis *
usc_redis_new (const UscRedisUrl *url, const UscRedisOptions *options, const char *slot_key)
{
  UscRedis *r = g_new0 (UscRedis, 1);
  r->kind = url->kind;
  r->path = g_strdup (url->path);
  r->db = url->db;
  r->hosts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < url->n_nodes; i++) {
    char *n = g_strdup_printf ("%s:%d", url->nodes[i].host, url->nodes[i].port);
    usc_rc_add_host (r, n);
    g_free (n);
  }
  r->user = g_strdup (options ? options->user : NULL);
  r->password = g_strdup (options ? options->password : NULL);
  r->timeout_ms = options && options->timeout_ms ? options->timeout_ms : 200;
  r->slot = usc_redis_key_slot (slot_key, strlen (slot_key));
  if (r->kind == USC_REDIS_UNIX) {
    r->name = g_strconcat ("unix:", r->path, NULL);
  } else if (r->kind == USC_REDIS_TCP) {
    r->name = g_strdup_printf ("redis://%s/%d", (char *) r->hosts->pdata[0], r->db);
  } else {
    GString *s = g_string_new ("redis-cluster://");
    for (guint i = 0; i < r->hosts->len; i++)
      g_string_append_printf (s, "%s%s", i ? "," : "", (char *) r->hosts->pdata[i]);
    r->name = g_string_free (s, FALSE);
  }
  return r;
}

void
usc_rc_disconnect (UscRedis *r)
{
  if (r->c)
    redisFree (r->c);
  r->c = NULL;
  r->c_ready = FALSE;
  g_clear_pointer (&r->c_node, g_free);
}

void
usc_redis_free (UscRedis **r)
{
  if (r == NULL || *r == NULL)
    return;
  usc_rc_disconnect (*r);
  g_ptr_array_free ((*r)->hosts, TRUE);
  g_free ((*r)->path);
  g_free ((*r)->user);
  if ((*r)->password) {
    memset ((*r)->password, 0, strlen ((*r)->password));
    g_free ((*r)->password);
  }
  g_free ((*r)->name);
  g_free ((*r)->slot_node);
  g_free (*r);
  *r = NULL;
}

guint
usc_redis_set_timeout (UscRedis *r, guint timeout_ms)
{
  guint old = r->timeout_ms;
  if (timeout_ms > 0 && timeout_ms != old) {
    r->timeout_ms = timeout_ms;
    if (r->c) {
      struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
      redisSetTimeout (r->c, tv);
    }
  }
  return old;
}

const char *
usc_redis_name (const UscRedis *r)
{
  return r->name;
}
