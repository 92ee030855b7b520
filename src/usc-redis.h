/* usc-redis.h — a small Redis client for the record's Redis backend (private
 * to libunscatter): server URLs, Redis Cluster key slots, and one connection
 * (or a cluster's connections) on top of hiredis.
 *
 * Every failure is a GError in USC_ERROR: a refused or lost connection, a
 * timeout, an error reply that means "not now" (LOADING, READONLY, OOM,
 * BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN) -> USC_ERROR_TEMPFAIL; a refused
 * password (NOAUTH, WRONGPASS) or a bad URL -> USC_ERROR_CONFIG; a protocol
 * error or another error reply -> USC_ERROR_IO. The caller treats all of
 * them as temporary: a Redis failure is never "not found".
 *
 * The URL, slot and key-name parts (usc-redis-url.c) are built always; the
 * client (usc-redis-cluster.c) only with hiredis (HAVE_HIREDIS).
 */
#ifndef USC_REDIS_H
#define USC_REDIS_H

#include <glib.h>
#include "usc-common.h"

G_BEGIN_DECLS

typedef enum {
  USC_REDIS_TCP,      /* redis://host[:port][/db] */
  USC_REDIS_UNIX,     /* unix:/path/to/socket */
  USC_REDIS_CLUSTER   /* redis-cluster://host1[:port],host2[:port],... */
} UscRedisKind;

typedef struct {
  char *host;   /* host name or address (IPv6 without brackets) */
  int   port;
} UscRedisNode;

typedef struct {
  UscRedisKind  kind;
  char         *path;     /* USC_REDIS_UNIX: the socket */
  UscRedisNode *nodes;    /* TCP: one; CLUSTER: the seeds */
  guint         n_nodes;
  int           db;       /* SELECT'ed database (TCP only; 0 otherwise) */
} UscRedisUrl;

/* TRUE when @s looks like a Redis record URL (its scheme is redis://,
 * rediss://, redis-cluster:// or unix:), so that a record "path" selects the
 * Redis backend. */
gboolean usc_redis_is_url (const char *s);

/* Parse @s. A password or user in the URL is refused (it would show in ps
 * and in the config: use password_file), so is rediss:// (hiredis 0.14 has
 * no TLS). NULL with USC_ERROR_CONFIG. Free with usc_redis_url_free(). */
UscRedisUrl *usc_redis_url_parse (const char *s, GError **error);
void usc_redis_url_free (UscRedisUrl **url);

/* CRC16 as Redis Cluster uses it (XMODEM: polynomial 0x1021, initial 0). */
guint16 usc_redis_crc16 (const guint8 *data, gsize len);

/* The cluster slot (0..16383) of key @key of @len bytes: the CRC16 of its
 * hash tag (what is between the first '{' and the first '}' after it, when
 * not empty) or of the whole key. */
guint usc_redis_key_slot (const char *key, gsize len);

/* TRUE when @key has a non-empty hash tag. */
gboolean usc_redis_has_hash_tag (const char *key);

/* The key prefix: @prefix (NULL: "unscatter:{%u}:") with "%u" replaced by
 * @user and "%%" by "%". Newly allocated; NULL with USC_ERROR_CONFIG on
 * another "%" sequence. */
char *usc_redis_expand_prefix (const char *prefix, const char *user, GError **error);

/* Read the password from @path: the file must be a regular file of the
 * caller's, not readable or writable by group or others (mode 0600 or
 * stricter; else USC_ERROR_UNSAFE); its first line (without the line end)
 * is the password. Newly allocated (free with g_free after clearing). */
char *usc_redis_read_password (const char *path, GError **error);

#ifdef HAVE_HIREDIS
typedef struct _UscRedis UscRedis;

typedef struct {
  const char *user;       /* ACL user; NULL: AUTH with the password alone */
  const char *password;   /* NULL: no AUTH */
  guint       timeout_ms; /* connect and each reply; 0: 200 */
} UscRedisOptions;

/* A client for @url whose commands all concern keys of @slot_key's slot
 * (the record's keys share one hash tag). Nothing is connected yet: the
 * first command connects (and authenticates in the same round trip).
 * Never NULL. Free with usc_redis_free(). */
UscRedis *usc_redis_new (const UscRedisUrl *url, const UscRedisOptions *options,
                         const char *slot_key);
void usc_redis_free (UscRedis **r);

/* Set how long a connect and each reply may take from now on (0: keep);
 * returns the previous value. A batch (an import) raises it for its own
 * commands and puts it back. */
guint usc_redis_set_timeout (UscRedis *r, guint timeout_ms);

/* A human-readable name of the server for messages ("unix:/p", "host:port",
 * "redis-cluster://..."), owned by @r. */
const char *usc_redis_name (const UscRedis *r);

/* The reply of one command. */
typedef struct _UscRedisReply UscRedisReply;

/* Send one command (@argc arguments of @lens bytes, NULL @lens: C strings)
 * and wait for its reply; in a cluster, to the node that serves the slot,
 * following MOVED (the slot map is read again) and ASK (ASKING first), and
 * retrying TRYAGAIN within the time-out. An error reply is returned as a
 * failure (NULL with @error), never as a reply. Free with
 * usc_redis_reply_free(). */
UscRedisReply *usc_redis_command (UscRedis *r, int argc, const char *const *argv,
                                  const gsize *lens, GError **error);
void usc_redis_reply_free (UscRedisReply **reply);

/* Send @n commands (@argcs[i] arguments @argvs[i] of @lens[i] bytes) and
 * return their replies in @replies_r[0..n-1]: on one server in one round
 * trip (pipelined), in a cluster one after the other through
 * usc_redis_command(). 0, or -1 with @error (an error reply to any of them
 * included) and no reply kept. */
int usc_redis_pipeline (UscRedis *r, guint n, const int *argcs, const char *const *const *argvs,
                        const gsize *const *lens, UscRedisReply **replies_r, GError **error);

/* Looking into a reply (all borrowed from @reply). */
gboolean    usc_redis_reply_is_nil (const UscRedisReply *reply);
gboolean    usc_redis_reply_is_array (const UscRedisReply *reply);
/* The integer of an integer reply, or of a string reply that holds one;
 * FALSE when it is neither. */
gboolean    usc_redis_reply_integer (const UscRedisReply *reply, gint64 *v_r);
/* The bytes of a string or status reply, NULL for any other type. */
const char *usc_redis_reply_string (const UscRedisReply *reply, gsize *len_r);
gsize       usc_redis_reply_n_elements (const UscRedisReply *reply);
const UscRedisReply *usc_redis_reply_element (const UscRedisReply *reply, gsize i);
#endif

G_END_DECLS
#endif
