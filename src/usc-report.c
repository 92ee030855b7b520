/* usc-report.c — the backscatter report: a report made for a period, each
 * record's decision log aggregated into it (usc-report-agg.c; a record is
 * aggregated on its own and merged only when it was read whole, so that a
 * failing record leaves no half of itself in an admin's report), then
 * finished: the top lists, the countries (usc-report-geoip.c, looked up
 * once per distinct relay IP), the kept bounces, every day of the period.
 * The renderings are in usc-report-text.c, usc-report-json.c and
 * usc-report-html.c.
 */
#include "config.h"
#include "usc-report-private.h"

#include <string.h>

const UscReportList usc_report_lists[] = {
  { "top_servers", "Top sending servers (first external relay)", G_STRUCT_OFFSET (UscReport, top_servers) },
  { "top_reporting_mta", "Top reporting MTAs", G_STRUCT_OFFSET (UscReport, top_reporting_mta) },
  { "top_mta", "Top MTA software", G_STRUCT_OFFSET (UscReport, top_mta) },
  { "top_countries", "Top countries (first external relay)", G_STRUCT_OFFSET (UscReport, top_countries) },
  { "forged_senders", "Forged senders", G_STRUCT_OFFSET (UscReport, forged_senders) },
  { "recipients", "Recipients of the spam", G_STRUCT_OFFSET (UscReport, recipients) },
  { "kinds", "Kinds", G_STRUCT_OFFSET (UscReport, kinds) },
  { "payloads", "Payloads found", G_STRUCT_OFFSET (UscReport, payloads) },
};
const guint usc_report_n_lists = G_N_ELEMENTS (usc_report_lists);

static void
count_free (gpointer p)
{
  UscReportCount *c = p;
  if (c) {
    g_free (c->name);
    g_free (c);
  }
}

static void
user_free (gpointer p)
{
  UscReportUser *u = p;
  if (u) {
    g_free (u->name);
    g_free (u);
  }
}

static void
day_clear (gpointer p)
{
  g_free (((UscReportDay *) p)->day);
}

char *
usc_report_day (gint64 t)
{
  GDateTime *dt = g_date_time_new_from_unix_utc (day_of (t) * DAY);
  char *s = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
  if (dt)
    g_date_time_unref (dt);
  return s;
}

UscReport *
usc_report_new (gint64 since, gint64 until, guint top_n)
{
  UscReport *r = g_new0 (UscReport, 1);
  r->top_n = top_n ? top_n : 10;
  gint64 until_day = day_of (until) + (until % DAY != 0 ? 1 : 0);
  if (until <= G_MININT64 / 4 || until >= G_MAXINT64 / 4)
    until_day = G_MAXINT64 / 4 / DAY;
  r->until = until_day * DAY;
  r->since = since <= G_MININT64 / 4 ? G_MININT64 : day_of (since) * DAY;
  r->days = g_array_new (FALSE, TRUE, sizeof (UscReportDay));
  g_array_set_clear_func (r->days, day_clear);
  r->users = g_ptr_array_new_with_free_func (user_free);
  r->kept = g_ptr_array_new_with_free_func (usc_report_kept_free);
  Priv *p = g_new0 (Priv, 1);
  p->total = usc_report_agg_new (r->top_n, until_day);
  r->priv = p;
  return r;
}

int
usc_report_add_record (UscReport *r, UscRecord *record, const char *name, GError **error)
{
  Priv *p = r->priv;
  Agg *a = usc_report_agg_new (r->top_n, r->until / DAY);
  gint64 since = r->since == G_MININT64 ? G_MININT64 / 2 : r->since;
  if (usc_record_decisions (record, since, r->until, usc_report_on_row, a, error) < 0
      || usc_record_stats (record, since, usc_report_on_stats, a, error) < 0) {
    usc_report_agg_free (a);
    return -1;
  }
  UscReportUser *u = g_new0 (UscReportUser, 1);
  u->name = g_strdup (name ? name : "");
  u->backscatter = a->backscatter;
  u->legitimate = a->legitimate;
  u->unknown = a->unknown;
  u->not_bounce = a->not_bounce;
  g_ptr_array_add (r->users, u);
  usc_report_agg_merge (p->total, a);
  usc_report_agg_free (a);
  return 0;
}

static gint
count_cmp (gconstpointer a, gconstpointer b)
{
  const UscReportCount *x = *(const UscReportCount *const *) a, *y = *(const UscReportCount *const *) b;
  if (x->count != y->count)
    return x->count < y->count ? 1 : -1;
  return strcmp (x->name, y->name);
}

/* The @n largest of @h, largest first, ties by name. */
static GPtrArray *
top_of (GHashTable *h, guint n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (count_free);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, h);
  while (g_hash_table_iter_next (&it, &k, &v)) {
    UscReportCount *c = g_new0 (UscReportCount, 1);
    c->name = g_strdup (k);
    c->count = *(gint64 *) v;
    g_ptr_array_add (out, c);
  }
  g_ptr_array_sort (out, count_cmp);
  if (out->len > n)
    g_ptr_array_set_size (out, n);
  return out;
}

void
usc_report_finish (UscReport *r)
{
  Priv *p = r->priv;
  if (p->finished)
    return;
  p->finished = TRUE;
  Agg *a = p->total;
  r->backscatter = a->backscatter;
  r->legitimate = a->legitimate;
  r->unknown = a->unknown;
  r->not_bounce = a->not_bounce;
  r->bounces = a->backscatter + a->legitimate + a->unknown;
  r->top_servers = top_of (a->count[C_SERVERS], r->top_n);
  r->top_reporting_mta = top_of (a->count[C_RMTA], r->top_n);
  r->top_mta = top_of (a->count[C_MTA], r->top_n);
  r->forged_senders = top_of (a->count[C_FORGED], r->top_n);
  r->recipients = top_of (a->count[C_RCPTS], r->top_n);
  r->kinds = top_of (a->count[C_KINDS], r->top_n);
  r->payloads = top_of (a->count[C_PAYLOADS], r->top_n);
  if (usc_report_geoip_is_open (p)) {
    GHashTable *countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, a->count[C_IPS]);
    while (g_hash_table_iter_next (&it, &k, &v)) {
      char *cc = usc_report_country_of (p, k);
      usc_report_bump (countries, cc ? cc : UNKNOWN_NAME, *(gint64 *) v);
      g_free (cc);
    }
    r->top_countries = top_of (countries, r->top_n);
    g_hash_table_unref (countries);
  }
  usc_report_kept_cut (a->kept, r->top_n);
  for (guint i = 0; i < a->kept->len; i++)
    g_ptr_array_add (r->kept, g_steal_pointer (&a->kept->pdata[i]));
  g_ptr_array_set_size (a->kept, 0);
  r->kept_total = a->kept_total;

  /* Every day of the period; an open start begins at the oldest decision. */
  gint64 last = r->until / DAY - 1;
  gint64 first = r->since == G_MININT64 ? (a->min_day == G_MAXINT64 ? last : a->min_day) : r->since / DAY;
  if (r->since == G_MININT64)
    r->since = first * DAY;
  if (last - first > 36600)   /* a hundred years is enough */
    first = last - 36600;
  for (gint64 d = first; d <= last; d++) {
    UscReportDay rd = { usc_report_day (d * DAY), 0, 0, 0 };
    DayCount *c = g_hash_table_lookup (a->days, &d);
    if (c) {
      rd.backscatter = c->backscatter;
      rd.legitimate = c->legitimate;
      rd.unknown = c->unknown;
    }
    g_array_append_val (r->days, rd);
  }
}

void
usc_report_free (UscReport **report)
{
  if (report == NULL || *report == NULL)
    return;
  UscReport *r = *report;
  Priv *p = r->priv;
  usc_report_agg_free (p->total);
  usc_report_geoip_close (p);
  g_free (p);
  g_array_unref (r->days);
  GPtrArray *lists[] = { r->top_servers, r->top_reporting_mta, r->top_mta, r->top_countries,
                         r->forged_senders, r->recipients, r->kinds, r->payloads, r->kept, r->users };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    if (lists[i])
      g_ptr_array_unref (lists[i]);
  g_free (r->geoip);
  g_free (r);
  *report = NULL;
}
