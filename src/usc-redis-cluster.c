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
 */
#include "config.h"
#include "usc-redis.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <hiredis/hiredis.h>

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

/* ------------------------------------------------------------------------ */

static void
split_node (const char *node, char **host_r, int *port_r)
{
  const char *colon = strrchr (node, ':');
  *host_r = g_strndup (node, colon ? (gsize) (colon - node) : strlen (node));
  *port_r = colon ? atoi (colon + 1) : 6379;
}

static char *
join_node (const char *host, int port)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]:%d", host, port)
                            : g_strdup_printf ("%s:%d", host, port);
}

static void
add_host (UscRedis *r, const char *node)
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
    add_host (r, n);
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

static void
disconnect (UscRedis *r)
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
  disconnect (*r);
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

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */

/* The error code for an error reply: "not now" is temporary, a refused
 * password is a configuration error, anything else an I/O error. */
static int
reply_error_code (const char *msg)
{
  static const char *const temporary[] = {
    "LOADING", "READONLY", "OOM", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN",
    "NOREPLICAS", "MISCONF"
  };
  static const char *const auth[] = { "NOAUTH", "WRONGPASS", "NOPERM" };
  for (gsize i = 0; i < G_N_ELEMENTS (temporary); i++)
    if (g_str_has_prefix (msg, temporary[i]))
      return USC_ERROR_TEMPFAIL;
  for (gsize i = 0; i < G_N_ELEMENTS (auth); i++)
    if (g_str_has_prefix (msg, auth[i]))
      return USC_ERROR_CONFIG;
  /* Before ACLs (Redis 5) and when no password is set. */
  /* A large command before AUTH: "Protocol error: unauthenticated
   * multibulk length" (and the connection is closed). */
  if (strstr (msg, "invalid password") || strstr (msg, "no password is set") || strstr (msg, "unauthenticated")
      || strstr (msg, "invalid username-password"))
    return USC_ERROR_CONFIG;
  return USC_ERROR_IO;
}

static void
set_reply_error (UscRedis *r, const char *node, const char *msg, GError **error)
{
  int code = reply_error_code (msg);
  const char *hint = code == USC_ERROR_CONFIG ? " (check [record] user and password_file)"
                   : code == USC_ERROR_TEMPFAIL ? " (the server cannot serve now; try again later)"
                   : "";
  g_set_error (error, USC_ERROR, code, "Redis %s: %s%s", node ? node : r->name, msg, hint);
}

static void
set_io_error (UscRedis *r, redisContext *c, const char *node, GError **error)
{
  const char *what = c && c->errstr[0] ? c->errstr : "connection failed";
  /* hiredis keeps strerror (EAGAIN) of a read past SO_RCVTIMEO. */
  gboolean timeout = c && c->err == REDIS_ERR_IO
                     && (strstr (c->errstr, "temporarily unavailable") || strstr (c->errstr, "timed out"));
  int code = c && c->err == REDIS_ERR_PROTOCOL ? USC_ERROR_IO : USC_ERROR_TEMPFAIL;
  if (timeout)
    g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL, "Redis %s: no answer within %u ms (%s)",
                 node ? node : r->name, r->timeout_ms, what);
  else
    g_set_error (error, USC_ERROR, code, "Redis %s: %s", node ? node : r->name, what);
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

static struct timeval
timeout_tv (const UscRedis *r)
{
  struct timeval tv = { r->timeout_ms / 1000, (r->timeout_ms % 1000) * 1000 };
  return tv;
}

/* A connected context to @node ("host:port"; NULL: the unix socket), or NULL. */
static redisContext *
connect_node (UscRedis *r, const char *node, GError **error)
{
  struct timeval tv = timeout_tv (r);
  redisContext *c;
  if (node == NULL) {
    c = redisConnectUnixWithTimeout (r->path, tv);
  } else {
    char *host;
    int port;
    split_node (node, &host, &port);
    if (host[0] == '[') {
      char *h = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = h;
    }
    c = redisConnectWithTimeout (host, port, tv);
    g_free (host);
  }
  if (c == NULL || c->err) {
    int e = errno;
    const char *what = c && c->errstr[0] ? c->errstr : g_strerror (e);
    g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL, "Redis %s: cannot connect: %s",
                 node ? node : r->name, what);
    if (c)
      redisFree (c);
    return NULL;
  }
  if (redisSetTimeout (c, tv) != REDIS_OK) {
    set_io_error (r, c, node, error);
    redisFree (c);
    return NULL;
  }
  return c;
}

/* Read one reply with SIGPIPE blocked (writes happen here too). */
static int
get_reply (redisContext *c, redisReply **reply_r)
{
  sigset_t pipe_set, old, pending;
  sigemptyset (&pipe_set);
  sigaddset (&pipe_set, SIGPIPE);
  sigpending (&pending);
  gboolean was_pending = sigismember (&pending, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_set, &old);
  void *reply = NULL;
  int rc = redisGetReply (c, &reply);
  int saved = errno;
  if (!was_pending) {
    sigpending (&pending);
    if (sigismember (&pending, SIGPIPE)) {
      struct timespec zero = { 0, 0 };
      sigtimedwait (&pipe_set, NULL, &zero);
    }
  }
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  errno = saved;
  *reply_r = reply;
  return rc;
}

/* Append the handshake (AUTH, SELECT) to a new connection; the number of
 * replies it will produce. */
static int
append_setup (UscRedis *r, redisContext *c)
{
  int n = 0;
  if (r->password) {
    if (r->user) {
      const char *argv[] = { "AUTH", r->user, r->password };
      redisAppendCommandArgv (c, 3, argv, NULL);
    } else {
      const char *argv[] = { "AUTH", r->password };
      redisAppendCommandArgv (c, 2, argv, NULL);
    }
    n++;
  }
  if (r->kind != USC_REDIS_CLUSTER && r->db != 0) {
    char db[16];
    g_snprintf (db, sizeof db, "%d", r->db);
    const char *argv[] = { "SELECT", db };
    redisAppendCommandArgv (c, 2, argv, NULL);
    n++;
  }
  return n;
}

/* Send @argv on @c (after the handshake when *@ready is FALSE, after ASKING
 * when @asking) and return its reply, which may be an error reply; NULL with
 * @error on an I/O error or a failed handshake. */
static redisReply *
roundtrip (UscRedis *r, redisContext *c, gboolean *ready, const char *node, gboolean asking,
           int argc, const char *const *argv, const gsize *lens, GError **error)
{
  int setup = *ready ? 0 : append_setup (r, c);
  if (asking) {
    const char *a[] = { "ASKING" };
    redisAppendCommandArgv (c, 1, a, NULL);
  }
  redisAppendCommandArgv (c, argc, (const char **) argv, (const size_t *) lens);
  int n = setup + (asking ? 1 : 0) + 1;
  redisReply *failed = NULL, *reply = NULL;
  for (int i = 0; i < n; i++) {
    redisReply *rep = NULL;
    if (get_reply (c, &rep) != REDIS_OK || rep == NULL) {
      set_io_error (r, c, node, error);
      if (failed)
        freeReplyObject (failed);
      return NULL;
    }
    if (i < n - 1) {
      if (rep->type == REDIS_REPLY_ERROR && failed == NULL)
        failed = rep;
      else
        freeReplyObject (rep);
    } else {
      reply = rep;
    }
  }
  if (failed) {
    /* The handshake failed (wrong password, ...): that error counts. */
    set_reply_error (r, node, failed->str, error);
    freeReplyObject (failed);
    freeReplyObject (reply);
    return NULL;
  }
  *ready = TRUE;
  return reply;
}

/* ------------------------------------------------------------------------ */
/* The cluster's slot map (our slot's entry)                                 */

/* Ask @node for CLUSTER SLOTS; the master of our slot in *@master_r (and
 * every node met is remembered). TRUE when found. */
static gboolean
slots_from (UscRedis *r, const char *node, char **master_r, GError **error)
{
  redisContext *c = connect_node (r, node, error);
  if (c == NULL)
    return FALSE;
  gboolean ready = FALSE;
  const char *argv[] = { "CLUSTER", "SLOTS" };
  redisReply *rep = roundtrip (r, c, &ready, node, FALSE, 2, argv, NULL, error);
  redisFree (c);
  if (rep == NULL)
    return FALSE;
  gboolean found = FALSE;
  if (rep->type == REDIS_REPLY_ERROR) {
    set_reply_error (r, node, rep->str, error);
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
        char *h = n->element[0]->len ? join_node (n->element[0]->str, (int) n->element[1]->integer)
                                     : NULL;
        if (h == NULL) {
          char *host;
          int port;
          split_node (node, &host, &port);
          h = g_strdup_printf ("%s:%d", host, (int) n->element[1]->integer);
          g_free (host);
        }
        add_host (r, h);
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
static gboolean
refresh_map (UscRedis *r, GError **error)
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
static char *
redirect_target (const char *msg)
{
  const char *sp = strchr (msg, ' ');
  if (sp == NULL || (sp = strchr (sp + 1, ' ')) == NULL || sp[1] == '\0')
    return NULL;
  return g_strdup (sp + 1);
}

/* ------------------------------------------------------------------------ */
/* Commands                                                                  */

static gboolean
ensure_connected (UscRedis *r, GError **error)
{
  if (r->c)
    return TRUE;
  if (r->kind == USC_REDIS_UNIX) {
    r->c = connect_node (r, NULL, error);
    return r->c != NULL;
  }
  if (r->kind == USC_REDIS_TCP) {
    r->c = connect_node (r, r->hosts->pdata[0], error);
    if (r->c)
      r->c_node = g_strdup (r->hosts->pdata[0]);
    return r->c != NULL;
  }
  if (r->slot_node == NULL && !refresh_map (r, error))
    return FALSE;
  r->c = connect_node (r, r->slot_node, error);
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
    if (!ensure_connected (r, &local)) {
      /* A cluster's master may be gone: read the map again, once. */
      if (r->kind == USC_REDIS_CLUSTER && !refreshed && local->code == USC_ERROR_TEMPFAIL) {
        refreshed = TRUE;
        g_clear_error (&local);
        if (!refresh_map (r, &local)) {
          g_propagate_error (error, local);
          return NULL;
        }
        continue;
      }
      g_propagate_error (error, local);
      return NULL;
    }
    redisReply *rep = roundtrip (r, r->c, &r->c_ready, r->c_node, FALSE, argc, argv, lens, &local);
    if (rep == NULL) {
      gboolean lost = r->c->err != 0 && !(local->code == USC_ERROR_TEMPFAIL
                                          && strstr (local->message, "no answer within"));
      disconnect (r);
      if (r->kind == USC_REDIS_CLUSTER && lost && !refreshed) {
        /* A lost connection (not a time-out): the master may have failed
         * over; our commands are idempotent, so try the map's new owner. */
        refreshed = TRUE;
        GError *again = NULL;
        if (refresh_map (r, &again)) {
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
      char *to = redirect_target (msg);
      freeReplyObject (rep);
      if (to == NULL)
        break;
      add_host (r, to);
      g_free (r->slot_node);
      r->slot_node = to;
      disconnect (r);
      continue;
    }
    if (r->kind == USC_REDIS_CLUSTER && g_str_has_prefix (msg, "ASK ")) {
      char *to = redirect_target (msg);
      freeReplyObject (rep);
      if (to == NULL)
        break;
      redisContext *c = connect_node (r, to, error);
      if (c == NULL) {
        g_free (to);
        return NULL;
      }
      gboolean ready = FALSE;
      rep = roundtrip (r, c, &ready, to, TRUE, argc, argv, lens, error);
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
      set_reply_error (r, to, rep->str, error);
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
    set_reply_error (r, r->c_node, msg, error);
    freeReplyObject (rep);
    return NULL;
  }
  g_set_error (error, USC_ERROR, USC_ERROR_TEMPFAIL, "Redis %s: too many cluster redirects for slot %u",
               r->name, r->slot);
  return NULL;
}

static int pipeline_on (UscRedis *r, guint n, const int *argcs, const char *const *const *argvs,
                        const gsize *const *lens, UscRedisReply **replies_r, GError **error);

int
usc_redis_pipeline (UscRedis *r, guint n, const int *argcs, const char *const *const *argvs,
                    const gsize *const *lens, UscRedisReply **replies_r, GError **error)
{
  memset (replies_r, 0, n * sizeof *replies_r);
  if (r->kind == USC_REDIS_CLUSTER) {
    for (guint i = 0; i < n; i++) {
      GError *local = NULL;
      replies_r[i] = usc_redis_command (r, argcs[i], argvs[i], lens[i], &local);
      /* Redirected to a node that has not seen the batch's SCRIPT LOAD
       * (a slot migrated meanwhile): load it there and try again. */
      guint j = i;
      if (replies_r[i] == NULL && strstr (local->message, "NOSCRIPT") && argcs[i] >= 2
          && g_ascii_strcasecmp (argvs[i][0], "EVALSHA") == 0)
        for (j = 0; j < i; j++)
          if (argcs[j] == 3 && g_ascii_strcasecmp (argvs[j][0], "SCRIPT") == 0
              && g_ascii_strcasecmp (argvs[j][1], "LOAD") == 0) {
            char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) argvs[j][2],
                                                     lens[j] ? lens[j][2] : strlen (argvs[j][2]));
            gboolean same = g_ascii_strncasecmp (sha, argvs[i][1], 40) == 0;
            g_free (sha);
            if (same)
              break;
          }
      if (j < i) {
        g_clear_error (&local);
        UscRedisReply *loaded = usc_redis_command (r, argcs[j], argvs[j], lens[j], &local);
        usc_redis_reply_free (&loaded);
        if (local == NULL)
          replies_r[i] = usc_redis_command (r, argcs[i], argvs[i], lens[i], &local);
      }
      if (local)
        g_propagate_error (error, local);
      if (replies_r[i] == NULL) {
        for (guint k = 0; k < i; k++)
          usc_redis_reply_free (&replies_r[k]);
        return -1;
      }
    }
    return 0;
  }
  if (!ensure_connected (r, error))
    return -1;
  /* A batch (an import) may keep the server busy for longer than one reply
   * should take: wait up to PIPELINE_TIMEOUT_MS for each of its replies. */
  guint saved_ms = r->timeout_ms;
  r->timeout_ms = MAX (saved_ms, PIPELINE_TIMEOUT_MS);
  struct timeval tv = timeout_tv (r);
  redisSetTimeout (r->c, tv);
  int rc = pipeline_on (r, n, argcs, argvs, lens, replies_r, error);
  r->timeout_ms = saved_ms;
  if (r->c) {
    tv = timeout_tv (r);
    redisSetTimeout (r->c, tv);
  }
  return rc;
}

static int
pipeline_on (UscRedis *r, guint n, const int *argcs, const char *const *const *argvs,
             const gsize *const *lens, UscRedisReply **replies_r, GError **error)
{
  int setup = r->c_ready ? 0 : append_setup (r, r->c);
  for (guint i = 0; i < n; i++)
    redisAppendCommandArgv (r->c, argcs[i], (const char **) argvs[i], (const size_t *) lens[i]);
  char *failed = NULL;
  for (guint i = 0; i < setup + n; i++) {
    redisReply *rep = NULL;
    if (get_reply (r->c, &rep) != REDIS_OK || rep == NULL) {
      set_io_error (r, r->c, r->c_node, error);
      disconnect (r);
      g_free (failed);
      goto fail;
    }
    if (rep->type == REDIS_REPLY_ERROR && failed == NULL)
      failed = g_strdup (rep->str);
    if (i < (guint) setup || rep->type == REDIS_REPLY_ERROR)
      freeReplyObject (rep);
    else
      replies_r[i - setup] = (UscRedisReply *) rep;
  }
  if (failed) {
    set_reply_error (r, r->c_node, failed, error);
    g_free (failed);
    goto fail;
  }
  r->c_ready = TRUE;
  return 0;
fail:
  for (guint i = 0; i < n; i++)
    usc_redis_reply_free (&replies_r[i]);
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Replies                                                                   */

#define REP(x) ((const redisReply *) (x))

void
usc_redis_reply_free (UscRedisReply **reply)
{
  if (reply == NULL || *reply == NULL)
    return;
  freeReplyObject (*reply);
  *reply = NULL;
}

gboolean
usc_redis_reply_is_nil (const UscRedisReply *reply)
{
  return reply == NULL || REP (reply)->type == REDIS_REPLY_NIL;
}

gboolean
usc_redis_reply_is_array (const UscRedisReply *reply)
{
  return reply && REP (reply)->type == REDIS_REPLY_ARRAY;
}

gboolean
usc_redis_reply_integer (const UscRedisReply *reply, gint64 *v_r)
{
  if (reply == NULL)
    return FALSE;
  if (REP (reply)->type == REDIS_REPLY_INTEGER) {
    *v_r = REP (reply)->integer;
    return TRUE;
  }
  if (REP (reply)->type == REDIS_REPLY_STRING && REP (reply)->len > 0 && REP (reply)->len < 24) {
    char buf[24], *end = NULL;
    memcpy (buf, REP (reply)->str, REP (reply)->len);
    buf[REP (reply)->len] = '\0';
    errno = 0;
    gint64 v = g_ascii_strtoll (buf, &end, 10);
    if (errno == 0 && end && *end == '\0') {
      *v_r = v;
      return TRUE;
    }
  }
  return FALSE;
}

const char *
usc_redis_reply_string (const UscRedisReply *reply, gsize *len_r)
{
  if (reply == NULL || (REP (reply)->type != REDIS_REPLY_STRING && REP (reply)->type != REDIS_REPLY_STATUS))
    return NULL;
  if (len_r)
    *len_r = REP (reply)->len;
  return REP (reply)->str;
}

gsize
usc_redis_reply_n_elements (const UscRedisReply *reply)
{
  return reply && REP (reply)->type == REDIS_REPLY_ARRAY ? REP (reply)->elements : 0;
}

const UscRedisReply *
usc_redis_reply_element (const UscRedisReply *reply, gsize i)
{
  if (i >= usc_redis_reply_n_elements (reply))
    return NULL;
  return (const UscRedisReply *) REP (reply)->element[i];
}
