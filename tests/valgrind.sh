#!/bin/sh
# valgrind.sh BUILDDIR — memcheck over every fixture through `check`,
# `filter` and `deliver` (with a record, so that the record's code runs too),
# and unscatter-sieve when it is built.
# Zero errors and zero definite/indirect leaks, or exit 1.
#
# Leak kinds counted: definite and indirect. "Still reachable" and "possibly
# lost" blocks are GLib's and GMime's one-time allocations (the GType system,
# GMime's charset and header-format tables, GLib's slice and quark tables):
# they live until exit by design and never grow per message; counting them
# would need a suppression file naming GLib internals, which hides real leaks
# more easily than it helps. tests/valgrind.supp suppresses one error report
# outside unscatter (glibc's loader, see there). VALGRIND_FILES="a.eml b.eml" limits the run;
# VALGRIND_JOBS (default 2) runs that many at once.
set -u
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
U=$build/src/unscatter
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: valgrind is missing (Debian: apt-get install valgrind)" >&2; exit 1; }
[ -x "$U" ] || { echo "valgrind: $U missing: build first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/usc-valgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share
mkdir -p "$HOME"
export UNSCATTER_DB=$tmp/record.db G_SLICE=always-malloc G_DEBUG=gc-friendly
printf 'Message-ID: <seed@example.org>\nFrom: me@example.org\nTo: you@example.net\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nhi\n' | "$U" record >/dev/null 2>&1
printf '[log]\nsyslog = false\n' > "$tmp/config"
VG="valgrind -q --suppressions=$src/tests/valgrind.supp --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-origins=no"
# unscatter-sieve (when built: configure found libsieve), its libsieve child
# included (valgrind follows fork), with a script using each kind of test.
SIEVE=$build/sieve-ext/libsieve/unscatter-sieve
cat > "$tmp/script.sieve" <<'SIEVE_EOF'
require ["fileinto", "envelope", "regex", "relational"];
if header :is "X-Unscatter-Verdict" "backscatter" { fileinto "Backscatter"; stop; }
if header :is "X-Unscatter-Envelope-From" "<>" { fileinto "Null"; stop; }
if anyof (address :matches "from" "*@example.org", envelope :is "to" "me@example.org",
          header :regex "subject" "^(Re|Fwd):", size :over 100K) { keep; }
SIEVE_EOF
files=${VALGRIND_FILES:-$(ls "$src"/fixtures/*/*.eml "$src"/fixtures/*/*.msg 2>/dev/null)}
one() { # one FILE N: the three commands over FILE; prints "FAIL cmd file" lines
  f=$1 n=$2 m=$tmp/md$n
  $VG --log-file="$tmp/$n.check.log" "$U" check --config="$tmp/config" "$f" >/dev/null 2>&1
  [ $? = 99 ] && { echo "FAIL check $f"; cat "$tmp/$n.check.log"; }
  $VG --log-file="$tmp/$n.filter.log" "$U" filter --config="$tmp/config" < "$f" >/dev/null 2>&1
  [ $? = 99 ] && { echo "FAIL filter $f"; cat "$tmp/$n.filter.log"; }
  rm -rf "$m"
  $VG --log-file="$tmp/$n.deliver.log" "$U" deliver --config="$tmp/config" --maildir "$m" < "$f" >/dev/null 2>&1
  [ $? = 99 ] && { echo "FAIL deliver $f"; cat "$tmp/$n.deliver.log"; }
  if [ -x "$SIEVE" ]; then
    rm -rf "$m"
    $VG --log-file="$tmp/$n.sieve.log" "$SIEVE" --config="$tmp/config" --maildir "$m" "$tmp/script.sieve" < "$f" >/dev/null 2>&1
    # The evaluating child's report lands in the same log, its exit code
    # only in the parent's decision: any line logged is a failure.
    _rc=$?
    { [ $_rc = 99 ] || [ -s "$tmp/$n.sieve.log" ]; } && { echo "FAIL unscatter-sieve $f"; cat "$tmp/$n.sieve.log"; }
  fi
  rm -rf "$m" "$tmp/$n".*.log
}
jobs=${VALGRIND_JOBS:-2} n=0 total=0
for f in $files; do
  n=$((n + 1)) total=$((total + 1))
  one "$f" $n >> "$tmp/out.$((n % jobs))" &
  [ $((n % jobs)) = 0 ] && wait
done
wait
cat "$tmp"/out.* 2>/dev/null > "$tmp/out"
bad=$(grep -c '^FAIL' "$tmp/out")
cat "$tmp/out"
names=check/filter/deliver
[ -x "$SIEVE" ] && names=$names/unscatter-sieve
echo "valgrind: $total fixtures x $names: $bad failing runs"
[ "$bad" = 0 ]
