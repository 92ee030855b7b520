#!/bin/sh
# check --jobs N: a batch shared among N worker processes prints the same
# bytes (stdout and stderr, --json and --explain) and exits with the same
# code as one process (--jobs 1), whatever N, with files that fail (missing,
# a directory) in the middle; the default (the CPUs) too.
. "$top_srcdir/tests/lib.sh"
tmpdir

db="$TMP/record.db"
"$UNSCATTER" record --db "$db" "$FIXTURES"/sent/*.eml >/dev/null 2>&1
: > "$TMP/list"
find "$FIXTURES" "$top_srcdir/tests/heldout" -type f -name '*.eml' | sort > "$TMP/all"
half=$(($(grep -c . "$TMP/all") / 2))
head -n "$half" "$TMP/all" >> "$TMP/list"
echo "$TMP/no-such-file.eml" >> "$TMP/list"
echo "$FIXTURES" >> "$TMP/list"
tail -n +"$((half + 1))" "$TMP/all" >> "$TMP/list"
if [ -d "$USC_CORPUS/bounces" ]; then
  find "$USC_CORPUS/bounces" -type f | sort >> "$TMP/list"
else
  diag "no corpus at $USC_CORPUS: fixtures only"
fi
n=$(grep -c . "$TMP/list")

for mode in --json --explain; do
  # shellcheck disable=SC2046
  "$UNSCATTER" check --db "$db" $mode --jobs 1 $(cat "$TMP/list") > "$TMP/out.1" 2> "$TMP/err.1"
  rc1=$?
  is "$rc1" 1 "check $mode --jobs 1: exit 1 (not all backscatter)"
  if [ "$mode" = --json ]; then
    is "$(grep -c . "$TMP/out.1")" "$n" "check --json --jobs 1: one line per file ($n)"
    is "$(grep -c '"error"' "$TMP/out.1")" 2 "check --json --jobs 1: the two bad files are errors"
  fi
  is "$(grep -c . "$TMP/err.1")" 2 "check $mode --jobs 1: two errors on stderr"
  for j in 2 3 4 default; do
    if [ "$j" = default ]; then jopt=; else jopt="--jobs $j"; fi
    # shellcheck disable=SC2046,SC2086
    "$UNSCATTER" check --db "$db" $mode $jopt $(cat "$TMP/list") > "$TMP/out.$j" 2> "$TMP/err.$j"
    rc=$?
    is "$rc" "$rc1" "check $mode --jobs $j: the same exit code as --jobs 1"
    if cmp -s "$TMP/out.1" "$TMP/out.$j"; then ok "check $mode --jobs $j: stdout byte-identical"
    else not_ok "check $mode --jobs $j: stdout byte-identical"; diff "$TMP/out.1" "$TMP/out.$j" | head -5 | sed 's/^/# /'; fi
    if cmp -s "$TMP/err.1" "$TMP/err.$j"; then ok "check $mode --jobs $j: stderr byte-identical"
    else not_ok "check $mode --jobs $j: stderr byte-identical"; diff "$TMP/err.1" "$TMP/err.$j" | head -5 | sed 's/^/# /'; fi
  done
done

# stdout and stderr in one file (2>&1): each error line where one process
# puts it, between the results of the files before and after it.
# shellcheck disable=SC2046
"$UNSCATTER" check --db "$db" --json --jobs 1 $(cat "$TMP/list") > "$TMP/both.1" 2>&1
for j in 2 4; do
  # shellcheck disable=SC2046
  "$UNSCATTER" check --db "$db" --json --jobs "$j" $(cat "$TMP/list") > "$TMP/both.$j" 2>&1
  if cmp -s "$TMP/both.1" "$TMP/both.$j"; then ok "check --json --jobs $j, 2>&1: the same interleaving as --jobs 1"
  else not_ok "check --json --jobs $j, 2>&1: the same interleaving as --jobs 1"; diff "$TMP/both.1" "$TMP/both.$j" | head -5 | sed 's/^/# /'; fi
done
is "$(grep -n 'no-such-file' "$TMP/both.1" | head -n 1 | cut -d: -f1)" "$((half + 1))" \
  "check --json --jobs 1, 2>&1: the missing file's error right after the results before it"

# Exit 0 only when every message is backscatter, with any number of jobs.
"$UNSCATTER" check --db "$db" $(cat "$TMP/list") 2>/dev/null | sed -n 's/^\(.*\): backscatter [^ ]* [^ ]*$/\1/p' | head -n 40 > "$TMP/bs"
nb=$(grep -c . "$TMP/bs")
if [ "$nb" -ge 4 ]; then
  for j in 1 2 4; do
    # shellcheck disable=SC2046
    run_rc "$UNSCATTER" check --db "$db" --jobs "$j" $(cat "$TMP/bs")
    is "$rc" 0 "check --jobs $j over $nb backscatter messages: exit 0"
    # a not-backscatter message (ordinary mail) after the second one
    # shellcheck disable=SC2046
    run_rc "$UNSCATTER" check --db "$db" --jobs "$j" $(sed -n 1,2p "$TMP/bs") "$FIXTURES/ham/$(ls "$FIXTURES/ham" | head -n 1)" $(sed -n '3,$p' "$TMP/bs")
    is "$rc" 1 "check --jobs $j: one ordinary message among them: exit 1"
    # shellcheck disable=SC2046
    run_rc "$UNSCATTER" check --db "$db" --jobs "$j" $(sed -n 1,2p "$TMP/bs") "$TMP/no-such-file.eml" $(sed -n '3,$p' "$TMP/bs")
    is "$rc" 1 "check --jobs $j: a missing file among them: exit 1"
  done
else
  skip "fewer than 4 backscatter messages to test exit 0 with"
fi

# A message that trips the watchdog (a FIFO nobody writes to: reading it
# blocks) ends the batch there: the messages before it printed, none after,
# exit 1, whatever the number of jobs.
if command -v mkfifo >/dev/null 2>&1 && mkfifo "$TMP/fifo.eml" 2>/dev/null; then
  printf '[limits]\nmax_seconds = 0.1\n' > "$TMP/quick.conf"
  sed -n 1,6p "$TMP/bs" > "$TMP/wd"
  echo "$TMP/fifo.eml" >> "$TMP/wd"
  sed -n 7,20p "$TMP/bs" >> "$TMP/wd"
  for j in 1 2 4; do
    # shellcheck disable=SC2046
    "$UNSCATTER" check --config "$TMP/quick.conf" --db "$db" --jobs "$j" $(cat "$TMP/wd") > "$TMP/wd.out.$j" 2> "$TMP/wd.err.$j"
    echo $? > "$TMP/wd.rc.$j"
  done
  is "$(cat "$TMP/wd.rc.1")" 1 "watchdog in the middle, --jobs 1: exit 1"
  is "$(grep -c . "$TMP/wd.out.1")" 6 "watchdog in the middle, --jobs 1: the six messages before it printed"
  is "$(cat "$TMP/wd.err.1")" "unscatter: time limit exceeded" "watchdog in the middle, --jobs 1: says why"
  for j in 2 4; do
    is "$(cat "$TMP/wd.rc.$j")" 1 "watchdog in the middle, --jobs $j: exit 1"
    cmp -s "$TMP/wd.out.1" "$TMP/wd.out.$j" && ok "watchdog in the middle, --jobs $j: the same stdout" || not_ok "watchdog in the middle, --jobs $j: the same stdout"
    is "$(cat "$TMP/wd.err.$j")" "unscatter: time limit exceeded" "watchdog in the middle, --jobs $j: the same stderr"
  done
else
  skip "no mkfifo: the watchdog in the middle of a batch"
fi

# more jobs than files, stdin, bad values
run_rc "$UNSCATTER" check --db "$db" --jobs 8 "$FIXTURES/ham/$(ls "$FIXTURES/ham" | head -n 1)"
is "$rc" 1 "check --jobs 8 with one file: exit 1 (ordinary mail)"
run_rc sh -c "\"\$0\" check --db \"\$1\" --jobs 2 < \"\$2\"" "$UNSCATTER" "$db" "$(sed -n 1p "$TMP/bs")"
case "$out" in "-: backscatter "*) ok "check --jobs 2 on stdin: one line for '-'" ;; *) not_ok "check --jobs 2 on stdin: one line for '-'"; diag "$out" ;; esac
run_rc "$UNSCATTER" check --jobs 0 "$TMP/no-such-file.eml"
is "$rc" 2 "check --jobs 0: usage error, exit 2"
run_rc "$UNSCATTER" check --jobs many "$TMP/no-such-file.eml"
is "$rc" 2 "check --jobs many: usage error, exit 2"

done_testing
