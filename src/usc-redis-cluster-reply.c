/* usc-redis-cluster-reply.c — the Redis client's replies (hiredis's
 * redisReply behind UscRedisReply): freed, typed, read.
 */
#include "config.h"
#include "usc-redis-cluster-private.h"

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
