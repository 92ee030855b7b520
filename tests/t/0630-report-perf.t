#!/bin/sh
# unscatter report over a 100,000-decision record (tests/report-fill): the
# figures agree with what was filled, and reading and aggregating them takes
# less time than writing them did (a bound relative to this build and this
# machine, so that a sanitizer build or a loaded machine does not fail it);
# the target, under 1 s, is measured by `make bench-report` (0.3 s here).
. "$top_srcdir/tests/lib.sh"
tmpdir
FILL="$top_builddir/tests/report-fill"
[ -x "$FILL" ] || skip_all "tests/report-fill not built"
# timed_ms CMD...: runs CMD; prints the processor time it used (user +
# system, from /usr/bin/time: on a busy machine wall time measures the
# machine), or its wall time without /usr/bin/time. CMD's output goes to
# $TMP/out, its exit status to $TMP/rc.
timed_ms () {
  _s=$(date +%s%N)
  rm -f "$TMP/cpu"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -q -f '%U %S' -o "$TMP/cpu" "$@" > "$TMP/out"
  else
    "$@" > "$TMP/out"
  fi
  echo $? > "$TMP/rc"
  _e=$(date +%s%N)
  if [ -s "$TMP/cpu" ]; then awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$TMP/cpu"; else echo $(( (_e - _s) / 1000000 )); fi
}
fill_ms=$(timed_ms "$FILL" "$TMP/r.db" 100000)
is "$(cat "$TMP/rc")" 0 "100,000 decisions filled"
ms=$(timed_ms "$UNSCATTER" report --db "$TMP/r.db" --since 0 --until 2024-03-08 --json)
rc=$(cat "$TMP/rc") out=$(cat "$TMP/out")
diag "report over 100,000 decisions: $ms ms (filling them: $fill_ms ms)"
is "$rc" 0 "report: exit 0"
is "$(printf '%s\n' "$out" | sed -n '2p' | sed 's/"backscatter": [0-9]*, "legitimate": [0-9]*, "unknown": [0-9]*/B/')" ' "bounces": 100000, B, "not_bounce": 0,' "every decision counted"
b=$(printf '%s\n' "$out" | sed -n '2p' | sed 's/.*"backscatter": \([0-9]*\),.*/\1/')
# report-fill draws 80 % backscatter with a fixed generator.
if [ "$b" -gt 79000 ] && [ "$b" -lt 81000 ]; then ok "about 80 % backscatter ($b)"; else not_ok "about 80 % backscatter ($b)"; fi
is "$(printf '%s\n' "$out" | grep -c '"top_servers": \[{"name": "mx[0-9].relay[0-9]*.example.net \[198.51.[0-9]*.[0-9]*\]", "count": [0-9]*}')" 1 "top servers named host [ip]"
if [ "$ms" -lt "$fill_ms" ]; then ok "faster than filling ($ms < $fill_ms ms)"; else not_ok "faster than filling ($ms < $fill_ms ms)"; fi
done_testing
