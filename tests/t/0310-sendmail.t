#!/bin/sh
# `unscatter sendmail`: records the message, then runs the real sendmail (a
# fake script here) with the same arguments, feeding the message byte for
# byte, and exits with its status; a record failure still sends the mail;
# with [batv] sign = true the envelope sender is signed.
. "$top_srcdir/tests/lib.sh"
tmpdir
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 (the program) not installed"

DB="$TMP/record.db"
q () { sqlite3 "$DB" "$1"; }
OUT="$TMP/out"
mkdir -p "$OUT"
cat > "$TMP/fake-sendmail" <<EOF
#!/bin/sh
: > "$OUT/args"
for a in "\$@"; do printf '%s\n' "\$a" >> "$OUT/args"; done
cat > "$OUT/stdin"
exit \${FAKE_SENDMAIL_EXIT:-0}
EOF
chmod +x "$TMP/fake-sendmail"
printf '[sendmail]\npath = %s\n' "$TMP/fake-sendmail" > "$TMP/conf"

# A message with CRLF, 8-bit bytes, a long line and no final newline.
printf 'Message-ID: <sm1@example.org>\r\nDate: Mon, 4 Mar 2024 08:15:12 +0100\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.net\r\nCc: carol@example.com\r\nSubject: caf\303\251\r\n\r\n' > "$TMP/m1.eml"
head -c 3000 /dev/zero | tr '\0' 'x' >> "$TMP/m1.eml"
printf '\r\n\377\376 binary\r\n.\r\nlast line without newline' >> "$TMP/m1.eml"

run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -- -oi -f alice@example.org dave@example.org < "$TMP/m1.eml"
is "$rc" 0 "exit status of sendmail (0)"
cmp -s "$TMP/m1.eml" "$OUT/stdin" && ok "message passed byte for byte" || not_ok "message passed byte for byte"
is "$(cat "$OUT/args")" "$(printf '%s\n' -oi -f alice@example.org dave@example.org)" "arguments passed unchanged"
is "$err" "" "nothing on stderr"
is "$(q 'SELECT count(*) FROM sent')" 1 "recorded"
is "$(q 'SELECT count(*) FROM rcpt')" 3 "recipients: To, Cc and the argument (not the -f value)"

for code in 1 67 75 78; do
  FAKE_SENDMAIL_EXIT=$code; export FAKE_SENDMAIL_EXIT
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -- -t < "$TMP/m1.eml"
  is "$rc" "$code" "exit status $code propagated"
done
unset FAKE_SENDMAIL_EXIT
is "$(q 'SELECT count(*) FROM sent')" 1 "the same message is recorded once"

# Without "--": everything after our options goes to sendmail.
printf 'Message-ID: <sm2@example.org>\nTo: erin@example.net\n\nhi\n' > "$TMP/m2.eml"
run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -oi -t < "$TMP/m2.eml"
is "$rc" 0 "without --: exit 0"
is "$(cat "$OUT/args")" "$(printf '%s\n' -oi -t)" "without --: arguments passed"
cmp -s "$TMP/m2.eml" "$OUT/stdin" && ok "without --: message passed" || not_ok "without --: message passed"
is "$(q 'SELECT count(*) FROM sent')" 2 "without --: recorded"

# Options with values are not taken for recipients.
printf 'Message-ID: <sm3@example.org>\nTo: frank@example.net\n\nhi\n' > "$TMP/m3.eml"
n0=$(q 'SELECT count(*) FROM rcpt')
run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -- -F "Alice Martin" -oi -fme@example.org -N never -- grace@example.net < "$TMP/m3.eml"
is "$rc" 0 "option values: exit 0"
is "$(cat "$OUT/args")" "$(printf '%s\n' -F "Alice Martin" -oi -fme@example.org -N never -- grace@example.net)" "option values: passed unchanged"
is "$(q 'SELECT count(*) FROM rcpt')" "$((n0 + 2))" "option values: only frank and grace recorded"

# A record failure: the mail is still sent, with a warning.
printf 'SQLite format 3\000garbage' > "$TMP/bad.db"
head -c 8192 /dev/urandom >> "$TMP/bad.db"
FAKE_SENDMAIL_EXIT=0; export FAKE_SENDMAIL_EXIT
run_rc "$UNSCATTER" sendmail --db "$TMP/bad.db" --config "$TMP/conf" -- -t < "$TMP/m1.eml"
is "$rc" 0 "corrupt record: the mail is still sent (exit of sendmail)"
cmp -s "$TMP/m1.eml" "$OUT/stdin" && ok "corrupt record: message passed byte for byte" || not_ok "corrupt record: message passed"
case "$err" in *"warning"*"not recorded"*) ok "corrupt record: warning on stderr";; *) not_ok "corrupt record: warning on stderr"; diag "$err";; esac
run_rc "$UNSCATTER" sendmail --db /proc/no-such/dir/record.db --config "$TMP/conf" -- -t < "$TMP/m2.eml"
is "$rc" 0 "unwritable record: the mail is still sent"
unset FAKE_SENDMAIL_EXIT

# Modes that send no message: stdin is sendmail's, nothing is recorded.
n0=$(q 'SELECT count(*) FROM sent')
printf 'EHLO client.example.org\r\nMAIL FROM:<alice@example.org>\r\n' > "$TMP/smtp"
for mode in -bs -bp "-bv bob@example.net" -q -I; do
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -- $mode < "$TMP/smtp"
  is "$rc:$(cat "$OUT/args" | tr '\n' ' ')" "0:$mode " "$mode: passed straight to sendmail"
  cmp -s "$TMP/smtp" "$OUT/stdin" && ok "$mode: stdin untouched" || not_ok "$mode: stdin untouched"
done
is "$(q 'SELECT count(*) FROM sent')" "$n0" "no-message modes: nothing recorded"

# An empty message and a non-message are passed on too.
: > "$TMP/empty"
run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf" -- -t < "$TMP/empty"
is "$rc" 0 "empty input: sendmail still runs"
is "$(wc -c < "$OUT/stdin" | tr -d ' ')" 0 "empty input: passed as is"

# The real sendmail is missing: nothing sent, temporary failure.
printf '[sendmail]\npath = %s\n' "$TMP/no-such-sendmail" > "$TMP/conf-missing"
run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-missing" -- -t < "$TMP/m2.eml"
is "$rc" 75 "missing sendmail: exit 75"
case "$err" in *"NOT sent"*) ok "missing sendmail: says the mail was not sent";; *) not_ok "missing sendmail: says so"; diag "$err";; esac

# --- BATV signing ----------------------------------------------------------------
printf '1:secret\n' > "$TMP/keys"
chmod 600 "$TMP/keys"
{
  printf '[sendmail]\npath = %s\n[batv]\nsign = true\nkeys = %s\n' "$TMP/fake-sendmail" "$TMP/keys" > "$TMP/conf-batv"
  tagged=$("$UNSCATTER" batv sign --keys "$TMP/keys" alice@example.org)
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-batv" -- -oi -f alice@example.org bob@example.net < "$TMP/m1.eml"
  is "$rc" 0 "batv: exit 0"
  is "$(cat "$OUT/args")" "$(printf '%s\n' -oi -f "$tagged" bob@example.net)" "batv: -f ADDR signed"
  cmp -s "$TMP/m1.eml" "$OUT/stdin" && ok "batv: message unchanged" || not_ok "batv: message unchanged"
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-batv" -- -oi -falice@example.org bob@example.net < "$TMP/m1.eml"
  is "$(sed -n 2p "$OUT/args")" "-f$tagged" "batv: -fADDR signed"
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-batv" -- -oi -t < "$TMP/m1.eml"
  is "$(cat "$OUT/args")" "$(printf '%s\n' -f "$tagged" -oi -t)" "batv: no -f: one added from From"
  run_rc "$UNSCATTER" "batv" verify --keys "$TMP/keys" "$(sed -n 2p "$OUT/args")"
  is "$rc" 0 "batv: the added sender verifies"
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-batv" -- -oi -f "<>" bob@example.net < "$TMP/m1.eml"
  is "$(cat "$OUT/args")" "$(printf '%s\n' -oi -f "<>" bob@example.net)" "batv: the null sender is left alone"
  run_rc "$UNSCATTER" sendmail --db "$DB" --config "$TMP/conf-batv" -- -oi -f "$tagged" bob@example.net < "$TMP/m1.eml"
  is "$(sed -n 3p "$OUT/args")" "$tagged" "batv: an already signed sender is not signed twice"
}
done_testing
