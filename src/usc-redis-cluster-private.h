/* usc-redis-cluster-private.h — what the files of the record's Redis client
 * share (not API; the API is usc-redis.h, the protocol it follows in the
 * head of usc-redis-cluster.c):
 *
 *   usc-redis-cluster.c           a command, through the cluster's redirections
 *   usc-redis-cluster-handle.c    the handle: made, named, freed; its nodes
 *   usc-redis-cluster-conn.c      a connection, its handshake, its errors
 *   usc-redis-cluster-slots.c     the slot map (our slot's master)
 *   usc-redis-cluster-pipeline.c  a batch of commands
 *   usc-redis-cluster-reply.c     the replies
 *
 * Names shared between them start with usc_rc_.
 */
#ifndef USC_REDIS_CLUSTER_PRIVATE_H
#define USC_REDIS_CLUSTER_PRIVATE_H

#include "usc-redis.h"

#include <sys/time.h>
#include <hiredis/hiredis.h>

G_BEGIN_DECLS

#define MAX_REDIRECTS 5
#define TRYAGAIN_SLEEP_MS 20
#define PIPELINE_TIMEOUT_MS 5000

struct _UscRedis {
  UscRedisKind  kind;
  char         *path;        /* unix socket */
  GPtrArray    *hosts;       /* known nodes "host:port" (seeds first), owned */
  int           db;
  char         *user, *password;
  guint         timeout_ms;
  guint         slot;
  char         *name;
  /* The connection to the node serving the slot. */
  redisContext *c;
  char         *c_node;      /* "host:port" of c (cluster and TCP) */
  gboolean      c_ready;     /* authenticated */
  char         *slot_node;   /* cluster: the master of our slot, NULL unknown */
};

static inline struct timeval
timeout_tv (const UscRedis *r)
{
  struct timeval tv = { r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000 };
  return tv;
}

/* usc-redis-cluster-handle.c */
/* "host:port" (or "[v6]:port") into a new *@host_r and *@port_r (6379 when
 * none). */
void usc_rc_split_node (const char *node, char **host_r, int *port_r);
/* "host:port", "[v6]:port": newly allocated. */
char *usc_rc_join_node (const char *host, int port);
/* Remember @node (a copy; at most 64). */
void usc_rc_add_host (UscRedis *r, const char *node);
/* Close the connection to the slot's node, if any. */
void usc_rc_disconnect (UscRedis *r);

/* usc-redis-cluster-conn.c */
/* Set @error for the error reply @msg of @node (NULL: the handle's name). */
void usc_rc_set_reply_error (UscRedis *r, const char *node, const char *msg, GError **error);
/* Set @error for @c's I/O or protocol error (a time-out named so). */
void usc_rc_set_io_error (UscRedis *r, redisContext *c, const char *node, GError **error);
/* A connected context to @node ("host:port"; NULL: the unix socket; the
 * caller's, redisFree()), or NULL with @error. */
redisContext *usc_rc_connect_node (UscRedis *r, const char *node, GError **error);
/* Read one reply (the caller's, freeReplyObject()) with SIGPIPE blocked;
 * REDIS_OK or REDIS_ERR. */
int usc_rc_get_reply (redisContext *c, redisReply **reply_r);
/* Append the handshake (AUTH, SELECT) to a new connection; the number of
 * replies it will produce. */
int usc_rc_append_setup (UscRedis *r, redisContext *c);
/* Send @argv on @c (after the handshake when *@ready is FALSE, after ASKING
 * when @asking): its reply (the caller's; it may be an error reply), or
 * NULL with @error on an I/O error or a failed handshake. */
redisReply *usc_rc_roundtrip (UscRedis *r, redisContext *c, gboolean *ready, const char *node,
                              gboolean asking, int argc, const char *const *argv, const gsize *lens,
                              GError **error);

/* usc-redis-cluster-slots.c */
/* Read the map again (r->slot_node) from the first node that answers. */
gboolean usc_rc_refresh_map (UscRedis *r, GError **error);
/* The node of "MOVED 3999 127.0.0.1:6381" / "ASK ..." (newly allocated),
 * or NULL. */
char *usc_rc_redirect_target (const char *msg);

/* usc-redis-cluster.c */
/* Connect to the node serving the slot unless connected. */
gboolean usc_rc_ensure_connected (UscRedis *r, GError **error);

G_END_DECLS
#endif
