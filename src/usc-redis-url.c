/* usc-redis-url.c — Redis server URLs, Redis Cluster key slots (the CRC16 of
 * the hash tag, https://redis.io/docs/reference/cluster-spec/ "Keys
 * distribution model"), the key prefix and the password file of the
 * record's Redis backend. Built with or without hiredis.
 */
#include "config.h"
#include "usc-redis.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
usc_redis_is_url (const char *s)
{
  return s != NULL
         && (g_str_has_prefix (s, "redis://") || g_str_has_prefix (s, "rediss://")
             || g_str_has_prefix (s, "redis-cluster://") || g_str_has_prefix (s, "unix:"));
}

void
usc_redis_url_free (UscRedisUrl **url)
{
  if (url == NULL || *url == NULL)
    return;
  for (guint i = 0; i < (*url)->n_nodes; i++)
    g_free ((*url)->nodes[i].host);
  g_free ((*url)->nodes);
  g_free ((*url)->path);
  g_free (*url);
  *url = NULL;
}

static gboolean
parse_port (const char *s, gsize len, int *port_r)
{
  if (len == 0 || len > 5)
    return FALSE;
  int v = 0;
  for (gsize i = 0; i < len; i++) {
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
    v = v * 10 + (s[i] - '0');
  }
  if (v < 1 || v > 65535)
    return FALSE;
  *port_r = v;
  return TRUE;
}

/* "host", "host:port", "[v6]", "[v6]:port" of @len bytes. */
static gboolean
parse_node (const char *s, gsize len, UscRedisNode *node, const char **why_r)
{
  const char *host, *rest;
  gsize hlen;
  if (len > 0 && s[0] == '[') {
    const char *close = memchr (s, ']', len);
    if (close == NULL) {
      *why_r = "an IPv6 address without ']'";
      return FALSE;
    }
    host = s + 1;
    hlen = close - host;
    rest = close + 1;
  } else {
    const char *colon = memchr (s, ':', len);
    host = s;
    hlen = colon ? (gsize) (colon - s) : len;
    rest = s + hlen;
  }
  gsize rlen = s + len - rest;
  node->port = 6379;
  if (rlen > 0) {
    if (rest[0] != ':' || !parse_port (rest + 1, rlen - 1, &node->port)) {
      *why_r = "a bad port (1-65535)";
      return FALSE;
    }
  }
  if (hlen == 0) {
    *why_r = "no host";
    return FALSE;
  }
  for (gsize i = 0; i < hlen; i++)
    if (!(g_ascii_isalnum (host[i]) || host[i] == '.' || host[i] == '-' || host[i] == ':'
          || host[i] == '_')) {
      *why_r = "a bad character in the host";
      return FALSE;
    }
  node->host = g_strndup (host, hlen);
  return TRUE;
}

UscRedisUrl *
usc_redis_url_parse (const char *s, GError **error)
{
  const char *why = NULL;
  UscRedisUrl *u = g_new0 (UscRedisUrl, 1);
  if (s == NULL) {
    why = "no URL";
    goto bad;
  }
  if (g_str_has_prefix (s, "unix:")) {
    const char *p = s + 5;
    if (g_str_has_prefix (p, "//"))
      p += 2;
    if (p[0] != '/') {
      why = "the socket must be an absolute path (unix:/path/to/socket)";
      goto bad;
    }
    u->kind = USC_REDIS_UNIX;
    u->path = g_strdup (p);
    return u;
  }
  if (g_str_has_prefix (s, "rediss://")) {
    why = "TLS (rediss://) is not supported: use a unix socket or a trusted network";
    goto bad;
  }
  const char *p;
  if (g_str_has_prefix (s, "redis://")) {
    u->kind = USC_REDIS_TCP;
    p = s + 8;
  } else if (g_str_has_prefix (s, "redis-cluster://")) {
    u->kind = USC_REDIS_CLUSTER;
    p = s + 16;
  } else {
    why = "not redis://, redis-cluster:// or unix:";
    goto bad;
  }
  if (strchr (p, '@')) {
    why = "a user or password in the URL (use password_file and user)";
    goto bad;
  }
  const char *slash = strchr (p, '/');
  const char *end = slash ? slash : p + strlen (p);
  if (slash && slash[1] != '\0') {
    if (u->kind == USC_REDIS_CLUSTER) {
      why = "a database number (Redis Cluster has only database 0)";
      goto bad;
    }
    char *e = NULL;
    errno = 0;
    long db = strtol (slash + 1, &e, 10);
    if (errno || *e != '\0' || db < 0 || db > 1000000 || !g_ascii_isdigit (slash[1])) {
      why = "a bad database number";
      goto bad;
    }
    u->db = (int) db;
  }
  GArray *nodes = g_array_new (FALSE, TRUE, sizeof (UscRedisNode));
  const char *q = p;
  while (q <= end) {
    const char *comma = memchr (q, ',', end - q);
    const char *ne = comma ? comma : end;
    UscRedisNode node = { 0 };
    if (!parse_node (q, ne - q, &node, &why)) {
      for (guint i = 0; i < nodes->len; i++)
        g_free (g_array_index (nodes, UscRedisNode, i).host);
      g_array_free (nodes, TRUE);
      goto bad;
    }
    g_array_append_val (nodes, node);
    if (comma == NULL)
      break;
    q = comma + 1;
  }
  u->n_nodes = nodes->len;
  u->nodes = (UscRedisNode *) g_array_free (nodes, FALSE);
  if (u->kind == USC_REDIS_TCP && u->n_nodes != 1) {
    why = "several hosts (use redis-cluster:// for a cluster)";
    goto bad;
  }
  return u;

bad:
  g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "Redis URL '%s': %s", s ? s : "", why);
  usc_redis_url_free (&u);
  return NULL;
}

guint16
usc_redis_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0;
  for (gsize i = 0; i < len; i++) {
    crc ^= (guint16) data[i] << 8;
    for (int b = 0; b < 8; b++)
      crc = (crc & 0x8000) ? (guint16) ((crc << 1) ^ 0x1021) : (guint16) (crc << 1);
  }
  return crc;
}

/* The hash tag of @key: *@start_r and *@len_r; FALSE when there is none. */
static gboolean
hash_tag (const char *key, gsize len, gsize *start_r, gsize *len_r)
{
  const char *open = memchr (key, '{', len);
  if (open == NULL)
    return FALSE;
  gsize s = open - key + 1;
  const char *close = memchr (key + s, '}', len - s);
  if (close == NULL || close == key + s)
    return FALSE;
  *start_r = s;
  *len_r = close - (key + s);
  return TRUE;
}

guint
usc_redis_key_slot (const char *key, gsize len)
{
  gsize s = 0, n = len;
  if (!hash_tag (key, len, &s, &n)) {
    s = 0;
    n = len;
  }
  return usc_redis_crc16 ((const guint8 *) key + s, n) & 16383;
}

gboolean
usc_redis_has_hash_tag (const char *key)
{
  gsize s, n;
  return key && hash_tag (key, strlen (key), &s, &n);
}

char *
usc_redis_expand_prefix (const char *prefix, const char *user, GError **error)
{
  if (prefix == NULL)
    prefix = "unscatter:{%u}:";
  GString *out = g_string_new (NULL);
  for (const char *p = prefix; *p; p++) {
    if (*p != '%') {
      g_string_append_c (out, *p);
      continue;
    }
    if (p[1] == 'u') {
      g_string_append (out, user ? user : "");
      p++;
    } else if (p[1] == '%') {
      g_string_append_c (out, '%');
      p++;
    } else {
      g_set_error (error, USC_ERROR, USC_ERROR_CONFIG,
                   "Redis key prefix '%s': only %%u (the user) and %%%% may follow '%%'", prefix);
      g_string_free (out, TRUE);
      return NULL;
    }
  }
  if (out->len == 0) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "Redis key prefix '%s' is empty", prefix);
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

char *
usc_redis_read_password (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int e = errno;
    g_set_error (error, USC_ERROR, e == ELOOP ? USC_ERROR_UNSAFE : USC_ERROR_CONFIG,
                 "Redis password file %s: %s", path, g_strerror (e));
    return NULL;
  }
  struct stat st;
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode)) {
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "Redis password file %s: not a regular file", path);
    close (fd);
    return NULL;
  }
  if ((st.st_mode & 077) != 0 || st.st_uid != geteuid ()) {
    g_set_error (error, USC_ERROR, USC_ERROR_UNSAFE,
                 "Redis password file %s: mode %04o%s: refused (chmod 600 %s)", path,
                 (unsigned) (st.st_mode & 07777), st.st_uid != geteuid () ? " and another user's" : "",
                 path);
    close (fd);
    return NULL;
  }
  char buf[1025];
  gsize n = 0;
  while (n < sizeof buf - 1) {
    ssize_t r = read (fd, buf + n, sizeof buf - 1 - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      int e = errno;
      g_set_error (error, USC_ERROR, USC_ERROR_IO, "Redis password file %s: %s", path, g_strerror (e));
      close (fd);
      memset (buf, 0, sizeof buf);
      return NULL;
    }
    if (r == 0)
      break;
    n += r;
  }
  close (fd);
  buf[n] = '\0';
  gsize len = strcspn (buf, "\r\n");
  char *pw = len ? g_strndup (buf, len) : NULL;
  memset (buf, 0, sizeof buf);
  if (pw == NULL)
    g_set_error (error, USC_ERROR, USC_ERROR_CONFIG, "Redis password file %s: empty first line", path);
  return pw;
}
