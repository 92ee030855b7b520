#!/bin/sh
# No step of the bounce analysis is quadratic in the number of failed
# recipients: a DSN with 10,000 (tests/gen-dsn.sh) is analysed within 2x of
# 10 times the time of one with 1,000 (best of three runs each, wall clock),
# every recipient is reported once, in the order of the report, and a
# recipient repeated in another case is kept once (the first spelling).
. "$top_srcdir/tests/lib.sh"
tmpdir
gen="$top_srcdir/tests/gen-dsn.sh"

# best_ms FILE: $best = the fastest of three `check --json` runs, in
# milliseconds; $rc and $TMP/out.json from the last
best_ms () {
	best=
	for _i in 1 2 3; do
		s=$(date +%s%N)
		"$UNSCATTER" check --json "$1" >"$TMP/out.json" 2>"$TMP/err"
		rc=$?
		e=$(date +%s%N)
		t=$(( (e - s) / 1000000 ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
}

for n in 1000 10000; do
	sh "$gen" $n dup >"$TMP/dsn-$n.eml"
	best_ms "$TMP/dsn-$n.eml"
	eval "ms_$n=$best"
	is "$rc" 1 "$n recipients: check exits 1 (a bounce)"
	got=$(grep -o '"u[0-9]*@ex\.com"' "$TMP/out.json" | wc -l)
	is "$got" "$n" "$n recipients: each reported once (the upper-cased repeats dropped)"
	first=$(grep -o '"recipients": \["[^"]*"' "$TMP/out.json" | sed 's/.*\["//; s/"$//')
	is "$first" "u1@ex.com" "$n recipients: in the report's order, first spelling kept"
	last=$(grep -o '"u[0-9]*@ex\.com"' "$TMP/out.json" | tail -n 1)
	is "$last" "\"u$n@ex.com\"" "$n recipients: the last one last"
done
diag "1,000 recipients: $ms_1000 ms; 10,000: $ms_10000 ms"
limit=$((ms_1000 * 20))
# a floor of 100 ms for the limit: below that, the process start dominates
[ "$limit" -lt 100 ] && limit=100
if [ "$ms_10000" -le "$limit" ]; then
	ok "10,000 recipients within 2x of 10 times 1,000 ($ms_10000 <= $limit ms)"
else
	not_ok "10,000 recipients within 2x of 10 times 1,000 ($ms_10000 > $limit ms)"
fi
done_testing
