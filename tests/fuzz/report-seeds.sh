#!/bin/sh
# report-seeds.sh UNSCATTER SRCDIR OUTDIR — seeds of the report harness
# (fuzz-report.c): the fixtures' sent messages recorded and a sample of
# their bounces delivered into a record (deliver keeps the decision log),
# exported with `record --export`; then each export with decisions in the
# harness's second part (after a NUL byte) appended. (Hand-written ones, with
# hostile fields: tests/fuzz/seeds/report/.)
set -eu
usc=$1 src=$2 out=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-report-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_DATA_HOME="$work/share" XDG_CONFIG_HOME="$work/config"
unset UNSCATTER_DB RECIPIENT ORIGINAL_RECIPIENT ORIG_RECIPIENT SENDER 2>/dev/null || true
db=$work/record.db
if [ -x "$usc" ]; then
  "$usc" record --db "$db" "$src"/fixtures/sent/*.eml >/dev/null 2>&1 || true
  i=0
  for f in $(ls "$src"/fixtures/dsn/*.eml "$src"/fixtures/*/*.eml 2>/dev/null | awk 'NR % 7 == 1' | head -40); do
    i=$((i + 1))
    "$usc" deliver --db "$db" --maildir "$work/Maildir" --recipient user@example.org < "$f" >/dev/null 2>&1 || true
    if [ $((i % 10)) = 0 ]; then
      "$usc" record --db "$db" --export "$out/export-$i" >/dev/null 2>&1 || true
    fi
  done
  "$usc" record --db "$db" --export "$out/export-all" >/dev/null 2>&1 || true
fi
for f in "$out"/export-*; do
  [ -f "$f" ] || continue
  { cat "$f"; printf '\000'
    printf '10|backscatter|dsn|mx.example.net|relay.example.net|192.0.2.1|postfix|a@example.org|b@example.net|application/zip|no record\n'
    printf '86400|legitimate|dsn|~|~|2001:db8::1|exim|~|c@example.net|~|sent by you\n'
    printf '172800|unknown|autoreply|<b>|&amp;|\033[31m|~|~|~|~|~\n'
  } > "$f.decisions"
done
