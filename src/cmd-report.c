/* cmd-report.c — `unscatter report [--since DAYS] [--until DATE] [--top N]
 * [--json | --html FILE] [--db PATH]... [--all-users DIR...]`: the
 * backscatter report of the user's record (usc-report.h), or, for an admin,
 * of several records (--db more than once) or of every user's record under
 * the home directories DIR/USER (--all-users, each user's own config deciding
 * where the record is). Other users' records are opened read-only and never
 * created or upgraded.
 * Exit: 0; 75 a record could not be read (the report of the others is still
 * printed); 2 usage.
 */
#include "config.h"
#include "cli.h"
#include "usc-report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

/* "YYYY-MM-DD" -> the start of that day (UTC); FALSE when it is not a date. */
static gboolean
parse_day (const char *s, gint64 *t_r)
{
  int y, m, d;
  char tail;
  if (s == NULL || sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen (s) != 10)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  GDateTime *dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *t_r = g_date_time_to_unix (dt);
  g_date_time_unref (dt);
  return TRUE;
}

/* Open @path read-only and add it as @name; FALSE (warning printed) on failure. */
static gboolean
add_path (UscReport *rep, const char *path, const char *name, double busy)
{
  UscRecordOptions o = { .busy_timeout = busy, .read_only = TRUE };
  GError *error = NULL;
  UscRecord *rec = usc_record_open (path, &o, &error);
  if (rec == NULL || usc_report_add_record (rep, rec, name, &error) < 0) {
    if (error && strstr (error->message, path) == NULL)
      g_prefix_error (&error, "record %s: ", path);
    cli_error ("report", error);
    g_clear_error (&error);
    usc_record_close (&rec);
    return FALSE;
  }
  usc_record_close (&rec);
  return TRUE;
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every user's record under the home directories in @dir; FALSE when one failed. */
static gboolean
add_homes (UscReport *rep, const char *dir)
{
  GError *error = NULL;
  GDir *d = g_dir_open (dir, 0, &error);
  if (d == NULL) {
    cli_error ("report", error);
    g_clear_error (&error);
    return FALSE;
  }
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *n;
  while ((n = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (n));
  g_dir_close (d);
  g_ptr_array_sort (names, cmp_str);
  gboolean ok = TRUE;
  for (guint i = 0; i < names->len; i++) {
    char *home = g_build_filename (dir, names->pdata[i], NULL);
    if (g_file_test (home, G_FILE_TEST_IS_DIR)) {
      UscContext *ctx = usc_context_new (home, NULL, NULL, &error);
      if (ctx == NULL) {
        cli_error ("report", error);
        g_clear_error (&error);
        ok = FALSE;
      } else {
        const char *path = usc_context_record_path (ctx);
        if (g_file_test (path, G_FILE_TEST_EXISTS)
            && !add_path (rep, path, names->pdata[i], usc_context_config (ctx)->busy_timeout))
          ok = FALSE;
        usc_context_free (&ctx);
      }
    }
    g_free (home);
  }
  g_ptr_array_unref (names);
  return ok;
}

int
cmd_report (int argc, char **argv)
{
  int since_days = 30, top = 10, ret = CLI_EX_OK;
  gboolean opt_json = FALSE;
  char *opt_until = NULL, *opt_html = NULL, *opt_config = NULL;
  char **opt_db = NULL, **opt_homes = NULL;
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_INT, &since_days, "the last DAYS days up to --until (default 30; 0: all)", "DAYS" },
    { "until", 0, 0, G_OPTION_ARG_STRING, &opt_until, "the last day of the period, YYYY-MM-DD UTC (default today)", "DATE" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "lines in each top list (default 10)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "one JSON object for scripts", NULL },
    { "html", 0, 0, G_OPTION_ARG_FILENAME, &opt_html, "write a self-contained HTML page to FILE ('-': stdout)", "FILE" },
    { "all-users", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_homes,
      "every user's record under the home directories DIR/* (more DIRs may follow as arguments)", "DIR" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_db, "a record to report on (more than once: several, read-only)", "PATH" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config, "configuration file (default $XDG_CONFIG_HOME/unscatter/config)", "PATH" },
    { NULL }
  };
  GOptionContext *oc = g_option_context_new ("[DIR...] — the backscatter report");
  g_option_context_add_main_entries (oc, entries, NULL);
  GError *error = NULL;
  CliContext ctx = { 0 };
  UscReport *rep = NULL;
  char *out = NULL;
  if (!g_option_context_parse (oc, &argc, &argv, &error)) {
    cli_error ("report", error);
    g_clear_error (&error);
    ret = CLI_EX_USAGE;
    goto out;
  }
  gint64 until = 0;
  const char *usage = NULL;
  if (argc > 1 && opt_homes == NULL)
    usage = "unexpected argument (DIRs only after --all-users)";
  else if (since_days < 0)
    usage = "--since must be >= 0";
  else if (top < 1 || top > 10000)
    usage = "--top must be 1..10000";
  else if (opt_json && opt_html)
    usage = "--json and --html exclude each other";
  else if (opt_until && !parse_day (opt_until, &until))
    usage = "--until must be a date YYYY-MM-DD";
  else if (opt_homes && opt_db)
    usage = "--all-users and --db exclude each other";
  if (usage) {
    fprintf (stderr, "unscatter: report: %s\n", usage);
    ret = CLI_EX_USAGE;
    goto out;
  }
  if (opt_until == NULL) {
    gint64 now = usc_now ();
    until = (now >= 0 ? now / DAY : -((-now + DAY - 1) / DAY)) * DAY;
  }
  until += DAY;  /* the whole last day */
  gint64 since = since_days == 0 ? G_MININT64 : until - (gint64) since_days * DAY;

  ctx.opt_config = g_steal_pointer (&opt_config);
  if (opt_db && opt_db[0] && !opt_db[1])
    ctx.opt_db = g_strdup (opt_db[0]);
  if (!cli_context_init (&ctx, &error)) {
    cli_error ("report", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  rep = usc_report_new (since, until, (guint) top);
  usc_report_use_geoip (rep, ctx.config->geoip);
  if (opt_homes) {
    for (guint i = 0; opt_homes[i]; i++)
      if (!add_homes (rep, opt_homes[i]))
        ret = CLI_EX_TEMPFAIL;
    for (int i = 1; i < argc; i++)
      if (!add_homes (rep, argv[i]))
        ret = CLI_EX_TEMPFAIL;
  } else if (opt_db && opt_db[0] && opt_db[1]) {
    for (guint i = 0; opt_db[i]; i++)
      if (!add_path (rep, opt_db[i], opt_db[i], ctx.config->busy_timeout))
        ret = CLI_EX_TEMPFAIL;
  } else {
    /* The user's own record: opened as deliveries open it (an older schema
     * is upgraded), never created. */
    UscRecord *rec = cli_context_record (&ctx, FALSE, &error);
    const char *path = usc_context_record_path (ctx.usc);
    if (rec == NULL && error == NULL)
      fprintf (stderr, "unscatter: report: no record at %s yet: nothing to report\n", path);
    else if (rec == NULL || usc_report_add_record (rep, rec, path, &error) < 0) {
      cli_error ("report", error);
      g_clear_error (&error);
      ret = CLI_EX_TEMPFAIL;
      goto out;
    }
  }
  usc_report_finish (rep);
  out = opt_json ? usc_report_json (rep) : opt_html ? usc_report_html (rep) : usc_report_text (rep);
  if (opt_html && strcmp (opt_html, "-") != 0) {
    if (!g_file_set_contents (opt_html, out, -1, &error)) {
      cli_error ("report", error);
      g_clear_error (&error);
      ret = CLI_EX_TEMPFAIL;
    }
  } else if (fputs (out, stdout) == EOF || fflush (stdout) != 0) {
    fprintf (stderr, "unscatter: report: stdout: %s\n", g_strerror (errno));
    ret = CLI_EX_TEMPFAIL;
  }
out:
  g_free (out);
  usc_report_free (&rep);
  cli_context_clear (&ctx);
  g_option_context_free (oc);
  g_free (opt_until);
  g_free (opt_html);
  g_free (opt_config);
  g_strfreev (opt_db);
  g_strfreev (opt_homes);
  return ret;
}
