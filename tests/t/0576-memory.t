#!/bin/sh
# Memory (issue 10): a 63 MB DSN (the original returned with a large base64
# attachment, tests/amplify-gen.py attached) costs at most its size plus
# 16 MB of peak RSS in deliver, filter and check, read from a file or a
# pipe: LF input is parsed in place, in the bytes read (before: about 3x,
# 195 MB). CRLF input needs one normalised copy: at most twice its size
# plus 16 MB. Skipped under ASan (its shadow memory and quarantine are in
# the RSS).
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
rss "deliver, CRLF" $((2 * crlf_kb + 16384)) "$TMP/big-crlf.eml" /dev/null "$UNSCATTER" deliver --maildir "$M"
is "$_rc" 0 "deliver CRLF: exit 0"
F=$(find "$M" -path '*/new/*' -type f)
[ -f "$F" ] || F=/dev/null
if strip_added "$F" | cmp -s - "$TMP/big-crlf.eml"; then ok "deliver CRLF: stored as received plus the two fields"; else not_ok "deliver CRLF: stored as received plus the two fields"; fi
done_testing
