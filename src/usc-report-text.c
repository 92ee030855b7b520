/* usc-report-text.c — the report as aligned text for a terminal (every
 * string from a message made safe for it first).
 */
#include "config.h"
#include "usc-report-private.h"

#include <string.h>

/* @s made safe for a terminal: valid UTF-8, control characters (C0, DEL,
 * C1) and bidirectional overrides replaced by '?', at most @width
 * characters ("..." marks a cut). Newly allocated. */
static char *
term_safe (const char *s, guint width)
{
  if (s == NULL)
    s = "-";
  char *v = g_utf8_make_valid (s, -1);
  GString *o = g_string_new (NULL);
  guint n = 0;
  glong len = g_utf8_strlen (v, -1);
  for (const char *p = v; *p; p = g_utf8_next_char (p), n++) {
    if (width && len > (glong) width && n + 3 >= width) {
      g_string_append (o, "...");
      break;
    }
    gunichar c = g_utf8_get_char (p);
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f)
      g_string_append_c (o, '?');
    else
      g_string_append_unichar (o, c);
  }
  g_free (v);
  return g_string_free (o, FALSE);
}

static void
text_list (GString *o, const char *title, const GPtrArray *list)
{
  g_string_append_printf (o, "\n%s\n", title);
  if (list == NULL || list->len == 0) {
    g_string_append (o, "  (none)\n");
    return;
  }
  for (guint i = 0; i < list->len; i++) {
    const UscReportCount *c = list->pdata[i];
    char *name = term_safe (c->name, 100);
    g_string_append_printf (o, "  %7" G_GINT64_FORMAT "  %s\n", c->count, name);
    g_free (name);
  }
}

char *
usc_report_text (const UscReport *r)
{
  GString *o = g_string_new (NULL);
  char *from = usc_report_day (r->since), *to = usc_report_day (r->until - 1);
  g_string_append_printf (o, "Backscatter report %s .. %s (%u days, UTC)\n", from, to, r->days->len);
  g_free (from);
  g_free (to);
  if (r->users->len > 1)
    g_string_append_printf (o, "records        %7u\n", r->users->len);
  g_string_append_printf (o, "bounces        %7" G_GINT64_FORMAT "\n", r->bounces);
  g_string_append_printf (o, "  backscatter  %7" G_GINT64_FORMAT "\n", r->backscatter);
  g_string_append_printf (o, "  legitimate   %7" G_GINT64_FORMAT "\n", r->legitimate);
  g_string_append_printf (o, "  unknown      %7" G_GINT64_FORMAT "\n", r->unknown);
  g_string_append_printf (o, "ordinary mail  %7" G_GINT64_FORMAT "\n", r->not_bounce);

  g_string_append (o, "\nBackscatter per day (days with bounces)\n");
  gint64 max = 0;
  for (guint i = 0; i < r->days->len; i++)
    max = MAX (max, g_array_index (r->days, UscReportDay, i).backscatter);
  gboolean any = FALSE;
  for (guint i = 0; i < r->days->len; i++) {
    const UscReportDay *d = &g_array_index (r->days, UscReportDay, i);
    if (d->backscatter + d->legitimate + d->unknown == 0)
      continue;
    any = TRUE;
    int bar = max ? (int) ((d->backscatter * 40 + max - 1) / max) : 0;
    g_string_append_printf (o, "  %s %7" G_GINT64_FORMAT "  ", d->day, d->backscatter);
    for (int k = 0; k < bar; k++)
      g_string_append_c (o, '#');
    if (d->legitimate || d->unknown)
      g_string_append_printf (o, "%s(+%" G_GINT64_FORMAT " legitimate, %" G_GINT64_FORMAT " unknown)",
                              bar ? " " : "", d->legitimate, d->unknown);
    g_string_append_c (o, '\n');
  }
  if (!any)
    g_string_append (o, "  (none)\n");

  for (guint i = 0; i < usc_report_n_lists; i++) {
    const UscReportList *l = &usc_report_lists[i];
    if (usc_report_list (r, l))
      text_list (o, l->title, usc_report_list (r, l));
  }

  g_string_append_printf (o, "\nGenuine bounces delivered: %" G_GINT64_FORMAT "%s\n", r->kept_total,
                          r->kept_total > (gint64) r->kept->len ? " (newest shown)" : "");
  if (r->kept->len == 0)
    g_string_append (o, "  (none)\n");
  for (guint i = 0; i < r->kept->len; i++) {
    const UscReportKept *k = r->kept->pdata[i];
    char *day = usc_report_day (k->time);
    char *kind = term_safe (k->kind, 16), *srv = term_safe (k->server, 48);
    char *rcpt = term_safe (k->recipient, 48), *why = term_safe (k->reason, 160);
    g_string_append_printf (o, "  %s  %-15s %s -> %s\n      %s\n", day, kind, srv, rcpt, why);
    g_free (day);
    g_free (kind);
    g_free (srv);
    g_free (rcpt);
    g_free (why);
  }
  if (r->users->len > 1) {
    g_string_append (o, "\nPer record\n  backscatter  legitimate     unknown   ordinary  record\n");
    for (guint i = 0; i < r->users->len; i++) {
      const UscReportUser *u = r->users->pdata[i];
      char *name = term_safe (u->name, 0);
      g_string_append_printf (o, "  %11" G_GINT64_FORMAT " %11" G_GINT64_FORMAT " %11" G_GINT64_FORMAT
                              " %10" G_GINT64_FORMAT "  %s\n",
                              u->backscatter, u->legitimate, u->unknown, u->not_bounce, name);
      g_free (name);
    }
  }
  return g_string_free (o, FALSE);
}
