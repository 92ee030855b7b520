/* test-config.c — unit tests for usc-config (GTest, table-driven): defaults,
 * every setting, and errors that name the file, group and key. */
#include "config.h"
#include <gmime/gmime.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "usc-config.h"

static char *tmpdir;

static void
test_defaults (void)
{
  UscConfig *c = usc_config_new_default ();
  g_assert_cmpuint (c->expire_days, ==, 180);
  g_assert_cmpfloat (c->busy_timeout, ==, 10);
  g_assert_cmpuint (c->recipient_window_days, ==, 7);
  g_assert_cmpint (c->action[USC_VERDICT_NOT_BOUNCE], ==, USC_ACTION_DELIVER);
  g_assert_cmpint (c->action[USC_VERDICT_LEGITIMATE], ==, USC_ACTION_DELIVER);
  g_assert_cmpint (c->action[USC_VERDICT_BACKSCATTER], ==, USC_ACTION_FILE);
  g_assert_cmpint (c->action[USC_VERDICT_UNKNOWN], ==, USC_ACTION_DELIVER);
  g_assert_cmpstr (c->folder, ==, "Backscatter");
  g_assert_cmpstr (c->sendmail, ==, USC_DEFAULT_SENDMAIL);
  g_assert_null (c->record_path);
  g_assert_null (c->batv_keys);
  g_assert_false (c->batv_require);
  g_assert_false (c->batv_sign);
  g_assert_true (c->log_syslog);
  usc_config_free (&c);
  g_assert_null (c);
  usc_config_free (&c);
  usc_config_free (NULL);
}

static void
test_names (void)
{
  g_assert_cmpstr (usc_action_name (USC_ACTION_DELIVER), ==, "deliver");
  g_assert_cmpstr (usc_action_name (USC_ACTION_FILE), ==, "file");
  g_assert_cmpstr (usc_action_name (USC_ACTION_DISCARD), ==, "discard");
  g_assert_cmpstr (usc_verdict_name (USC_VERDICT_NOT_BOUNCE), ==, "not-bounce");
  g_assert_cmpstr (usc_verdict_name (USC_VERDICT_LEGITIMATE), ==, "legitimate");
  g_assert_cmpstr (usc_verdict_name (USC_VERDICT_BACKSCATTER), ==, "backscatter");
  g_assert_cmpstr (usc_verdict_name (USC_VERDICT_UNKNOWN), ==, "unknown");
}

/* What to check after a good file: a printf-able summary of the config. */
static char *
summary (const UscConfig *c)
{
  return g_strdup_printf ("path=%s expire=%u busy=%g window=%u actions=%s,%s,%s,%s folder=%s keys=%s "
                          "require=%d sign=%d sendmail=%s syslog=%d max_bytes=%zu max_hdr=%zu "
                          "max_headers=%u depth=%u parts=%u secs=%g "
                          "redis=%d url=%s pwfile=%s user=%s timeout_ms=%u prefix=%s record=%s",
                          c->record_path ? c->record_path : "-", c->expire_days, c->busy_timeout,
                          c->recipient_window_days, usc_action_name (c->action[0]),
                          usc_action_name (c->action[1]), usc_action_name (c->action[2]),
                          usc_action_name (c->action[3]), c->folder, c->batv_keys ? c->batv_keys : "-",
                          c->batv_require, c->batv_sign, c->sendmail, c->log_syslog,
                          c->limits.max_bytes, c->limits.max_header_bytes, c->limits.max_headers,
                          c->limits.max_depth, c->limits.max_parts, c->limits.max_seconds,
                          c->record_redis, c->record_url ? c->record_url : "-",
                          c->record_password_file ? c->record_password_file : "-",
                          c->record_user ? c->record_user : "-", c->record_timeout_ms,
                          c->record_prefix ? c->record_prefix : "-",
                          usc_config_record (c) ? usc_config_record (c) : "-");
}

typedef struct {
  const char *text;
  const char *expect;  /* a substring of summary() for a good file, or of the error message */
  gboolean    ok;
} Case;

static const Case cases[] = {
  { "", "expire=180 busy=10 window=7 actions=deliver,deliver,file,deliver folder=Backscatter", TRUE },
  { "# only a comment\n", "expire=180", TRUE },
  { "[record]\npath = /var/lib/u/r.db\nexpire_days = 30\nbusy_timeout = 2.5\n",
    "path=/var/lib/u/r.db expire=30 busy=2.5", TRUE },
  { "[record]\npath = ~/r.db\n", "path=/home-for-test/r.db", TRUE },
  { "[verdict]\nrecipient_window_days = 0\n", "window=0", TRUE },
  { "[actions]\nbackscatter = discard\nunknown = file\nlegitimate = deliver\nnot-bounce = deliver\nfolder = Junk.Bounces\n",
    "actions=deliver,deliver,discard,file folder=Junk.Bounces", TRUE },
  { "[actions]\nbackscatter = DISCARD\n", "actions=deliver,deliver,discard,deliver", TRUE },
  { "[batv]\nkeys = /etc/k\nrequire = true\nsign = yes\n", "keys=/etc/k require=1 sign=1", TRUE },
  { "[batv]\nrequire = off\nsign = 0\n", "require=0 sign=0", TRUE },
  { "[sendmail]\npath = /usr/lib/sendmail\n", "sendmail=/usr/lib/sendmail", TRUE },
  { "[log]\nsyslog = false\n", "syslog=0", TRUE },
  { "[limits]\nmax_bytes = 10M\nmax_header_bytes = 512k\nmax_headers = 100\nmax_depth = 8\nmax_parts = 50\nmax_seconds = 1.5\n",
    "max_bytes=10485760 max_hdr=524288 max_headers=100 depth=8 parts=50 secs=1.5", TRUE },
  { "[limits]\nmax_bytes = 2048\n", "max_bytes=2048", TRUE },
  { "[limits]\nmax_bytes = 1G\n", "max_bytes=1073741824", TRUE },
  /* errors: each names the file (checked by the test), group and key */
  /* the Redis backend */
  { "[record]\nbackend = redis\nurl = unix:/run/redis.sock\npassword_file = ~/pw\nuser = usc\n"
    "timeout_ms = 150\nprefix = mail:{%u}:\n",
    "redis=1 url=unix:/run/redis.sock pwfile=/home-for-test/pw user=usc timeout_ms=150 prefix=mail:{%u}: "
    "record=unix:/run/redis.sock", TRUE },
  { "[record]\nbackend = REDIS\nurl = redis-cluster://10.0.0.1:7000,10.0.0.2:7000\npath = /x.db\n",
    "redis=1 url=redis-cluster://10.0.0.1:7000,10.0.0.2:7000 pwfile=- user=- timeout_ms=200 prefix=- "
    "record=redis-cluster://", TRUE },
  { "[record]\nbackend = sqlite\npath = /x.db\n", "redis=0 url=- pwfile=- user=- timeout_ms=200 prefix=- record=/x.db", TRUE },
  { "[record]\nbackend = redis\n", "[record] backend = redis needs url", FALSE },
  { "[record]\nurl = unix:/run/redis.sock\n", "[record] url is for backend = redis", FALSE },
  { "[record]\nbackend = memcached\n", "[record] backend = 'memcached': must be sqlite or redis", FALSE },
  { "[record]\nbackend = redis\nurl = redis://u:pw@host\n", "[record] url: Redis URL 'redis://u:pw@host': a user or password in the URL", FALSE },
  { "[record]\nbackend = redis\nurl = rediss://host\n", "TLS (rediss://) is not supported", FALSE },
  { "[record]\nbackend = redis\nurl = unix:/s\ntimeout_ms = 0\n", "[record] timeout_ms = '0': is out of range", FALSE },
  { "[record]\nbackend = redis\nurl = unix:/s\nprefix = a:%d:\n", "[record] prefix: Redis key prefix 'a:%d:'", FALSE },
  { "[record]\nexpire_dayz = 3\n", "[record] unknown key 'expire_dayz'", FALSE },
  { "[recrod]\npath = x\n", "unknown group [recrod]", FALSE },
  { "[record]\nexpire_days = soon\n", "[record] expire_days = 'soon': must be a whole number", FALSE },
  { "[record]\nexpire_days = -5\n", "[record] expire_days = '-5'", FALSE },
  { "[record]\nexpire_days = 0\n", "[record] expire_days = '0': is out of range", FALSE },
  { "[record]\nbusy_timeout = fast\n", "[record] busy_timeout = 'fast'", FALSE },
  { "[record]\npath =\n", "[record] path = '': must not be empty", FALSE },
  { "[actions]\nbackscatter = delete\n", "[actions] backscatter = 'delete': must be deliver, file or discard", FALSE },
  { "[actions]\nfolder = ../x\n", "[actions] folder = '../x'", FALSE },
  { "[actions]\nfolder = .Hidden\n", "[actions] folder = '.Hidden'", FALSE },
  { "[actions]\nfolder = Junk.\n", "[actions] folder = 'Junk.'", FALSE },
  { "[actions]\nfolder = Junk..Bounces\n", "[actions] folder = 'Junk..Bounces'", FALSE },
  { "[actions]\nspam = file\n", "[actions] unknown key 'spam'", FALSE },
  { "[actions]\nfolder = a/b\n", "must not contain '/' or '..'", FALSE },
  { "[actions]\nfolder = a\001b\n", "must not contain control characters", FALSE },
  { "[actions]\nfolder = bad\xff\n", "must be valid UTF-8", FALSE },
  { "[actions]\nfolder = FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n", "is too long (at most 200 bytes)", FALSE },
  { "[actions]\nfolder = FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n", "folder=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", TRUE },
  { "[batv]\nrequire = maybe\n", "[batv] require = 'maybe': must be true or false", FALSE },
  { "[limits]\nmax_bytes = 10Q\n", "[limits] max_bytes = '10Q'", FALSE },
  { "[limits]\nmax_bytes = 99999999999999999999999\n", "[limits] max_bytes", FALSE },
  { "[limits]\nmax_depth = 0\n", "[limits] max_depth = '0': is out of range", FALSE },
  { "this is not a key file\n", "", FALSE },
  { "[record\n", "", FALSE },
};

static void
test_files (void)
{
  g_setenv ("HOME", "/home-for-test", TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *path = g_strdup_printf ("%s/case-%zu.conf", tmpdir, i);
    g_assert_true (g_file_set_contents (path, cases[i].text, -1, NULL));
    GError *e = NULL;
    UscConfig *c = usc_config_load (path, &e);
    if (cases[i].ok) {
      g_assert_no_error (e);
      g_assert_nonnull (c);
      char *s = summary (c);
      if (strstr (s, cases[i].expect) == NULL)
        g_error ("case %zu: '%s' not in '%s'", i, cases[i].expect, s);
      g_free (s);
    } else {
      if (c != NULL)
        g_error ("case %zu: accepted, expected an error with '%s'", i, cases[i].expect);
      g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
      if (strstr (e->message, path) == NULL || strstr (e->message, cases[i].expect) == NULL)
        g_error ("case %zu: error '%s' lacks '%s' or the file name", i, e->message, cases[i].expect);
      g_clear_error (&e);
    }
    usc_config_free (&c);
    g_free (path);
  }
}

static void
test_missing (void)
{
  GError *e = NULL;
  char *path = g_build_filename (tmpdir, "no-such.conf", NULL);
  UscConfig *c = usc_config_load (path, &e);
  g_assert_null (c);
  g_assert_error (e, USC_ERROR, USC_ERROR_CONFIG);
  g_assert_nonnull (strstr (e->message, path));
  g_clear_error (&e);
  g_free (path);
}

static void
test_record_path (void)
{
  UscConfig *c = usc_config_new_default ();
  g_unsetenv ("UNSCATTER_DB");
  char *p = usc_config_record_path (c, "/opt/db");
  g_assert_cmpstr (p, ==, "/opt/db");
  g_free (p);
  p = usc_config_record_path (c, NULL);
  char *def = g_build_filename (g_get_user_data_dir (), "unscatter", "record.db", NULL);
  g_assert_cmpstr (p, ==, def);
  g_free (p);
  g_free (def);
  c->record_path = g_strdup ("/cfg/db");
  p = usc_config_record_path (c, NULL);
  g_assert_cmpstr (p, ==, "/cfg/db");
  g_free (p);
  g_setenv ("UNSCATTER_DB", "/env/db", TRUE);
  p = usc_config_record_path (c, NULL);
  g_assert_cmpstr (p, ==, "/env/db");
  g_free (p);
  p = usc_config_record_path (c, "/opt/db");
  g_assert_cmpstr (p, ==, "/opt/db");
  g_free (p);
  g_unsetenv ("UNSCATTER_DB");
  usc_config_free (&c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  tmpdir = g_dir_make_tmp ("test-config-XXXXXX", NULL);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/names", test_names);
  g_test_add_func ("/config/files", test_files);
  g_test_add_func ("/config/missing", test_missing);
  g_test_add_func ("/config/record-path", test_record_path);
  int rc = g_test_run ();
  char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0 && rc == 0)
    rc = 1;
  g_free (cmd);
  g_free (tmpdir);
  return rc;
}
