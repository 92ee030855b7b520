#!/bin/sh
# run.sh SRCDIR BUILDDIR — build the libFuzzer harnesses of tests/fuzz/ with
# clang (-fsanitize=fuzzer,address,undefined) from the library's sources into
# BUILDDIR/fuzz-build (apart from the gcc build), then run each for
# FUZZ_SECONDS (default 60) seconds, one after the other.
#   FUZZ_SECONDS=N   seconds per harness
#   FUZZ_HARNESS="message dsn"   only these
#   FUZZ_SEED=N      libFuzzer -seed (default: random, printed first)
#   FUZZ_RUNS=N      stop a harness after N executions (libFuzzer -runs; the
#                    issue's target is 10000000) or FUZZ_SECONDS, which comes first
#   FUZZ_BIG=0       no large-input run (default: message, filter and headers
#                    spend FUZZ_BIG_SECONDS, default a quarter of FUZZ_SECONDS,
#                    in a second run with the 1-10 MB seeds of big-seeds.pl at
#                    -max_len 12 MB, after the small-input run at their own
#                    -max_len; FUZZ_BIG=only: the large-input run alone). Its
#                    finds go to a corpus of their own (DIR/<harness>-big with
#                    FUZZ_CORPUS_DIR), never into the small-input one
#   FUZZ_NICE=N      nice level (default 10; 19 on a shared machine)
#   FUZZ_CORPUS_DIR=DIR  keep each harness's corpus in DIR/<harness> between
#                    runs (the seeds are added, nothing is removed), so runs
#                    accumulate; default: BUILDDIR/fuzz-build/corpus/<harness>,
#                    made afresh from the seeds each run
#   FUZZ_MAX_LEN=N   -max_len for every harness run (default: per harness, as
#                    below; e.g. 4096 for fast small-input runs between the
#                    large ones: a corpus input is cut to it, not dropped)
#   FUZZ_LIBSIEVE_LIBS  how to link libsieve (default -lsieve); the sieve and
#                    sieve-report harnesses are left out (said so) without it
# Fails (exit 1) on any crash, leak, timeout, OOM or sanitizer report; the
# artifacts go to BUILDDIR/fuzz-build/artifacts/<harness>/. Each regression
# input in tests/fuzz/regress/<harness>/ is run first and must pass.
# Seed corpora are copied at run time from fixtures/ and tests/ into
# BUILDDIR/fuzz-build/corpus/<harness>/ (nothing is committed twice).
set -u
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
out=$build/fuzz-build
secs=${FUZZ_SECONDS:-60}
harnesses=${FUZZ_HARNESS:-}
[ -n "$harnesses" ] || harnesses="message dsn headers batv config filter received report sieve sieve-report plugin payload"
seed=${FUZZ_SEED:-}
[ -n "$seed" ] || seed=$(od -An -N4 -tu4 /dev/urandom | tr -d " ")
CC=${FUZZ_CC:-}
if [ -z "$CC" ]; then
  for c in clang clang-14; do command -v $c >/dev/null 2>&1 && { CC=$c; break; }; done
fi
if [ -z "$CC" ]; then
  echo "fuzz: clang is missing (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
[ -f "$build/config.h" ] || { echo "fuzz: $build/config.h missing: run ./configure first" >&2; exit 1; }
echo "fuzz: -seed=$seed FUZZ_SECONDS=$secs (replay: make fuzz FUZZ_SEED=$seed FUZZ_SECONDS=$secs)"
mkdir -p "$out/obj"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# The library's own dependencies, as configure found them (make fuzz passes
# them; run by hand, pkg-config is asked for the same list).
deps_cflags=${FUZZ_DEPS_CFLAGS:-$(pkg-config --cflags gmime-3.0 glib-2.0 sqlite3 2>/dev/null) $(pkg-config --cflags libmagic hiredis libmaxminddb 2>/dev/null)}
deps_libs=${FUZZ_DEPS_LIBS:-$(pkg-config --libs gmime-3.0 glib-2.0 sqlite3) -lmagic $(pkg-config --libs hiredis 2>/dev/null) $(pkg-config --libs libmaxminddb 2>/dev/null)}
CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN -I$build -I$src/src -I$src/tests/fuzz $deps_cflags"
LIBS="$deps_libs"
# ---- build (only what changed) ----
objs=
# the library's sources as the Makefile lists them (the Redis files only when
# configure found hiredis); by hand: every src/usc-*.c
sources=
for f in ${FUZZ_SOURCES:-}; do
  case $f in /*) sources="$sources $f" ;; *) sources="$sources $src/$f" ;; esac  # generated ones: absolute
done
[ -n "$sources" ] || sources=$(ls "$src"/src/usc-*.c)
for f in $sources; do
  o=$out/obj/$(basename "$f" .c).o
  cov=-fsanitize=fuzzer-no-link
  # The matcher's scans (usc-match.c, usc-match-tables.c) compare at every
  # byte of every text against each table: with those comparisons traced
  # (trace-cmp) they were a sixth of an execution of message. Their coverage
  # and ASan/UBSan checks stay; the patterns they compare against are in the
  # dictionary instead (dict.sh: src/*.h, src/mta/*.def, src/lang/*.def).
  # The language code (usc-lang.c, usc-lang-decode.c) likewise: its traced
  # comparisons are table indices against table sizes (usc_lang_count_from)
  # and each byte of every text against 'I', 'J' and 0x80 (usc_lang_fold),
  # about a tenth of an execution of message, sieve and plugin; its string
  # comparisons (strcmp, strncmp) still reach libFuzzer through the
  # sanitizer's interceptors.
  case $f in */usc-match.c|*/usc-match-tables.c|*/usc-lang.c|*/usc-lang-decode.c)
    cov="$cov -fno-sanitize-coverage=trace-cmp" ;; esac
  if [ ! -f "$o" ] || [ "$src/tests/fuzz/run.sh" -nt "$o" ] \
     || [ -n "$(find "$src/src" "$build/config.h" -newer "$o" \( -name '*.[ch]' -o -name '*.def' \) 2>/dev/null | head -1)" ]; then
    $CC $CFLAGS $cov -c "$f" -o "$o" || exit 1
  fi
  objs="$objs $o"
done
# the front ends' own parsers, for the Sieve harnesses (sieve-ext/)
have_libsieve=0
echo '#include <stddef.h>
#include <sieve2.h>' | $CC -E -x c - >/dev/null 2>&1 && have_libsieve=1
built=
for h in $harnesses; do
  extra_src= extra_inc= extra_libs=
  case $h in
    sieve|sieve-report)
      if [ $have_libsieve = 0 ]; then
        echo "fuzz: $h: left out: libsieve is missing (Debian: apt-get install libsieve2-dev)"
        continue
      fi
      extra_inc="-I$src/sieve-ext/libsieve" extra_libs=${FUZZ_LIBSIEVE_LIBS:--lsieve}
      for f in usv-view.c usv-run.c usv-plan.c usv-child.c; do extra_src="$extra_src $src/sieve-ext/libsieve/$f"; done ;;
    plugin)
      extra_inc="-I$src/sieve-ext/dovecot" extra_src="$src/sieve-ext/dovecot/unscatter-glue.c" ;;
  esac
  # shellcheck disable=SC2086
  $CC $CFLAGS $extra_inc -fsanitize=fuzzer "$src/tests/fuzz/fuzz-$h.c" $extra_src $objs $LIBS $extra_libs -o "$out/fuzz-$h" || exit 1
  built="$built $h"
done
harnesses=$built
# dictionaries: the markers of the parser each harness drives (dict.sh)
sh "$src/tests/fuzz/dict.sh" "$src" "$out/markers.dict"
sh "$src/tests/fuzz/dict.sh" "$src" "$out/received.dict" src/usc-received.c src/usc-received.h
sh "$src/tests/fuzz/dict.sh" "$src" "$out/report.dict" src/usc-record.c src/usc-record.h src/usc-report.c src/usc-report-agg.c src/usc-report-text.c src/usc-report-json.c src/usc-report-html.c
sh "$src/tests/fuzz/dict.sh" "$src" "$out/sieve.dict" tests/fuzz/fuzz-sieve.c sieve-ext/libsieve/usv-view.h src/usc-bounce-tables.h src/usc-tables-*.h
sh "$src/tests/fuzz/dict.sh" "$src" "$out/sieve-report.dict" sieve-ext/libsieve/usv-plan.c tests/fuzz/fuzz-sieve.c
# ---- seeds ----
big=$out/big
if [ "${FUZZ_BIG:-1}" != 0 ] && [ ! -f "$big/.done" ]; then
  mkdir -p "$big"
  perl "$src/tests/fuzz/big-seeds.pl" "$big" || exit 1
  touch "$big/.done"
fi
st=0
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for h in $harnesses; do
  a=$out/artifacts/$h/
  if [ -n "${FUZZ_CORPUS_DIR:-}" ]; then
    # a kept corpus: the seeds are copied into a fresh directory, then added
    # to it without overwriting what earlier runs found
    keep=$FUZZ_CORPUS_DIR/$h c=$out/seeds/$h
    rm -rf "$c"; mkdir -p "$c" "$a" "$keep"
  else
    keep= c=$out/corpus/$h
    rm -rf "$c"; mkdir -p "$c" "$a"
  fi
  case $h in
    message|filter|headers)
      find "$src/fixtures" "$src/tests/heldout" -type f \( -name '*.eml' -o -name '*.msg' -o -name '*.eml.in' \) -size -1000k -exec cp {} "$c/" \; 2>/dev/null
      maxlen=65536 ;;
    dsn)
      # the delivery-status parts of the fixtures (between the DSN's part header and the next boundary)
      find "$src/fixtures" -name '*.eml' -exec grep -l -i 'delivery-status' {} + | while read -r f; do
        perl -0ne 'while (/Content-Type:\s*message\/(?:global-)?delivery-status.*?\n\n(.*?)(?=\n--|\z)/sgi) { print $1; exit }' "$f" > "$c/$(basename "$f")"
      done
      maxlen=16384 ;;
    batv)
      printf 'prvs=1123abcdef=user@example.org' > "$c/a"; printf 'user+prvs=7999012345@example.org' > "$c/b"
      printf '<PRVS=0000000000=x@y>' > "$c/c"; printf 'user@example.org' > "$c/d"
      maxlen=512 ;;
    payload)
      # every base64 attachment of the fixtures, decoded, behind one picking byte
      find "$src/fixtures" -name '*.eml' | while read -r f; do
        OUT="$c/$(basename "$f" .eml)" perl -MMIME::Base64 -0777 -ne '$i = 0; while (/Content-Transfer-Encoding:\s*base64\s*\n(?:[^\n]+\n)*?\n([A-Za-z0-9+\/=\s]+?)(?=\n--|\z)/sgi) {
          open (my $o, ">", "$ENV{OUT}-" . $i++) or die; binmode $o; print $o "\x00" . decode_base64 ($1); close $o }' "$f" 2>/dev/null
      done
      maxlen=262144 ;;
    config)
      find "$src/fixtures" "$src/tests" "$src/doc" -type f \( -name '*.conf' -o -name 'config' \) -exec cp {} "$c/" \; 2>/dev/null
      printf '[record]\npath = /tmp/x.db\nexpire_days = 30\n[actions]\nbackscatter = file\nfolder = Junk\n[limits]\nmax_bytes = 1000\n[batv]\nrequire = true\n' > "$c/seed.conf"
      maxlen=8192 ;;
    received)
      # the internal hosts, then each fixture's Received chain (folded lines kept)
      find "$src/fixtures" "$src/tests/heldout" -type f -name '*.eml' | while read -r f; do
        perl -ne 'BEGIN { print "example.org 10.0.0.0/8, 2001:db8:1::/48 192.0.2.7\n" }
          last if /^\r?$/; if (/^Received:\s*(.*)/i) { $in = 1; print "$1\n"; next }
          if ($in && /^[ \t]/) { print; next } $in = 0;' "$f" > "$c/$(basename "$f")"
      done
      maxlen=16384 ;;
    report)
      # exports of records filled by delivering the fixtures (deliver keeps the decision log)
      sh "$src/tests/fuzz/report-seeds.sh" "$build/src/unscatter" "$src" "$c" || exit 1
      maxlen=65536 ;;
    sieve)
      find "$src/fixtures" "$src/tests/heldout" -type f \( -name '*.eml' -o -name '*.msg' \) -size -200k -exec cp {} "$c/" \; 2>/dev/null
      maxlen=65536 ;;
    sieve-report)
      # the child's report (type byte, 32-bit length, text; Z and the rc last): tests/fuzz/seeds/
      maxlen=4096 ;;
    plugin)
      # recipient and sender lines, then a fixture
      find "$src/fixtures" "$src/tests/heldout" -type f -name '*.eml' -size -200k | while read -r f; do
        { printf 'user@example.org\n\n'; cat "$f"; } > "$c/$(basename "$f")"
      done
      for f in "$src"/fixtures/sent/*.eml; do
        [ -f "$f" ] && { printf 'user@example.org\n-\n'; cat "$f"; printf '\001'; } > "$c/sent-$(basename "$f")"
      done
      maxlen=65536 ;;
  esac
  # hand-written seeds (tests/fuzz/seeds/<harness>/; test-fuzz-regress runs them too)
  [ -d "$src/tests/fuzz/seeds/$h" ] && cp "$src/tests/fuzz/seeds/$h"/* "$c/" 2>/dev/null
  # message, filter and headers: a large-input run as well (FUZZ_BIG), apart
  # from the small-input one, so that mutating a 10 MB seed (a second an
  # execution under ASan) does not take the small inputs' time
  bigsecs=0
  case $h in message|filter|headers)
    case ${FUZZ_BIG:-1} in
      0) ;;
      only) bigsecs=$secs ;;
      *) bigsecs=${FUZZ_BIG_SECONDS:-$(( (secs + 3) / 4 ))}; [ "$bigsecs" -lt "$secs" ] || bigsecs=$secs ;;
    esac ;;
  esac
  [ -n "${FUZZ_MAX_LEN:-}" ] && maxlen=$FUZZ_MAX_LEN
  if [ -n "$keep" ]; then
    cp -n "$c"/* "$keep/" 2>/dev/null
    c=$keep
  fi
  what="$((secs - bigsecs))s at -max_len=$maxlen"
  [ "$bigsecs" = 0 ] || what="$what, then ${bigsecs}s with the 1-10 MB seeds at -max_len=12582912"
  echo "fuzz: $h: $(ls "$c" | wc -l) inputs${keep:+ (kept in $keep)}, $what"
  big_extra="-rss_limit_mb=4096 -malloc_limit_mb=4096"
  if [ -d "$src/tests/fuzz/regress/$h" ] && [ -n "$(ls "$src/tests/fuzz/regress/$h")" ]; then
    nice -n "${FUZZ_NICE:-10}" "$out/fuzz-$h" -timeout=60 $big_extra "$src/tests/fuzz/regress/$h"/* > "$out/$h-regress.log" 2>&1 \
      || { echo "fuzz: $h: a regression input fails (see $out/$h-regress.log)"; st=1; continue; }
  fi
  dict=$out/markers.dict
  [ -f "$out/$h.dict" ] && dict=$out/$h.dict
  # fuzz_one LABEL LOG SECONDS MAXLEN EXTRA DIR... (libFuzzer writes what it
  # finds into the first DIR)
  fuzz_one () {
    label=$1 log=$2 t=$3 ml=$4 ex=$5
    shift 5
    # the fuzzer's processor time (user + system) through /usr/bin/time when
    # there is one: executions a CPU second, apart from the machine's load
    timed=
    [ -x /usr/bin/time ] && timed="/usr/bin/time -f %U+%S -o $log.cpu"
    $timed nice -n "${FUZZ_NICE:-10}" "$out/fuzz-$h" -seed="$seed" -max_total_time="$t" -max_len="$ml" \
        -timeout=60 -dict="$dict" -artifact_prefix="$a" -print_final_stats=1 $ex ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} \
        "$@" > "$log" 2>&1
    rc=$?
    grep -E '^#[0-9]+.*DONE|^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::peak_rss_mb' "$log" | sed "s/^/fuzz: $label: /"
    [ -n "$timed" ] && [ -f "$log.cpu" ] && awk -v l="$label" -F+ 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "fuzz: %s: CPU %.1f s (user %s, system %s)\n", l, $1 + $2, $1, $2 }' "$log.cpu"
    if [ $rc != 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
      echo "fuzz: $label: FAILED (exit $rc; log $log; artifacts in $a)"
      grep -E 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" | head -5
      st=1
    fi
  }
  [ "$bigsecs" -lt "$secs" ] && fuzz_one "$h" "$out/$h.log" $((secs - bigsecs)) "$maxlen" "" "$c"
  if [ "$bigsecs" != 0 ]; then
    # the 1-10 MB seeds and what this run found before: what it finds goes
    # to a directory of its own (kept beside the small corpus with
    # FUZZ_CORPUS_DIR), not into the small one (no fixture is over 64 KiB:
    # the small-input run has them whole)
    if [ -n "$keep" ]; then cbig=$keep-big; else cbig=$out/corpus/$h-big; rm -rf "$cbig"; fi
    mkdir -p "$cbig"
    fuzz_one "$h (large inputs)" "$out/$h-big.log" "$bigsecs" 12582912 "$big_extra" "$cbig" "$big"
  fi
done
exit $st
