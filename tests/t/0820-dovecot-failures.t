#!/bin/sh
# What goes wrong in the plugin never costs a message: a record that cannot
# be read or is corrupt, a broken config, a config file that is missing, a
# message over the size limit or the header limit: dovecot-lda exits 0, the
# message is stored byte-identical in the INBOX (not in Backscatter, where
# the forged bounce would go), and the reason is in Dovecot's log. A 10 MB
# message and one nested beyond the depth limit are judged and stored. The
# settings unscatter_record and unscatter_config are honoured. The execute
# route keeps the message too when `unscatter check` fails.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require plugin execute
dc_setup
ME=alice@example.org
FORGED="$M/dsn/amazonses-forged.eml"
GENUINE="$M/dsn/exim-user-unknown.eml"
REC="$H/.local/share/unscatter/record.db"

home () {
  rm -rf "$H"; mkdir -p "$H/.config/unscatter"; dc_own
  dc_record "$M"/sent/*.eml || not_ok "record the sent fixtures"
}
# deliver NAME FILE WANT-FOLDER LOG-PATTERN: dovecot-lda through the
# plugin route; exit 0, the folder, the log line.
deliver () {
  name=$1 file=$2 want=$3 pattern=$4
  DC_LOG_FROM=$(wc -l < "$DC_LOG")
  dc_lda "$file" "" "$ME"
  is "$rc" 0 "$name: dovecot-lda exit 0"
  is "$(dc_where "$file")" "$want" "$name: stored byte-identical in $want"
  new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
  if printf '%s\n' "$new" | grep -Eq -- "$pattern"; then ok "$name: the log says so"
  else not_ok "$name: the log says so"; diag "want /$pattern/" "$new"; fi
  rm -rf "$H/Maildir"
}

dc_config 90-unscatter.conf
: > "$DC_LOG"; dc_own

home
deliver "baseline: forged bounce" "$FORGED" Backscatter "Info: sieve: unscatter: verdict=backscatter kind=dsn"

home
chmod 000 "$REC"
deliver "record unreadable" "$FORGED" INBOX "Error: sieve: unscatter: record $REC: .*; message kept"

home
printf 'this is not an SQLite database, only text in its place\n%.0s' $(seq 1 200) > "$REC"; dc_own
deliver "record corrupt" "$FORGED" INBOX "Error: sieve: unscatter: record $REC: .*; message kept"

home
printf '[limits]\nmax_bytes = banana\n' > "$H/.config/unscatter/config"; dc_own
deliver "config broken" "$FORGED" INBOX "Error: sieve: unscatter: configuration: .*max_bytes.*; message kept"

# A message over the size limit (a config with a small one) and a 10 MB
# message under the default limit.
python3 - "$FORGED" "$TMP/big.eml" <<'EOF'
import sys
src, dst = sys.argv[1:3]
data = open(src, "rb").read()
# 10 MB of text in the body, after the report: the bounce stays a bounce.
line = b"padding padding padding padding padding padding padding padding padding\n"
data += b"\n" + line * (10 * 1024 * 1024 // len(line))
open(dst, "wb").write(data)
EOF
chmod a+r "$TMP/big.eml"
home
printf '[limits]\nmax_bytes = 1M\n' > "$H/.config/unscatter/config"; dc_own
deliver "10 MB message over a 1 MB limit" "$TMP/big.eml" INBOX "Warning: sieve: unscatter: message not judged: .*exceeds the limit.*; message kept"
home
t0=$(date +%s)
deliver "10 MB message" "$TMP/big.eml" Backscatter "Info: sieve: unscatter: verdict=backscatter kind=dsn"
diag "10 MB message delivered in $(( $(date +%s) - t0 )) s"

# Over the header limit: 30 extra header fields, limit 20 (through unscatter_config).
{ i=0; while [ $i -lt 30 ]; do echo "X-Filler-$i: $i"; i=$((i + 1)); done; cat "$FORGED"; } > "$TMP/headers.eml"
chmod a+r "$TMP/headers.eml"
home
printf '[limits]\nmax_headers = 20\n' > "$H/limits.conf"; dc_own
DC_EXTRA='plugin {
  unscatter_config = ~/limits.conf
}'
dc_config 90-unscatter.conf
deliver "over the header limit (unscatter_config)" "$TMP/headers.eml" INBOX "Warning: sieve: unscatter: message not judged: .*header.*; message kept"

# unscatter_config naming a file that is not there.
DC_EXTRA='plugin {
  unscatter_config = ~/no-such-config
}'
dc_config 90-unscatter.conf
deliver "unscatter_config missing" "$FORGED" INBOX "Error: sieve: unscatter: configuration: .*no-such-config.*; message kept"

# unscatter_record: the record elsewhere; the genuine bounce is legitimate
# only when that record is read.
home
rm -f "$REC"
as_user "$INST/bin/unscatter" record --db "$H/elsewhere.db" "$M"/sent/*.eml >/dev/null 2>&1
DC_EXTRA='plugin {
  unscatter_record = ~/elsewhere.db
}'
dc_config 90-unscatter.conf
deliver "unscatter_record honoured" "$GENUINE" INBOX "Info: sieve: unscatter: verdict=legitimate kind=dsn"
DC_EXTRA=
dc_config 90-unscatter.conf
deliver "without unscatter_record: no record" "$GENUINE" INBOX "Info: sieve: unscatter: verdict=unknown kind=dsn"

# Nested 60 deep (the depth limit is 40): judged, stored.
python3 - "$TMP/deep.eml" <<'EOF'
import sys
out = ["From: MAILER-DAEMON@mx.example.net", "To: alice@example.org",
       "Subject: Undelivered Mail Returned to Sender", "Message-ID: <deep@mx.example.net>",
       "MIME-Version: 1.0"]
depth = 60
for i in range(depth):
    out += ['Content-Type: multipart/mixed; boundary="b%d"' % i, "", "--b%d" % i]
out += ["Content-Type: text/plain", "", "deep inside"]
for i in reversed(range(depth)):
    out += ["--b%d--" % i]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOF
chmod a+r "$TMP/deep.eml"
home
deliver "nested beyond the depth limit" "$TMP/deep.eml" INBOX "Info: sieve: unscatter: verdict="

# The execute route: unscatter check fails on the unreadable record: kept.
dc_config 90-unscatter-execute.conf
home
chmod 000 "$REC"
deliver "execute route, record unreadable" "$FORGED" INBOX "stored mail into mailbox 'INBOX'"
done_testing
