/* cmd-maint.c — record maintenance: `unscatter expire [--days N]` removes the
 * entries recorded more than [record] expire_days (or N) days ago and prints
 * how many; `unscatter stats [--days N]` prints the decisions of the last N
 * days (default 30; 0: all) per day, verdict and kind, and the number of
 * sent messages in the record.
 * Exit: 0 ok, 75 the record failed (locked, damaged, I/O), 2 usage.
 */
#include "config.h"
#include "cli.h"

#include <stdio.h>

static gboolean
parse_common (const char *name, const char *summary, int *argc, char ***argv,
              GOptionEntry *entries, CliContext *ctx, int *ret_r)
{
  GOptionContext *oc = g_option_context_new (summary);
  g_option_context_add_main_entries (oc, entries, NULL);
  cli_add_common_options (oc, ctx);
  GError *error = NULL;
  if (!g_option_context_parse (oc, argc, argv, &error) || *argc > 1) {
    if (error)
      cli_error (name, error);
    else
      fprintf (stderr, "unscatter: %s: unexpected argument '%s'\n", name, (*argv)[1]);
    g_clear_error (&error);
    g_option_context_free (oc);
    *ret_r = CLI_EX_USAGE;
    return FALSE;
  }
  g_option_context_free (oc);
  if (!cli_context_init (ctx, &error)) {
    cli_error (name, error);
    g_clear_error (&error);
    *ret_r = CLI_EX_TEMPFAIL;
    return FALSE;
  }
  return TRUE;
}

int
cmd_expire (int argc, char **argv)
{
  CliContext ctx = { 0 };
  int days = G_MININT, ret = CLI_EX_OK;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "remove entries recorded more than N days ago (default [record] expire_days)", "N" },
    { NULL }
  };
  if (!parse_common ("expire", "— remove old entries from the sent-mail record", &argc, &argv,
                     entries, &ctx, &ret))
    goto out;
  if (days == G_MININT)
    days = (int) ctx.config->expire_days;
  if (days < 0) {
    fprintf (stderr, "unscatter: expire: --days must be >= 0\n");
    ret = CLI_EX_USAGE;
    goto out;
  }
  GError *error = NULL;
  UscRecord *record = cli_context_record (&ctx, FALSE, &error);
  if (record == NULL) {
    if (error) {
      cli_error ("expire", error);
      g_clear_error (&error);
      ret = CLI_EX_TEMPFAIL;
    } else {
      printf ("expired 0 (no record)\n");
    }
    goto out;
  }
  gint64 n = usc_record_expire (record, usc_now () - (gint64) days * 86400, &error);
  if (n < 0) {
    cli_error ("expire", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  gint64 left = usc_record_count (record, &error);
  if (left < 0) {
    cli_error ("expire", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  printf ("expired %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " left\n", n, left);
out:
  cli_context_clear (&ctx);
  return ret;
}

static void
print_row (const char *day, const char *verdict, const char *kind, gint64 count, gpointer user_data)
{
  gint64 *total = user_data;
  printf ("%s  %-11s %-15s %" G_GINT64_FORMAT "\n", day, verdict, kind, count);
  *total += count;
}

int
cmd_stats (int argc, char **argv)
{
  CliContext ctx = { 0 };
  int days = 30, ret = CLI_EX_OK;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "the last N days (default 30; 0: all)", "N" },
    { NULL }
  };
  if (!parse_common ("stats", "— decisions per day, verdict and kind; record size", &argc, &argv,
                     entries, &ctx, &ret))
    goto out;
  if (days < 0) {
    fprintf (stderr, "unscatter: stats: --days must be >= 0\n");
    ret = CLI_EX_USAGE;
    goto out;
  }
  GError *error = NULL;
  UscRecord *record = cli_context_record (&ctx, FALSE, &error);
  if (record == NULL) {
    if (error) {
      cli_error ("stats", error);
      g_clear_error (&error);
      ret = CLI_EX_TEMPFAIL;
    } else {
      printf ("entries 0 (no record)\n");
    }
    goto out;
  }
  gint64 now = usc_now ();
  /* "the last N days" includes today: from the start of day N-1 ago. */
  gint64 since = days == 0 ? G_MININT64 / 2 : now - (gint64) (days - 1) * 86400;
  gint64 total = 0;
  if (usc_record_stats (record, since, print_row, &total, &error) < 0) {
    cli_error ("stats", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  gint64 n = usc_record_count (record, &error);
  if (n < 0) {
    cli_error ("stats", error);
    g_clear_error (&error);
    ret = CLI_EX_TEMPFAIL;
    goto out;
  }
  printf ("decisions %" G_GINT64_FORMAT "\n", total);
  printf ("entries %" G_GINT64_FORMAT "\n", n);
out:
  cli_context_clear (&ctx);
  return ret;
}
