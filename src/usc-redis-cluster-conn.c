/* usc-redis-cluster-conn.c — one connection of the Redis client: connected
 * with the time-out (TCP or unix socket), the handshake (AUTH, SELECT)
 * pipelined with the first command, a reply read with SIGPIPE blocked, and
 * the errors: what an error reply or a lost connection means (temporary,
 * configuration, I/O).
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

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

void
usc_rc_set_reply_error (UscRedis *r, const char *node, const char *msg, GError **error)
{
  int code = reply_error_code (msg);
  const char *hint = code == USC_ERROR_CONFIG ? " (check [record] user and password_file)"
                   : code == USC_ERROR_TEMPFAIL ? " (the server cannot serve now; try again later)"
                   : "";
  g_set_error (error, USC_ERROR, code, "Redis %s: %s%s", node ? node : r->name, msg, hint);
}

void
usc_rc_set_io_error (UscRedis *r, redisContext *c, const char *node, GError **error)
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

/* A connected context to @node ("host:port"; NULL: the unix socket), or NULL. */
redisContext *
usc_rc_connect_node (UscRedis *r, const char *node, GError **error)
{
  struct timeval tv = timeout_tv (r);
  redisContext *c;
  if (node == NULL) {
    c = redisConnectUnixWithTimeout (r->path, tv);
  } else {
    char *host;
    int port;
    usc_rc_split_node (node, &host, &port);
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
    usc_rc_set_io_error (r, c, node, error);
    redisFree (c);
    return NULL;
  }
  return c;
}

/* Read one reply with SIGPIPE blocked (writes happen here too). */
int
usc_rc_get_reply (redisContext *c, redisReply **reply_r)
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
int
usc_rc_append_setup (UscRedis *r, redisContext *c)
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
redisReply *
usc_rc_roundtrip (UscRedis *r, redisContext *c, gboolean *ready, const char *node, gboolean asking,
                  int argc, const char *const *argv, const gsize *lens, GError **error)
{
  int setup = *ready ? 0 : usc_rc_append_setup (r, c);
  if (asking) {
    const char *a[] = { "ASKING" };
    redisAppendCommandArgv (c, 1, a, NULL);
  }
  redisAppendCommandArgv (c, argc, (const char **) argv, (const size_t *) lens);
  int n = setup + (asking ? 1 : 0) + 1;
  redisReply *failed = NULL, *reply = NULL;
  for (int i = 0; i < n; i++) {
    redisReply *rep = NULL;
    if (usc_rc_get_reply (c, &rep) != REDIS_OK || rep == NULL) {
      usc_rc_set_io_error (r, c, node, error);
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
    usc_rc_set_reply_error (r, node, failed->str, error);
    freeReplyObject (failed);
    freeReplyObject (reply);
    return NULL;
  }
  *ready = TRUE;
  return reply;
}
