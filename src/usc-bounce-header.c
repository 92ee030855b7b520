/* usc-bounce-header.c — header fields as the bounce analysis reads them:
 * a field's value by name (through usc_header_value(), usc-header.c), a
 * field's presence or words, the first mailbox of a list, a date, a
 * Received value cut at its "by" clause.
 */
#include "config.h"
#include "usc-bounce-private.h"

const char *
usc_hdr (GMimeObject *o, const char *name)
{
  GMimeHeaderList *hl = g_mime_object_get_header_list (o);
  return hl ? usc_header_value (g_mime_header_list_get_header (hl, name)) : NULL;
}
void
usc_first_mailbox (InternetAddressList *l, char **addr_r, char **name_r)
{
  if (l == NULL)
    return;
  int n = internet_address_list_length (l);
  for (int i = 0; i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address (l, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (addr_r && a && !*addr_r)
        *addr_r = g_ascii_strdown (a, -1);
      const char *nm = internet_address_get_name (ia);
      if (name_r && nm && !*name_r)
        *name_r = g_utf8_strdown (nm, -1);
      return;
    }
  }
}
gint64
usc_parse_date (const char *d)
{
  if (d == NULL)
    return 0;
  GDateTime *dt = g_mime_utils_header_decode_date (d);
  if (dt == NULL)
    return 0;
  gint64 t = g_date_time_to_unix (dt);
  g_date_time_unref (dt);
  return t;
}
gboolean
usc_header_has (GMimeObject *o, const char *name, const char *needle)
{
  const char *v = usc_hdr (o, name);
  if (v == NULL)
    return FALSE;
  if (*needle == '\0')
    return TRUE;
  char *lc = g_ascii_strdown (v, -1);
  gboolean r = strstr (lc, needle) != NULL;
  g_free (lc);
  return r;
}
gboolean
usc_any_header (GMimeObject *top, const char *const *names, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (usc_hdr (top, names[i]))
      return TRUE;
  return FALSE;
}
/* Cut a lower-cased Received value at its "by" clause, whatever white
 * space (a fold: "\n\tby", a tab) precedes it. */
void
usc_cut_by_clause (char *lc)
{
  for (char *p = lc; *p; p++)
    if ((p == lc || g_ascii_isspace (p[-1])) && g_str_has_prefix (p, "by") && (p[2] == ' ' || p[2] == '\t' || p[2] == '\n')) {
      *p = '\0';
      return;
    }
}
