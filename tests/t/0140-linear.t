#!/bin/sh
# No step of `check` is quadratic: a message with 10 times the recipients,
# MIME parts, header fields or body lines costs at most 20 times as much,
# counted in instructions (valgrind's callgrind: the same on a busy machine
# as on an idle one), over the cost of the same message with none of them.
# The messages come from bench/linear.py (make bench times the same inputs
# at 1,000 and 10,000); here 100 and 1,000, to stay quick.
. "$top_srcdir/tests/lib.sh"
tmpdir
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed (apt-get install valgrind): instruction counts"
if ldd "$UNSCATTER" 2>/dev/null | grep -q libasan || grep -q -a __asan_init "$UNSCATTER"; then
  skip_all "built with the sanitizers: valgrind cannot run it (the plain build runs this test)"
fi
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed: bench/linear.py writes the inputs"
printf '[limits]\nmax_parts = 1000000\nmax_headers = 1000000\nmax_seconds = 600\n' > "$TMP/conf"

count () {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$UNSCATTER" check --config "$TMP/conf" "$1" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
small=100 big=1000
for kind in recipients parts fields lines; do
  for n in 0 $small $big; do
    python3 "$top_srcdir/bench/linear.py" gen "$kind" "$n" "$TMP/$kind.$n.eml" || not_ok "linear.py gen $kind $n"
  done
  run_rc "$UNSCATTER" check --config "$TMP/conf" "$TMP/$kind.$big.eml"
  case "$out" in
  *": unknown dsn deliver") ok "$kind: the $big case is a bounce (the whole analysis runs)" ;;
  *) not_ok "$kind: the $big case is a bounce (the whole analysis runs)"; diag "$out" ;;
  esac
  i0=$(count "$TMP/$kind.0.eml") i1=$(count "$TMP/$kind.$small.eml") i2=$(count "$TMP/$kind.$big.eml")
  if [ -z "$i0" ] || [ -z "$i1" ] || [ -z "$i2" ]; then
    not_ok "$kind: instruction counts"
    continue
  fi
  d1=$((i1 - i0)) d2=$((i2 - i0))
  diag "$kind: $i0 / $i1 / $i2 instructions for 0 / $small / $big"
  if [ "$d1" -gt 0 ] && [ "$d2" -le $((d1 * 20)) ]; then
    ok "$kind: $big cost at most 20x $small ($((d2 * 10 / d1 / 10)).$((d2 * 10 / d1 % 10))x)"
  else
    not_ok "$kind: $big cost at most 20x $small"
    diag "over the empty case: $d1 for $small, $d2 for $big"
  fi
done
done_testing
