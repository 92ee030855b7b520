/* usc-report-geoip.c — the report's countries: a GeoIP database opened
 * when one is built in and installed (libmaxminddb: any .mmdb with
 * country.iso_code; libGeoIP: Debian's geoip-database), a relay IP's ISO
 * country code.
 */
#include "config.h"
#include "usc-report-private.h"

#include <string.h>

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
char *
usc_report_country_of (Priv *p, const char *ip)
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

gboolean
usc_report_geoip_is_open (Priv *p)
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


void
usc_report_geoip_close (Priv *p)
{
#if defined(HAVE_MAXMINDDB)
  if (p->mmdb_open)
    MMDB_close (&p->mmdb);
#elif defined(HAVE_GEOIP)
  if (p->gi4)
    GeoIP_delete (p->gi4);
  if (p->gi6)
    GeoIP_delete (p->gi6);
#else
  (void) p;
#endif
}
