/* usc-record-redis-sentdir.c — the Sent folder import's state in the Redis
 * record (usc-sentdir.c): P sentdir, a hash of each directory's state, and
 * P seen, the set of file names seen.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

/* P sentdir: hash, field the 8-byte directory key, value "stamp cookie
 * flags" in decimal; P seen: set of 8-byte file-name keys. Neither expires
 * (a file still in the folder is not recorded again). */
int
usc_rr_dir_get (gpointer be, gint64 dir, UscRecordDirState *state_r, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "HGET");
  usc_rr_cmd_add_key (&c, s, "sentdir", G_MININT64);
  usc_rr_cmd_add_be64 (&c, dir);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "read the Sent folder state", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  int ret = 0;
  gsize len = 0;
  const char *v = usc_redis_reply_is_nil (rep) ? NULL : usc_redis_reply_string (rep, &len);
  if (v != NULL) {
    char *text = g_strndup (v, len);
    gint64 a, b, f;
    if (sscanf (text, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &a, &b, &f) == 3) {
      *state_r = (UscRecordDirState) { .stamp = a, .cookie = b, .flags = f };
      ret = 1;
    }
    g_free (text);
  }
  if (ret == 0 && !usc_redis_reply_is_nil (rep)) {
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: read the Sent folder state: an unexpected reply",
                 usc_redis_name (s->r));
    ret = -1;
  }
  usc_redis_reply_free (&rep);
  return ret;
}

int
usc_rr_dir_set (gpointer be, gint64 dir, const UscRecordDirState *state, GError **error)
{
  RedisBe *s = be;
  char *v = g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                             state->stamp, state->cookie, state->flags);
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "HSET");
  usc_rr_cmd_add_key (&c, s, "sentdir", G_MININT64);
  usc_rr_cmd_add_be64 (&c, dir);
  usc_rr_cmd_add (&c, v);
  g_free (v);
  return usc_rr_cmd_int (s, &c, "write the Sent folder state", error) < 0 ? -1 : 0;
}

/* @verb P seen and the @n names' keys, into @c (initialised here). */
static void
seen_command (Cmd *c, const RedisBe *s, const char *verb, const gint64 *names, guint n)
{
  usc_rr_cmd_init (c);
  usc_rr_cmd_add (c, verb);
  usc_rr_cmd_add_key (c, s, "seen", G_MININT64);
  for (guint i = 0; i < n; i++)
    usc_rr_cmd_add_be64 (c, names[i]);
}

int
usc_rr_seen_check (gpointer be, const gint64 *names, guint n, gboolean *seen_r, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  seen_command (&c, s, "SMISMEMBER", names, n);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "look up seen file names", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  int ret = 0;
  if (!usc_redis_reply_is_array (rep) || usc_redis_reply_n_elements (rep) != n)
    ret = -1;
  for (guint i = 0; i < n && ret == 0; i++) {
    gint64 v;
    if (!usc_redis_reply_integer (usc_redis_reply_element (rep, i), &v))
      ret = -1;
    else
      seen_r[i] = v == 1;
  }
  if (ret < 0)
    g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis %s: look up seen file names: an unexpected reply",
                 usc_redis_name (s->r));
  usc_redis_reply_free (&rep);
  return ret;
}

int
usc_rr_seen_add (gpointer be, const gint64 *names, guint n, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  seen_command (&c, s, "SADD", names, n);
  return usc_rr_cmd_int (s, &c, "mark file names seen", error) < 0 ? -1 : 0;
}
