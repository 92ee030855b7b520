/* usc-record-redis-stats.c — the Redis record's decision counts (P stats:
 * "<day> <verdict> <kind>" -> count), added one by one or by an import,
 * and read back for `unscatter stats` in order.
 */
#include "config.h"
#include "usc-record-redis-private.h"

#include <string.h>

static int
hincrby_stats (RedisBe *s, gint64 day, const char *verdict, const char *kind, gint64 n,
               const char *what, GError **error)
{
  char *field = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", day, verdict, kind);
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "HINCRBY");
  usc_rr_cmd_add_key (&c, s, "stats", G_MININT64);
  usc_rr_cmd_add (&c, field);
  usc_rr_cmd_add_int (&c, n);
  g_free (field);
  return usc_rr_cmd_int (s, &c, what, error) < 0 ? -1 : 0;
}

int
usc_rr_log_decision (gpointer be, gint64 day, const char *verdict, const char *kind, GError **error)
{
  return hincrby_stats (be, day, verdict, kind, 1, "log decision", error);
}

int
usc_rr_add_decisions (gpointer be, gint64 day, const char *verdict, const char *kind, gint64 n,
                      GError **error)
{
  return hincrby_stats (be, day, verdict, kind, n, "import decisions", error);
}

typedef struct {
  gint64 day;
  char  *verdict, *kind;
  gint64 count;
} StatRow;

static gint
cmp_rows (gconstpointer a, gconstpointer b)
{
  const StatRow *x = a, *y = b;
  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  int c = strcmp (x->verdict, y->verdict);
  return c ? c : strcmp (x->kind, y->kind);
}

int
usc_rr_stats (gpointer be, gint64 since_day, UscStatsFunc fn, gpointer user_data, GError **error)
{
  RedisBe *s = be;
  Cmd c;
  usc_rr_cmd_init (&c);
  usc_rr_cmd_add (&c, "HGETALL");
  usc_rr_cmd_add_key (&c, s, "stats", G_MININT64);
  UscRedisReply *rep = usc_rr_cmd_run (s, &c, "stats", error);
  usc_rr_cmd_clear (&c);
  if (rep == NULL)
    return -1;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (StatRow));
  gsize n = usc_redis_reply_n_elements (rep);
  for (gsize i = 0; i + 1 < n; i += 2) {
    gsize flen = 0;
    const char *f = usc_redis_reply_string (usc_redis_reply_element (rep, i), &flen);
    StatRow row = { 0 };
    if (f == NULL || !usc_redis_reply_integer (usc_redis_reply_element (rep, i + 1), &row.count))
      continue;
    char *field = g_strndup (f, flen);
    char **parts = g_strsplit (field, " ", 3);
    g_free (field);
    char *end = NULL;
    if (g_strv_length (parts) == 3) {
      row.day = g_ascii_strtoll (parts[0], &end, 10);
      if (end && *end == '\0' && row.day >= since_day) {
        row.verdict = g_strdup (parts[1]);
        row.kind = g_strdup (parts[2]);
        g_array_append_val (rows, row);
      }
    }
    g_strfreev (parts);
  }
  usc_redis_reply_free (&rep);
  g_array_sort (rows, cmp_rows);
  for (guint i = 0; i < rows->len; i++) {
    StatRow *row = &g_array_index (rows, StatRow, i);
    GDateTime *dt = g_date_time_new_from_unix_utc (row->day * 86400);
    char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
    fn (d, row->verdict, row->kind, row->count, user_data);
    g_free (d);
    if (dt)
      g_date_time_unref (dt);
    g_free (row->verdict);
    g_free (row->kind);
  }
  g_array_free (rows, TRUE);
  return 0;
}
