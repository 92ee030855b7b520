/* usc-report-agg.c — the report's aggregation: one pass over a record's
 * decision-log rows and its per-day counts into an Agg (a hash table per
 * dimension, the days, the kept bounces cut to the newest), and one Agg
 * merged into another (a record is merged only when it was read whole).
 */
#include "config.h"
#include "usc-report-private.h"

#include <stdio.h>
#include <string.h>

void
usc_report_kept_free (gpointer p)
{
  UscReportKept *k = p;
  if (k == NULL)
    return;
  g_free (k->kind);
  g_free (k->server);
  g_free (k->recipient);
  g_free (k->reason);
  g_free (k);
}

Agg *
usc_report_agg_new (guint top_n, gint64 until_day)
{
  Agg *a = g_new0 (Agg, 1);
  for (int i = 0; i < C_N; i++)
    a->count[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->days = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  a->kept = g_ptr_array_new_with_free_func (usc_report_kept_free);
  a->min_day = G_MAXINT64;
  a->top_n = top_n;
  a->until_day = until_day;
  return a;
}

void
usc_report_agg_free (Agg *a)
{
  if (a == NULL)
    return;
  for (int i = 0; i < C_N; i++)
    g_hash_table_unref (a->count[i]);
  g_hash_table_unref (a->days);
  g_ptr_array_unref (a->kept);
  g_free (a);
}

void
usc_report_bump (GHashTable *h, const char *name, gint64 by)
{
  gint64 *n = g_hash_table_lookup (h, name);
  if (n == NULL) {
    n = g_new0 (gint64, 1);
    g_hash_table_insert (h, g_strdup (name), n);
  }
  *n += by;
}

static DayCount *
day_slot (GHashTable *days, gint64 day)
{
  DayCount *c = g_hash_table_lookup (days, &day);
  if (c == NULL) {
    gint64 *k = g_new (gint64, 1);
    *k = day;
    c = g_new0 (DayCount, 1);
    g_hash_table_insert (days, k, c);
  }
  return c;
}

static const char *
or_unknown (const char *s)
{
  return s && *s ? s : UNKNOWN_NAME;
}

/* "host [ip]", "host", "[ip]" or NULL. */
static char *
server_name (const char *host, const char *ip)
{
  gboolean h = host && *host, i = ip && *ip;
  if (h && i)
    return g_strdup_printf ("%s [%s]", host, ip);
  if (h)
    return g_strdup (host);
  if (i)
    return g_strdup_printf ("[%s]", ip);
  return NULL;
}

static gint
kept_newest_first (gconstpointer a, gconstpointer b)
{
  const UscReportKept *x = *(const UscReportKept *const *) a, *y = *(const UscReportKept *const *) b;
  return x->time < y->time ? 1 : x->time > y->time ? -1 : 0;
}

void
usc_report_kept_cut (GPtrArray *kept, guint n)
{
  g_ptr_array_sort (kept, kept_newest_first);
  if (kept->len > n)
    g_ptr_array_set_size (kept, n);
}

void
usc_report_on_row (const UscDecision *d, gpointer data)
{
  Agg *a = data;
  gint64 day = day_of (d->time);
  if (day < a->min_day)
    a->min_day = day;
  DayCount *dc = day_slot (a->days, day);
  const char *v = d->verdict ? d->verdict : "";
  if (strcmp (v, "backscatter") == 0) {
    a->backscatter++;
    dc->backscatter++;
    char *server = server_name (d->relay_host, d->relay_ip);
    usc_report_bump (a->count[C_SERVERS], or_unknown (server), 1);
    g_free (server);
    usc_report_bump (a->count[C_RMTA], or_unknown (d->reporting_mta), 1);
    usc_report_bump (a->count[C_MTA], d->mta_family && *d->mta_family ? d->mta_family : "unidentified", 1);
    usc_report_bump (a->count[C_FORGED], or_unknown (d->forged_sender), 1);
    usc_report_bump (a->count[C_RCPTS], or_unknown (d->recipient), 1);
    usc_report_bump (a->count[C_KINDS], or_unknown (d->kind), 1);
    if (d->payload && *d->payload)
      usc_report_bump (a->count[C_PAYLOADS], d->payload, 1);
    if (d->relay_ip && *d->relay_ip)
      usc_report_bump (a->count[C_IPS], d->relay_ip, 1);
  } else if (strcmp (v, "legitimate") == 0) {
    a->legitimate++;
    dc->legitimate++;
    a->kept_total++;
    UscReportKept *k = g_new0 (UscReportKept, 1);
    k->time = d->time;
    k->kind = g_strdup (d->kind);
    k->server = server_name (d->relay_host, d->relay_ip);
    if (k->server == NULL && d->reporting_mta)
      k->server = g_strdup (d->reporting_mta);
    k->recipient = g_strdup (d->recipient);
    k->reason = g_strdup (d->reason);
    g_ptr_array_add (a->kept, k);
    if (a->kept->len >= 2 * a->top_n)
      usc_report_kept_cut (a->kept, a->top_n);
  } else {
    a->unknown++;
    dc->unknown++;
  }
}

void
usc_report_on_stats (const char *day, const char *verdict, const char *kind G_GNUC_UNUSED, gint64 count,
                     gpointer data)
{
  Agg *a = data;
  char *until = usc_report_day (a->until_day * DAY);
  int y, m, d;
  if (strcmp (verdict, "not-bounce") == 0 && strcmp (day, until) < 0) {
    a->not_bounce += count;
    GDateTime *dt = sscanf (day, "%d-%d-%d", &y, &m, &d) == 3 ? g_date_time_new_utc (y, m, d, 0, 0, 0) : NULL;
    if (dt) {
      a->min_day = MIN (a->min_day, day_of (g_date_time_to_unix (dt)));
      g_date_time_unref (dt);
    }
  }
  g_free (until);
}

static void
merge_counts (GHashTable *into, GHashTable *from)
{
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, from);
  while (g_hash_table_iter_next (&it, &k, &v))
    usc_report_bump (into, k, *(gint64 *) v);
}

void
usc_report_agg_merge (Agg *into, Agg *from)
{
  for (int i = 0; i < C_N; i++)
    merge_counts (into->count[i], from->count[i]);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, from->days);
  while (g_hash_table_iter_next (&it, &k, &v)) {
    DayCount *s = v, *d = day_slot (into->days, *(gint64 *) k);
    d->backscatter += s->backscatter;
    d->legitimate += s->legitimate;
    d->unknown += s->unknown;
  }
  for (guint i = 0; i < from->kept->len; i++)
    g_ptr_array_add (into->kept, g_steal_pointer (&from->kept->pdata[i]));
  g_ptr_array_set_size (from->kept, 0);
  usc_report_kept_cut (into->kept, into->top_n);
  into->kept_total += from->kept_total;
  into->backscatter += from->backscatter;
  into->legitimate += from->legitimate;
  into->unknown += from->unknown;
  into->not_bounce += from->not_bounce;
  into->min_day = MIN (into->min_day, from->min_day);
}
