/* test-received.c — usc-received: one Received field per server format, the
 * internal-host rules, and the first external relay of hand-written chains. */
#include "config.h"
#include "usc-received.h"

#include <string.h>

/* ---- one field ---- */

static const struct {
  const char *name, *value;
  gboolean    from;
  const char *helo, *rdns, *ip, *by;
} fields[] = {
  { "postfix", "from relay.example.com (relay.example.com [203.0.113.80])\n\tby mail.example.org (Postfix) with ESMTP id 77D01A0003\n\tfor <alice@example.org>; Wed,  6 Mar 2024 03:41:17 +0100 (CET)",
    TRUE, "relay.example.com", "relay.example.com", "203.0.113.80", "mail.example.org" },
  { "postfix unknown rdns", "from helo.example.net (unknown [198.51.100.7]) by mx.example.org (Postfix) with ESMTP id 1",
    TRUE, "helo.example.net", NULL, "198.51.100.7", "mx.example.org" },
  { "postfix ipv6", "from mx.example.net (mx.example.net [IPv6:2001:DB8:0:0::25]) by mx.example.org (Postfix)",
    TRUE, "mx.example.net", "mx.example.net", "2001:db8::25", "mx.example.org" },
  { "sendmail may be forged", "from HELO.Example.NET (host.example.net [198.51.100.9] (may be forged)) by mx.example.org (8.15.2/8.15.2) with ESMTP id x1",
    TRUE, "helo.example.net", "host.example.net", "198.51.100.9", "mx.example.org" },
  { "exim rdns and helo", "from mail.example.net ([198.51.100.20] helo=smtp.example.net)\n by mx.example.org with esmtps (TLS1.3) (Exim 4.96)\n (envelope-from <>) id 1rB",
    TRUE, "smtp.example.net", "mail.example.net", "198.51.100.20", "mx.example.org" },
  { "exim no rdns", "from [198.51.100.21] (port=4711 helo=odd.example.net) by mx.example.org with esmtp (Exim 4.96)",
    TRUE, "odd.example.net", NULL, "198.51.100.21", "mx.example.org" },
  { "exim ip with port", "from host.example.net ([198.51.100.22]:52114 helo=host.example.net) by mx.example.org with esmtp",
    TRUE, "host.example.net", "host.example.net", "198.51.100.22", "mx.example.org" },
  { "qmail", "from unknown (HELO box.example.net) (198.51.100.30)\n  by mx.example.org with SMTP; 6 Mar 2024 02:41:16 -0000",
    TRUE, "box.example.net", NULL, "198.51.100.30", "mx.example.org" },
  { "exchange", "from EXCH01.partner-firm.example.com (10.30.0.11) by\n EXCH02.partner-firm.example.com (10.30.0.12) with Microsoft SMTP Server",
    TRUE, "exch01.partner-firm.example.com", NULL, "10.30.0.11", "exch02.partner-firm.example.com" },
  { "gmail trailing dot", "from mail-wr1-f41.google.example (mail-wr1-f41.google.example. [203.0.113.41])\n by mx.example.org with ESMTPS id a1",
    TRUE, "mail-wr1-f41.google.example", "mail-wr1-f41.google.example", "203.0.113.41", "mx.example.org" },
  { "address literal helo", "from [198.51.100.18] by email-smtp.example.com with SMTP id 5Yx3",
    TRUE, "[198.51.100.18]", NULL, "198.51.100.18", "email-smtp.example.com" },
  { "v4-mapped", "from h.example.net (h.example.net [IPv6:::ffff:198.51.100.5]) by mx.example.org",
    TRUE, "h.example.net", "h.example.net", "198.51.100.5", "mx.example.org" },
  { "no from clause", "by relay.example.com (Postfix) id 5E21C3B00F1; Wed,  6 Mar 2024 02:41:16 +0000 (UTC)",
    FALSE, NULL, NULL, NULL, NULL },
  { "qmail invoked", "(qmail 4711 invoked by uid 0); 6 Mar 2024 02:41:16 -0000",
    FALSE, NULL, NULL, NULL, NULL },
  { "leading comment", "(from root@localhost) from local.example.org (localhost [127.0.0.1]) by local.example.org",
    TRUE, "local.example.org", "localhost", "127.0.0.1", "local.example.org" },
  { "from without ip", "from MAILER-DAEMON id 2c81f by bsd-box.homelab.example.net (DragonFly Mail Agent v0.13)",
    TRUE, "mailer-daemon", NULL, NULL, "bsd-box.homelab.example.net" },
  { "hostile name", "from \"a b\"\\x (\x01\x02 [999.1.1.1] <script>) by ",
    TRUE, NULL, NULL, NULL, NULL },
  /* fuzz finding (tests/fuzz/regress/received/): an address literal HELO with
   * bytes after its ":port" or "]" was kept as written, control characters and all */
  { "helo literal with junk", "from 1.2.3.4:25isp.example\x0enet by mx.example.org with SMTP",
    TRUE, "1.2.3.4", NULL, "1.2.3.4", "mx.example.org" },
  { "exim helo literal with junk", "from host.example.net ([198.51.100.22] helo=[198.51.100.22]\x1b[31m<b>) by mx.example.org",
    TRUE, "198.51.100.22", "host.example.net", "198.51.100.22", "mx.example.org" },
  { "helo literal with port", "from 192.0.2.5:25 by mx.example.org with SMTP",
    TRUE, "192.0.2.5:25", NULL, "192.0.2.5", "mx.example.org" },
  { "empty", "", FALSE, NULL, NULL, NULL, NULL },
  { "unclosed comment", "from x.example.net (x.example.net [198.51.100.1]",
    TRUE, "x.example.net", "x.example.net", "198.51.100.1", NULL },
};

static void
test_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++) {
    UscReceivedHop hop;
    gboolean from = usc_received_parse (fields[i].value, &hop);
    if (from != fields[i].from)
      g_error ("%s: from clause %d, expected %d", fields[i].name, from, fields[i].from);
    g_assert_cmpstr (hop.helo, ==, fields[i].helo);
    g_assert_cmpstr (hop.rdns, ==, fields[i].rdns);
    g_assert_cmpstr (hop.ip, ==, fields[i].ip);
    g_assert_cmpstr (hop.by, ==, fields[i].by);
    usc_received_hop_clear (&hop);
    g_assert_null (hop.helo);
  }
  /* A name longer than DNS allows (255) is no name; the IP stays. */
  GString *s = g_string_new ("from ");
  for (int i = 0; i < 100; i++)
    g_string_append (s, "abcdefgh.");
  g_string_append (s, "example (unknown [198.51.100.1]) by mx.example.org");
  UscReceivedHop hop;
  g_assert_true (usc_received_parse (s->str, &hop));
  g_assert_null (hop.helo);
  g_assert_cmpstr (hop.ip, ==, "198.51.100.1");
  usc_received_hop_clear (&hop);
  g_string_free (s, TRUE);
}

/* ---- internal hosts ---- */

static const char *const own[] = { "example.org", "198.51.100.0/25", "2001:db8:1::/48", ".uni.example.", "not a spec/", NULL };

static const struct {
  const char *ip;
  gboolean    internal;
} ips[] = {
  { "10.1.2.3", TRUE }, { "172.16.0.1", TRUE }, { "172.32.0.1", FALSE }, { "192.168.255.255", TRUE },
  { "127.0.0.1", TRUE }, { "100.64.0.1", TRUE }, { "100.128.0.1", FALSE }, { "169.254.1.1", TRUE },
  { "0.1.2.3", TRUE }, { "::1", TRUE }, { "::", TRUE }, { "fd00::1", TRUE }, { "fe80::1", TRUE },
  { "febf::1", TRUE }, { "fec0::1", FALSE }, { "::ffff:10.0.0.1", TRUE },
  { "198.51.100.1", TRUE }, { "198.51.100.127", TRUE }, { "198.51.100.128", FALSE },
  { "2001:db8:1:ffff::1", TRUE }, { "2001:db8:2::1", FALSE },
  { "192.0.2.10", FALSE }, { "203.0.113.80", FALSE }, { "8.8.8.8", FALSE },
  { "not-an-ip", FALSE }, { "", FALSE }, { NULL, FALSE },
};

static const struct {
  const char *host;
  gboolean    internal;
} hosts[] = {
  { "example.org", TRUE }, { "mail.example.org", TRUE }, { "MAIL.Example.ORG", TRUE },
  { "badexample.org", FALSE }, { "example.org.evil.example", FALSE }, { "org", FALSE },
  { "mx.uni.example", TRUE }, { "uni.example", TRUE }, { "", FALSE }, { NULL, FALSE },
};

static void
test_internal (void)
{
  UscInternal *in = usc_internal_new (own);
  for (gsize i = 0; i < G_N_ELEMENTS (ips); i++)
    if (usc_internal_ip (in, ips[i].ip) != ips[i].internal)
      g_error ("ip %s: expected internal %d", ips[i].ip ? ips[i].ip : "(null)", ips[i].internal);
  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    if (usc_internal_host (in, hosts[i].host) != hosts[i].internal)
      g_error ("host %s: expected internal %d", hosts[i].host ? hosts[i].host : "(null)", hosts[i].internal);
  g_assert_false (usc_internal_add (in, "a/b"));
  g_assert_false (usc_internal_add (in, "10.0.0.0/33"));
  g_assert_true (usc_internal_add (in, "203.0.113.80"));
  g_assert_true (usc_internal_ip (in, "203.0.113.80"));
  g_assert_false (usc_internal_ip (in, "203.0.113.81"));
  usc_internal_free (&in);
  g_assert_null (in);
  usc_internal_free (&in);
  /* Without a spec only the built-in table counts. */
  g_assert_true (usc_internal_ip (NULL, "10.0.0.1"));
  g_assert_false (usc_internal_host (NULL, "example.org"));
}

/* ---- chains, newest first ---- */

static const struct {
  const char *name;
  const char *chain[6];
  const char *host, *ip;   /* NULL host and ip: no external hop */
} chains[] = {
  { "direct from the bouncing server",
    { "from relay.example.com (relay.example.com [203.0.113.80]) by mail.example.org (Postfix)",
      "by relay.example.com (Postfix) id 5E21C3B00F1", NULL },
    "relay.example.com", "203.0.113.80" },
  { "through the user's LMTP and a private relay",
    { "from mail.example.org by imap.example.org (Dovecot) with LMTP id x",
      "from filter.example.org (localhost [127.0.0.1]) by mail.example.org (Postfix)",
      "from mx1.example.org (mx1.example.org [192.0.2.11]) by filter.example.org",
      "from out.example.net (out.example.net [198.51.100.40]) by mx1.example.org",
      "from spam.example.com (spam.example.com [203.0.113.66]) by out.example.net", NULL },
    "out.example.net", "198.51.100.40" },
  { "own server by name, public IP",
    { "from mail.example.org (mail.example.org [192.0.2.10]) by mail.example.org (Postfix)", NULL },
    NULL, NULL },
  { "private hop first, then a name-less external IP",
    { "from gw (gw [10.0.0.1]) by mail.example.org",
      "from [198.51.100.77] by gw with SMTP", NULL },
    NULL, "198.51.100.77" },
  { "local origination only",
    { "by mail.example.org (Postfix, from userid 1000) id 1", "(qmail 1 invoked by uid 0)", NULL },
    NULL, NULL },
  { "a hop without IP but with a dotted name is external",
    { "from relay.example.net by mail.example.org with SMTP", NULL },
    "relay.example.net", NULL },
  { "a word without IP is passed over",
    { "from MAILER-DAEMON id 2c81f by box.example.net", "from box.example.net (box.example.net [203.0.113.203]) by x.example.net", NULL },
    "box.example.net", "203.0.113.203" },
  { "empty chain", { NULL }, NULL, NULL },
};

static void
test_chain (void)
{
  static const char *const spec[] = { "example.org", NULL };
  UscInternal *in = usc_internal_new (spec);
  for (gsize i = 0; i < G_N_ELEMENTS (chains); i++) {
    UscReceivedHop hop;
    gboolean found = usc_received_first_external (chains[i].chain, in, &hop);
    gboolean want = chains[i].host || chains[i].ip;
    if (found != want)
      g_error ("%s: found %d, expected %d", chains[i].name, found, want);
    g_assert_cmpstr (usc_received_hop_host (&hop), ==, chains[i].host);
    g_assert_cmpstr (hop.ip, ==, chains[i].ip);
    usc_received_hop_clear (&hop);
  }
  usc_internal_free (&in);

  /* From a parsed message's header. */
  const char raw[] =
    "Received: from a.example.org (a.example.org [192.0.2.1]) by b.example.org\n"
    "Received: from c.example.net (c.example.net\n\t[198.51.100.3]) by a.example.org\n"
    "Subject: x\n\nbody\n";
  GMimeStream *st = g_mime_stream_mem_new_with_buffer (raw, sizeof raw - 1);
  GMimeParser *p = g_mime_parser_new_with_stream (st);
  GMimeMessage *m = g_mime_parser_construct_message (p, NULL);
  g_assert_nonnull (m);
  in = usc_internal_new (spec);
  UscReceivedHop hop;
  g_assert_true (usc_received_first_external_of (m, in, &hop));
  g_assert_cmpstr (hop.rdns, ==, "c.example.net");
  g_assert_cmpstr (hop.ip, ==, "198.51.100.3");
  usc_received_hop_clear (&hop);
  usc_internal_free (&in);
  g_object_unref (m);
  g_object_unref (p);
  g_object_unref (st);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_mime_init ();
  g_test_add_func ("/received/parse", test_parse);
  g_test_add_func ("/received/internal", test_internal);
  g_test_add_func ("/received/chain", test_chain);
  int rc = g_test_run ();
  g_mime_shutdown ();
  return rc;
}
