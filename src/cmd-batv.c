/* cmd-batv.c — `unscatter batv sign|verify|keygen`: BATV prvs tags from the
 * command line (see usc-batv.c for the format, Exim-compatible, and the
 * expiry rule).
 *
 *   unscatter batv sign [--keys F] [--key-number K] [--date YYYY-MM-DD] ADDR
 *       prints prvs=KDDDHHHHHH=ADDR; exit 0, 1 on failure (no keys, bad address)
 *   unscatter batv verify [--keys F] [--date YYYY-MM-DD] ADDR
 *       prints "ADDR: REASON" on stdout; exit 0 when the tag is valid, 1 when
 *       it is not (no tag, bad hash, expired, ...) or could not be checked
 *   unscatter batv keygen [--keys F] [--key-number K] [--force]
 *       creates the keys file (mode 0600) holding "K:<32 hex digits>" from
 *       /dev/urandom and prints its path; refuses to replace an existing
 *       file unless --force
 *
 * The keys file is --keys, else the config's [batv] keys, else
 * $XDG_CONFIG_HOME/unscatter/batv-keys. --date fixes "today" (UTC) for
 * signing and verifying, else the clock ($UNSCATTER_NOW for tests) is used.
 * Usage errors exit 2.
 */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
batv_usage (FILE *f)
{
  fprintf (f,
           "usage: unscatter batv sign [--keys F] [--key-number K] [--date YYYY-MM-DD] ADDRESS\n"
           "       unscatter batv verify [--keys F] [--date YYYY-MM-DD] ADDRESS\n"
           "       unscatter batv keygen [--keys F] [--key-number K] [--force]\n");
}

/* YYYY-MM-DD (UTC) -> seconds since the epoch at 00:00; FALSE when malformed. */
static gboolean
parse_date (const char *s, gint64 *secs_r)
{
  int y, m, d;
  char tail;
  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-'
      || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  GDateTime *dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *secs_r = g_date_time_to_unix (dt);
  g_date_time_unref (dt);
  return TRUE;
}

/* The keys file path: @opt, else config [batv] keys, else the XDG default. */
static char *
keys_path (CliContext *ctx, const char *opt)
{
  if (opt)
    return g_strdup (opt);
  if (ctx->config && ctx->config->batv_keys)
    return g_strdup (ctx->config->batv_keys);
  return g_build_filename (g_get_user_config_dir (), "unscatter", "batv-keys", NULL);
}

static int
do_keygen (const char *path, int key_number, gboolean force)
{
  if (!force && g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK)) {
    fprintf (stderr, "unscatter: batv keygen: %s exists; not replacing it (use --force)\n", path);
    return CLI_EX_NO;
  }
  char *dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) < 0) {
    int e = errno;
    fprintf (stderr, "unscatter: batv keygen: %s: %s\n", dir, g_strerror (e));
    g_free (dir);
    return CLI_EX_NO;
  }
  char *secret = usc_batv_keygen_secret ();
  if (secret == NULL) {
    fprintf (stderr, "unscatter: batv keygen: cannot read /dev/urandom\n");
    g_free (dir);
    return CLI_EX_NO;
  }
  char *content = g_strdup_printf ("# unscatter BATV keys: K:secret, the first line signs, all verify.\n"
                                   "%d:%s\n", key_number, secret);
  memset (secret, 0, strlen (secret));
  g_free (secret);

  /* Write a temporary file (created 0600) next to the target, then move it
   * into place: without --force with link(), which never replaces. */
  char *tmpl = g_build_filename (dir, ".batv-keys.XXXXXX", NULL);
  g_free (dir);
  int rc = CLI_EX_NO;
  int fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    int e = errno;
    fprintf (stderr, "unscatter: batv keygen: %s: %s\n", tmpl, g_strerror (e));
    goto out;
  }
  gsize len = strlen (content), off = 0;
  while (off < len) {
    ssize_t n = write (fd, content + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    off += (gsize) n;
  }
  gboolean ok = off == len && fchmod (fd, 0600) == 0 && fsync (fd) == 0;
  int e = errno;
  if (close (fd) < 0 && ok) {
    ok = FALSE;
    e = errno;
  }
  if (ok) {
    if (force)
      ok = rename (tmpl, path) == 0;
    else
      ok = link (tmpl, path) == 0;
    e = errno;
  }
  if (!ok) {
    if (!force && e == EEXIST)
      fprintf (stderr, "unscatter: batv keygen: %s exists; not replacing it (use --force)\n", path);
    else
      fprintf (stderr, "unscatter: batv keygen: %s: %s\n", path, g_strerror (e));
  } else {
    printf ("%s\n", path);
    rc = CLI_EX_OK;
  }
  unlink (tmpl);   /* after link(), or on failure; harmless after rename() */
out:
  memset (content, 0, strlen (content));
  g_free (content);
  g_free (tmpl);
  return rc;
}

int
cmd_batv (int argc, char **argv)
{
  if (argc < 2) {
    batv_usage (stderr);
    return CLI_EX_USAGE;
  }
  const char *sub = argv[1];
  if (strcmp (sub, "--help") == 0 || strcmp (sub, "-h") == 0 || strcmp (sub, "help") == 0) {
    batv_usage (stdout);
    return CLI_EX_OK;
  }
  enum { SIGN, VERIFY, KEYGEN } mode;
  if (strcmp (sub, "sign") == 0)
    mode = SIGN;
  else if (strcmp (sub, "verify") == 0)
    mode = VERIFY;
  else if (strcmp (sub, "keygen") == 0)
    mode = KEYGEN;
  else {
    fprintf (stderr, "unscatter: batv: unknown sub-command '%s'\n", sub);
    batv_usage (stderr);
    return CLI_EX_USAGE;
  }

  CliContext ctx = { 0 };
  char *opt_keys = NULL, *opt_date = NULL;
  int key_number = -1;
  gboolean force = FALSE;
  GOptionEntry keys_entry[] = {
    { "keys", 'k', 0, G_OPTION_ARG_FILENAME, &opt_keys,
      "BATV keys file (default [batv] keys, $XDG_CONFIG_HOME/unscatter/batv-keys)", "FILE" },
    { NULL }
  };
  GOptionEntry number_entry[] = {
    { "key-number", 'n', 0, G_OPTION_ARG_INT, &key_number,
      mode == KEYGEN ? "the new key's number (default 0)" : "sign with this key (default the first in the file)", "K" },
    { NULL }
  };
  GOptionEntry date_entry[] = {
    { "date", 'd', 0, G_OPTION_ARG_STRING, &opt_date, "the day (UTC) to sign or verify for (default today)", "YYYY-MM-DD" },
    { NULL }
  };
  GOptionEntry force_entry[] = {
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "replace an existing keys file", NULL },
    { NULL }
  };
  static const char *const summary[] = {
    [SIGN] = "ADDRESS — print ADDRESS with a BATV prvs tag",
    [VERIFY] = "ADDRESS — check the BATV prvs tag of ADDRESS (exit 0 valid, 1 not)",
    [KEYGEN] = "— create a BATV keys file with a random secret",
  };
  GOptionContext *oc = g_option_context_new (summary[mode]);
  g_option_context_add_main_entries (oc, keys_entry, NULL);
  if (mode != VERIFY)
    g_option_context_add_main_entries (oc, number_entry, NULL);
  if (mode != KEYGEN)
    g_option_context_add_main_entries (oc, date_entry, NULL);
  else
    g_option_context_add_main_entries (oc, force_entry, NULL);
  cli_add_common_options (oc, &ctx);

  int sub_argc = argc - 1;
  char **sub_argv = argv + 1;
  GError *error = NULL;
  int rc = CLI_EX_USAGE;
  gint64 now = 0;
  UscBatvKeys *keys = NULL;
  char *path = NULL;

  if (!g_option_context_parse (oc, &sub_argc, &sub_argv, &error)) {
    cli_error ("batv", error);
    goto out;
  }
  int want_args = mode == KEYGEN ? 0 : 1;
  if (sub_argc - 1 != want_args) {
    fprintf (stderr, "unscatter: batv %s: %s\n", sub,
             want_args ? "exactly one ADDRESS expected" : "no arguments expected");
    batv_usage (stderr);
    goto out;
  }
  if (key_number != -1 && (key_number < 0 || key_number > 9)) {
    fprintf (stderr, "unscatter: batv %s: --key-number must be a digit 0-9\n", sub);
    goto out;
  }
  if (opt_date) {
    if (!parse_date (opt_date, &now)) {
      fprintf (stderr, "unscatter: batv %s: --date wants a date YYYY-MM-DD, not '%s'\n", sub, opt_date);
      goto out;
    }
  } else {
    now = usc_now ();
  }

  rc = CLI_EX_NO;
  /* The config only matters for the keys path; an explicit --keys needs none. */
  if (opt_keys == NULL && !cli_context_init (&ctx, &error)) {
    cli_error ("batv", error);
    goto out;
  }
  path = keys_path (&ctx, opt_keys);

  if (mode == KEYGEN) {
    rc = do_keygen (path, key_number < 0 ? 0 : key_number, force);
    goto out;
  }

  keys = usc_batv_keys_load (path, &error);
  if (keys == NULL) {
    cli_error ("batv", error);
    if (error && error->code == USC_ERROR_CONFIG && !g_file_test (path, G_FILE_TEST_EXISTS))
      fprintf (stderr, "unscatter: batv: create one with 'unscatter batv keygen%s%s'\n",
               opt_keys ? " --keys " : "", opt_keys ? opt_keys : "");
    goto out;
  }

  const char *address = sub_argv[1];
  if (mode == SIGN) {
    char *tagged = usc_batv_sign (keys, key_number, address, now, &error);
    if (tagged == NULL) {
      cli_error ("batv sign", error);
      goto out;
    }
    printf ("%s\n", tagged);
    g_free (tagged);
    rc = CLI_EX_OK;
  } else {
    UscBatvResult res;
    UscBatvStatus st = usc_batv_verify (keys, address, now, &res);
    if (st == USC_BATV_NONE)
      printf ("%s: no BATV tag\n", address);
    else if (st == USC_BATV_VALID)
      printf ("%s: valid (key %d, address %s)\n", address, res.key_number, res.address);
    else
      printf ("%s: invalid: %s\n", address, usc_batv_status_reason (st));
    usc_batv_result_clear (&res);
    rc = st == USC_BATV_VALID ? CLI_EX_OK : CLI_EX_NO;
  }

out:
  fflush (stdout);
  g_clear_error (&error);
  g_option_context_free (oc);
  usc_batv_keys_free (&keys);
  g_free (path);
  g_free (opt_keys);
  g_free (opt_date);
  cli_context_clear (&ctx);
  return rc;
}
