#!/bin/sh
# bench/report.sh BUILDDIR [N...]: the time `unscatter report` takes over a
# record of N decisions (default 100000; tests/report-fill makes it), for
# text, JSON and HTML, best of 3 runs each. Target: under a second at 100,000.
set -eu
B=$1
shift
[ $# -gt 0 ] || set -- 100000
T=$(mktemp -d "${TMPDIR:-/tmp}/usc-bench-report.XXXXXX")
trap 'rm -rf "$T"' EXIT
for n in "$@"; do
  "$B/tests/report-fill" "$T/r$n.db" "$n"
  size=$(wc -c < "$T/r$n.db")
  for mode in text json html; do
    case $mode in text) args= ;; json) args=--json ;; html) args="--html $T/r.html" ;; esac
    best=
    for i in 1 2 3; do
      s=$(date +%s.%N)
      # shellcheck disable=SC2086
      "$B/src/unscatter" report --db "$T/r$n.db" --since 0 --until 2024-03-08 $args > /dev/null
      e=$(date +%s.%N)
      t=$(echo "$e - $s" | bc -l 2>/dev/null || awk -v a="$s" -v b="$e" 'BEGIN { print b - a }')
      best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
    done
    printf 'report %-4s %7d decisions (%d bytes): %.3f s\n' "$mode" "$n" "$size" "$best"
  done
done
