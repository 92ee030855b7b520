#!/bin/sh
# unscatter filter: the message unchanged byte for byte apart from the two
# added header fields (at the top, after an mbox "From " line, in the
# message's own line ending); exit 75 with nothing on stdout on any failure.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg"
is "$?" 0 "the user's sent mail is recorded"

# one MESSAGE VERDICT [OPTIONS]
one () {
  _m=$1 _v=$2
  shift 2
  "$UNSCATTER" filter "$@" < "$DFIX/$_m" > "$TMP/out" 2>"$TMP/err"
  is "$?" 0 "$_m: exit 0"
  is "$(verdict_of "$TMP/out")" "$_v" "$_m: X-Unscatter-Verdict: $_v"
  is "$(reason_of "$TMP/out")" "X-Unscatter-Reason: " "$_m: X-Unscatter-Reason follows"
  strip_added "$TMP/out" > "$TMP/stripped"
  same_bytes "$TMP/stripped" "$DFIX/$_m" "$_m: byte for byte the input apart from the two added fields"
}

one ham.msg "not-bounce (not-bounce)"
one ham.msg "not-bounce (not-bounce)" --recipient alice@example.org --sender bob@example.net
one ham-crlf.msg "not-bounce (not-bounce)"
is "$(head -n 2 "$TMP/out" | tr -dc '\r' | wc -c | tr -d ' ')" 2 "ham-crlf.msg: the added fields end in CRLF like the message"
one ham-mbox-from.msg "not-bounce (not-bounce)"
is "$(head -n 1 "$TMP/out")" "$(head -n 1 "$DFIX/ham-mbox-from.msg")" "ham-mbox-from.msg: the From line stays first"
one ham-forged-header.msg "not-bounce (not-bounce)"
is "$(grep -c '^X-Unscatter-Verdict:' "$TMP/out")" 2 "ham-forged-header.msg: ours on top, the forged field left below it"
one bounce-genuine.msg "legitimate (dsn)"
one bounce-forged.msg "backscatter (dsn)"

# Nothing we can judge: passed on unchanged, exit 0 (maildrop would defer it forever otherwise).
: > "$TMP/empty"
run_rc "$UNSCATTER" filter < "$TMP/empty"
is "$rc" 0 "empty input: exit 0"
is "$out" "" "empty input: empty output"
write_config '[limits]' 'max_bytes = 2000'
{ cat "$DFIX/ham.msg"; i=0; while [ $i -lt 100 ]; do echo "padding line $i of a long message ......"; i=$((i + 1)); done; } > "$TMP/big.msg"
"$UNSCATTER" filter < "$TMP/big.msg" > "$TMP/out" 2>"$TMP/err"
is "$?" 0 "over max_bytes: exit 0"
same_bytes "$TMP/out" "$TMP/big.msg" "over max_bytes: passed on unchanged, no fields added"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

# Failures: exit 75, nothing on stdout.
fails () {
  _name=$1
  shift
  "$@" > "$TMP/out" 2>"$TMP/err"
  is "$?" 75 "$_name: exit 75"
  is "$(wc -c < "$TMP/out" | tr -d ' ')" 0 "$_name: nothing on stdout"
  if [ -s "$TMP/err" ]; then ok "$_name: says why on stderr"; else not_ok "$_name: says why on stderr"; fi
}
fails "unknown option" "$UNSCATTER" filter --no-such-option < "$DFIX/ham.msg"
fails "unexpected argument" "$UNSCATTER" filter "$DFIX/ham.msg" < "$DFIX/ham.msg"
fails "configuration file missing" "$UNSCATTER" filter --config "$TMP/no-such-config" < "$DFIX/ham.msg"
write_config '[actions]' 'backscatter = shred'
fails "bad configuration" "$UNSCATTER" filter < "$DFIX/ham.msg"
rm -f "$XDG_CONFIG_HOME/unscatter/config"
fails "stdin unreadable (a directory)" "$UNSCATTER" filter < "$TMP"
printf 'garbage, not a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 > "$TMP/garbage.db"
fails "record corrupt" "$UNSCATTER" filter --db "$TMP/garbage.db" < "$DFIX/bounce-forged.msg"
"$UNSCATTER" filter < "$DFIX/ham.msg" > /dev/full 2>"$TMP/err"
is "$?" 75 "stdout full (/dev/full): exit 75"
"$UNSCATTER" filter < "$DFIX/ham.msg" >&- 2>"$TMP/err"
is "$?" 75 "stdout closed: exit 75"
# A first line that begins with a blank continues no field: the added fields
# go after it, so that it cannot continue X-Unscatter-Reason (issue 10).
for eol in lf crlf; do
  printf 'From bob@example.net Mon Jan  1 10:00:00 2024\n \tInjected: line\n  more\nFrom: a@example.org\nSubject: x\n\nbody\n' > "$TMP/cont.msg"
  [ $eol = crlf ] && sed -i 's/$/\r/' "$TMP/cont.msg"
  "$UNSCATTER" filter < "$TMP/cont.msg" > "$TMP/out" 2>"$TMP/err"
  is "$?" 0 "first-line continuation ($eol): exit 0"
  is "$(sed -n 4p "$TMP/out" | tr -d '\r')" "X-Unscatter-Verdict: not-bounce (not-bounce)" "first-line continuation ($eol): the fields follow the From line and the continuation lines"
  _n=$(awk 'NR > 4 && /^[ \t]/ { n++; next } NR > 4 { exit } END { print n + 0 }' "$TMP/out")
  is "$(sed -n "$((5 + _n))p" "$TMP/out" | cut -c1-20)" "X-Unscatter-Reason: " "first-line continuation ($eol): X-Unscatter-Reason is ours"
  _e=$(awk '/^X-Unscatter-Reason: / { r = 1; next } r && /^[ \t]/ { next } r { print; exit }' "$TMP/out" | tr -d '\r')
  is "$_e" "From: a@example.org" "first-line continuation ($eol): nothing of the message continues our fields"
  { head -n 3 "$TMP/out"; tail -n +$((6 + _n)) "$TMP/out"; } > "$TMP/stripped"
  same_bytes "$TMP/stripped" "$TMP/cont.msg" "first-line continuation ($eol): byte for byte the input apart from the two fields"
done
done_testing
