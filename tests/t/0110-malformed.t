#!/bin/sh
# Hostile and broken input (tests/malformed-gen.c): `check --json` on each
# file ends with a clean verdict or a clear error — exit 0 or 1 (never a
# crash, never 2), exactly one JSON line carrying "verdict" (and "error" where
# the input is refused) — within 1 s of wall time and a 64 MB address space
# (the memory limit is skipped for AddressSanitizer builds, which reserve
# terabytes of shadow memory).
. "$top_srcdir/tests/lib.sh"
tmpdir

GEN="$top_builddir/tests/malformed-gen"
[ -x "$GEN" ] || skip_all "tests/malformed-gen not built"
"$GEN" "$TMP/mal" || { echo "Bail out! malformed-gen failed"; exit 1; }

asan=no
if ldd "$UNSCATTER" 2>/dev/null | grep -q libasan || grep -q -a __asan_init "$UNSCATTER"; then
  asan=yes
  diag "AddressSanitizer build: no address-space limit"
fi
# The limit is the issue's one second, for the real build. Under ASan the
# big inputs spend seconds of *system* time in its shadow-memory page faults
# (33-to-200000-addresses: 0.2 s user, 1.5 s sys on a quiet machine), which
# a loaded CI machine stretches further: there the bound only catches hangs.
limit_ms=1000
[ "$asan" = yes ] && limit_ms=10000
# What is bounded is the processor time the command uses (user + system, from
# /usr/bin/time), not the wall clock: on a machine whose cores are busy with
# other work, wall time measures the machine, and the suite must pass 20 runs
# in a row on a loaded machine. A hang uses wall time without processor time:
# the wall clock is bounded too, at 20 s (60 s under ASan).
wall_limit_ms=20000
[ "$asan" = yes ] && wall_limit_ms=60000
# The program's own watchdog (max_seconds x 2 + 1 of wall time a message,
# 21 s by default) must not be tighter than that bound: under ASan on a loaded
# machine one of the biggest inputs alone took 19 s of wall time for 2.4 s of
# processor time, and the watchdog ending the one-process run below lost its
# last line. So under ASan the wall budget a message has is raised to match.
if [ "$asan" = yes ]; then
  mkdir -p "$XDG_CONFIG_HOME/unscatter"
  printf '[limits]\nmax_seconds = 30\n' > "$XDG_CONFIG_HOME/unscatter/config"
fi
TIMEF=
[ -x /usr/bin/time ] && TIMEF=/usr/bin/time
[ -n "$TIMEF" ] || diag "/usr/bin/time missing (Debian: time): the wall clock is bounded instead"

have_python=no
command -v python3 >/dev/null 2>&1 && have_python=yes

# The files the program must refuse with an error (a limit, or nothing to read);
# every other one must get a verdict without an error.
expect_error () {
  case "$1" in
  09-header-line-10mb.eml) echo "exceeds the limit" ;;
  19-headers-100000.eml) echo "header fields exceed the limit" ;;
  22-empty.eml) echo "empty message" ;;
  *) echo "" ;;
  esac
}

# check_json FILE EXPECTED_ERROR_SUBSTRING: validates the JSON line in $out
check_json () {
  _name=$1 _experr=$2
  _lines=$(printf '%s\n' "$out" | grep -c .)
  is "$_lines" 1 "$_name: exactly one line on stdout"
  if [ "$have_python" = yes ]; then
    _res=$(printf '%s\n' "$out" | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
ok = o.get("verdict") in ("not-bounce", "legitimate", "backscatter", "unknown")
print("verdict=%s error=%s" % ("ok" if ok else "bad", o.get("error") or ""))' 2>&1)
  else
    _res="verdict=ok error=$(printf '%s' "$out" | sed -n 's/.*"error": "\([^"]*\)".*/\1/p')"
    printf '%s' "$out" | grep -q '"verdict": "' || _res="verdict=bad"
  fi
  case "$_res" in
  verdict=ok\ error=*) ok "$_name: valid JSON with a verdict" ;;
  *) not_ok "$_name: valid JSON with a verdict"; diag "$_res" "$out" ;;
  esac
  _err=${_res#*error=}
  if [ -z "$_experr" ]; then
    is "$_err" "" "$_name: no error"
  else
    case "$_err" in
    *"$_experr"*) ok "$_name: clear error ($_err)" ;;
    *) not_ok "$_name: clear error"; diag "got: '$_err'" "expected to contain: '$_experr'" ;;
    esac
  fi
}

for f in "$TMP"/mal/*; do
  name=${f##*/}
  start=$(date +%s%N)
  rm -f "$TMP/cpu"
  if [ "$asan" = yes ]; then
    run_rc $TIMEF ${TIMEF:+-q -f '%U %S' -o "$TMP/cpu"} "$UNSCATTER" check --json "$f"
  else
    run_rc $TIMEF ${TIMEF:+-q -f '%U %S' -o "$TMP/cpu"} sh -c 'ulimit -v 65536 && exec "$@"' sh "$UNSCATTER" check --json "$f"
  fi
  end=$(date +%s%N)
  wall_ms=$(( (end - start) / 1000000 ))
  case "$rc" in
  0|1) ok "$name: exit $rc" ;;
  *) not_ok "$name: exit 0 or 1"; diag "exit $rc" "$err" ;;
  esac
  if [ -s "$TMP/cpu" ]; then
    ms=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$TMP/cpu")
    what="processor time"
  else
    ms=$wall_ms what="wall time"
  fi
  if [ "$ms" -lt "$limit_ms" ] && [ "$wall_ms" -lt "$wall_limit_ms" ]; then
    ok "$name: ${ms} ms ($what; wall ${wall_ms} ms)"
  else
    not_ok "$name: under $limit_ms ms of $what and $wall_limit_ms ms of wall time"; diag "took $ms ms ($what), wall $wall_ms ms"
  fi
  check_json "$name" "$(expect_error "$name")"
done

# The same through a pipe (stdin is not seekable), for the biggest inputs.
for name in 06-nested-multipart-100000.eml 10-part-header-line-10mb.eml 27-bare-cr.eml; do
  if [ "$asan" = yes ]; then
    run_rc sh -c 'exec "$1" check --json < "$2"' sh "$UNSCATTER" "$TMP/mal/$name"
  else
    run_rc sh -c 'ulimit -v 65536 && cat "$2" | "$1" check --json' sh "$UNSCATTER" "$TMP/mal/$name"
  fi
  case "$rc" in
  0|1) ok "stdin $name: exit $rc" ;;
  *) not_ok "stdin $name: exit 0 or 1"; diag "exit $rc" "$err" ;;
  esac
  case "$out" in
  '{"file": "-", '*) ok "stdin $name: reported as -" ;;
  *) not_ok "stdin $name: reported as -"; diag "$out" ;;
  esac
  check_json "stdin $name" ""
done

# All of them in one process: one line each, nothing lost.
run_rc "$UNSCATTER" check --json "$TMP"/mal/*
n_files=$(ls "$TMP"/mal | grep -c .)
is "$(printf '%s\n' "$out" | grep -c '"verdict": ')" "$n_files" "one process: one JSON line per file"
case "$rc" in 0|1) ok "one process: exit $rc" ;; *) not_ok "one process: exit 0 or 1"; diag "exit $rc" ;; esac

done_testing
