#!/bin/sh
# Memory (issue 10): a 63 MB DSN (the original returned with a large base64
# attachment, tests/amplify-gen.py attached) costs at most its size plus
# 16 MB of peak RSS in deliver, filter and check, read from a file or a
# pipe: LF input is parsed in place, in the bytes read (before: about 3x,
# 195 MB). So is CRLF input (every line ending CRLF): its CRs are taken out
# in the same buffer and put back before it is written out (before: one
# normalised copy more, 137 MB); the same bound, and the output must be the
# input byte for byte plus the two fields, in CRLF. Skipped under ASan (its
# shadow memory and quarantine are in the RSS).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (the generator)"
[ -x /usr/bin/time ] || skip_all "/usr/bin/time not found (Debian package time)"
if ldd "$UNSCATTER" 2>/dev/null | grep -q 'libasan\|libtsan'; then skip_all "a sanitizer build: its RSS is not the program's"; fi
setup_home
M="$TMP/Mail"
MB=${MEMORY_MB:-63}
python3 "$top_srcdir/tests/amplify-gen.py" attached "$MB" > "$TMP/big.eml"
python3 "$top_srcdir/tests/amplify-gen.py" attached "$MB" crlf > "$TMP/big-crlf.eml"
size_kb=$(( $(wc -c < "$TMP/big.eml") / 1024 ))
crlf_kb=$(( $(wc -c < "$TMP/big-crlf.eml") / 1024 ))

# rss NAME MAX_KB IN OUT CMD...: run CMD < IN > OUT (stderr to $TMP/err), check its peak RSS.
rss () {
  _name=$1 _max=$2 _in=$3 _out=$4
  shift 4
  /usr/bin/time -f '%M' -o "$TMP/time" "$@" < "$_in" > "$_out" 2>"$TMP/err"
  _rc=$?
  _kb=$(tail -n 1 "$TMP/time")
  diag "$_name: exit $_rc, peak RSS $_kb KB (bound $_max KB, message $size_kb KB)"
  if [ "$_kb" -le "$_max" ]; then ok "$_name: peak RSS $_kb KB <= $_max KB"; else not_ok "$_name: peak RSS $_kb KB <= $_max KB"; fi
}

rss "deliver, LF, from a file" $((size_kb + 16384)) "$TMP/big.eml" /dev/null "$UNSCATTER" deliver --maildir "$M"
is "$_rc" 0 "deliver: exit 0"
F=$(find "$M" -path '*/new/*' -type f)
is "$(printf '%s\n' "$F" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "deliver: one copy stored"
[ -f "$F" ] || F=/dev/null
if strip_added "$F" | cmp -s - "$TMP/big.eml"; then ok "deliver: stored as received plus the two fields"; else not_ok "deliver: stored as received plus the two fields"; fi
is "$(verdict_of "$F")" "unknown (dsn)" "deliver: judged (a dsn, no record)"
rm -rf "$M"
mkfifo "$TMP/fifo"
cat "$TMP/big.eml" > "$TMP/fifo" &
rss "deliver, LF, from a pipe" $((size_kb + 16384)) "$TMP/fifo" /dev/null "$UNSCATTER" deliver --maildir "$M"
wait
is "$_rc" 0 "deliver from a pipe: exit 0"
rss "filter, LF" $((size_kb + 16384)) "$TMP/big.eml" "$TMP/filtered" "$UNSCATTER" filter
is "$_rc" 0 "filter: exit 0"
if strip_added "$TMP/filtered" | cmp -s - "$TMP/big.eml"; then ok "filter: the input plus the two fields"; else not_ok "filter: the input plus the two fields"; fi
rm -f "$TMP/filtered"
rss "check, LF" $((size_kb + 16384)) /dev/null "$TMP/out" "$UNSCATTER" check "$TMP/big.eml"
is "$(cat "$TMP/out")" "$TMP/big.eml: unknown dsn deliver" "check: the verdict"
rm -rf "$M"
rss "deliver, CRLF" $((crlf_kb + 16384)) "$TMP/big-crlf.eml" /dev/null "$UNSCATTER" deliver --maildir "$M"
is "$_rc" 0 "deliver CRLF: exit 0"
F=$(find "$M" -path '*/new/*' -type f)
[ -f "$F" ] || F=/dev/null
if strip_added "$F" | cmp -s - "$TMP/big-crlf.eml"; then ok "deliver CRLF: stored as received plus the two fields"; else not_ok "deliver CRLF: stored as received plus the two fields"; fi
is "$(grep -c "$(printf '^X-Unscatter-[A-Za-z]*: .*\r$')" "$F")" 2 "deliver CRLF: the two fields end in CRLF"
is "$(verdict_of "$F")" "unknown (dsn)" "deliver CRLF: judged as the LF message"
rm -rf "$M"
cat "$TMP/big-crlf.eml" > "$TMP/fifo" &
rss "deliver, CRLF, from a pipe" $((crlf_kb + 16384)) "$TMP/fifo" /dev/null "$UNSCATTER" deliver --maildir "$M"
wait
is "$_rc" 0 "deliver CRLF from a pipe: exit 0"
F=$(find "$M" -path '*/new/*' -type f)
[ -f "$F" ] || F=/dev/null
if strip_added "$F" | cmp -s - "$TMP/big-crlf.eml"; then ok "deliver CRLF from a pipe: stored as received plus the two fields"; else not_ok "deliver CRLF from a pipe: stored as received plus the two fields"; fi
rss "filter, CRLF" $((crlf_kb + 16384)) "$TMP/big-crlf.eml" "$TMP/filtered" "$UNSCATTER" filter
is "$_rc" 0 "filter CRLF: exit 0"
if strip_added "$TMP/filtered" | cmp -s - "$TMP/big-crlf.eml"; then ok "filter CRLF: the input plus the two fields"; else not_ok "filter CRLF: the input plus the two fields"; fi
rm -f "$TMP/filtered"
rss "check, CRLF" $((crlf_kb + 16384)) /dev/null "$TMP/out" "$UNSCATTER" check "$TMP/big-crlf.eml"
is "$(cat "$TMP/out")" "$TMP/big-crlf.eml: unknown dsn deliver" "check CRLF: the verdict"
done_testing
