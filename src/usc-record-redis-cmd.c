/* usc-record-redis-cmd.c — one command to the Redis record's server: its
 * arguments (binary-safe copies), the key names under the user's prefix
 * (meta, the bucket shards m:<B>:<j>, the recipient keys r:<K> and
 * r:<K>:<j>), EVALSHA with EVAL on NOSCRIPT, an integer reply.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

void
usc_rr_cmd_init (Cmd *c)
{
  c->argv = g_ptr_array_new_with_free_func (g_free);
  c->lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  c->script = NULL;
}

void
usc_rr_cmd_clear (Cmd *c)
{
  g_ptr_array_free (c->argv, TRUE);
  g_array_free (c->lens, TRUE);
}

void
usc_rr_cmd_add_len (Cmd *c, const void *data, gsize len)
{
  char *copy = g_malloc (len + 1);
  if (len > 0)
    memcpy (copy, data, len);
  copy[len] = '\0';
  g_ptr_array_add (c->argv, copy);
  g_array_append_val (c->lens, len);
}

void
usc_rr_cmd_add (Cmd *c, const char *s)
{
  usc_rr_cmd_add_len (c, s, strlen (s));
}

void
usc_rr_cmd_add_be64 (Cmd *c, gint64 v)
{
  guint8 k[8];
  put_be64 (k, (guint64) v);
  usc_rr_cmd_add_len (c, k, 8);
}

void
usc_rr_cmd_add_int (Cmd *c, gint64 v)
{
  char buf[24];
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
  usc_rr_cmd_add (c, buf);
}

void
usc_rr_cmd_add_key (Cmd *c, const RedisBe *s, const char *fmt, gint64 n)
{
  char *k = n == G_MININT64 ? g_strconcat (s->prefix, fmt, NULL)
                            : g_strdup_printf ("%s%s%" G_GINT64_FORMAT, s->prefix, fmt, n);
  usc_rr_cmd_add (c, k);
  g_free (k);
}

/* EVALSHA @script: its body is sent only when the server does not have it
 * (NOSCRIPT, e.g. after a restart or on another cluster node). */
void
usc_rr_cmd_eval (Cmd *c, const char *script)
{
  usc_rr_cmd_add (c, "EVALSHA");
  char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, script, -1);
  usc_rr_cmd_add (c, sha);
  g_free (sha);
  c->script = script;
}

UscRedisReply *
usc_rr_cmd_run (RedisBe *s, Cmd *c, const char *what, GError **error)
{
  GError *local = NULL;
  UscRedisReply *rep = usc_redis_command (s->r, (int) c->argv->len, (const char *const *) c->argv->pdata,
                                          (const gsize *) c->lens->data, &local);
  if (rep == NULL && c->script && local && strstr (local->message, "NOSCRIPT")) {
    g_clear_error (&local);
    g_free (c->argv->pdata[0]);
    c->argv->pdata[0] = g_strdup ("EVAL");
    g_array_index (c->lens, gsize, 0) = 4;
    g_free (c->argv->pdata[1]);
    c->argv->pdata[1] = g_strdup (c->script);
    g_array_index (c->lens, gsize, 1) = strlen (c->script);
    rep = usc_redis_command (s->r, (int) c->argv->len, (const char *const *) c->argv->pdata,
                             (const gsize *) c->lens->data, &local);
  }
  if (rep == NULL) {
    g_prefix_error (&local, "%s: ", what);
    g_propagate_error (error, local);
  }
  return rep;
}

/* Run @c, clear it, and read its integer reply. */
gint64
usc_rr_cmd_int (RedisBe *s, Cmd *c, const char *what, GError **error)
{
  UscRedisReply *rep = usc_rr_cmd_run (s, c, what, error);
  usc_rr_cmd_clear (c);
  if (rep == NULL)
    return -1;
  return usc_rr_int_reply (s, rep, what, error);
}

/* An integer reply, or -1 with an error naming @what. */
gint64
usc_rr_int_reply (RedisBe *s, UscRedisReply *rep, const char *what, GError **error)
{
  gint64 v;
  if (!usc_redis_reply_integer (rep, &v)) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: %s: an unexpected reply",
                 usc_redis_name (s->r), what);
    v = -1;
  }
  usc_redis_reply_free (&rep);
  return v;
}


void
usc_rr_cmd_add_shard (Cmd *c, const RedisBe *s, gint64 b, guint j)
{
  char *k = g_strdup_printf ("%sm:%" G_GINT64_FORMAT ":%u", s->prefix, b, j);
  usc_rr_cmd_add (c, k);
  g_free (k);
}

/* r:<K>:<j>, where the records of a full r:<K> go (j from the recipient
 * key). */
void
usc_rr_cmd_add_rsub (Cmd *c, const RedisBe *s, gint64 k, guint64 rcpt)
{
  char *name = g_strdup_printf ("%sr:%" G_GINT64_FORMAT ":%u", s->prefix, k, (guint) (rcpt % RFAN));
  usc_rr_cmd_add (c, name);
  g_free (name);
}
