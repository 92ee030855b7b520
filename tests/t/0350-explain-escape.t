#!/bin/sh
# `check --explain` prints text from the message for a human: a Subject,
# Message-ID or Date whose encoded-words decode to CR/LF, ESC or BEL, and a
# raw ESC/BEL in a DSN field, must not add lines ("x.eml: legitimate dsn
# deliver") or reach the terminal: everything is escaped (\r \n \t \xNN
# \u{XXXX}, usc_display_escape), as --json and the added fields already are.
# File names and error messages too.
. "$top_srcdir/tests/lib.sh"
tmpdir
ESC=$(printf '\033') BEL=$(printf '\007')
F="$TMP/esc.eml"
{
  printf '%s\n' 'Return-Path: <>' 'From: MAILER-DAEMON@mx.example.net' 'To: me@example.org' \
    'Subject: Undelivered Mail Returned to Sender' 'Message-ID: <esc-bounce@mx.example.net>' \
    'Date: Mon, 01 Jan 2024 00:00:00 +0000' 'MIME-Version: 1.0' \
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"' '' \
    '--B' 'Content-Type: text/plain' '' 'Your message could not be delivered.' '' \
    '--B' 'Content-Type: message/delivery-status' '' 'Reporting-MTA: dns; mx.example.net' '' \
    'Final-Recipient: rfc822; a@example.net' 'Action: failed' 'Status: 5.1.1' \
    "Diagnostic-Code: smtp; 550 no such user ${ESC}]0;pwned${BEL}" '' \
    '--B' 'Content-Type: text/rfc822-headers' '' 'From: me@example.org' 'To: a@example.net' \
    'Subject: =?utf-8?q?hi=0D=0A/var/mail/x=2Eeml=3A_legitimate_dsn_deliver=1B=5B2J=07?=' \
    'Message-ID: <=?utf-8?q?id=0D=0Afake=3A_line?=@example.org>' \
    'Date: =?utf-8?q?Mon=0A_x=C2=9B=E2=80=AE?=' '' '--B--'
} > "$F"

"$UNSCATTER" check --explain "$F" > "$TMP/out" 2> "$TMP/err"
is "$?" 1 "check --explain: exit 1 (not backscatter)"
is "$(head -n 1 "$TMP/out")" "$F: unknown dsn deliver" "the verdict line"
is "$(wc -l < "$TMP/out" | tr -d ' ')" 11 "11 lines: one verdict line and ten of evidence, none added"
is "$(tail -n +2 "$TMP/out" | grep -vc '^  ')" 0 "every evidence line is indented"
is "$(tr -d '\n' < "$TMP/out" | LC_ALL=C tr -d '\040-\176\200-\377' | wc -c | tr -d ' ')" 0 "no control byte but the line ends"
is "$(grep -c "$ESC\|$BEL" "$TMP/out")" 0 "no ESC, no BEL"
is "$(grep '^  original ids:' "$TMP/out")" '  original ids:  <id\r\nfake: line@example.org> (from text/rfc822-headers)' "the decoded Message-ID, escaped"
is "$(grep '^  orig. subject:' "$TMP/out")" '  orig. subject: hi\r\n/var/mail/x.eml: legitimate dsn deliver\x1b[2J\x07' "the decoded Subject, escaped"
is "$(grep '^  orig. date:' "$TMP/out")" '  orig. date:    Mon\n x\u{009B}\u{202E}' "the decoded Date: LF, C1 control and bidi override escaped"
is "$(grep '^  diagnostic:' "$TMP/out")" '  diagnostic:    550 no such user \x1b]0;pwned\x07' "a raw ESC and BEL in a DSN field, escaped"
is "$(grep -c '^/var/mail/x.eml' "$TMP/out")" 0 "no forged verdict line"

# --json keeps the decoded text, as valid JSON
if command -v python3 >/dev/null 2>&1; then
  "$UNSCATTER" check --json "$F" > "$TMP/json"
  is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(repr(d["original"]["subject"]), repr(d["original"]["message_ids"][0]))' "$TMP/json")" \
    "'hi\\r\\n/var/mail/x.eml: legitimate dsn deliver\\x1b[2J\\x07' 'id\\r\\nfake: line@example.org'" "--json: the same text, decoded, valid JSON"
else
  skip "python3 not found: --json"
fi

# file names are escaped too, on stdout and stderr
NL="$TMP/a
b${ESC}[2J.eml"
cp "$F" "$NL"
"$UNSCATTER" check "$NL" > "$TMP/out2"
is "$(cat "$TMP/out2")" "$TMP/a\\nb\\x1b[2J.eml: unknown dsn deliver" "a file name with LF and ESC: one escaped line"
"$UNSCATTER" check "$TMP/missing
${BEL}.eml" > "$TMP/out3" 2> "$TMP/err3"
is "$?" 1 "a missing file: exit 1"
is "$(cat "$TMP/out3")" "$TMP/missing\\n\\x07.eml: error" "its error line on stdout, escaped"
is "$(wc -l < "$TMP/err3" | tr -d ' ')" 1 "its error message on stderr: one line"
is "$(grep -c "$BEL" "$TMP/err3")" 0 "no BEL on stderr"

# the added fields stay printable ASCII whatever the message says
"$UNSCATTER" filter < "$F" > "$TMP/filtered"
is "$?" 0 "filter: exit 0"
is "$(awk '/^$/ { exit } { print }' "$TMP/filtered" | sed -n '/^X-Unscatter-Verdict:/,/^[^ \t]/p' | LC_ALL=C grep -c '[^ -~]')" 0 "filter: the added fields are printable ASCII"
done_testing
