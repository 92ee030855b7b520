/* test-envelope.c — unit tests for usc-envelope (GTest, table-driven): the
 * order options > environment > headers, where Postfix, Exim and Dovecot put
 * the envelope, the null sender, junk that must not be taken as an address. */
#include "config.h"
#include <gmime/gmime.h>
#include <string.h>
#include "usc-envelope.h"

static const char *const env_vars[] = {
  "ORIGINAL_RECIPIENT", "ORIG_RECIPIENT", "RECIPIENT", "SENDER",
};

static const struct {
  const char *name;
  const char *env;        /* "VAR=value;VAR=value" (value may be empty) or NULL */
  const char *headers;    /* header block, without the body */
  gboolean mbox_from;     /* prepend an mbox "From " line */
  const char *mbox_sender;
  const char *opt_rcpt, *opt_sender;
  const char *rcpt, *rcpt_source;
  const char *sender, *sender_source;
} cases[] = {
  { "nothing", NULL, "Subject: x\n", FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { "options win over all", "ORIGINAL_RECIPIENT=env@example.org;SENDER=envs@example.org",
    "X-Original-To: hdr@example.org\nReturn-Path: <rp@example.org>\n", FALSE, NULL,
    "<opt@example.org>", "opts@example.org",
    "opt@example.org", "option", "opts@example.org", "option" },
  { "option null sender", NULL, "Return-Path: <rp@example.org>\n", FALSE, NULL, NULL, "<>",
    NULL, NULL, "", "option" },
  { "option empty sender is the null sender", NULL, "Return-Path: <rp@example.org>\n", FALSE, NULL, NULL, "",
    NULL, NULL, "", "option" },
  { "empty recipient option is ignored", "RECIPIENT=r@example.org", "", FALSE, NULL, "", NULL,
    "r@example.org", "env:RECIPIENT", NULL, NULL },
  /* Postfix local(8): ORIGINAL_RECIPIENT (tag intact), RECIPIENT (final), SENDER */
  { "postfix local(8) environment",
    "ORIGINAL_RECIPIENT=prvs=173025a701=user@example.com;RECIPIENT=user@example.com;SENDER=",
    "Delivered-To: user@example.com\nReturn-Path: <>\n", FALSE, NULL, NULL, NULL,
    "prvs=173025a701=user@example.com", "env:ORIGINAL_RECIPIENT", "", "env:SENDER" },
  /* Dovecot Pigeonhole extprograms: ORIG_RECIPIENT, RECIPIENT, SENDER */
  { "pigeonhole extprograms environment",
    "ORIG_RECIPIENT=user+prvs=173025a701@example.com;RECIPIENT=user@example.com;SENDER=MAILER-DAEMON@mx.example.net",
    "", FALSE, NULL, NULL, NULL,
    "user+prvs=173025a701@example.com", "env:ORIG_RECIPIENT", "MAILER-DAEMON@mx.example.net", "env:SENDER" },
  /* Exim pipe transport: RECIPIENT, SENDER */
  { "exim pipe environment", "RECIPIENT=prvs=0730576ed6=user@example.com;SENDER=",
    "Envelope-To: other@example.com\n", FALSE, NULL, NULL, NULL,
    "prvs=0730576ed6=user@example.com", "env:RECIPIENT", "", "env:SENDER" },
  { "empty variables count as unset", "ORIGINAL_RECIPIENT=;ORIG_RECIPIENT=  ;RECIPIENT=<>",
    "X-Original-To: hdr@example.org\n", FALSE, NULL, NULL, NULL,
    "hdr@example.org", "X-Original-To", NULL, NULL },
  /* headers as the MTAs write them */
  { "postfix headers",
    "",
    "Return-Path: <>\nX-Original-To: prvs=173025a701=user@example.com\nDelivered-To: user@example.com\n"
    "Received: by mx.example.com (Postfix) id 1; Mon, 1 Jan 2024 10:00:00 +0000\n", FALSE, NULL, NULL, NULL,
    "prvs=173025a701=user@example.com", "X-Original-To", "", "Return-Path" },
  { "exim headers (Envelope-to, lower case)",
    NULL,
    "Return-path: <>\nEnvelope-to: prvs=173025a701=user@example.com\n"
    "Received: from mx.example.net ([192.0.2.1]) by mx.example.com with esmtp (Exim 4.96)\n"
    "\tid 1rK-000 for prvs=173025a701=user@example.com; Mon, 01 Jan 2024 10:00:00 +0000\n",
    FALSE, NULL, NULL, NULL, "prvs=173025a701=user@example.com", "Envelope-To", "", "Return-Path" },
  { "exim Envelope-To list: the tagged one",
    NULL, "Envelope-to: alias@example.com, prvs=173025a701=user@example.com\n", FALSE, NULL, NULL, NULL,
    "prvs=173025a701=user@example.com", "Envelope-To", NULL, NULL },
  { "exim Envelope-To list: else the first",
    NULL, "Envelope-to: a@example.com, b@example.com\n", FALSE, NULL, NULL, NULL,
    "a@example.com", "Envelope-To", NULL, NULL },
  { "dovecot lmtp headers: topmost Delivered-To",
    NULL,
    "Return-Path: <>\nDelivered-To: user+prvs=173025a701@example.com\n"
    "Received: from mx.example.com by imap.example.com with LMTP id abc (envelope-from <>)\n"
    "\tfor <user+prvs=173025a701@example.com>; Mon, 01 Jan 2024 10:00:00 +0000\n"
    "Delivered-To: forged@example.com\n", FALSE, NULL, NULL, NULL,
    "user+prvs=173025a701@example.com", "Delivered-To", "", "Return-Path" },
  { "received for clause",
    NULL,
    "Received: by relay.example.com; Mon, 01 Jan 2024 10:00:01 +0000\n"
    "Received: from mx.example.net (mx.example.net [192.0.2.1]) (comment for <nope@example.com>)\n"
    "\tby mx.example.com (Postfix) with ESMTP id 4T for <prvs=173025a701=user@example.com>; Mon, 1 Jan 2024\n"
    "Received: from x by y for <deeper@example.com>; Mon, 1 Jan 2024\n",
    FALSE, NULL, NULL, NULL, "prvs=173025a701=user@example.com", "Received", NULL, NULL },
  { "received for clause without brackets, 'for' inside a word ignored",
    NULL, "Received: from forward.example.net by mx.example.com id before for user@example.com; Mon, 1 Jan 2024\n",
    FALSE, NULL, NULL, NULL, "user@example.com", "Received", NULL, NULL },
  { "received for clause after the date is not one",
    NULL, "Received: from a by b; Mon, 1 Jan 2024 for <x@example.com>\n",
    FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { "garbage is no address",
    NULL, "X-Original-To: two words@example.com\nEnvelope-To: <unterminated@example.com\nDelivered-To: <>\n",
    FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { "garbage X-Original-To falls through to the next field",
    NULL, "X-Original-To: \nDelivered-To: <user@example.com>\n",
    FALSE, NULL, NULL, NULL, "user@example.com", "Delivered-To", NULL, NULL },
  { "Return-Path with a display-ish form and the topmost one",
    NULL, "Return-Path: <bounce@example.net>\nReturn-Path: <other@example.net>\n",
    FALSE, NULL, NULL, NULL, NULL, NULL, "bounce@example.net", "Return-Path" },
  { "mbox From line, MAILER-DAEMON is the null sender",
    NULL, "Subject: bounce\n", TRUE, "MAILER-DAEMON", NULL, NULL, NULL, NULL, "", "mbox From" },
  { "mbox From line address",
    NULL, "Subject: x\n", TRUE, "someone@example.net", NULL, NULL, NULL, NULL, "someone@example.net", "mbox From" },
  { "Return-Path wins over the mbox From line",
    NULL, "Return-Path: <>\n", TRUE, "someone@example.net", NULL, NULL, NULL, NULL, "", "Return-Path" },
  { "SENDER <> is the null sender", "SENDER=<>", "Return-Path: <a@example.net>\n", FALSE, NULL, NULL, NULL,
    NULL, NULL, "", "env:SENDER" },
  /* environment values are validated: control characters, blanks, length, UTF-8 */
  { "RECIPIENT with a line feed is ignored", "RECIPIENT=a@example.org\nX-Injected: y",
    "X-Original-To: hdr@example.org\n", FALSE, NULL, NULL, NULL, "hdr@example.org", "X-Original-To", NULL, NULL },
  { "ORIGINAL_RECIPIENT with ESC is ignored, RECIPIENT taken",
    "ORIGINAL_RECIPIENT=a\033[2J@example.org;RECIPIENT=r@example.org", "", FALSE, NULL, NULL, NULL,
    "r@example.org", "env:RECIPIENT", NULL, NULL },
  { "ORIG_RECIPIENT with a CR is ignored", "ORIG_RECIPIENT=a@example.org\r", "", FALSE, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL },
  { "RECIPIENT of 320 bytes is taken", "RECIPIENT=llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll@ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "", FALSE, NULL, NULL, NULL,
    "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll@ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "env:RECIPIENT", NULL, NULL },
  { "RECIPIENT of 321 bytes is ignored", "RECIPIENT=llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllx@ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "", FALSE, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL },
  { "RECIPIENT of invalid UTF-8 is ignored", "RECIPIENT=\xff\xfe@example.org", "", FALSE, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL },
  { "RECIPIENT in UTF-8 (SMTPUTF8) is taken", "RECIPIENT=j\xc3\xb6rg@example.org", "", FALSE, NULL, NULL, NULL,
    "j\xc3\xb6rg@example.org", "env:RECIPIENT", NULL, NULL },
  { "SENDER with a tab is ignored, Return-Path taken", "SENDER=a@exa\tmple.org", "Return-Path: <rp@example.org>\n",
    FALSE, NULL, NULL, NULL, NULL, NULL, "rp@example.org", "Return-Path" },
  { "SENDER with a NUL-free DEL is ignored", "SENDER=a\177@example.org", "", FALSE, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL },
  { "--recipient with a line feed is ignored", "RECIPIENT=r@example.org", "", FALSE, NULL,
    "o@example.org\nX: y", NULL, "r@example.org", "env:RECIPIENT", NULL, NULL },
  { "a header over 320 bytes is ignored too", NULL, "X-Original-To: llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllx@ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\nDelivered-To: d@example.org\n",
    FALSE, NULL, NULL, NULL, "d@example.org", "Delivered-To", NULL, NULL },
};

static void
set_env (const char *spec)
{
  for (gsize i = 0; i < G_N_ELEMENTS (env_vars); i++)
    g_unsetenv (env_vars[i]);
  if (spec == NULL)
    return;
  char **kv = g_strsplit (spec, ";", -1);
  for (int i = 0; kv[i]; i++) {
    char *eq = strchr (kv[i], '=');
    g_assert_nonnull (eq);
    *eq = '\0';
    g_setenv (kv[i], eq + 1, TRUE);
  }
  g_strfreev (kv);
}

static void
test_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    set_env (cases[i].env);
    GString *m = g_string_new (NULL);
    if (cases[i].mbox_from)
      g_string_append_printf (m, "From %s Mon Jan  1 10:00:00 2024\n", cases[i].mbox_sender);
    g_string_append (m, cases[i].headers);
    g_string_append (m, "From: someone@example.net\nSubject: t\n\nbody\n");
    GError *e = NULL;
    UscMessage *msg = usc_message_new_from_data (m->str, m->len, NULL, &e);
    g_assert_no_error (e);
    g_assert_nonnull (msg);
    UscEnvelope env;
    usc_envelope_find (&env, msg, cases[i].opt_rcpt, cases[i].opt_sender);
    if (g_strcmp0 (env.recipient, cases[i].rcpt) != 0 || g_strcmp0 (env.recipient_source, cases[i].rcpt_source) != 0
        || g_strcmp0 (env.sender, cases[i].sender) != 0 || g_strcmp0 (env.sender_source, cases[i].sender_source) != 0)
      g_error ("%s: got recipient %s (%s) sender %s (%s); want %s (%s) %s (%s)", cases[i].name,
               env.recipient, env.recipient_source, env.sender, env.sender_source,
               cases[i].rcpt, cases[i].rcpt_source, cases[i].sender, cases[i].sender_source);
    usc_envelope_clear (&env);
    g_assert_null (env.recipient);
    g_assert_null (env.sender);
    usc_message_free (&msg);
    g_string_free (m, TRUE);
  }
  set_env (NULL);
}

static void
test_no_message (void)
{
  set_env ("RECIPIENT=r@example.org");
  UscEnvelope env;
  usc_envelope_find (&env, NULL, NULL, NULL);
  g_assert_cmpstr (env.recipient, ==, "r@example.org");
  g_assert_null (env.sender);
  usc_envelope_clear (&env);
  usc_envelope_clear (NULL);
  set_env (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/envelope/cases", test_cases);
  g_test_add_func ("/envelope/no-message", test_no_message);
  return g_test_run ();
}
