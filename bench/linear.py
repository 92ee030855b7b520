#!/usr/bin/env python3
"""bench/linear.py — generated inputs for the linearity checks (issue 11):
every cost of `unscatter check` must be linear in the input, so a message
with 10,000 recipients / MIME parts / header fields / body lines must cost at
most 2 x 10 times the one with 1,000.

  python3 bench/linear.py gen KIND N FILE   write one message
  (KIND: recipients, parts, fields, lines)

bench.py imports it (make bench prints the figures); tests/t/0140-linear.t
uses `gen` and counts instructions (valgrind), not time.
"""

import sys

KINDS = ("recipients", "parts", "fields", "lines")

HEAD = ("Return-Path: <>\n"
        "Delivered-To: alice@example.org\n"
        "Date: Thu, 01 Jan 2026 00:00:00 +0000\n"
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
        "To: alice@example.org\n"
        "Auto-Submitted: auto-replied\n"
        "Message-Id: <20260101000000.4ABC@mx.example.net>\n"
        "MIME-Version: 1.0\n")


def recipients(n):
    """A Postfix-style RFC 3464 report of @n failed recipients (each in the
    notice and in the delivery-status part)."""
    out = [HEAD,
           "Subject: Undelivered Mail Returned to Sender\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
           "--B\nContent-Type: text/plain; charset=us-ascii\n\n"
           "This is the mail system at host mx.example.net.\n\n"
           "I'm sorry to have to inform you that your message could not\n"
           "be delivered to one or more recipients.\n\n"]
    for i in range(n):
        out.append("<user%d@example.net>: host mail.example.net[192.0.2.25] said: 550 5.1.1 "
                   "User unknown\n" % i)
    out.append("\n--B\nContent-Type: message/delivery-status\n\n"
               "Reporting-MTA: dns; mx.example.net\n")
    for i in range(n):
        out.append("\nFinal-Recipient: rfc822; user%d@example.net\nAction: failed\nStatus: 5.1.1\n"
                   "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n" % i)
    out.append("\n--B\nContent-Type: text/rfc822-headers\n\n"
               "From: Alice <alice@example.org>\nSubject: hello\n"
               "Message-ID: <orig.1@mail.example.org>\n\n--B--\n")
    return "".join(out)


def parts(n):
    """A bounce whose report is followed by @n small attachments."""
    out = [HEAD,
           "Subject: Undelivered Mail Returned to Sender\n"
           "Content-Type: multipart/mixed; boundary=\"P\"\n\n"
           "--P\nContent-Type: text/plain; charset=us-ascii\n\n"
           "Delivery to the following recipient failed permanently:\n\n"
           "    bob@example.net\n\n"]
    for i in range(n):
        out.append("--P\nContent-Type: text/plain; name=\"part%d.txt\"\n"
                   "Content-Disposition: attachment; filename=\"part%d.txt\"\n\n"
                   "part %d of the returned message\n" % (i, i, i))
    out.append("--P\nContent-Type: message/rfc822\n\n"
               "From: Alice <alice@example.org>\nSubject: hello\n"
               "Message-ID: <orig.1@mail.example.org>\n\nhello\n--P--\n")
    return "".join(out)


def fields(n):
    """A bounce with @n Received header fields."""
    out = [HEAD]
    for i in range(n):
        out.append("Received: from relay%d.example.net (relay%d.example.net [192.0.2.%d])\n"
                   "\tby mx.example.net (Postfix) with ESMTP id %X; Thu, 01 Jan 2026 00:00:00 +0000\n"
                   % (i, i, i % 250 + 1, 0x10000 + i))
    out.append("Subject: Undelivered Mail Returned to Sender\n"
               "Content-Type: text/plain; charset=us-ascii\n\n"
               "Delivery to the following recipient failed permanently:\n\n    bob@example.net\n")
    return "".join(out)


def lines(n):
    """A bounce whose notice has @n lines of diagnostic transcript."""
    out = [HEAD,
           "Subject: Undelivered Mail Returned to Sender\n"
           "Content-Type: text/plain; charset=us-ascii\n\n"
           "Delivery to the following recipient failed permanently:\n\n    bob@example.net\n\n"
           "Technical details of permanent failure:\n"]
    for i in range(n):
        out.append("  line %d of the remote server's transcript: 250 OK queued as %X\n" % (i, 0x10000 + i))
    out.append("\n----- Original message -----\n\nFrom: Alice <alice@example.org>\n"
               "Subject: hello\nMessage-ID: <orig.1@mail.example.org>\n\nhello\n")
    return "".join(out)


GEN = {"recipients": recipients, "parts": parts, "fields": fields, "lines": lines}

# What the generated messages need from the configuration (the defaults
# stop at 5,000 parts): limits high enough that nothing is cut short.
CONFIG = "[limits]\nmax_parts = 1000000\nmax_headers = 1000000\nmax_seconds = 600\n"


def main(argv):
    if len(argv) != 5 or argv[1] != "gen" or argv[2] not in GEN:
        sys.stderr.write("usage: linear.py gen %s N FILE\n" % "|".join(KINDS))
        return 2
    with open(argv[4], "w") as f:
        f.write(GEN[argv[2]](int(argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
