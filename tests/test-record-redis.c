/* test-record-redis.c — unit tests (GTest, table-driven) for what the Redis
 * backend computes without a server: URL parsing, the Redis Cluster key
 * slot (CRC16 of the hash tag), the key prefix, and the password file's
 * checks. The backend against a real server: tests/test-record.c
 * (/record/redis/...) run by tests/t/0900-redis-unit.t. */
#include "config.h"
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "usc-redis.h"

static void
test_urls (void)
{
  static const struct {
    const char *url;
    gboolean    ok;
    UscRedisKind kind;
    const char *path;       /* unix */
    const char *nodes;      /* "host:port,..." */
    int         db;
  } cases[] = {
    { "unix:/run/redis/redis.sock", TRUE, USC_REDIS_UNIX, "/run/redis/redis.sock", "", 0 },
    { "unix:///run/redis.sock", TRUE, USC_REDIS_UNIX, "/run/redis.sock", "", 0 },
    { "unix:relative.sock", FALSE, 0, NULL, NULL, 0 },
    { "redis://127.0.0.1:6380/2", TRUE, USC_REDIS_TCP, NULL, "127.0.0.1:6380", 2 },
    { "redis://redis.example.net", TRUE, USC_REDIS_TCP, NULL, "redis.example.net:6379", 0 },
    { "redis://redis.example.net/", TRUE, USC_REDIS_TCP, NULL, "redis.example.net:6379", 0 },
    { "redis://[::1]:7000/0", TRUE, USC_REDIS_TCP, NULL, "::1:7000", 0 },
    { "redis://host:0", FALSE, 0, NULL, NULL, 0 },
    { "redis://host:65536", FALSE, 0, NULL, NULL, 0 },
    { "redis://host:12x", FALSE, 0, NULL, NULL, 0 },
    { "redis://host/x", FALSE, 0, NULL, NULL, 0 },
    { "redis://host/-1", FALSE, 0, NULL, NULL, 0 },
    { "redis://:6379", FALSE, 0, NULL, NULL, 0 },
    { "redis://a:1,b:2", FALSE, 0, NULL, NULL, 0 },                     /* several: a cluster */
    { "redis://user:secret@host:6379", FALSE, 0, NULL, NULL, 0 },       /* no passwords in URLs */
    { "rediss://host:6379", FALSE, 0, NULL, NULL, 0 },                  /* no TLS in hiredis 0.14 */
    { "redis-cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3", TRUE, USC_REDIS_CLUSTER, NULL,
      "10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:6379", 0 },
    { "redis-cluster://h1:7000/1", FALSE, 0, NULL, NULL, 0 },           /* cluster: db 0 only */
    { "redis-cluster://h1:7000,,h2:7001", FALSE, 0, NULL, NULL, 0 },
    { "redis-cluster://h1:7000,", FALSE, 0, NULL, NULL, 0 },
    { "http://host", FALSE, 0, NULL, NULL, 0 },
    { "redis://ho st", FALSE, 0, NULL, NULL, 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *e = NULL;
    UscRedisUrl *u = usc_redis_url_parse (cases[i].url, &e);
    if (!cases[i].ok) {
      if (u != NULL)
        g_error ("%s: accepted", cases[i].url);
      g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
      g_assert_nonnull (strstr (e->message, cases[i].url));
      g_clear_error (&e);
      continue;
    }
    g_assert_no_error (e);
    g_assert_nonnull (u);
    g_assert_cmpint (u->kind, ==, cases[i].kind);
    g_assert_cmpstr (u->path, ==, cases[i].path);
    GString *n = g_string_new (NULL);
    for (guint k = 0; k < u->n_nodes; k++)
      g_string_append_printf (n, "%s%s:%d", k ? "," : "", u->nodes[k].host, u->nodes[k].port);
    g_assert_cmpstr (n->str, ==, cases[i].nodes);
    g_string_free (n, TRUE);
    g_assert_cmpint (u->db, ==, cases[i].db);
    g_assert_true (usc_redis_is_url (cases[i].url));
    usc_redis_url_free (&u);
    g_assert_null (u);
  }
  g_assert_false (usc_redis_is_url ("/home/u/.local/share/unscatter/record.db"));
  g_assert_false (usc_redis_is_url ("redis.db"));
  usc_redis_url_free (NULL);
}

/* Slots as Redis computes them (CLUSTER KEYSLOT on redis-server 7.0; the
 * CRC16 check value of "123456789" is 0x31C3, cluster spec appendix A). */
static void
test_slots (void)
{
  g_assert_cmphex (usc_redis_crc16 ((const guint8 *) "123456789", 9), ==, 0x31c3);
  static const struct { const char *key; guint slot; } cases[] = {
    { "foo", 12182 },
    { "bar", 5061 },
    { "", 0 },
    { "{user1000}.following", 3443 },
    { "{user1000}.followers", 3443 },
    { "user1000", 3443 },
    { "foo{}{bar}", 8363 },            /* empty first tag: the whole key */
    { "foo{{bar}}zap", 4015 },         /* the tag is "{bar" */
    { "foo{bar}{zap}", 5061 },         /* the first tag only: "bar" */
    { "unscatter:{alice}:meta", 749 },
    { "unscatter:{alice}:m:5197", 749 },
    { "alice", 749 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    guint got = usc_redis_key_slot (cases[i].key, strlen (cases[i].key));
    if (got != cases[i].slot)
      g_error ("slot of '%s': %u, expected %u", cases[i].key, got, cases[i].slot);
  }
  g_assert_true (usc_redis_has_hash_tag ("unscatter:{bob}:"));
  g_assert_false (usc_redis_has_hash_tag ("unscatter:bob:"));
  g_assert_false (usc_redis_has_hash_tag ("unscatter:{}:"));
  g_assert_false (usc_redis_has_hash_tag ("unscatter:{bob"));
}

static void
test_prefix (void)
{
  static const struct { const char *prefix, *user, *want; } cases[] = {
    { NULL, "alice", "unscatter:{alice}:" },
    { "mail:{%u}:usc:", "bob", "mail:{bob}:usc:" },
    { "100%%:%u:", "carol", "100%:carol:" },
    { "fixed:", "dave", "fixed:" },
    { "%x", "erin", NULL },
    { "", "erin", NULL },
    { "trailing%", "erin", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *e = NULL;
    char *got = usc_redis_expand_prefix (cases[i].prefix, cases[i].user, &e);
    g_assert_cmpstr (got, ==, cases[i].want);
    if (cases[i].want == NULL) {
      g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
      g_clear_error (&e);
    }
    g_free (got);
  }
}

static void
test_password_file (void)
{
  char *dir = g_dir_make_tmp ("test-redis-XXXXXX", NULL);
  char *p = g_build_filename (dir, "pw", NULL);
  static const struct { const char *content; int mode; const char *want; int code; } cases[] = {
    { "s3cret\n", 0600, "s3cret", 0 },
    { "s3cret\r\nsecond line\n", 0400, "s3cret", 0 },
    { "with:colon and space", 0600, "with:colon and space", 0 },
    { "s3cret\n", 0640, NULL, USC_ERROR_UNSAFE },
    { "s3cret\n", 0604, NULL, USC_ERROR_UNSAFE },
    { "\n", 0600, NULL, USC_ERROR_CONFIG },
    { "", 0600, NULL, USC_ERROR_CONFIG },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_unlink (p);
    g_assert_true (g_file_set_contents (p, cases[i].content, -1, NULL));
    g_assert_cmpint (g_chmod (p, cases[i].mode), ==, 0);
    GError *e = NULL;
    char *got = usc_redis_read_password (p, &e);
    g_assert_cmpstr (got, ==, cases[i].want);
    if (cases[i].want == NULL) {
      g_assert_error (e, USC_ERROR, cases[i].code);
      g_clear_error (&e);
    }
    g_free (got);
  }
  g_unlink (p);
  GError *e = NULL;
  g_assert_null (usc_redis_read_password (p, &e));   /* missing */
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_clear_error (&e);
  g_free (p);
  g_rmdir (dir);
  g_free (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/redis/urls", test_urls);
  g_test_add_func ("/redis/slots", test_slots);
  g_test_add_func ("/redis/prefix", test_prefix);
  g_test_add_func ("/redis/password-file", test_password_file);
  return g_test_run ();
}
