/* usc-bounce-rcpt.c — failed recipients, status codes (RFC 3463) and
 * diagnostics from the reports: RFC 3464 delivery-status (and RFC 8098
 * notifications that report a failure), X-Failed-Recipients, RFC 5965
 * feedback reports. From the text of non-standard notices:
 * usc-bounce-rcpt-text.c.
 */
#include "config.h"
#include "usc-bounce-private.h"

gboolean
usc_is_own_address (const Headers *h, const UscBounce *b, const char *a)
{
  if (h->from_addr && strcmp (a, h->from_addr) == 0)
    return TRUE;
  if (h->to_addr && strcmp (a, h->to_addr) == 0)
    return TRUE;
  if (b->envelope_sender && strcmp (a, b->envelope_sender) == 0)
    return TRUE;
  const char *at = strchr (a, '@');
  char *local = at ? g_strndup (a, at - a) : g_strdup (a);
  gboolean d = g_str_has_prefix (local, "mailer-daemon") || g_str_has_prefix (local, "mailer_daemon");
  g_free (local);
  return d;
}
void
usc_add_copy_recipients (Out *o, const Headers *h, UscCopy *orig, gboolean need_domain)
{
  InternetAddressList *to = usc_copy_addresses (orig, GMIME_ADDRESS_TYPE_TO);
  int tn = to ? internet_address_list_length (to) : 0;
  for (int i = 0; i < tn && i < 10; i++) {
    InternetAddress *ia = internet_address_list_get_address (to, i);
    if (INTERNET_ADDRESS_IS_MAILBOX (ia)) {
      const char *a = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
      if (a && strchr (a, '@') && !(need_domain && a[strlen (a) - 1] == '@') && !usc_is_own_address (h, o->b, a))
        add_recipient (o, g_ascii_strdown (a, -1));
    }
  }
}
/* Failed recipients, status codes and diagnostics from the reports;
 * Diagnostic-Code and Remote-MTA texts go to @diag_all, Reporting-MTAs to
 * @reporting_all (both lower-case, for the MTA family). */
void
usc_collect_report_failures (Out *o, const Headers *h, const Parts *parts, GString *diag_all,
                             GString *reporting_all)
{
  UscBounce *b = o->b;
  for (guint i = 0; i < parts->reports->len; i++) {
    UscDsnReport *r = parts->reports->pdata[i];
    if (r->reporting_mta) {
      if (!b->reporting_mta)
        b->reporting_mta = g_strdup (r->reporting_mta);
      char *lc = g_ascii_strdown (r->reporting_mta, -1);
      g_string_append_printf (reporting_all, "%s ", lc);
      g_free (lc);
    }
    UscMdnDisposition mdn = usc_mdn_disposition (r);
    if (mdn == USC_MDN_RECEIPT || mdn == USC_MDN_PROCESSED)
      continue;  /* a receipt names who read it, not who failed */
    for (guint k = 0; k < r->recipients->len; k++) {
      UscDsnRecipient *rc = r->recipients->pdata[k];
      if (rc->action && (g_str_has_prefix (rc->action, "deliver") || g_str_has_prefix (rc->action, "relay") ||
                         g_str_has_prefix (rc->action, "expand")))
        continue;  /* not a failure */
      /* a Final-Recipient of address type LOCAL / X-Unix ("jdoe") names no
       * mail address: the Original-Recipient does */
      const char *a = usc_has_mailbox (rc->final_recipient) ? rc->final_recipient : rc->original_recipient;
      if (usc_has_mailbox (a))
        add_recipient (o, g_strdup (a));
      /* an alias expanded on the way ("expanded from <x>"): the address the
       * sender wrote is the Original-Recipient, and that is what a sent
       * record holds */
      if (a != rc->original_recipient && usc_has_mailbox (rc->original_recipient))
        add_recipient (o, g_strdup (rc->original_recipient));
      if (rc->status && usc_dsn_status_valid (rc->status))
        add_status (o, g_strdup (rc->status));
      /* a generic x.0.0 often hides the real code in the diagnostic */
      if (rc->status && g_str_has_suffix (rc->status, ".0.0") && rc->diagnostic) {
        GPtrArray *more = g_ptr_array_new_with_free_func (g_free);
        usc_scan_status (more, rc->diagnostic);
        for (guint m = 0; m < more->len; m++)
          if (((char *) more->pdata[m])[0] == rc->status[0])
            add_status (o, g_strdup (more->pdata[m]));
        g_ptr_array_unref (more);
      }
      if (rc->diagnostic) {
        if (b->diagnostics->len < 8)
          usc_ptr_array_add_unique (b->diagnostics, usc_short_copy (rc->diagnostic, 200), FALSE);
        char *lc = g_ascii_strdown (rc->diagnostic, -1);
        g_string_append_printf (diag_all, "%s\n", lc);
        g_free (lc);
      }
      if (rc->remote_mta) {
        char *lc = g_ascii_strdown (rc->remote_mta, -1);
        g_string_append_printf (diag_all, "%s\n", lc);
        g_free (lc);
      }
    }
  }
  const char *xfr = usc_hdr (GMIME_OBJECT (h->mime), "X-Failed-Recipients");
  if (xfr && b->recipients->len == 0) {
    char **v = g_strsplit (xfr, ",", 50);
    for (guint i = 0; v[i]; i++) {
      char *a = usc_msgid_in (v[i], FALSE);
      if (a) {
        add_recipient (o, g_ascii_strdown (a, -1));
        g_free (a);
      }
    }
    g_strfreev (v);
  }
}
/* Whom a complained-about message was delivered to (RFC 5965 section 3.2):
 * the report's Original-Rcpt-To fields, else the feedback-loop header
 * that names it in the returned copy, else the copy's To addresses. */
void
usc_collect_feedback_recipients (Out *o, const Headers *h, const Parts *parts)
{
  UscBounce *b = o->b;
  if (parts->feedback_text) {
    char **lines = g_strsplit (parts->feedback_text, "\n", 200);
    for (guint i = 0; lines[i] && b->recipients->len < 50; i++) {
      const char *l = lines[i];
      for (guint k = 0; k < N (feedback_recipient_fields); k++) {
        gsize n = strlen (feedback_recipient_fields[k]);
        if (g_ascii_strncasecmp (l, feedback_recipient_fields[k], n) != 0)
          continue;
        char *a = usc_addr_at (l + n + strspn (l + n, " \t<\""), NULL);
        if (a && strchr (a, '@'))
          add_recipient (o, a);
        else
          g_free (a);
        break;
      }
    }
    g_strfreev (lines);
  }
  UscCopy *orig = parts->returned->len ? parts->returned->pdata[0] : NULL;
  if (b->recipients->len > 0 || !orig)
    return;
  for (guint k = 0; k < N (feedback_copy_recipient_headers) && b->recipients->len == 0; k++) {
    const char *v = usc_copy_header (orig, feedback_copy_recipient_headers[k]);
    char *a = v ? usc_msgid_in (v, FALSE) : NULL;
    if (a && strchr (a, '@'))
      add_recipient (o, g_ascii_strdown (a, -1));
    g_free (a);
  }
  if (b->recipients->len > 0)
    return;
  usc_add_copy_recipients (o, h, orig, TRUE);
}
