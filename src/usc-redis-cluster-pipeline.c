/* usc-redis-cluster-pipeline.c — a batch of commands (an import): on one
 * server pipelined on its connection (each reply waiting up to
 * PIPELINE_TIMEOUT_MS); on a cluster one by one through the redirections,
 * a script loaded again on a node that has not seen the batch's SCRIPT LOAD.
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

#include <string.h>

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
  if (!usc_rc_ensure_connected (r, error))
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
  int setup = r->c_ready ? 0 : usc_rc_append_setup (r, r->c);
  for (guint i = 0; i < n; i++)
    redisAppendCommandArgv (r->c, argcs[i], (const char **) argvs[i], (const size_t *) lens[i]);
  char *failed = NULL;
  for (guint i = 0; i < setup + n; i++) {
    redisReply *rep = NULL;
    if (usc_rc_get_reply (r->c, &rep) != REDIS_OK || rep == NULL) {
      usc_rc_set_io_error (r, r->c, r->c_node, error);
      usc_rc_disconnect (r);
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
    usc_rc_set_reply_error (r, r->c_node, failed, error);
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
