/* usc-report-json.c — the report as JSON (RFC 8259, through usc-json.h's
 * string writer); the keys are the contract of ../shared/design.md
 * "Report".
 */
#include "config.h"
#include "usc-report-private.h"
#include "usc-json.h"

#include <string.h>

static void
json_list (GString *o, const char *key, const GPtrArray *list)
{
  g_string_append_printf (o, ",\n \"%s\": [", key);
  for (guint i = 0; list && i < list->len; i++) {
    const UscReportCount *c = list->pdata[i];
    g_string_append (o, i ? ", {\"name\": " : "{\"name\": ");
    usc_json_append_string (o, c->name);
    g_string_append_printf (o, ", \"count\": %" G_GINT64_FORMAT "}", c->count);
  }
  g_string_append_c (o, ']');
}

char *
usc_report_json (const UscReport *r)
{
  GString *o = g_string_new ("{");
  char *from = usc_report_day (r->since), *to = usc_report_day (r->until - 1);
  g_string_append (o, "\"since\": ");
  usc_json_append_string (o, from);
  g_string_append (o, ", \"until\": ");
  usc_json_append_string (o, to);
  g_free (from);
  g_free (to);
  g_string_append_printf (o, ",\n \"bounces\": %" G_GINT64_FORMAT ", \"backscatter\": %" G_GINT64_FORMAT
                          ", \"legitimate\": %" G_GINT64_FORMAT ", \"unknown\": %" G_GINT64_FORMAT
                          ", \"not_bounce\": %" G_GINT64_FORMAT,
                          r->bounces, r->backscatter, r->legitimate, r->unknown, r->not_bounce);
  g_string_append (o, ",\n \"per_day\": {");
  for (guint i = 0; i < r->days->len; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    g_string_append_printf (o, "%s\"%s\": %" G_GINT64_FORMAT, i ? ", " : "", d->day, d->backscatter);
  }
  g_string_append (o, "},\n \"days\": [");
  for (guint i = 0; i < r->days->len; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    g_string_append_printf (o, "%s{\"day\": \"%s\", \"backscatter\": %" G_GINT64_FORMAT
                            ", \"legitimate\": %" G_GINT64_FORMAT ", \"unknown\": %" G_GINT64_FORMAT "}",
                            i ? ", " : "", d->day, d->backscatter, d->legitimate, d->unknown);
  }
  g_string_append_c (o, ']');
  for (guint i = 0; i < usc_report_n_lists; i++) {
    const UscReportList *l = &usc_report_lists[i];
    if (usc_report_list (r, l))
      json_list (o, l->key, usc_report_list (r, l));
  }
  g_string_append_printf (o, ",\n \"kept_total\": %" G_GINT64_FORMAT ", \"kept\": [", r->kept_total);
  for (guint i = 0; i < r->kept->len; i++) {
    const UscReportKept *k = r->kept->pdata[i];
    char *day = usc_report_day (k->time);
    g_string_append_printf (o, "%s{\"day\": \"%s\", \"kind\": ", i ? ", " : "", day);
    g_free (day);
    usc_json_append_string (o, k->kind);
    g_string_append (o, ", \"server\": ");
    usc_json_append_string (o, k->server);
    g_string_append (o, ", \"recipient\": ");
    usc_json_append_string (o, k->recipient);
    g_string_append (o, ", \"reason\": ");
    usc_json_append_string (o, k->reason);
    g_string_append_c (o, '}');
  }
  g_string_append (o, "],\n \"records\": [");
  for (guint i = 0; i < r->users->len; i++) {
    const UscReportUser *u = r->users->pdata[i];
    g_string_append (o, i ? ", {\"name\": " : "{\"name\": ");
    usc_json_append_string (o, u->name);
    g_string_append_printf (o, ", \"backscatter\": %" G_GINT64_FORMAT ", \"legitimate\": %" G_GINT64_FORMAT
                            ", \"unknown\": %" G_GINT64_FORMAT ", \"not_bounce\": %" G_GINT64_FORMAT "}",
                            u->backscatter, u->legitimate, u->unknown, u->not_bounce);
  }
  g_string_append (o, "]");
  if (r->geoip) {
    g_string_append (o, ",\n \"geoip\": ");
    usc_json_append_string (o, r->geoip);
  }
  g_string_append (o, "}\n");
  return g_string_free (o, FALSE);
}
