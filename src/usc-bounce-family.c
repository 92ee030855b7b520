/* usc-bounce-family.c — the MTA family of a bounce (postfix, exim, exchange, ...):
 * the first row of mta_signatures (usc-tables-mta.h, assembled from
 * src/mta/<family>.def) that matches wins;
 * Amazon SES JSON notifications.
 */
#include "config.h"
#include "usc-bounce-private.h"

/* Amazon SES bounce notifications delivered through SNS: JSON with
 * "notificationType":"Bounce" and the original's "mail":{"messageId":...}. */
gboolean
usc_ses_json (const char *text, const char *lc_text, IdCands *ids, Out *o)
{
  if (!strstr (lc_text, "notificationtype"))
    return FALSE;
  GString *u = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    if (*p != '\\' && *p != '\n')
      g_string_append_c (u, *p);
  char *lc = g_ascii_strdown (u->str, u->len);
  gboolean is = strstr (lc, "\"notificationtype\":\"bounce\"") != NULL ||
                strstr (lc, "\"notificationtype\":\"delivery\"") != NULL;
  if (is && ids) {
    const char *m = strstr (lc, "\"mail\":");
    const char *k = m ? strstr (m, "\"messageid\":\"") : NULL;
    if (k) {
      const char *v = u->str + (k - lc) + strlen ("\"messageid\":\"");
      const char *e = strchr (v, '"');
      if (e && e > v)
        usc_add_cand (ids, g_strndup (v, e - v), "body-text", 4);
    }
    for (const char *r = lc; (r = strstr (r, "\"emailaddress\":\"")) != NULL;) {
      r += strlen ("\"emailaddress\":\"");
      char *a = usc_addr_at (r, NULL);
      if (a)
        add_recipient (o, a);
    }
    const char *st = strstr (lc, "\"status\":\"");
    if (st)
      usc_scan_status (o->b->status, st + 10);
  }
  g_free (lc);
  g_string_free (u, TRUE);
  return is;
}
static char *received_text (const Headers *h);
/* The family of the first of mta_signatures to match; *@received_lc is
 * the Received text, made when first needed (the caller frees it). */
static const char *
detect_family (const Headers *h, const char *body_lc, char **received_lc, const char *reporting_lc,
               const char *diag_lc, const char *msgid_lc, const gssize *body_hits)
{
  GMimeObject *top = GMIME_OBJECT (h->mime);
  for (guint i = 0; i < N (mta_signatures); i++) {
    const UscSignature *s = &mta_signatures[i];
    const char *hay = NULL;
    char *tmp = NULL;
    switch (s->where) {
    case SIG_FROM: hay = h->from_addr; break;
    case SIG_SUBJECT: hay = h->subject_lc; break;
    case SIG_RECEIVED:
      /* made when a row first needs it (received_text) */
      if (*received_lc == NULL)
        *received_lc = received_text (h);
      hay = *received_lc;
      break;
    case SIG_REPORTING: hay = reporting_lc; break;
    case SIG_BODY: hay = body_lc; break;
    case SIG_BOUNDARY: hay = h->boundary_lc; break;
    case SIG_MSGID: hay = msgid_lc; break;
    case SIG_DIAG: hay = diag_lc; break;
    case SIG_HEADER: {
      const char *v = usc_hdr (top, s->header);
      if (v == NULL)
        continue;
      if (*s->needle == '\0')
        return s->family;
      hay = tmp = g_ascii_strdown (v, -1);
      break;
    }
    }
    /* @body_hits: where each needle first occurs in @body_lc (the text index) */
    gboolean hit = s->where == SIG_BODY && body_hits && hay ? body_hits[i] >= 0
                   : hay && strstr (hay, s->needle) != NULL;
    g_free (tmp);
    if (hit)
      return s->family;
  }
  return NULL;
}
/* The Received fields of the bounce, lower-cased, one a line (at most
 * 64 KB): what the SIG_RECEIVED rows are looked for in. */
static char *
received_text (const Headers *h)
{
  GString *rcv = g_string_new (NULL);
  GMimeHeaderList *hl = g_mime_object_get_header_list (GMIME_OBJECT (h->mime));
  int hn = g_mime_header_list_get_count (hl);
  gboolean skipped_top = FALSE;
  for (int i = 0; i < hn && rcv->len < 65536; i++) {
    GMimeHeader *hdr = g_mime_header_list_get_header_at (hl, i);
    if (g_ascii_strcasecmp (g_mime_header_get_name (hdr), "Received") != 0)
      continue;
    const char *v = usc_header_value (hdr);
    if (v == NULL)
      continue;
    gsize at = rcv->len;
    g_string_append (rcv, v);
    char *lc = rcv->str + at;
    for (char *q = lc; *q; q++)
      *q = g_ascii_tolower (*q);
    if (!skipped_top) {
      /* the topmost Received is the user's own server taking the bounce
       * in: only its "from" clause (the sending host) says anything */
      skipped_top = TRUE;
      usc_cut_by_clause (lc);
      g_string_truncate (rcv, at + strlen (lc));
    }
    g_string_append_c (rcv, '\n');
  }
  return g_string_free (rcv, FALSE);
}
/* The software or service that reported the failure. */
void
usc_collect_family (UscBounce *b, const Headers *h, const Evidence *e, const char *diag_all,
                    const char *reporting_all)
{
  char *id_lc = h->own_id ? g_ascii_strdown (h->own_id, -1) : NULL;
  char *rcv = NULL;
  const char *fam = detect_family (h, e->scan_lc, &rcv, reporting_all, diag_all, id_lc, e->sig_hits);
  if (fam)
    b->mta_family = g_strdup (fam);
  g_free (id_lc);
  g_free (rcv);
}
