#!/usr/bin/env python3
"""amplify-gen.py SHAPE MEGABYTES — write to stdout a bounce of about
MEGABYTES MB (decimal fractions allowed) of one amplification shape of
issue 10:

  headers   a DSN of many text/rfc822-headers parts full of tiny header lines
  base64    a DSN of many base64 message/rfc822 parts (300 header lines each)
  rfc822    a DSN of many message/rfc822 parts (not encoded) of tiny headers
  inline    a DSN whose text part holds many pasted header blocks
  plain     a plain (not bounce) message of the same size: one text/plain body
            (the reference for the time and memory bounds)
  attached  a DSN returning the original (message/rfc822) with one large base64
            attachment: the common big bounce (the memory test's input)

The output is deterministic (no randomness), LF line endings (CRLF with a
third argument "crlf").
"""
import base64
import sys

HEAD = ("Return-Path: <>\n"
        "From: MAILER-DAEMON@mx.example.net\n"
        "To: me@example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <amplify@mx.example.net>\n"
        "Date: Mon, 01 Jan 2024 00:00:00 +0000\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
        "\n"
        "--B\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.example.net\n"
        "\n"
        "Final-Recipient: rfc822; a@example.net\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "\n")


def tiny_headers(i, n=200):
    return "".join("X%d: y\n" % k for k in range(n)) + "Message-ID: <p%d@example.org>\n" % i


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: amplify-gen.py headers|base64|rfc822|inline|plain|attached MEGABYTES [crlf]")
    shape, target = sys.argv[1], int(float(sys.argv[2]) * 1000 * 1000)
    out = []
    size = 0

    def put(s):
        nonlocal size
        out.append(s)
        size += len(s)

    if shape == "plain":
        put("From: someone@example.net\nTo: me@example.org\nSubject: a long letter\n"
            "Message-ID: <plain@example.net>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n")
        line = "The quick brown fox jumps over the lazy dog, again and again.\n"
        while size < target:
            put(line)
    elif shape in ("headers", "base64", "rfc822"):
        put(HEAD)
        i = 0
        inner = ("From: me@example.org\nMessage-ID: <orig@example.org>\n"
                 + "".join("H%d: v\n" % k for k in range(300)) + "\nbody\n")
        b64 = base64.encodebytes(inner.encode()).decode()
        while size < target:
            if shape == "headers":
                put("--B\nContent-Type: text/rfc822-headers\n\n" + tiny_headers(i) + "\n")
            elif shape == "rfc822":
                put("--B\nContent-Type: message/rfc822\n\n" + tiny_headers(i) + "\nbody\n")
            else:
                put("--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                    + b64 + "\n")
            i += 1
        put("--B--\n")
    elif shape == "inline":
        put("Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: me@example.org\n"
            "Subject: Mail delivery failed: returning message to sender\n"
            "Message-ID: <amplify@mx.example.net>\n\n"
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            "  a@example.net\n\n------ This is a copy of the message, including all the headers. ------\n\n")
        i = 0
        while size < target:
            put(tiny_headers(i, 50) + "\n")
            i += 1
    elif shape == "attached":
        put(HEAD.replace("Status: 5.1.1", "Status: 5.3.4")
            + "--B\nContent-Type: message/rfc822\n\n"
            "From: me@example.org\nTo: a@example.net\nSubject: the big file\n"
            "Message-ID: <orig@example.org>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"I\"\n\n"
            "--I\nContent-Type: text/plain\n\nhere it is\n"
            "--I\nContent-Type: application/octet-stream; name=\"data.bin\"\n"
            "Content-Transfer-Encoding: base64\n"
            "Content-Disposition: attachment; filename=\"data.bin\"\n\n")
        chunk = base64.encodebytes(bytes((i * 7919) % 251 for i in range(57 * 1000))).decode()
        while size < target:
            put(chunk)
        put("--I--\n\n--B--\n")
    else:
        sys.exit("amplify-gen.py: unknown shape " + shape)
    text = "".join(out)
    if len(sys.argv) == 4 and sys.argv[3] == "crlf":
        text = text.replace("\n", "\r\n")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
