/* test-screen.c — the header-first screen (usc-screen.c) is conservative:
 * whatever it lets through, the full analysis calls "not a bounce" with no
 * note, no truncation and the same Date. Checked on hand-written messages
 * (which it must let through or leave to the analysis: table below) and on
 * every message we have: fixtures/, tests/heldout/, the shared corpus and
 * Python's email test data when installed (LF and CRLF). */
#include "config.h"
#include <string.h>
#include <gmime/gmime.h>
#include "usc-screen.h"

typedef struct {
  const char *name;
  const char *text;
  gboolean    screened;   /* the screen decides it (else: the analysis) */
  const char *why;        /* if not NULL: in usc_screen_why()'s answer when not screened */
} ScreenCase;

#define MUA_REPLY_HEAD \
  "From: Bob Example <bob@example.net>\n" \
  "To: alice@example.org\n" \
  "Subject: Re: lunch on Thursday\n" \
  "Date: Mon, 4 Mar 2024 09:15:13 +0100\n" \
  "Message-ID: <r1@example.net>\n" \
  "In-Reply-To: <a1@example.org>\n" \
  "User-Agent: Mozilla Thunderbird\n" \
  "MIME-Version: 1.0\n"

/* a returned Postfix notice, as a person or a program passes it on */
#define FORWARDED_BOUNCE \
  "Return-Path: <>\n" \
  "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n" \
  "To: alice@example.org\n" \
  "Subject: Undelivered Mail Returned to Sender\n" \
  "Auto-Submitted: auto-replied\n" \
  "Message-ID: <b1@mx.example.net>\n" \
  "\n" \
  "This is the mail system at host mx.example.net.\n\n" \
  "I'm sorry to have to inform you that your message could not\n" \
  "be delivered to one or more recipients.\n\n" \
  "<carol@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n"

#define NOREPLY_HEAD \
  "From: Example News <noreply@news.example.net>\n" \
  "To: alice@example.org\n" \
  "Subject: This week at Example News\n" \
  "Date: Mon, 4 Mar 2024 07:00:00 +0000\n" \
  "Message-ID: <w1@news.example.net>\n" \
  "MIME-Version: 1.0\n"

static const ScreenCase cases[] = {
  { "a client's reply: screened",
    MUA_REPLY_HEAD "Content-Type: text/plain; charset=utf-8\n\nSounds good, see you there.\n", TRUE, NULL },
  { "a bounce's wording in the text: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/plain\n\nThis is the mail system at host mx.example.net.\n", FALSE, NULL },
  { "a bounce's wording in quoted-printable Latin-1: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
    "This is the mail sys=\ntem at host mx.example.net.\n", FALSE, NULL },
  { "an auto-reply's wording in HTML with an entity: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/html\n\n<p>I&#39;m <b>away</b> until Monday.</p>\n", FALSE, NULL },
  { "a challenge's wording: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/plain\n\nI use a spam filter; please click below.\n", FALSE, NULL },
  { "the wording in a prologue: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\nThis is the mail system at host x, padding padding.\n"
    "--b\nContent-Type: text/plain\n\nhi\n--b--\n", FALSE, NULL },
  { "a client's reply in HTML: screened",
    MUA_REPLY_HEAD "Content-Type: text/html; charset=iso-8859-1\n\n<p>Fine <b>by</b> me.</p>\n", TRUE, NULL },
  { "a new message with no mail client's header: screened",
    "From: Bob <bob@example.net>\nTo: alice@example.org\nSubject: lunch\n\nHi.\n", TRUE, NULL },
  { "multipart/alternative with an attachment: screened",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
    "--a\nContent-Type: text/plain\n\nhi\n--a\nContent-Type: text/html\n\n<p>hi</p>\n--a--\n"
    "--m\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--m--\n", TRUE, NULL },
  { "SES JSON in the text: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/plain\n\n{\"notificationType\":\"Bounce\"}\n", FALSE, NULL },
  { "SES JSON split by HTML tags: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/html\n\n<p>notification<b>Type</b></p>\n", FALSE, NULL },
  { "SES JSON in base64: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
    "eyJub3RpZmljYXRpb25UeXBlIjoiQm91bmNlIn0K\n", FALSE, NULL },
  { "a null sender: left to the analysis",
    "Return-Path: <>\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, NULL },
  { "a daemon's From: left to the analysis",
    "From: MAILER-DAEMON@example.net\nSubject: Re: x\nIn-Reply-To: <a@b>\nUser-Agent: x\n\nHi.\n", FALSE, NULL },
  { "a daemon's display name: left to the analysis",
    "From: \"Mail Delivery System\" <bob@example.net>\nSubject: x\n\nHi.\n", FALSE, NULL },
  { "an auto-reply header: left to the analysis",
    "X-Autoreply: yes\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, NULL },
  { "a challenge software's User-Agent: left to the analysis",
    "From: Bob <bob@example.net>\nSubject: x\nUser-Agent: TMDA/1.1\n\nHi.\n", FALSE, NULL },
  { "Auto-Submitted: left to the analysis",
    "Auto-Submitted: auto-generated\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, NULL },
  { "X-Failed-Recipients: left to the analysis",
    "X-Failed-Recipients: carol@example.net\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, NULL },
  { "a scanner's header: left to the analysis",
    "X-Virus-Status: Infected\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, NULL },
  { "a bounce's subject: left to the analysis",
    "From: Bob <bob@example.net>\nSubject: Re: Undelivered Mail Returned to Sender\n"
    "In-Reply-To: <a@b>\nUser-Agent: x\n\nHi.\n", FALSE, NULL },
  { "an auto-reply's subject: left to the analysis",
    "From: Bob <bob@example.net>\nSubject: Re: Out of Office: lunch\nIn-Reply-To: <a@b>\nUser-Agent: x\n\nHi.\n",
    FALSE, NULL },
  { "an attached message from a person: screened",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee below\n"
    "--b\nContent-Type: message/rfc822\n\nFrom: x@y\nSubject: z\n\nbody\n--b--\n", TRUE, NULL },
  { "a bounce forwarded as an attachment by a person: screened",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nlook at this\n"
    "--b\nContent-Type: message/rfc822\n\n" FORWARDED_BOUNCE "--b--\n", TRUE, NULL },
  { "a bounce passed on as an attachment by noreply@: left to the analysis",
    NOREPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nforwarded\n"
    "--b\nContent-Type: message/rfc822\n\n" FORWARDED_BOUNCE "--b--\n", FALSE, "message part, from a weak From" },
  { "a bounce passed on as an .eml file by noreply@: left to the analysis",
    NOREPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nforwarded\n"
    "--b\nContent-Type: text/plain; name=\"x.eml\"\nContent-Disposition: attachment; filename=\"x.eml\"\n\n"
    FORWARDED_BOUNCE "--b--\n", FALSE, NULL },
  { "a bounce passed on as a file by noreply@: left to the analysis",
    NOREPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nforwarded\n"
    "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"bounce\"\n\n"
    FORWARDED_BOUNCE "--b--\n", FALSE, "may be a message, from a weak From" },
  { "an attached message without header fields: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee below\n"
    "--b\nContent-Type: message/rfc822\n\n\nFrom: x@y\nSubject: z\n\nbody\n--b--\n", FALSE, "without header fields" },
  { "a newsletter from noreply@: screened",
    NOREPLY_HEAD "Content-Type: text/html; charset=utf-8\n\n<p>This week: <a href=\"https://news.example.net/1\">trams</a></p>\n",
    TRUE, NULL },
  { "a noreply-something@ From (not the daemon's local part): screened",
    "From: DMARC <noreply-dmarc-support@example.com>\nSubject: Report domain: example.org\n\nsee the report\n", TRUE, NULL },
  { "a postmaster@ From: left to the analysis",
    "From: Joe <postmaster@example.net>\nSubject: your question\n\nHi, the server is fine.\n", FALSE, "S1" },
  { "a postmaster-something@ From (a daemon's prefix): left to the analysis",
    "From: <postmaster-eu@example.net>\nSubject: your question\n\nHi.\n", FALSE, "(\"postmaster\")" },
  { "a scanner's local part: left to the analysis",
    "From: <amavis@example.net>\nSubject: your question\n\nHi.\n", FALSE, "(\"amavis\")" },
  { "a scan header without a verdict (X-Virus-Scanned): screened",
    "X-Virus-Scanned: Debian amavisd-new at example.org\n" MUA_REPLY_HEAD "\nHi.\n", TRUE, NULL },
  { "a scan header with a verdict (X-Virus-Status: Infected): left to the analysis",
    "X-Virus-Status: Infected\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, "X-Virus-Status" },
  { "X-Auto-Response-Suppress (Outlook's meeting requests): screened",
    "X-Auto-Response-Suppress: All\n" MUA_REPLY_HEAD "\nHi.\n", TRUE, NULL },
  { "no From and an SMTP reply code in the text (the DSN's odd sender and code): left to the analysis",
    "To: alice@example.org\nSubject: about the server\nMessage-ID: <x1@example.net>\n\n"
    "The server said: 550 5.1.1 unknown user, see the log.\n", FALSE, "SMTP reply code" },
  { "noreply@ and an SMTP reply code after a copy separator: left to the analysis",
    NOREPLY_HEAD "\nYour post was held.\n\n-----Original Message-----\nFrom: alice@example.org\n\n"
    "remote said 550 5.7.1 rejected\n", FALSE, "SMTP reply code" },
  { "failure wording in capitals beyond ASCII (read Unicode-folded by the analysis): left to the analysis",
    "From: Bob <bob@example.net>\nSubject: hello\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n\n\xd0\xa1\xd0\x9e\xd0\x9e\xd0\x91\xd0\xa9\xd0\x95\xd0\x9d\xd0\x98\xd0\x95 "
    "\xd0\x9d\xd0\x95 \xd0\x94\xd0\x9e\xd0\xa1\xd0\xa2\xd0\x90\xd0\x92\xd0\x9b\xd0\x95\xd0\x9d\xd0\x9e.\n",
    FALSE, "S0" },
  { "lower-case text beyond ASCII (folding would change nothing): screened",
    MUA_REPLY_HEAD "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    "Gr\xc3\xbc\xc3\x9f" "e, \xc3\xa7" "a va \xe2\x80\x94 \xe2\x80\x9c" "bis bald\xe2\x80\x9d.\n", TRUE, NULL },
  { "Precedence: bulk, a reference, a list header and \"please do not reply\" (src/lang/automatic.def): left to the analysis",
    "From: Shop <news@shop.example.com>\nTo: alice@example.org\nSubject: your question\nPrecedence: bulk\n"
    "List-Id: <news.shop.example.com>\nIn-Reply-To: <q1@example.org>\nMessage-ID: <a1@shop.example.com>\n\n"
    "We have your question. Please do not reply to this e-mail.\n", FALSE, "please do not reply" },
  /* h14: the receipt shape (usc-kind-autoreply.c) wants no wording */
  { "Precedence: bulk and a reference, no list header (the receipt shape): left to the analysis",
    "From: Shop <news@shop.example.com>\nTo: alice@example.org\nSubject: your question\nPrecedence: bulk\n"
    "In-Reply-To: <q1@example.org>\nMessage-ID: <a1@shop.example.com>\n\nThanks.\n", FALSE,
    "S3 Precedence on an answer" },
  { "Precedence: list, a reference and a list header: screened",
    "From: Pat <pat@example.net>\nTo: team@lists.example.org\nSubject: Re: agenda\nPrecedence: list\n"
    "List-Id: <team.lists.example.org>\nIn-Reply-To: <q1@example.org>\nMessage-ID: <a2@example.net>\n\nAgreed.\n",
    TRUE, NULL },
  { "\"please do not reply\" without a machine's mark: screened",
    MUA_REPLY_HEAD "\nWe have your question. Please do not reply to this e-mail.\n", TRUE, NULL },
  { "a raw 8-bit subject (read in the text's charset by the analysis): left to the analysis",
    "From: Bob <bob@example.net>\nTo: alice@example.org\nSubject: Nachricht nicht zustellbar \xfc\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=iso-8859-1\n\nHallo.\n", FALSE, "raw 8-bit subject" },
  { "X-Auto-Response-Suppress and Precedence: junk: left to the analysis",
    "X-Auto-Response-Suppress: All\nPrecedence: junk\n" MUA_REPLY_HEAD "\nHi.\n", FALSE, "Precedence" },
  { "a multipart/report: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/plain\n\nread\n--b--\n", FALSE, NULL },
  { "header-copy part: left to the analysis",
    MUA_REPLY_HEAD "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/rfc822-headers\n\n"
    "From: x@y\n--b--\n", FALSE, NULL },
};

static UscMessage *
parse (const char *text, gsize len)
{
  UscLimits lim;
  usc_limits_init (&lim);
  GError *error = NULL;
  UscMessage *m = usc_message_new_from_data (text, len, &lim, &error);
  g_assert_no_error (error);
  return m;
}

/* The screen's answer, checked against the full analysis; TRUE when it
 * decided the message. */
static gboolean
check_conservative (const char *what, UscMessage *m)
{
  UscBounce *s = usc_screen (m);
  if (s == NULL)
    return FALSE;
  UscBounce *full = usc_bounce_analyze (m, NULL);
  g_assert_nonnull (full);
  if (full->kind != USC_KIND_NOT_BOUNCE || full->notes->len != 0 || full->truncated)
    g_error ("%s: screened as not a bounce, but the analysis says %s%s%s", what, usc_kind_name (full->kind),
             full->notes->len ? ", note: " : "", full->notes->len ? (const char *) full->notes->pdata[0] : "");
  g_assert_cmpint (s->kind, ==, USC_KIND_NOT_BOUNCE);
  g_assert_cmpstr (s->bounce_date, ==, full->bounce_date);
  g_assert_cmpint (s->bounce_time, ==, full->bounce_time);
  g_assert_cmpuint (s->notes->len, ==, 0);
  g_assert_cmpuint (s->message_ids->len + s->recipients->len + s->payload_types->len, ==, 0);
  usc_bounce_free (&full);
  usc_bounce_free (&s);
  return TRUE;
}

static char *
crlf (const char *t, gsize len, gsize *len_r)
{
  GString *s = g_string_sized_new (len + len / 16);
  for (gsize i = 0; i < len; i++) {
    if (t[i] == '\n' && (i == 0 || t[i - 1] != '\r'))
      g_string_append_c (s, '\r');
    g_string_append_c (s, t[i]);
  }
  *len_r = s->len;
  return g_string_free (s, FALSE);
}

static void
test_case (gconstpointer data)
{
  const ScreenCase *c = data;
  for (int v = 0; v < 2; v++) {
    gsize len = strlen (c->text);
    char *t = v ? crlf (c->text, len, &len) : g_strdup (c->text);
    UscMessage *m = parse (t, len);
    gboolean got = check_conservative (c->name, m);
    if (got != c->screened)
      g_error ("%s (%s): screened %d, expected %d", c->name, v ? "CRLF" : "LF", got, c->screened);
    char *why = NULL;
    UscBounce *s = usc_screen_why (m, &why);
    g_assert_true ((s != NULL) == got);
    g_assert_true ((why == NULL) == got);
    if (!got && c->why && strstr (why, c->why) == NULL)
      g_error ("%s: left to the analysis for \"%s\", expected \"%s\"", c->name, why, c->why);
    usc_bounce_free (&s);
    g_free (why);
    usc_message_free (&m);
    g_free (t);
  }
}

#if !GLIB_CHECK_VERSION (2, 68, 0)
static gpointer
g_memdup2 (gconstpointer p, gsize n)
{
  gpointer r = g_malloc (n ? n : 1);
  memcpy (r, p, n);
  return r;
}
#endif

static guint n_files, n_screened;

static void
check_file (const char *path)
{
  gchar *data;
  gsize len;
  if (!g_file_get_contents (path, &data, &len, NULL))
    return;
  for (int v = 0; v < 2; v++) {
    gsize l2 = len;
    char *t = v ? crlf (data, len, &l2) : g_memdup2 (data, len);
    UscLimits lim;
    usc_limits_init (&lim);
    UscMessage *m = usc_message_new_from_data (t, l2, &lim, NULL);
    if (m) {
      n_files++;
      if (check_conservative (path, m))
        n_screened++;
      usc_message_free (&m);
    }
    g_free (t);
  }
  g_free (data);
}

static void
check_tree (const char *dir, const char *suffix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL) {
    char *p = g_build_filename (dir, name, NULL);
    if (g_file_test (p, G_FILE_TEST_IS_DIR))
      check_tree (p, suffix);
    else if (suffix == NULL || g_str_has_suffix (name, suffix))
      check_file (p);
    g_free (p);
  }
  g_dir_close (d);
}

static void
test_every_message (void)
{
  const char *top = g_getenv ("top_srcdir");
  const char *corpus = g_getenv ("USC_CORPUS");
  if (top == NULL) {
    g_test_skip ("top_srcdir unset (run through make check)");
    return;
  }
  char *fx = g_build_filename (top, "fixtures", NULL);
  char *ho = g_build_filename (top, "tests", "heldout", NULL);
  check_tree (fx, ".eml");
  check_tree (fx, ".msg");
  check_tree (ho, ".eml");
  g_free (fx);
  g_free (ho);
  if (corpus) {
    char *b = g_build_filename (corpus, "bounces", NULL);
    check_tree (b, NULL);
    g_free (b);
  }
  /* Python's email test data (libpython3.x-testsuite), as tests/t/0120-ham.t */
  static const char *const py[] = { "/usr/lib/python3.11/test/test_email/data",
                                    "/usr/lib/python3.12/test/test_email/data",
                                    "/usr/lib/python3.13/test/test_email/data" };
  for (gsize i = 0; i < G_N_ELEMENTS (py); i++)
    check_tree (py[i], ".txt");
  g_test_message ("%u messages (LF and CRLF), %u decided by the screen", n_files, n_screened);
  g_assert_cmpuint (n_files, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *path = g_strdup_printf ("/screen/case/%02u %s", i, cases[i].name);
    g_strdelimit (path + strlen ("/screen/case/"), "/", '-');
    g_test_add_data_func (path, &cases[i], test_case);
    g_free (path);
  }
  g_test_add_func ("/screen/every-message", test_every_message);
  int rc = g_test_run ();
  g_mime_shutdown ();
  return rc;
}
