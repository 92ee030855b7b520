/* usc-report-private.h — what the files of the report share (not API; the
 * API is usc-report.h):
 *
 *   usc-report.c        a report made, records added, finished, freed
 *   usc-report-agg.c    a record's rows aggregated, two aggregates merged
 *   usc-report-geoip.c  the GeoIP database, a relay IP's country
 *   usc-report-text.c, usc-report-json.c, usc-report-html.c  the renderings
 */
#ifndef USC_REPORT_PRIVATE_H
#define USC_REPORT_PRIVATE_H

#include "usc-report.h"

#if defined(HAVE_MAXMINDDB)
#include <maxminddb.h>
#elif defined(HAVE_GEOIP)
#include <GeoIP.h>
#endif

G_BEGIN_DECLS

#define DAY 86400
#define UNKNOWN_NAME "(unknown)"

static inline gint64
day_of (gint64 t)
{
  return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* The top lists every rendering shows, in order: the JSON key (and the
 * HTML ids), the title, where the list is in UscReport (usc-report.c). A
 * NULL list (top_countries without GeoIP) is left out. */
typedef struct {
  const char *key, *title;
  gsize       offset;
} UscReportList;

extern const UscReportList usc_report_lists[];
extern const guint usc_report_n_lists;

static inline const GPtrArray *
usc_report_list (const UscReport *r, const UscReportList *l)
{
  return G_STRUCT_MEMBER (const GPtrArray *, r, l->offset);
}

/* ------------------------------------------------------------------------ */
/* Aggregation (usc-report-agg.c)                                            */

enum { C_SERVERS, C_RMTA, C_MTA, C_FORGED, C_RCPTS, C_KINDS, C_PAYLOADS, C_IPS, C_N };

typedef struct {
  gint64 backscatter, legitimate, unknown;
} DayCount;

/* One record's (or the total's) counts; owns everything in it. */
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

/* A new, empty Agg (usc_report_agg_free()). */
Agg *usc_report_agg_new (guint top_n, gint64 until_day);
void usc_report_agg_free (Agg *a);
/* Free one UscReportKept (NULL too). */
void usc_report_kept_free (gpointer p);
/* Sort @kept newest first and keep the first @n. */
void usc_report_kept_cut (GPtrArray *kept, guint n);
/* Add @by to @h's count of @name (a copy of @name is kept). */
void usc_report_bump (GHashTable *h, const char *name, gint64 by);
/* A UscDecisionFunc and a UscStatsFunc: @data is the Agg. */
void usc_report_on_row (const UscDecision *d, gpointer data);
void usc_report_on_stats (const char *day, const char *verdict, const char *kind, gint64 count,
                          gpointer data);
/* Move @from's counts and kept bounces into @into (@from keeps no kept). */
void usc_report_agg_merge (Agg *into, Agg *from);

/* ------------------------------------------------------------------------ */
/* The report's private part (UscReport.priv; usc-report.c)                  */

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

/* ------------------------------------------------------------------------ */
/* GeoIP (usc-report-geoip.c; usc_report_use_geoip() is API)                 */

/* A database is open. */
gboolean usc_report_geoip_is_open (Priv *p);
/* The ISO country code of @ip, or NULL (newly allocated). */
char *usc_report_country_of (Priv *p, const char *ip);
/* Close the databases. */
void usc_report_geoip_close (Priv *p);

G_END_DECLS
#endif
