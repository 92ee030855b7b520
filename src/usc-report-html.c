/* usc-report-html.c — the report as one self-contained HTML page: inline CSS
 * (with print rules), inline SVG charts (backscatter per day; top-N bars),
 * tables with every number, no script, no external resource of any kind (no
 * fonts, images, links to fetch), so that it reads the same opened from a
 * mail attachment, offline or printed. Everything from messages is escaped
 * as HTML text (& < > " ').
 *
 * The numbers carry stable ids and classes (id="n-backscatter", tables of
 * class "top" with data-key) so that tests read them back from the DOM.
 */
#include "config.h"
#include "usc-report-private.h"

#include <string.h>

static void
esc (GString *o, const char *s)
{
  if (s == NULL) {
    g_string_append (o, "-");
    return;
  }
  char *v = g_utf8_make_valid (s, -1);
  for (const char *p = v; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    switch (c) {
    case '&': g_string_append (o, "&amp;"); break;
    case '<': g_string_append (o, "&lt;"); break;
    case '>': g_string_append (o, "&gt;"); break;
    case '"': g_string_append (o, "&quot;"); break;
    case '\'': g_string_append (o, "&#39;"); break;
    default:
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_c (o, '?');
      else
        g_string_append_unichar (o, c);
    }
  }
  g_free (v);
}

static const char style[] =
  "body{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222;background:#fff}"
  "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}"
  "table{border-collapse:collapse;margin:.5em 0}td,th{padding:.15em .6em;text-align:left;vertical-align:top}"
  "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
  "tr:nth-child(even){background:#f4f4f4}.none{color:#777}"
  "svg{display:block;max-width:100%;height:auto}.bs{fill:#c0392b}.lg{fill:#27ae60}.uk{fill:#999}"
  "svg text{font-size:11px;fill:#222;font-family:sans-serif}.why{color:#555;font-size:.9em}"
  ".legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em}"
  "@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}"
  "tr:nth-child(even){background:none}}";

/* The per-day chart: stacked bars (backscatter, legitimate, unknown). */
static void
day_chart (GString *o, const UscReport *r)
{
  guint n = r->days->len;
  gint64 max = 0;
  for (guint i = 0; i < n; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    max = MAX (max, d->backscatter + d->legitimate + d->unknown);
  }
  const double h = 160, top = 14, left = 40, bw = n > 0 ? MAX (2.0, MIN (24.0, 720.0 / n)) : 8;
  double w = left + bw * n + 10;
  g_string_append_printf (o, "<svg id=\"chart-days\" role=\"img\" aria-label=\"bounces per day\" "
                          "xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                          "viewBox=\"0 0 %.0f %.0f\">", w, h + top + 30, w, h + top + 30);
  g_string_append_printf (o, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#888\"/>",
                          left, top + h, w - 5, top + h);
  g_string_append_printf (o, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%" G_GINT64_FORMAT "</text>"
                          "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>",
                          left - 4, top + 4, max, left - 4, top + h);
  for (guint i = 0; i < n; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    double x = left + bw * i, y = top + h;
    const struct { gint64 v; const char *cls, *what; } seg[] = {
      { d->backscatter, "bs", "backscatter" }, { d->legitimate, "lg", "legitimate" }, { d->unknown, "uk", "unknown" },
    };
    for (guint s = 0; s < G_N_ELEMENTS (seg); s++) {
      if (seg[s].v == 0 || max == 0)
        continue;
      double sh = h * (double) seg[s].v / (double) max;
      y -= sh;
      g_string_append_printf (o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                              "<title>%s: %" G_GINT64_FORMAT " %s</title></rect>",
                              seg[s].cls, x + 0.5, y, MAX (bw - 1, 1.0), sh, d->day, seg[s].v, seg[s].what);
    }
    /* A date label about every 7th bar (and the last). */
    guint step = MAX (1u, (guint) (60.0 / bw));
    if (i % step == 0 || (i + 1 == n && i % step >= step / 2 + 1))
      g_string_append_printf (o, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>",
                              x + bw / 2, top + h + 14, d->day + 5);
  }
  g_string_append (o, "</svg>");
  g_string_append (o, "<p class=\"legend\"><span class=\"bsl\" style=\"background:#c0392b\"></span>backscatter"
                      "<span style=\"background:#27ae60\"></span>legitimate"
                      "<span style=\"background:#999\"></span>unknown</p>");
}

/* A top list: horizontal bars, then the table with the numbers. */
static void
top_block (GString *o, const char *key, const char *title, const GPtrArray *list)
{
  g_string_append_printf (o, "<h2 id=\"h-%s\">", key);
  esc (o, title);
  g_string_append (o, "</h2>");
  if (list == NULL || list->len == 0) {
    g_string_append_printf (o, "<p class=\"none\" id=\"none-%s\">none</p>", key);
    return;
  }
  gint64 max = ((const UscReportCount *) list->pdata[0])->count;
  const double bar_h = 16, label_w = 330, width = 380;
  g_string_append_printf (o, "<svg id=\"chart-%s\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" "
                          "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
                          key, label_w + width + 60, bar_h * list->len + 4, label_w + width + 60,
                          bar_h * list->len + 4);
  for (guint i = 0; i < list->len; i++) {
    const UscReportCount *c = list->pdata[i];
    double bw = max ? width * (double) c->count / (double) max : 0;
    /* The label: the name, cut to what fits beside the bar. */
    char *v = g_utf8_make_valid (c->name, -1);
    char *label;
    if (g_utf8_strlen (v, -1) > 52) {
      char *head = g_utf8_substring (v, 0, 50);
      label = g_strconcat (head, "...", NULL);
      g_free (head);
    } else {
      label = g_strdup (v);
    }
    g_string_append_printf (o, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", label_w - 6, bar_h * i + 13);
    esc (o, label);
    g_string_append_printf (o, "</text><rect class=\"bs\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\">"
                            "<title>", label_w, bar_h * i + 2, MAX (bw, 1.0), bar_h - 3);
    esc (o, c->name);
    g_string_append_printf (o, "</title></rect><text x=\"%.1f\" y=\"%.0f\">%" G_GINT64_FORMAT "</text>",
                            label_w + MAX (bw, 1.0) + 4, bar_h * i + 13, c->count);
    g_free (label);
    g_free (v);
  }
  g_string_append (o, "</svg>");
  g_string_append_printf (o, "<table class=\"top\" data-key=\"%s\"><tr><th class=\"n\">count</th><th>name</th></tr>", key);
  for (guint i = 0; i < list->len; i++) {
    const UscReportCount *c = list->pdata[i];
    g_string_append_printf (o, "<tr><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"name\">", c->count);
    esc (o, c->name);
    g_string_append (o, "</td></tr>");
  }
  g_string_append (o, "</table>");
}

char *
usc_report_html (const UscReport *r)
{
  GString *o = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                             "<meta name=\"viewport\" content=\"width=device-width\">");
  char *from = usc_report_day (r->since), *to = usc_report_day (r->until - 1);
  g_string_append_printf (o, "<title>Backscatter report %s .. %s</title><style>%s</style></head><body>",
                          from, to, style);
  g_string_append_printf (o, "<h1>Backscatter report <span id=\"since\">%s</span> .. <span id=\"until\">%s</span></h1>",
                          from, to);
  g_free (from);
  g_free (to);
  g_string_append (o, "<table id=\"totals\">");
  const struct { const char *id, *label; gint64 v; } tot[] = {
    { "bounces", "bounces", r->bounces }, { "backscatter", "backscatter", r->backscatter },
    { "legitimate", "legitimate (delivered)", r->legitimate }, { "unknown", "unknown (delivered)", r->unknown },
    { "not_bounce", "ordinary mail", r->not_bounce },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tot); i++)
    g_string_append_printf (o, "<tr><th>%s</th><td class=\"n\" id=\"n-%s\">%" G_GINT64_FORMAT "</td></tr>",
                            tot[i].label, tot[i].id, tot[i].v);
  if (r->users->len > 1)
    g_string_append_printf (o, "<tr><th>records</th><td class=\"n\" id=\"n-records\">%u</td></tr>", r->users->len);
  g_string_append (o, "</table>");

  g_string_append (o, "<h2 id=\"h-days\">Bounces per day (UTC)</h2>");
  day_chart (o, r);
  g_string_append (o, "<table id=\"days\"><tr><th>day</th><th class=\"n\">backscatter</th>"
                      "<th class=\"n\">legitimate</th><th class=\"n\">unknown</th></tr>");
  for (guint i = 0; i < r->days->len; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    if (d->backscatter + d->legitimate + d->unknown == 0)
      continue;
    g_string_append_printf (o, "<tr data-day=\"%s\"><td>%s</td><td class=\"n bs-n\">%" G_GINT64_FORMAT
                            "</td><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"n\">%" G_GINT64_FORMAT "</td></tr>",
                            d->day, d->day, d->backscatter, d->legitimate, d->unknown);
  }
  g_string_append (o, "</table>");

  for (guint i = 0; i < usc_report_n_lists; i++) {
    const UscReportList *l = &usc_report_lists[i];
    if (usc_report_list (r, l))
      top_block (o, l->key, l->title, usc_report_list (r, l));
  }

  g_string_append_printf (o, "<h2 id=\"h-kept\">Genuine bounces delivered: <span id=\"n-kept\">%"
                          G_GINT64_FORMAT "</span></h2>", r->kept_total);
  if (r->kept->len) {
    g_string_append (o, "<table id=\"kept\"><tr><th>day</th><th>kind</th><th>server</th><th>recipient</th></tr>");
    for (guint i = 0; i < r->kept->len; i++) {
      const UscReportKept *k = r->kept->pdata[i];
      char *day = usc_report_day (k->time);
      g_string_append_printf (o, "<tr><td>%s</td><td>", day);
      g_free (day);
      esc (o, k->kind);
      g_string_append (o, "</td><td>");
      esc (o, k->server);
      g_string_append (o, "</td><td>");
      esc (o, k->recipient);
      g_string_append (o, "</td></tr><tr><td></td><td colspan=\"3\" class=\"why\">");
      esc (o, k->reason);
      g_string_append (o, "</td></tr>");
    }
    g_string_append (o, "</table>");
  }
  if (r->users->len > 1) {
    g_string_append (o, "<h2 id=\"h-records\">Per record</h2><table id=\"records\"><tr><th>record</th>"
                        "<th class=\"n\">backscatter</th><th class=\"n\">legitimate</th><th class=\"n\">unknown</th>"
                        "<th class=\"n\">ordinary</th></tr>");
    for (guint i = 0; i < r->users->len; i++) {
      const UscReportUser *u = r->users->pdata[i];
      g_string_append (o, "<tr><td>");
      esc (o, u->name);
      g_string_append_printf (o, "</td><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"n\">%" G_GINT64_FORMAT
                              "</td><td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"n\">%" G_GINT64_FORMAT "</td></tr>",
                              u->backscatter, u->legitimate, u->unknown, u->not_bounce);
    }
    g_string_append (o, "</table>");
  }
  g_string_append (o, "<p class=\"none\">Made by unscatter " PACKAGE_VERSION ".</p></body></html>\n");
  return g_string_free (o, FALSE);
}
