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

/* Report a record failure for command @name: exit 75 (the record may be
 * locked or damaged: try again). */
static int
record_failed (const char *name, GError **error)
{
  cli_error (name, *error);
  g_clear_error (error);
  return CLI_EX_TEMPFAIL;
}

/* The record of an initialised context, when --days @days is valid and the
 * record exists; else NULL with *@ret_r set (2 bad --days, 75 record
 * failure, 0 after printing @absent when there is no record yet). */
static UscRecord *
existing_record (const char *name, int days, const char *absent, CliContext *ctx, int *ret_r)
{
  if (days < 0) {
    fprintf (stderr, "unscatter: %s: --days must be >= 0\n", name);
    *ret_r = CLI_EX_USAGE;
    return NULL;
  }
  GError *error = NULL;
  UscRecord *record = cli_context_record (ctx, FALSE, &error);
  if (record == NULL) {
    if (error)
      *ret_r = record_failed (name, &error);
    else
      printf ("%s\n", absent);
  }
  return record;
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
  UscRecord *record = existing_record ("expire", days, "expired 0 (no record)", &ctx, &ret);
  if (record == NULL)
    goto out;
  GError *error = NULL;
  gint64 n = usc_record_expire (record, usc_now () - (gint64) days * 86400, &error);
  gint64 left = n < 0 ? -1 : usc_record_count (record, &error);
  if (left < 0) {
    ret = record_failed ("expire", &error);
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
  UscRecord *record = existing_record ("stats", days,
                                       "entries 0 (no record; decisions are counted once one exists: see unscatter record)",
                                       &ctx, &ret);
  if (record == NULL)
    goto out;
  GError *error = NULL;
  gint64 now = usc_now ();
  /* "the last N days" includes today: from the start of day N-1 ago. */
  gint64 since = days == 0 ? G_MININT64 / 2 : now - (gint64) (days - 1) * 86400;
  gint64 total = 0;
  gint64 n = usc_record_stats (record, since, print_row, &total, &error) < 0
               ? -1 : usc_record_count (record, &error);
  if (n < 0) {
    ret = record_failed ("stats", &error);
    goto out;
  }
  printf ("decisions %" G_GINT64_FORMAT "\n", total);
  printf ("entries %" G_GINT64_FORMAT "\n", n);
out:
  cli_context_clear (&ctx);
  return ret;
}
