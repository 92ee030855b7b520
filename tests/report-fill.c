/* report-fill.c — fill a record's decision log with N synthetic decisions
 * (for the report's benchmark and performance test):
 *   report-fill RECORD N [START_TIME]
 * spread over 180 days before START_TIME (default 2024-03-08), 80 %
 * backscatter, 15 % legitimate, 5 % unknown, with 2000 relays, 300
 * reporting MTAs, 25 MTA families, 20 forged senders, 20000 recipients and
 * a payload on 1 % — deterministic (a fixed LCG), one transaction. */
#include "config.h"
#include "usc-record.h"

#include <stdio.h>
#include <stdlib.h>

static guint64 lcg = 0x2545F4914F6CDD1DULL;

static guint
rnd (guint n)
{
  lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
  return (guint) ((lcg >> 33) % n);
}

int
main (int argc, char **argv)
{
  if (argc < 3) {
    fprintf (stderr, "usage: report-fill RECORD N [START_TIME]\n");
    return 2;
  }
  gint64 n = g_ascii_strtoll (argv[2], NULL, 10);
  gint64 end = argc > 3 ? g_ascii_strtoll (argv[3], NULL, 10) : 1709856000;
  static const char *const families[] = {
    "postfix", "sendmail", "exim", "qmail", "courier", "opensmtpd", "exchange", "office365", "gmail",
    "yahoo", "aol", "amazonses", "domino", "groupwise", "mimecast", "barracuda", "messagelabs", "zoho",
    "mailru", "gmx", "yandex", "mcafee", "workmail", "dragonfly", "googlegroups",
  };
  static const char *const kinds[] = { "dsn", "dsn", "dsn", "autoreply", "challenge", "virus-notice" };
  GError *e = NULL;
  UscRecord *r = usc_record_open (argv[1], NULL, &e);
  if (r == NULL || usc_record_begin (r, &e) < 0) {
    fprintf (stderr, "report-fill: %s\n", e->message);
    return 1;
  }
  for (gint64 i = 0; i < n; i++) {
    guint v = rnd (100), relay = rnd (2000);
    char host[64], ip[32], mta[64], sender[64], rcpt[64];
    g_snprintf (host, sizeof host, "mx%u.relay%u.example.net", relay % 7, relay);
    g_snprintf (ip, sizeof ip, "198.51.%u.%u", relay / 250, relay % 250);
    g_snprintf (mta, sizeof mta, "mta%u.example.com", rnd (300));
    g_snprintf (sender, sizeof sender, "user%u@example.org", rnd (20));
    g_snprintf (rcpt, sizeof rcpt, "victim%u@example.com", rnd (20000));
    UscDecision d = {
      .time = end - 180 * 86400 + (gint64) ((double) i / (double) n * 180 * 86400),
      .verdict = v < 80 ? "backscatter" : v < 95 ? "legitimate" : "unknown",
      .kind = kinds[rnd (G_N_ELEMENTS (kinds))],
      .reporting_mta = mta, .relay_host = host, .relay_ip = ip,
      .mta_family = families[rnd (G_N_ELEMENTS (families))],
      .forged_sender = sender, .recipient = rcpt,
      .payload = rnd (100) == 0 ? "application/x-dosexec" : NULL,
      .reason = v < 80 ? "original Message-ID <x@example.org> not in the sent record (1234 entries)"
                       : "original Message-ID <y@example.org> (from message/rfc822) is in the sent record (1234 entries)",
    };
    if (usc_record_add_decision (r, &d, 0, &e) < 0) {
      fprintf (stderr, "report-fill: %s\n", e->message);
      return 1;
    }
  }
  if (usc_record_commit (r, &e) < 0) {
    fprintf (stderr, "report-fill: %s\n", e->message);
    return 1;
  }
  usc_record_close (&r);
  return 0;
}
