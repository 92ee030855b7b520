/* usc-report.h — the backscatter report (`unscatter report`): the decision
 * logs of one or more records (usc-record.h) aggregated over a period, and
 * three renderings — aligned text for a terminal, JSON for scripts (the keys
 * are the contract of ../shared/design.md "Report"), one self-contained HTML
 * page with inline SVG charts (usc-report-html.c).
 *
 * What is counted where (doc/decisions.md, "The report"): the totals and
 * the days count every bounce by verdict; the top lists (servers, reporting
 * MTAs, MTA software, countries, forged senders, recipients, kinds,
 * payloads) count backscatter only; "kept" lists the genuine (legitimate)
 * bounces that were delivered, newest first, with the reason. Days are UTC.
 */
#ifndef USC_REPORT_H
#define USC_REPORT_H

#include <glib.h>
#include "usc-record.h"

G_BEGIN_DECLS

/* One line of a top list. */
typedef struct {
  char  *name;   /* owned; for servers "host [ip]", "host" or "[ip]" */
  gint64 count;
} UscReportCount;

/* One day of the period. */
typedef struct {
  char  *day;    /* "YYYY-MM-DD", owned */
  gint64 backscatter, legitimate, unknown;
} UscReportDay;

/* One genuine bounce that was delivered. Strings owned, any may be NULL. */
typedef struct {
  gint64 time;
  char  *kind, *server, *recipient, *reason;
} UscReportKept;

/* One record's totals (an admin's report over several). */
typedef struct {
  char  *name;   /* the label given to usc_report_add_record, owned */
  gint64 backscatter, legitimate, unknown, not_bounce;
} UscReportUser;

typedef struct {
  gint64     since, until;      /* the period: since <= time < until (seconds, day bounds) */
  guint      top_n;             /* length of every top list */
  gint64     bounces;           /* every bounce counted */
  gint64     backscatter, legitimate, unknown, not_bounce;
  GArray    *days;              /* UscReportDay, every day of the period, oldest first */
  GPtrArray *top_servers;       /* UscReportCount*: the first external relay */
  GPtrArray *top_reporting_mta; /* UscReportCount*: the bounce's Reporting-MTA */
  GPtrArray *top_mta;           /* UscReportCount*: MTA family ("unidentified" when none) */
  GPtrArray *top_countries;     /* UscReportCount*: ISO country codes; NULL without a GeoIP database */
  GPtrArray *forged_senders;    /* UscReportCount* */
  GPtrArray *recipients;        /* UscReportCount* */
  GPtrArray *kinds;             /* UscReportCount* */
  GPtrArray *payloads;          /* UscReportCount* */
  GPtrArray *kept;              /* UscReportKept*, newest first, at most top_n */
  gint64     kept_total;        /* how many there were */
  GPtrArray *users;             /* UscReportUser*, in the order added */
  char      *geoip;             /* the GeoIP database used, or NULL (owned) */
  /* private */
  gpointer   priv;
} UscReport;

/* A report over [@since, @until) (seconds; rounded out to whole UTC days;
 * @since G_MININT64: from the oldest decision found) with top lists of
 * @top_n lines (0: 10). Add records with usc_report_add_record(), then
 * usc_report_finish(). Free with usc_report_free(). */
UscReport *usc_report_new (gint64 since, gint64 until, guint top_n);

/* Add @record's decisions (read, not changed) under the label @name
 * (copied). 0, or -1 with @error (the record failed: what was read of it
 * is not counted). */
int usc_report_add_record (UscReport *report, UscRecord *record, const char *name, GError **error);

/* Look the relays' countries up in the GeoIP database @path (NULL: the
 * usual places: /usr/share/GeoIP, /var/lib/GeoIP). Without GeoIP support
 * built in, or without a database, top_countries stays NULL: not an error.
 * Call before usc_report_finish(). Returns TRUE when a database was opened. */
gboolean usc_report_use_geoip (UscReport *report, const char *path);

/* Sort and cut the top lists, fill the days and countries. Call once, after
 * the last usc_report_add_record(). */
void usc_report_finish (UscReport *report);

void usc_report_free (UscReport **report);

/* The renderings of a finished report, newly allocated. Text from messages
 * is escaped for each: control characters and invalid UTF-8 replaced in
 * text, JSON string escapes, HTML entities. */
char *usc_report_text (const UscReport *report);
char *usc_report_json (const UscReport *report);
char *usc_report_html (const UscReport *report);   /* usc-report-html.c */

/* "YYYY-MM-DD" of @t (UTC), newly allocated. */
char *usc_report_day (gint64 t);

G_END_DECLS
#endif
