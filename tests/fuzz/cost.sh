#!/bin/sh
# cost.sh BUILDDIR HARNESS INPUT... — what one execution of a harness costs:
# the processor time (user + system, getrusage via /usr/bin/time) of
# BUILDDIR/fuzz-build/fuzz-HARNESS running each INPUT once (libFuzzer's
# file mode: no mutation, so two builds compare on the same work), divided
# by the number of inputs. Wall time would measure the machine's load.
#   COST_REPS=N   run the inputs N times (default 1)
# e.g. tests/fuzz/cost.sh . message $(ls -d /work/fuzz-corpus/message/* | head -600)
set -u
b=${1:?usage: cost.sh BUILDDIR HARNESS INPUT...} h=${2:?usage: cost.sh BUILDDIR HARNESS INPUT...}
shift 2
bin=$b/fuzz-build/fuzz-$h
[ -x "$bin" ] || { echo "cost: $bin missing: make fuzz FUZZ_HARNESS=$h first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "cost: /usr/bin/time missing" >&2; exit 1; }
reps=${COST_REPS:-1}
n=$(( $# * reps ))
set -- $(i=0; while [ $i -lt "$reps" ]; do printf '%s\n' "$@"; i=$((i + 1)); done)
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
t=$(mktemp)
/usr/bin/time -f '%U %S' -o "$t" "$bin" -timeout=60 -rss_limit_mb=4096 "$@" > /dev/null 2>&1 || { echo "cost: $h: an input fails" >&2; rm -f "$t"; exit 1; }
awk -v n="$n" -v h="$h" '{ c = $1 + $2; printf "cost: %s: %d executions, %.2f s of CPU (user %.2f, system %.2f): %.3f ms an execution, %.0f a CPU second\n", h, n, c, $1, $2, 1000 * c / n, n / c }' "$t"
rm -f "$t"
