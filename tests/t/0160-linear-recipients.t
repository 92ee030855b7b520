#!/bin/sh
# No step of the bounce analysis is quadratic in the number of failed
# recipients: a DSN with 10,000 (tests/gen-dsn.sh) is analysed within 2x of
# 10 times the time of one with 1,000 (best of three runs each, in processor
# time — user + system of the child, so a loaded machine does not fail it),
# every recipient is reported once, in the order of the report, and a
# recipient repeated in another case is kept once (the first spelling).
. "$top_srcdir/tests/lib.sh"
tmpdir
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed: it measures the processor time"
gen="$top_srcdir/tests/gen-dsn.sh"

# best_ms FILE: $best = the least processor time of three `check --json`
# runs, in milliseconds; $rc and $TMP/out.json from the last
best_ms () {
	best=
	for _i in 1 2 3; do
		# python3 runs check (its output to out.json) and writes the child's
		# processor time (wait4's rusage of that one child) and exit code to fd 3
		t=$(python3 -c 'import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, st, ru = os.wait4(pid, 0)
os.write(3, b"%d %d\n" % (int((ru.ru_utime + ru.ru_stime) * 1000), os.waitstatus_to_exitcode(st)))' \
			"$UNSCATTER" check --json "$1" 3>&1 2>"$TMP/err" >"$TMP/out.json" </dev/null)
		rc=${t#* } t=${t% *}
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
