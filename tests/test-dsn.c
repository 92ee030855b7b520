/* test-dsn.c — unit tests for usc-dsn (GTest, table-driven): RFC 3464
 * delivery-status bodies, tidy and sloppy, RFC 3463 status syntax, and
 * RFC 8098 disposition notifications (fields and the disposition's class). */
#include "config.h"
#include <string.h>
#include <gmime/gmime.h>
#include "usc-dsn.h"

typedef struct {
  const char *name;
  const char *text;
  gboolean    ok;            /* parse succeeds */
  const char *reporting_mta;
  const char *envelope_id;
  const char *x_sender;
  const char *orig_msgid;
  guint       n_rcpt;
  /* first recipient */
  const char *final;
  const char *original;
  const char *action;
  const char *status;
  const char *diagnostic;
  const char *remote_mta;
  /* last recipient (when n_rcpt > 1) */
  const char *last_final;
  const char *last_status;
} DsnCase;

static const DsnCase dsn_cases[] = {
  { "postfix",
    "Reporting-MTA: dns; mx.example.net\n"
    "X-Postfix-Queue-ID: 4F7B21A2055\n"
    "X-Postfix-Sender: rfc822; Alice@Example.ORG\n"
    "Arrival-Date: Mon,  4 Mar 2024 09:15:12 +0100 (CET)\n"
    "\n"
    "Final-Recipient: rfc822; Bob.Smith@example.net\n"
    "Original-Recipient: rfc822;bob.smith@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mail.example.net\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <bob.smith@example.net>: Recipient address\n"
    "    rejected: User unknown in local recipient table\n",
    TRUE, "mx.example.net", NULL, "alice@example.org", NULL, 1,
    "bob.smith@example.net", "bob.smith@example.net", "failed", "5.1.1",
    "550 5.1.1 <bob.smith@example.net>: Recipient address rejected: User unknown in local recipient table",
    "mail.example.net", NULL, NULL },
  { "crlf and two recipients",
    "Reporting-MTA: dns;mx.example.net\r\n"
    "Original-Envelope-Id: 0123ABC.alice\r\n"
    "\r\n"
    "Final-Recipient: RFC822; <eve@example.net>\r\n"
    "Action: Failed\r\n"
    "Status: 5.2.2 (mailbox full)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; frank@example.com\r\n"
    "Action: delayed\r\n"
    "Status: 4.4.1\r\n",
    TRUE, "mx.example.net", "0123ABC.alice", NULL, NULL, 2,
    "eve@example.net", NULL, "failed", "5.2.2", NULL, NULL,
    "frank@example.com", "4.4.1" },
  { "no blank lines between groups",
    "Reporting-MTA: dns; gw.example.com\n"
    "Final-Recipient: rfc822; a@example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Final-Recipient: rfc822; b@example.com\n"
    "Action: failed\n"
    "Status: 5.1.2\n",
    TRUE, "gw.example.com", NULL, NULL, NULL, 2,
    "a@example.com", NULL, "failed", "5.1.1", NULL, NULL,
    "b@example.com", "5.1.2" },
  { "RFC 6533 utf-8 address type",
    "Reporting-MTA: dns; mx.example.net\n"
    "\n"
    "Original-Recipient: utf-8; jos\\x{E9}@example.net\n"
    "Final-Recipient: utf-8; Jos\\x{E9}@Example.NET\n"
    "Action: failed\n"
    "Status: 5.1.1\n",
    TRUE, "mx.example.net", NULL, NULL, NULL, 1,
    "jos\xc3\xa9@example.net", "jos\xc3\xa9@example.net", "failed", "5.1.1", NULL, NULL, NULL, NULL },
  { "no type prefixes, X-Original-Message-ID",
    "Reporting-MTA: mx.example.com\n"
    "X-Original-Message-ID: <abc.123@example.org>\n"
    "\n"
    "Final-Recipient: <carol@example.com>\n"
    "Action: failed\n"
    "Status: 5.0.0\n"
    "Diagnostic-Code: 550 no such user\n",
    TRUE, "mx.example.com", NULL, NULL, "abc.123@example.org", 1,
    "carol@example.com", NULL, "failed", "5.0.0", "550 no such user", NULL, NULL, NULL },
  { "leading blank lines and folded per-message field",
    "\n\nReporting-MTA: dns;\n mx9.example.com\n"
    "\n"
    "Final-Recipient: rfc822; dave@example.com\n"
    "Action: failed\n"
    "Status: 5.7.1\n",
    TRUE, "mx9.example.com", NULL, NULL, NULL, 1,
    "dave@example.com", NULL, "failed", "5.7.1", NULL, NULL, NULL, NULL },
  { "not a report", "Hello,\nthis is just text.\n", FALSE,
    NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { "empty", "", FALSE,
    NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
test_parse (gconstpointer data)
{
  const DsnCase *c = data;
  GError *error = NULL;
  UscDsnReport *r = usc_dsn_parse (c->text, strlen (c->text), &error);
  if (!c->ok) {
    g_assert_null (r);
    g_assert_error (error, USC_ERROR, USC_ERROR_PARSE);
    g_clear_error (&error);
    return;
  }
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->reporting_mta, ==, c->reporting_mta);
  g_assert_cmpstr (r->envelope_id, ==, c->envelope_id);
  g_assert_cmpstr (r->x_sender, ==, c->x_sender);
  g_assert_cmpstr (r->original_message_id, ==, c->orig_msgid);
  g_assert_cmpuint (r->recipients->len, ==, c->n_rcpt);
  if (c->n_rcpt > 0) {
    UscDsnRecipient *f = r->recipients->pdata[0];
    g_assert_cmpstr (f->final_recipient, ==, c->final);
    g_assert_cmpstr (f->original_recipient, ==, c->original);
    g_assert_cmpstr (f->action, ==, c->action);
    g_assert_cmpstr (f->status, ==, c->status);
    g_assert_cmpstr (f->diagnostic, ==, c->diagnostic);
    g_assert_cmpstr (f->remote_mta, ==, c->remote_mta);
  }
  if (c->n_rcpt > 1) {
    UscDsnRecipient *l = r->recipients->pdata[r->recipients->len - 1];
    g_assert_cmpstr (l->final_recipient, ==, c->last_final);
    g_assert_cmpstr (l->status, ==, c->last_status);
  }
  usc_dsn_report_free (&r);
  g_assert_null (r);
  usc_dsn_report_free (&r); /* NULL is fine */
  usc_dsn_report_free (NULL);
}

static const struct { const char *s; gboolean valid; } status_cases[] = {
  { "5.1.1", TRUE }, { "4.4.7", TRUE }, { "2.0.0", TRUE }, { "5.1.10", TRUE },
  { "5.123.456", TRUE }, { "3.1.1", FALSE }, { "5.1", FALSE }, { "5.1.1.1", FALSE },
  { "5..1", FALSE }, { "5.1.1 ", FALSE }, { "", FALSE }, { "x.1.1", FALSE }, { "5.1234.1", FALSE },
};

static void
test_status (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    g_assert_cmpint (usc_dsn_status_valid (status_cases[i].s), ==, status_cases[i].valid);
  g_assert_false (usc_dsn_status_valid (NULL));
}

typedef struct {
  const char *name;
  const char *text;
  const char *orig_msgid;
  const char *final;         /* first recipient group's Final-Recipient */
  const char *reporting_ua;
  const char *disposition;
  const char *error;
  UscMdnDisposition cls;
} MdnCase;

static const MdnCase mdn_cases[] = {
  { "sieve reject (RFC 5429)",
    "Reporting-UA: imap.example.net; Dovecot Mail Delivery Agent\n"
    "Final-Recipient: rfc822; Bob@Example.NET\n"
    "Original-Message-ID: <20240304081512.GA4721@alice-laptop.example.org>\n"
    "Disposition: automatic-action/MDN-sent-automatically; deleted\n",
    "20240304081512.GA4721@alice-laptop.example.org", "bob@example.net",
    "imap.example.net; Dovecot Mail Delivery Agent",
    "automatic-action/mdn-sent-automatically;deleted", NULL, USC_MDN_FAILURE },
  { "read receipt, CRLF, folded",
    "Reporting-UA: smtp.example.net;\r\n Mozilla Thunderbird\r\n"
    "Final-Recipient: rfc822;bob@example.net\r\n"
    "Original-Message-ID: <a@b.example>\r\n"
    "Disposition: manual-action/MDN-sent-manually;\r\n displayed\r\n",
    "a@b.example", "bob@example.net", "smtp.example.net; Mozilla Thunderbird",
    "manual-action/mdn-sent-manually;displayed", NULL, USC_MDN_RECEIPT },
  { "dispatched",
    "Final-Recipient: rfc822; c@example.com\n"
    "Original-Message-ID: <x@y.example>\n"
    "Disposition: automatic-action/MDN-sent-automatically; dispatched\n",
    "x@y.example", "c@example.com", NULL,
    "automatic-action/mdn-sent-automatically;dispatched", NULL, USC_MDN_RECEIPT },
  { "deleted by the reader (Outlook Not read)",
    "Final-Recipient: rfc822;w@u.test\n"
    "Disposition: manual-action/MDN-sent-automatically; deleted\n",
    NULL, "w@u.test", NULL, "manual-action/mdn-sent-automatically;deleted", NULL, USC_MDN_RECEIPT },
  { "deleted with the error modifier and an Error field",
    "Final-Recipient: rfc822; g@u.test\n"
    "Disposition: automatic-action/MDN-sent-automatically; deleted/error\n"
    "Error: rejected by Sieve script\n",
    NULL, "g@u.test", NULL, "automatic-action/mdn-sent-automatically;deleted/error",
    "rejected by Sieve script", USC_MDN_FAILURE },
  { "RFC 3798 failed with Failure",
    "Original-Recipient: rfc822;b@t.example\n"
    "Final-Recipient: rfc822;b@t.example\n"
    "Disposition: automatic-action/MDN-sent-automatically; failed\n"
    "Failure: mailbox not available\n",
    NULL, "b@t.example", NULL, "automatic-action/mdn-sent-automatically;failed",
    "mailbox not available", USC_MDN_FAILURE },
  { "rejected (not in the RFC) and a comment",
    "Final-Recipient: rfc822; o@s.example\n"
    "Disposition: Automatic-Action/MDN-Sent-Automatically; Rejected (policy)\n",
    NULL, "o@s.example", NULL, "automatic-action/mdn-sent-automatically;rejected", NULL, USC_MDN_FAILURE },
  { "processed",
    "Final-Recipient: rfc822; billing@v.example\n"
    "Disposition: automatic-action/MDN-sent-automatically; processed\n",
    NULL, "billing@v.example", NULL, "automatic-action/mdn-sent-automatically;processed", NULL,
    USC_MDN_PROCESSED },
  { "displayed with a harmless modifier list",
    "Final-Recipient: rfc822; k@h.example\n"
    "Disposition: manual-action/MDN-sent-manually; displayed/superseded,expired\n",
    NULL, "k@h.example", NULL, "manual-action/mdn-sent-manually;displayed/superseded,expired", NULL,
    USC_MDN_RECEIPT },
  { "a DSN is no MDN",
    "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\n",
    NULL, "a@b.example", NULL, NULL, NULL, USC_MDN_NONE },
};

static void
test_mdn (gconstpointer data)
{
  const MdnCase *c = data;
  GError *error = NULL;
  UscDsnReport *r = usc_dsn_parse (c->text, strlen (c->text), &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->original_message_id, ==, c->orig_msgid);
  g_assert_cmpuint (r->recipients->len, >=, 1);
  g_assert_cmpstr (((UscDsnRecipient *) r->recipients->pdata[0])->final_recipient, ==, c->final);
  g_assert_cmpstr (r->reporting_ua, ==, c->reporting_ua);
  g_assert_cmpstr (r->disposition, ==, c->disposition);
  g_assert_cmpstr (r->mdn_error, ==, c->error);
  g_assert_cmpint (usc_mdn_disposition (r), ==, c->cls);
  usc_dsn_report_free (&r);
  g_assert_cmpint (usc_mdn_disposition (NULL), ==, USC_MDN_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  for (guint i = 0; i < G_N_ELEMENTS (dsn_cases); i++) {
    char *path = g_strdup_printf ("/dsn/parse/%s", dsn_cases[i].name);
    g_test_add_data_func (path, &dsn_cases[i], test_parse);
    g_free (path);
  }
  g_test_add_func ("/dsn/status-valid", test_status);
  for (guint i = 0; i < G_N_ELEMENTS (mdn_cases); i++) {
    char *path = g_strdup_printf ("/dsn/mdn/%s", mdn_cases[i].name);
    g_test_add_data_func (path, &mdn_cases[i], test_mdn);
    g_free (path);
  }
  return g_test_run ();
}
