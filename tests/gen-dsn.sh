#!/bin/sh
# tests/gen-dsn.sh — write an RFC 3464 delivery status notification for N
# failed recipients to stdout (for the scaling tests: one per-recipient block
# each in the report, short enough that 10,000 stay within the text kept per
# part).
# Usage: sh tests/gen-dsn.sh N [dup]
# With "dup", every recipient is reported a second time, upper-cased, after
# all of them (the analysis keeps one of each, the first).
n=${1:?usage: sh tests/gen-dsn.sh N [dup]}
awk -v n="$n" -v dup="${2:-}" 'BEGIN {
	b = "GENDSN.1709540141/mail.example.org"
	printf "Return-Path: <>\nDate: Mon, 4 Mar 2024 09:15:41 +0100\n"
	printf "From: MAILER-DAEMON@mail.example.org (Mail Delivery System)\n"
	printf "Subject: Undelivered Mail Returned to Sender\nTo: alice@example.org\n"
	printf "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
	printf "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"\n", b
	printf "Message-Id: <20240304081541.GEN%d@mail.example.org>\n\n", n
	printf "--%s\nContent-Type: text/plain; charset=us-ascii\n\n", b
	printf "This is the mail system at host mail.example.org.\n\n"
	printf "I am sorry to have to inform you that your message could not\n"
	printf "be delivered to one or more recipients. It is attached below.\n\n"
	printf "<u1@ex.com>: host mx1.example.com[203.0.113.25] said: 550 5.1.1\n    User unknown (in reply to RCPT TO command)\n\n"
	printf "--%s\nContent-Type: message/delivery-status\n\n", b
	printf "Reporting-MTA: dns; mail.example.org\nArrival-Date: Mon, 4 Mar 2024 09:15:13 +0100\n"
	for (i = 1; i <= n; i++)
		printf "\nFinal-Recipient: rfc822;u%d@ex.com\nStatus: 5.1.1\n", i
	if (dup == "dup")
		for (i = 1; i <= n; i++)
			printf "\nFinal-Recipient: rfc822;U%d@EX.COM\nStatus: 5.1.1\n", i
	printf "\n--%s\nContent-Type: message/rfc822\n\n", b
	printf "From: alice@example.org\nTo: u1@ex.com\nSubject: hello\n"
	printf "Message-ID: <gen-original-%d@example.org>\nDate: Mon, 4 Mar 2024 09:15:10 +0100\n\nhello\n", n
	printf "\n--%s--\n", b
}'
