/* usc-record-spool-merge.c — the decision counts and the decision log
 * with the spool in them: folded first when the record may be written,
 * else the spool's pending rows merged with what the record returns, in
 * the record's own order.
 */
#include "config.h"
#include "usc-record-spool-private.h"

#include <string.h>

/* Fold when the record may be written; FALSE when the spool must be merged
 * as it is read instead. */
static gboolean
folded (UscRecord *record)
{
  if (record->read_only || record->in_transaction)
    return FALSE;
  return usc_record_fold_spool (record, NULL) == 0;
}

typedef struct {
  GHashTable *counts;  /* "DAY\tVERDICT\tKIND" -> gint64 * */
} StatsMerge;

static void
collect_stat (const char *day, const char *verdict, const char *kind, gint64 count, gpointer user_data)
{
  StatsMerge *m = user_data;
  char *key = g_strdup_printf ("%s\t%s\t%s", day, verdict, kind);
  gint64 *n = g_hash_table_lookup (m->counts, key);
  if (n == NULL) {
    n = g_new0 (gint64, 1);
    g_hash_table_insert (m->counts, key, n);
  } else {
    g_free (key);
  }
  *n += count;
}

static gint
cmp_key (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
usc_record_spool_stats (UscRecord *record, gint64 since_day, UscStatsFunc fn, gpointer user_data,
                        GError **error)
{
  if (folded (record))
    return record->backend->stats (record->be, since_day, fn, user_data, error);
  GPtrArray *rows = usc_spool_pending_rows (record, error);
  if (rows == NULL)
    return -1;
  if (rows->len == 0) {
    g_ptr_array_unref (rows);
    return record->backend->stats (record->be, since_day, fn, user_data, error);
  }
  StatsMerge m = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  int rc = record->backend->stats (record->be, since_day, collect_stat, &m, error);
  for (guint i = 0; rc == 0 && i < rows->len; i++) {
    const SpoolRow *r = rows->pdata[i];
    gint64 day = usc_record_day_of (r->time);
    if (day < since_day)
      continue;
    /* The day as the backend writes it. */
    GDateTime *dt = g_date_time_new_from_unix_utc (day * 86400);
    char *d = dt ? g_date_time_format (dt, "%Y-%m-%d") : g_strdup ("?");
    collect_stat (d, r->f[0], r->f[1], 1, &m);
    g_free (d);
    if (dt)
      g_date_time_unref (dt);
  }
  if (rc == 0) {
    /* ORDER BY day, verdict, kind: the tab sorts before every character of
     * a verdict or kind name, so the joined keys sort as the three columns. */
    guint n = 0;
    gpointer *keys = g_hash_table_get_keys_as_array (m.counts, &n);
    qsort (keys, n, sizeof *keys, cmp_key);
    for (guint i = 0; i < n; i++) {
      char **k = g_strsplit (keys[i], "\t", 3);
      fn (k[0], k[1], k[2], *(gint64 *) g_hash_table_lookup (m.counts, keys[i]), user_data);
      g_strfreev (k);
    }
    g_free (keys);
  }
  g_hash_table_unref (m.counts);
  g_ptr_array_unref (rows);
  return rc;
}

static void
collect_decision (const UscDecision *d, gpointer user_data)
{
  GPtrArray *out = user_data;
  SpoolRow *r = g_new0 (SpoolRow, 1);
  r->time = d->time;
  const char *v[] = { d->verdict, d->kind, d->reporting_mta, d->relay_host, d->relay_ip, d->mta_family,
                      d->forged_sender, d->recipient, d->payload, d->reason };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    r->f[i] = g_strdup (v[i]);
  r->keep = TRUE;
  g_ptr_array_add (out, r);
}

static gint
cmp_row_time (gconstpointer a, gconstpointer b)
{
  gint64 x = (*(SpoolRow *const *) a)->time, y = (*(SpoolRow *const *) b)->time;
  return x < y ? -1 : x > y;
}

int
usc_record_spool_decisions (UscRecord *record, gint64 since, gint64 until, UscDecisionFunc fn,
                            gpointer user_data, GError **error)
{
  if (folded (record))
    return record->backend->decisions (record->be, since, until, fn, user_data, error);
  GPtrArray *rows = usc_spool_pending_rows (record, error);
  if (rows == NULL)
    return -1;
  gboolean any = FALSE;
  for (guint i = 0; i < rows->len && !any; i++) {
    const SpoolRow *r = rows->pdata[i];
    any = r->keep && r->time >= since && r->time < until;
  }
  if (!any) {
    g_ptr_array_unref (rows);
    return record->backend->decisions (record->be, since, until, fn, user_data, error);
  }
  /* By time, equal times in the order appended (a stable sort), as the
   * record orders its rows (time, then the order added). */
  g_ptr_array_sort (rows, cmp_row_time);
  GPtrArray *kept = g_ptr_array_new_with_free_func (usc_spool_row_free);
  int rc = record->backend->decisions (record->be, since, until, collect_decision, kept, error);
  /* Oldest first, equal times in the order added: the record's rows, then
   * the spool's in file order. */
  guint k = 0;
  UscDecision d;
  for (guint i = 0; rc == 0 && i < rows->len; i++) {
    const SpoolRow *r = rows->pdata[i];
    if (!r->keep || r->time < since || r->time >= until)
      continue;
    for (; k < kept->len && ((SpoolRow *) kept->pdata[k])->time <= r->time; k++) {
      usc_spool_row_decision (kept->pdata[k], &d);
      fn (&d, user_data);
    }
    usc_spool_row_decision (r, &d);
    fn (&d, user_data);
  }
  for (; rc == 0 && k < kept->len; k++) {
    usc_spool_row_decision (kept->pdata[k], &d);
    fn (&d, user_data);
  }
  g_ptr_array_unref (kept);
  g_ptr_array_unref (rows);
  return rc;
}
