#!/bin/sh
# bench/run.sh — `make bench`: print performance figures (not a timed test).
# Usage: sh bench/run.sh /abs/path/to/src/unscatter
# The work is done by bench/bench.py (python3) and bench/sisimai.pl (the
# Sisimai peer); a missing peer or command prints "skipped: ..." and never
# fails the build. BENCH_QUICK=1 makes it small enough for CI.
usc=${1:-}
if [ -z "$usc" ]; then
	echo "usage: sh bench/run.sh /abs/path/to/unscatter" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (apt-get install python3)"
	exit 0
fi
python3 "$here/bench.py" "$usc"
rc=$?
[ "$rc" -eq 2 ] && exit 2
echo
sh "$here/redis.sh" "$usc"
exit 0
