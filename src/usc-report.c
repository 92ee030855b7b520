/* usc-report.c — the backscatter report: aggregate the decision logs of one
 * or more records over a period (usc-record.h), then render it as aligned
 * text or JSON (RFC 8259, through usc-json.h's string writer). The HTML page
 * is in usc-report-html.c.
 *
 * Aggregation is one pass over the rows with a hash table per dimension; a
 * record is aggregated on its own and merged only when it was read whole, so
 * that a failing record leaves no half of itself in an admin's report.
 * Countries come from a GeoIP database when one is built in and installed
 * (libmaxminddb: any .mmdb with country.iso_code; libGeoIP: Debian's
 * geoip-database), looked up once per distinct relay IP.
 */
#include "config.h"
#include "usc-report.h"
#include "usc-json.h"

#include <stdio.h>
#include <string.h>

#if defined(HAVE_MAXMINDDB)
#include <maxminddb.h>
#elif defined(HAVE_GEOIP)
#include <GeoIP.h>
#endif

#define DAY 86400
#define UNKNOWN_NAME "(unknown)"

/* ------------------------------------------------------------------------ */
/* Aggregation                                                               */

enum { C_SERVERS, C_RMTA, C_MTA, C_FORGED, C_RCPTS, C_KINDS, C_PAYLOADS, C_IPS, C_N };

typedef struct {
  gint64 backscatter, legitimate, unknown;
} DayCount;

typedef struct {
  GHashTable *count[C_N];   /* name -> gint64* */
  GHashTable *days;         /* gint64* day number -> DayCount* */
  GPtrArray  *kept;         /* UscReportKept*, at most 2 * top_n before a cut */
  gint64      kept_total;
  gint64      backscatter, legitimate, unknown, not_bounce;
  gint64      min_day;
  guint       top_n;
  gint64      until_day;    /* the period's first day after it */
} Agg;

typedef struct {
  Agg        *total;
#if defined(HAVE_MAXMINDDB)
  MMDB_s      mmdb;
  gboolean    mmdb_open;
#elif defined(HAVE_GEOIP)
  GeoIP      *gi4, *gi6;
#endif
  gboolean    finished;
} Priv;

static void
kept_free (gpointer p)
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

static Agg *
agg_new (guint top_n, gint64 until_day)
{
  Agg *a = g_new0 (Agg, 1);
  for (int i = 0; i < C_N; i++)
    a->count[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  a->days = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  a->kept = g_ptr_array_new_with_free_func (kept_free);
  a->min_day = G_MAXINT64;
  a->top_n = top_n;
  a->until_day = until_day;
  return a;
}

static void
agg_free (Agg *a)
{
  if (a == NULL)
    return;
  for (int i = 0; i < C_N; i++)
    g_hash_table_unref (a->count[i]);
  g_hash_table_unref (a->days);
  g_ptr_array_unref (a->kept);
  g_free (a);
}

static void
bump (GHashTable *h, const char *name, gint64 by)
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

static gint64
day_of (gint64 t)
{
  return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
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

static void
kept_cut (GPtrArray *kept, guint n)
{
  g_ptr_array_sort (kept, kept_newest_first);
  if (kept->len > n)
    g_ptr_array_set_size (kept, n);
}

static void
on_row (const UscDecision *d, gpointer data)
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
    bump (a->count[C_SERVERS], or_unknown (server), 1);
    g_free (server);
    bump (a->count[C_RMTA], or_unknown (d->reporting_mta), 1);
    bump (a->count[C_MTA], d->mta_family && *d->mta_family ? d->mta_family : "unidentified", 1);
    bump (a->count[C_FORGED], or_unknown (d->forged_sender), 1);
    bump (a->count[C_RCPTS], or_unknown (d->recipient), 1);
    bump (a->count[C_KINDS], or_unknown (d->kind), 1);
    if (d->payload && *d->payload)
      bump (a->count[C_PAYLOADS], d->payload, 1);
    if (d->relay_ip && *d->relay_ip)
      bump (a->count[C_IPS], d->relay_ip, 1);
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
      kept_cut (a->kept, a->top_n);
  } else {
    a->unknown++;
    dc->unknown++;
  }
}

static void
on_stats (const char *day, const char *verdict, const char *kind G_GNUC_UNUSED, gint64 count,
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
    bump (into, k, *(gint64 *) v);
}

static void
agg_merge (Agg *into, Agg *from)
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
  kept_cut (into->kept, into->top_n);
  into->kept_total += from->kept_total;
  into->backscatter += from->backscatter;
  into->legitimate += from->legitimate;
  into->unknown += from->unknown;
  into->not_bounce += from->not_bounce;
  into->min_day = MIN (into->min_day, from->min_day);
}

/* ------------------------------------------------------------------------ */
/* The report                                                                */

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
  r->kept = g_ptr_array_new_with_free_func (kept_free);
  Priv *p = g_new0 (Priv, 1);
  p->total = agg_new (r->top_n, until_day);
  r->priv = p;
  return r;
}

int
usc_report_add_record (UscReport *r, UscRecord *record, const char *name, GError **error)
{
  Priv *p = r->priv;
  Agg *a = agg_new (r->top_n, r->until / DAY);
  gint64 since = r->since == G_MININT64 ? G_MININT64 / 2 : r->since;
  if (usc_record_decisions (record, since, r->until, on_row, a, error) < 0
      || usc_record_stats (record, since, on_stats, a, error) < 0) {
    agg_free (a);
    return -1;
  }
  UscReportUser *u = g_new0 (UscReportUser, 1);
  u->name = g_strdup (name ? name : "");
  u->backscatter = a->backscatter;
  u->legitimate = a->legitimate;
  u->unknown = a->unknown;
  u->not_bounce = a->not_bounce;
  g_ptr_array_add (r->users, u);
  agg_merge (p->total, a);
  agg_free (a);
  return 0;
}

/* Candidate GeoIP databases, in order. */
static const char *const geoip_paths[] = {
#if defined(HAVE_MAXMINDDB)
  "/usr/share/GeoIP/GeoLite2-Country.mmdb", "/var/lib/GeoIP/GeoLite2-Country.mmdb",
  "/usr/share/GeoIP/dbip-country-lite.mmdb", "/usr/share/GeoIP/GeoLite2-City.mmdb",
  "/var/lib/GeoIP/GeoLite2-City.mmdb",
#elif defined(HAVE_GEOIP)
  "/usr/share/GeoIP/GeoIP.dat",
#endif
  NULL
};

gboolean
usc_report_use_geoip (UscReport *r, const char *path)
{
  Priv *p = r->priv;
  const char *const *cand = geoip_paths;
  const char *one[2] = { path, NULL };
  if (path)
    cand = one;
  for (guint i = 0; cand[i]; i++) {
    if (!g_file_test (cand[i], G_FILE_TEST_IS_REGULAR))
      continue;
#if defined(HAVE_MAXMINDDB)
    if (p->mmdb_open)
      return TRUE;
    if (MMDB_open (cand[i], MMDB_MODE_MMAP, &p->mmdb) == MMDB_SUCCESS) {
      p->mmdb_open = TRUE;
      r->geoip = g_strdup (cand[i]);
      return TRUE;
    }
#elif defined(HAVE_GEOIP)
    if (p->gi4)
      return TRUE;
    p->gi4 = GeoIP_open (cand[i], GEOIP_STANDARD | GEOIP_SILENCE);
    if (p->gi4) {
      r->geoip = g_strdup (cand[i]);
      char *v6 = path ? NULL : g_strdup ("/usr/share/GeoIP/GeoIPv6.dat");
      if (v6 && g_file_test (v6, G_FILE_TEST_IS_REGULAR))
        p->gi6 = GeoIP_open (v6, GEOIP_STANDARD | GEOIP_SILENCE);
      g_free (v6);
      return TRUE;
    }
#else
    (void) p;
#endif
  }
  return FALSE;
}

/* The ISO country code of @ip, or NULL (newly allocated). */
static char *
country_of (Priv *p, const char *ip)
{
#if defined(HAVE_MAXMINDDB)
  if (!p->mmdb_open)
    return NULL;
  int gai = 0, mmerr = 0;
  MMDB_lookup_result_s res = MMDB_lookup_string (&p->mmdb, ip, &gai, &mmerr);
  if (gai != 0 || mmerr != MMDB_SUCCESS || !res.found_entry)
    return NULL;
  MMDB_entry_data_s e;
  if (MMDB_get_value (&res.entry, &e, "country", "iso_code", NULL) != MMDB_SUCCESS
      || !e.has_data || e.type != MMDB_DATA_TYPE_UTF8_STRING)
    return NULL;
  return g_strndup (e.utf8_string, e.data_size);
#elif defined(HAVE_GEOIP)
  const char *cc = NULL;
  if (strchr (ip, ':')) {
    if (p->gi6)
      cc = GeoIP_country_code_by_addr_v6 (p->gi6, ip);
  } else if (p->gi4) {
    cc = GeoIP_country_code_by_addr (p->gi4, ip);
  }
  return cc ? g_strdup (cc) : NULL;
#else
  (void) p;
  (void) ip;
  return NULL;
#endif
}

static gboolean
geoip_open (Priv *p)
{
#if defined(HAVE_MAXMINDDB)
  return p->mmdb_open;
#elif defined(HAVE_GEOIP)
  return p->gi4 != NULL;
#else
  (void) p;
  return FALSE;
#endif
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
  if (geoip_open (p)) {
    GHashTable *countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init (&it, a->count[C_IPS]);
    while (g_hash_table_iter_next (&it, &k, &v)) {
      char *cc = country_of (p, k);
      bump (countries, cc ? cc : UNKNOWN_NAME, *(gint64 *) v);
      g_free (cc);
    }
    r->top_countries = top_of (countries, r->top_n);
    g_hash_table_unref (countries);
  }
  kept_cut (a->kept, r->top_n);
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
  agg_free (p->total);
#if defined(HAVE_MAXMINDDB)
  if (p->mmdb_open)
    MMDB_close (&p->mmdb);
#elif defined(HAVE_GEOIP)
  if (p->gi4)
    GeoIP_delete (p->gi4);
  if (p->gi6)
    GeoIP_delete (p->gi6);
#endif
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

/* ------------------------------------------------------------------------ */
/* Text                                                                      */

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

  text_list (o, "Top sending servers (first external relay)", r->top_servers);
  text_list (o, "Top reporting MTAs", r->top_reporting_mta);
  text_list (o, "Top MTA software", r->top_mta);
  if (r->top_countries)
    text_list (o, "Top countries (first external relay)", r->top_countries);
  text_list (o, "Forged senders", r->forged_senders);
  text_list (o, "Recipients of the spam", r->recipients);
  text_list (o, "Kinds", r->kinds);
  text_list (o, "Payloads found", r->payloads);

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

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */

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
  json_list (o, "top_servers", r->top_servers);
  json_list (o, "top_reporting_mta", r->top_reporting_mta);
  json_list (o, "top_mta", r->top_mta);
  if (r->top_countries)
    json_list (o, "top_countries", r->top_countries);
  json_list (o, "forged_senders", r->forged_senders);
  json_list (o, "recipients", r->recipients);
  json_list (o, "kinds", r->kinds);
  json_list (o, "payloads", r->payloads);
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
