/* usc-dsn.c — parse the body of a message/delivery-status part (RFC 3464,
 * carried in multipart/report of RFC 6522) and its internationalised form
 * message/global-delivery-status (RFC 6533: UTF-8 allowed, "utf-8" address
 * type with \x{HHHH} escapes).
 *
 * Real reports are often sloppy, so the parser is tolerant: CRLF or LF,
 * folded lines, missing blank lines between groups (a new Final-Recipient or
 * Original-Recipient starts a new recipient group), missing type prefixes
 * ("rfc822;", "dns;", "smtp;"), angle brackets, trailing comments, and
 * vendor fields (X-Postfix-Sender, X-Original-Message-ID, ...).
 *
 * An RFC 8098 disposition notification has the same syntax (RFC 822-style
 * fields, blank-line groups) and shares Original-Recipient, Final-Recipient
 * and Original-Message-ID with it; its own fields (Reporting-UA,
 * Disposition, Failure, Error) are kept in the same report, so one parser
 * reads both and usc_mdn_disposition() (usc-mdn.c) tells a reject from a
 * receipt.
 *
 * This file splits the text into groups and fields and files each value;
 * the values are cleaned by usc-dsn-value.c.
 */
#include "config.h"
#include "usc-dsn.h"
#include "usc-dsn-value.h"

#include <string.h>

gboolean
usc_dsn_status_valid (const char *s)
{
  gsize n = s ? usc_dsn_status_len (s) : 0;
  return n > 0 && s[n] == '\0';
}

static void
recipient_free (gpointer p)
{
  UscDsnRecipient *r = p;
  g_free (r->final_recipient);
  g_free (r->original_recipient);
  g_free (r->action);
  g_free (r->status);
  g_free (r->diagnostic);
  g_free (r->remote_mta);
  g_free (r);
}

void
usc_dsn_report_free (UscDsnReport **report)
{
  if (report == NULL || *report == NULL)
    return;
  UscDsnReport *r = *report;
  g_free (r->reporting_mta);
  g_free (r->envelope_id);
  g_free (r->received_from_mta);
  g_free (r->arrival_date);
  g_free (r->x_sender);
  g_free (r->original_message_id);
  g_free (r->reporting_ua);
  g_free (r->disposition);
  g_free (r->mdn_error);
  if (r->recipients)
    g_ptr_array_unref (r->recipients);
  g_free (r);
  *report = NULL;
}

typedef enum {
  F_NONE, F_REPORTING_MTA, F_ENVID, F_RECEIVED_FROM, F_ARRIVAL, F_XSENDER, F_XMSGID,
  F_ORIG_RCPT, F_FINAL_RCPT, F_ACTION, F_STATUS, F_DIAG, F_REMOTE_MTA, F_OTHER_RCPT,
  F_REPORTING_UA, F_DISPOSITION, F_MDN_ERROR
} Field;

static const struct { const char *name; Field f; } dsn_fields[] = {
  { "reporting-mta", F_REPORTING_MTA },
  { "original-envelope-id", F_ENVID },
  { "received-from-mta", F_RECEIVED_FROM },
  { "arrival-date", F_ARRIVAL },
  { "x-postfix-sender", F_XSENDER },
  { "x-original-sender", F_XSENDER },
  { "x-envelope-from", F_XSENDER },
  { "x-original-message-id", F_XMSGID },
  { "original-message-id", F_XMSGID },
  { "x-original-message-id-header", F_XMSGID },
  { "original-recipient", F_ORIG_RCPT },
  { "final-recipient", F_FINAL_RCPT },
  { "x-actual-recipient", F_OTHER_RCPT },
  { "action", F_ACTION },
  { "status", F_STATUS },
  { "diagnostic-code", F_DIAG },
  { "x-diagnostic-code", F_DIAG },
  { "remote-mta", F_REMOTE_MTA },
  { "last-attempt-date", F_OTHER_RCPT },
  { "final-log-id", F_OTHER_RCPT },
  { "will-retry-until", F_OTHER_RCPT },
  { "x-postfix-queue-id", F_NONE },
  { "x-supplementary-info", F_NONE },
  { "x-display-name", F_NONE },
  /* RFC 8098 (and RFC 3798's Failure) */
  { "reporting-ua", F_REPORTING_UA },
  { "mdn-gateway", F_NONE },
  { "original-mdn-recipient", F_NONE },
  { "disposition", F_DISPOSITION },
  { "failure", F_MDN_ERROR },
  { "error", F_MDN_ERROR },
  { "warning", F_NONE },
};

static Field
field_of (const char *name, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (dsn_fields); i++)
    if (strlen (dsn_fields[i].name) == len && g_ascii_strncasecmp (dsn_fields[i].name, name, len) == 0)
      return dsn_fields[i].f;
  return (Field) -1;
}

static void
set_once (char **slot, char *v)
{
  if (*slot == NULL)
    *slot = v;
  else
    g_free (v);
}

UscDsnReport *
usc_dsn_parse (const char *text, gsize len, GError **error)
{
  if (text == NULL) {
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "empty delivery-status");
    return NULL;
  }
  UscDsnReport *rep = g_new0 (UscDsnReport, 1);
  rep->recipients = g_ptr_array_new_with_free_func (recipient_free);
  UscDsnRecipient *cur = NULL;
  guint known = 0;

  /* Unfold into logical lines; a blank line ends a group. */
  gsize i = 0;
  GString *line = g_string_new (NULL);
  while (i <= len) {
    /* read one physical line */
    gsize s = i;
    while (i < len && text[i] != '\n' && text[i] != '\r')
      i++;
    gsize e = i;
    if (i < len && text[i] == '\r')
      i++;
    if (i < len && text[i] == '\n')
      i++;
    gboolean at_end = (s >= len);
    gboolean blank = TRUE;
    for (gsize k = s; k < e; k++)
      if (text[k] != ' ' && text[k] != '\t') {
        blank = FALSE;
        break;
      }
    gboolean cont = !blank && !at_end && (text[s] == ' ' || text[s] == '\t') && line->len > 0;
    if (cont) {
      g_string_append_c (line, ' ');
      g_string_append_len (line, text + s, e - s);
    } else {
      /* flush the logical line held */
      if (line->len > 0) {
        const char *colon = memchr (line->str, ':', line->len);
        if (colon) {
          gsize nlen = colon - line->str;
          while (nlen > 0 && (line->str[nlen - 1] == ' ' || line->str[nlen - 1] == '\t'))
            nlen--;
          Field f = field_of (line->str, nlen);
          char *val = g_strstrip (g_strdup (colon + 1));
          if ((int) f >= 0)
            known++;
          gboolean rcpt_field = f == F_ORIG_RCPT || f == F_FINAL_RCPT || f == F_ACTION ||
                                f == F_STATUS || f == F_DIAG || f == F_REMOTE_MTA || f == F_OTHER_RCPT;
          if (rcpt_field) {
            gboolean fresh = cur == NULL ||
                             (f == F_ORIG_RCPT && (cur->original_recipient ||
                                                   (cur->final_recipient && (cur->action || cur->status)))) ||
                             (f == F_FINAL_RCPT && cur->final_recipient) ||
                             (f == F_ACTION && cur->action && cur->final_recipient) ||
                             (f == F_STATUS && cur->status && cur->final_recipient);
            if (fresh) {
              cur = g_new0 (UscDsnRecipient, 1);
              g_ptr_array_add (rep->recipients, cur);
            }
          }
          switch ((int) f) {
          case F_REPORTING_MTA: set_once (&rep->reporting_mta, usc_dsn_clean_name (val)); break;
          case F_ENVID: set_once (&rep->envelope_id, usc_dsn_clean_text (val, FALSE)); break;
          case F_RECEIVED_FROM: set_once (&rep->received_from_mta, usc_dsn_clean_name (val)); break;
          case F_ARRIVAL: set_once (&rep->arrival_date, usc_dsn_clean_text (val, FALSE)); break;
          case F_XSENDER: set_once (&rep->x_sender, usc_dsn_clean_address (val)); break;
          case F_XMSGID: set_once (&rep->original_message_id, usc_dsn_clean_msgid (val)); break;
          case F_ORIG_RCPT: set_once (&cur->original_recipient, usc_dsn_clean_address (val)); break;
          case F_FINAL_RCPT: set_once (&cur->final_recipient, usc_dsn_clean_address (val)); break;
          case F_ACTION: {
            char *a = usc_dsn_clean_name (val);
            if (a) {
              char *lc = g_ascii_strdown (a, -1);
              g_free (a);
              set_once (&cur->action, lc);
            }
            break;
          }
          case F_STATUS: set_once (&cur->status, usc_dsn_find_status (val)); break;
          case F_DIAG: set_once (&cur->diagnostic, usc_dsn_clean_text (val, TRUE)); break;
          case F_REMOTE_MTA: set_once (&cur->remote_mta, usc_dsn_clean_name (val)); break;
          case F_REPORTING_UA: set_once (&rep->reporting_ua, usc_dsn_clean_text (val, FALSE)); break;
          case F_DISPOSITION: set_once (&rep->disposition, usc_dsn_clean_disposition (val)); break;
          case F_MDN_ERROR: set_once (&rep->mdn_error, usc_dsn_clean_text (val, FALSE)); break;
          default: break;
          }
          g_free (val);
        }
        g_string_truncate (line, 0);
      }
      if (blank)
        cur = NULL; /* group ends */
      else
        g_string_append_len (line, text + s, e - s);
    }
    if (at_end)
      break;
  }
  g_string_free (line, TRUE);

  /* drop empty recipient groups */
  for (guint k = rep->recipients->len; k-- > 0;) {
    UscDsnRecipient *r = rep->recipients->pdata[k];
    if (!r->final_recipient && !r->original_recipient && !r->status && !r->action)
      g_ptr_array_remove_index (rep->recipients, k);
  }
  if (known == 0) {
    usc_dsn_report_free (&rep);
    g_set_error (error, USC_ERROR, USC_ERROR_PARSE, "no delivery-status fields");
    return NULL;
  }
  return rep;
}
