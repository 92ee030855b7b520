#!/bin/sh
# Signed Message-IDs: `unscatter sendmail` with [sign] header = true adds
# X-Unscatter-Sig (and a Message-ID and Date when missing); a bounce that
# returns the header (message/rfc822, text/rfc822-headers) proves itself
# with no record: valid -> legitimate, tampered / stale / unknown key ->
# backscatter, absent -> nothing, unless [sign] require. Key rotation, keys
# others can read, `unscatter msgid`.
. "$top_srcdir/tests/lib.sh"
tmpdir
OUT="$TMP/out"
mkdir -p "$OUT"
cat > "$TMP/fake-sendmail" <<EOF
#!/bin/sh
cat > "$OUT/stdin"
EOF
chmod +x "$TMP/fake-sendmail"
printf '0:first-secret\n' > "$TMP/keys"
chmod 600 "$TMP/keys"
conf () { # conf EXTRA-LINES...: the config file
  { printf '[sendmail]\npath = %s\n[sign]\nheader = true\nkeys = %s\n' "$TMP/fake-sendmail" "$TMP/keys"
    printf '%s\n' "$@"; } > "$TMP/conf"
}
conf
DB="$TMP/record.db"
SM="$UNSCATTER sendmail --db $DB --config $TMP/conf --"

printf 'Message-ID: <sig1@example.org>\nDate: Mon, 4 Mar 2024 08:15:12 +0100\nFrom: Alice <alice@example.org>\nTo: Bob <bob@example.net>\nSubject: hello\n\nbody\n' > "$TMP/m1.eml"
run_rc $SM -oi -t < "$TMP/m1.eml"
is "$rc" 0 "sendmail signs: exit 0"
is "$err" "" "sendmail signs: nothing on stderr"
sig=$(sed -n '1s/^X-Unscatter-Sig: //p' "$OUT/stdin")
case $sig in "v=1; k=0; t="[0-9]*"; h="????????????????????????????????) ok "X-Unscatter-Sig first: $sig";; *) not_ok "X-Unscatter-Sig first"; diag "$(head -n 2 "$OUT/stdin")";; esac
tail -n +2 "$OUT/stdin" > "$TMP/rest"
cmp -s "$TMP/rest" "$TMP/m1.eml" && ok "the rest byte for byte" || not_ok "the rest byte for byte"
cp "$OUT/stdin" "$TMP/sent1.eml"

# CRLF, and no Message-ID or Date: both added (and recorded), in CRLF.
printf 'From: alice@example.org\r\nTo: carol@example.com\r\nSubject: x\r\n\r\nhi\r\n' > "$TMP/m2.eml"
run_rc $SM -t < "$TMP/m2.eml"
is "$(sed -n '1s/^\(X-Unscatter-Sig\): .*\r$/\1/p;2s/^\(Message-ID\): <[^>]*@example.org>\r$/\1/p;3s/^\(Date\): .*\r$/\1/p' "$OUT/stdin" | tr '\n' ' ')" "X-Unscatter-Sig Message-ID Date " "no Message-ID/Date: both added under the signature, CRLF kept"
mid=$(sed -n '2s/^Message-ID: <\(.*\)>\r$/\1/p' "$OUT/stdin")
cp "$OUT/stdin" "$TMP/sent2.eml"

# bounce PART-TYPE FILE: a DSN returning FILE (whole, or its header) as PART-TYPE.
bounce () {
  printf 'From: MAILER-DAEMON@mx.example.net\nTo: alice@example.org\nSubject: Undelivered Mail Returned to Sender\nDate: Mon, 4 Mar 2024 09:00:00 +0100\nMessage-ID: <dsn%s@mx.example.net>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; bob@example.net\nAction: failed\nStatus: 5.1.1\n\n--b\nContent-Type: %s\n\n' "$$" "$1"
  if [ "$1" = text/rfc822-headers ]; then tr -d '\r' < "$2" | sed '/^$/q'; else tr -d '\r' < "$2"; fi
  printf '\n--b--\n'
}
verdict () { # verdict FILE [CONFIG]: the verdict and the first reason, no record
  "$UNSCATTER" check --json --db "$TMP/none.db" --config "${2:-$TMP/conf}" "$1" > "$TMP/json" 2>"$TMP/jerr"
  sed -n 's/.*"verdict": *"\([a-z-]*\)".*/\1/p' "$TMP/json"
}
reason1 () { sed -n 's/.*"reasons": *\["\([^"]*\)".*/\1/p' "$TMP/json"; }

bounce message/rfc822 "$TMP/sent1.eml" > "$TMP/b1.eml"
is "$(verdict "$TMP/b1.eml")" legitimate "message/rfc822 with a valid signature: legitimate with no record"
case $(reason1) in "valid X-Unscatter-Sig (key 0, signed "*) ok "reason: valid X-Unscatter-Sig";; *) not_ok "reason: valid X-Unscatter-Sig"; diag "$(reason1)";; esac
grep -q '"signature": *{"value": *"v=1; k=0;' "$TMP/json" && ok "JSON: signature object" || not_ok "JSON: signature object"
if [ -e "$TMP/none.db" ]; then not_ok "no record created"; else ok "no record created"; fi
bounce text/rfc822-headers "$TMP/sent1.eml" > "$TMP/b2.eml"
is "$(verdict "$TMP/b2.eml")" legitimate "text/rfc822-headers with a valid signature: legitimate"
bounce message/rfc822 "$TMP/sent2.eml" > "$TMP/b3.eml"
is "$(verdict "$TMP/b3.eml")" legitimate "the added Message-ID and Date are signed"

# Tamper with each signed field, and with one that is not signed.
for f in "Message-ID: <sig2@example.org>" "Date: Mon, 4 Mar 2024 08:15:13 +0100" "From: Alice <alice@example.com>" "To: Bob <bob@example.com>"; do
  name=${f%%:*}
  sed "s/^$name: .*/$f/" "$TMP/sent1.eml" > "$TMP/t.eml"
  bounce message/rfc822 "$TMP/t.eml" > "$TMP/bt.eml"
  is "$(verdict "$TMP/bt.eml")" backscatter "$name changed: backscatter"
  case $(reason1) in "X-Unscatter-Sig v=1; k=0; t="*": bad hash (1 keys)") ok "$name changed: reason bad hash";; *) not_ok "$name changed: reason bad hash"; diag "$(reason1)";; esac
done
sed 's/^Subject: .*/Subject: changed/' "$TMP/sent1.eml" > "$TMP/t.eml"
bounce message/rfc822 "$TMP/t.eml" > "$TMP/bt.eml"
is "$(verdict "$TMP/bt.eml")" legitimate "Subject changed (not signed): legitimate"

# Stale: older than expire_days.
d=$(printf '%s' "$sig" | sed 's/.*t=\([0-9]*\);.*/\1/')
UNSCATTER_NOW=$(( (d + 181) * 86400 )) verdict "$TMP/b1.eml" >/dev/null
is "$(sed -n 's/.*"verdict": *"\([a-z-]*\)".*/\1/p' "$TMP/json")" backscatter "181 days later (expire_days 180): backscatter"
case $(reason1) in *"expired (signed "*) ok "stale: reason expired";; *) not_ok "stale: reason expired"; diag "$(reason1)";; esac
UNSCATTER_NOW=$(( (d + 180) * 86400 )) verdict "$TMP/b1.eml" >/dev/null
is "$(sed -n 's/.*"verdict": *"\([a-z-]*\)".*/\1/p' "$TMP/json")" legitimate "180 days later: still legitimate"

# Key rotation: a new key first; the old one still verifies while in the file.
printf '1:second-secret\n0:first-secret\n' > "$TMP/keys"
is "$(verdict "$TMP/b1.eml")" legitimate "rotation: the old key 0 still verifies"
run_rc $SM -t < "$TMP/m1.eml"
is "$(sed -n '1s/^X-Unscatter-Sig: v=1; k=\([0-9]\);.*/\1/p' "$OUT/stdin")" 1 "rotation: new mail signed with key 1"
printf '1:second-secret\n' > "$TMP/keys"
is "$(verdict "$TMP/b1.eml")" backscatter "rotation: key 0 removed -> backscatter"
case $(reason1) in *"unknown key number"*) ok "reason: unknown key number";; *) not_ok "reason: unknown key number"; diag "$(reason1)";; esac

# require: a returned header without a signature.
printf 'Message-ID: <unsigned@example.org>\nDate: Mon, 4 Mar 2024 08:15:12 +0100\nFrom: alice@example.org\nTo: bob@example.net\n\nx\n' > "$TMP/u.eml"
bounce message/rfc822 "$TMP/u.eml" > "$TMP/bu.eml"
is "$(verdict "$TMP/bu.eml")" unknown "no signature, no record, require off: unknown"
conf 'require = true'
is "$(verdict "$TMP/bu.eml")" backscatter "no signature with sign.require: backscatter"
case $(reason1) in "no X-Unscatter-Sig on the returned original, and sign.require is set"*) ok "reason: sign.require";; *) not_ok "reason: sign.require"; diag "$(reason1)";; esac
conf

# Keys others can read are refused: the mail goes out unsigned, with a warning.
chmod 644 "$TMP/keys"
run_rc $SM -t < "$TMP/m1.eml"
is "$rc" 0 "keys readable by others: the mail is still sent (exit 0)"
cmp -s "$OUT/stdin" "$TMP/m1.eml" && ok "keys readable by others: sent unsigned" || not_ok "keys readable by others: sent unsigned"
case $err in *"warning: signing keys unusable"*) ok "keys readable by others: warning";; *) not_ok "keys readable by others: warning"; diag "$err";; esac
run_rc "$UNSCATTER" check --db "$TMP/none.db" --config "$TMP/conf" "$TMP/b1.eml"
is "$rc" 1 "check with unsafe keys: not backscatter (exit 1)"
chmod 600 "$TMP/keys"

# deliver: the signed bounce reaches the inbox with no record at all.
printf '0:first-secret\n' > "$TMP/keys"
M="$TMP/Maildir"
"$UNSCATTER" deliver --maildir "$M" --db "$TMP/none.db" --config "$TMP/conf" < "$TMP/b2.eml"
is "$?" 0 "deliver: exit 0"
is "$(sed -n 's/^X-Unscatter-Verdict: //p' "$M"/new/* | head -n 1)" "legitimate (dsn)" "deliver: legitimate (dsn) into new/"

# msgid
run_rc "$UNSCATTER" msgid --config "$TMP/conf"
is "$rc" 0 "msgid: exit 0"
case $out in "<"*.??????????????????????????"@"*.*">") ok "msgid: <TIME.RANDOM@DOMAIN>: $out";; *) not_ok "msgid form"; diag "$out";; esac
conf 'msgid_domain = mail.example.org'
run_rc "$UNSCATTER" msgid --config "$TMP/conf"
case $out in *"@mail.example.org>") ok "msgid: [sign] msgid_domain";; *) not_ok "msgid: [sign] msgid_domain"; diag "$out";; esac
a=$("$UNSCATTER" msgid --domain example.net) b=$("$UNSCATTER" msgid --domain example.net)
[ "$a" != "$b" ] && ok "msgid: two calls differ" || not_ok "msgid: two calls differ"
run_rc "$UNSCATTER" msgid --domain 'bad domain'
is "$rc" 2 "msgid: a bad domain is a usage error"

done_testing
