#!/bin/sh
# bench/dovecot.sh — `make bench-dovecot` (and part of `make bench` when
# Dovecot is installed): the time a Dovecot LMTP delivery takes with
# unscatter's plugin, without unscatter, and with the plugin-free
# vnd.dovecot.execute route, each the median over BENCH_DOVECOT_N (default
# 1000) deliveries in one LMTP connection, with a record of
# BENCH_DOVECOT_RECORD (default 1,000,000) entries; printed, not a timed
# test. Half the messages are a forged bounce (filed into Backscatter), half
# a genuine one (kept). "Without unscatter" files the same messages into the
# same folders with a sieve_before script that tests a header, so that the
# difference is unscatter's alone (not Sieve's, nor a second folder's).
# Wall time is noisy on a shared machine; the CPU time of the LMTP process
# (with its children: the execute route's programs) is the steadier figure. The set-up is the tests' (tests/dovecot/lib.sh:
# doc/dovecot.md's snippets, a dovecot master as an unprivileged user).
# Environment as for the tests (UNSCATTER, top_srcdir, top_builddir,
# FIXTURES), set by the make target.
. "$top_srcdir/tests/lib.sh"
skip_all () { echo "skipped: $*"; exit 0; }
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require plugin master execute
command -v sqlite3 >/dev/null 2>&1 || skip_all "no sqlite3 (Debian package sqlite3) to build the big record"
N=${BENCH_DOVECOT_N:-1000}
RECN=${BENCH_DOVECOT_RECORD:-1000000}
dc_setup
REC="$H/.local/share/unscatter/record.db"

# The record: the sent fixtures, then RECN - 15 more entries (random
# Message-ID hashes and recipients, as many as a busy mailbox holds).
rm -rf "$H"; mkdir -p "$H"; dc_own
dc_record "$M"/sent/*.eml
t0=$(date +%s)
now=$(date +%s)
sqlite3 "$REC" <<EOF
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RECN - 15)
INSERT OR IGNORE INTO sent (id, date, recorded) SELECT random(), $now - (i % 15552000), $now FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $RECN - 15)
INSERT OR IGNORE INTO rcpt (addr, date, msg) SELECT random(), $now - (i % 15552000), i FROM n;
UPDATE meta SET value = (SELECT count(*) FROM sent) WHERE key = 'count';
COMMIT;
EOF
cp "$REC" "$TMP/record.db"
entries=$(as_user "$INST/bin/unscatter" stats 2>/dev/null | sed -n 's/^entries //p')
echo "record: $entries entries, $(du -k "$REC" | cut -f1) kB, built in $(( $(date +%s) - t0 )) s"

median () { sort -n "$1" | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m * 1000}'; }
p95 () { sort -n "$1" | awk '{v[NR] = $1} END {i = int(NR * 0.95); if (i < 1) i = 1; printf "%.3f", v[i] * 1000}'; }

run () {  # NAME CONF...
  name=$1; shift
  rm -rf "$H/Maildir"; cp "$TMP/record.db" "$REC"; rm -f "$REC-wal" "$REC-shm"
  dc_config "$@"
  : > "$DC_LOG"; dc_own
  dc_master_start || { echo "$name: dovecot master did not start"; cat "$DC_LOG"; return 1; }
  # A warm-up delivery (process start, first script compile), then N.
  dc_lmtp --quiet "$M/ham/calendar-invitation.eml" >/dev/null
  dc_lmtp --quiet --count $((N / 2)) --times "$TMP/times" --cpu-log "$DC_LOG" \
    "$M/dsn/amazonses-forged.eml" "$M/dsn/exim-user-unknown.eml" > "$TMP/out"
  dc_master_stop
  got=$(grep '^delivered' "$TMP/out")
  cpu=$(sed -n 's/^cpu_ms_per_delivery //p' "$TMP/out")
  eval "med_$name=\$(median \"\$TMP/times\") cpu_$name=\$cpu"
  eval "m=\$med_$name"
  echo "$name: $got; per delivery: wall median $m ms, p95 $(p95 "$TMP/times") ms; CPU $cpu ms (LMTP process and its children)"
  if grep -q "Error\|Fatal\|Panic" "$DC_LOG"; then echo "$name: errors in the log:"; grep "Error\|Fatal\|Panic" "$DC_LOG" | head -5; fi
}

# The baseline's sieve_before: the same filing, decided by a header.
cat > "$TMP/baseline.sieve" <<'EOF'
require ["fileinto", "mailbox"];
if header :contains "From" "MAILER-DAEMON@amazonses.com" {
  fileinto :create "Backscatter";
  stop;
}
EOF
cat > "$C/90-baseline.conf" <<EOF
protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
plugin {
  sieve_before = $TMP/baseline.sieve
}
EOF
dc_own

echo "== Dovecot LMTP delivery ($N messages each, record of $entries entries; Dovecot $(dovecot --version | cut -d' ' -f1))"
run none 90-baseline.conf || exit 0
run plugin 90-unscatter.conf || exit 0
run execute 90-unscatter-execute.conf || exit 0
backscatter=$(find "$H/Maildir/.Backscatter/new" -type f 2>/dev/null | grep -c .)
for what in wall CPU; do
  if [ $what = wall ]; then n=$med_none p=$med_plugin e=$med_execute; else n=$cpu_none p=$cpu_plugin e=$cpu_execute; fi
  awk -v w=$what -v n="$n" -v p="$p" -v e="$e" 'BEGIN {
    ap = p - n; ae = e - n
    printf "added per delivery (%s): plugin %.3f ms (target <= 0.5 ms: %s), execute route %.3f ms", w, ap, (ap <= 0.5 ? "met" : "NOT met"), ae
    if (ae > 0) printf "; plugin / execute %.2f (target <= 0.33: %s)", ap / ae, (ap / ae <= 1 / 3 ? "met" : "NOT met")
    printf "\n"
  }'
done
echo "execute route filed $backscatter of $((N / 2 * 2)) into Backscatter (half are forged)"
