#!/bin/sh
# The record's WAL stays short when only deliveries write to it: each
# process opens the record afresh, and a WAL that is never checkpointed
# would grow without bound and be re-read by every delivery.
. "$top_srcdir/tests/lib.sh"
tmpdir
DB="$TMP/record.db"
run_rc "$UNSCATTER" record --db "$DB" "$FIXTURES"/sent/*.eml
is "$rc" 0 "record fixtures/sent"
[ ! -e "$DB-wal" ] && ok "recording leaves no WAL behind" || not_ok "recording leaves no WAL behind"
max=0
i=0
while [ $i -lt 100 ]; do
  "$UNSCATTER" filter --db "$DB" < "$FIXTURES/dsn/postfix-user-unknown.eml" > /dev/null || break
  size=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
  [ "$size" -gt "$max" ] && max=$size
  i=$((i + 1))
done
is "$i" 100 "100 filtered deliveries"
# 32 frames of (24 + 4096) bytes plus the 32-byte header, and one frame of slack.
limit=$((32 + 33 * 4120))
[ "$max" -le "$limit" ] && ok "WAL never exceeds 33 frames (max $max bytes)" || not_ok "WAL never exceeds 33 frames (max $max bytes)"
run_rc "$UNSCATTER" stats --db "$DB" --days 0
case $out in *"decisions 100"*) ok "all 100 decisions counted";; *) not_ok "all 100 decisions counted"; diag "$out";; esac
done_testing
