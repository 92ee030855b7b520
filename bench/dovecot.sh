#!/bin/sh
# bench/dovecot.sh — `make bench-dovecot` (and part of `make bench` when
# Dovecot is installed): the time a Dovecot LMTP delivery takes with
# unscatter's plugin, without unscatter, and with the plugin-free
# vnd.dovecot.execute route, BENCH_DOVECOT_N (default 1000) deliveries each
# with a record of BENCH_DOVECOT_RECORD (default 1,000,000) entries; printed,
# not a timed test. Half the messages are a forged bounce (filed into
# Backscatter), half a genuine one (kept). "Without unscatter" files the
# same messages into the same folders with a sieve_before script that tests
# a header, so that the difference is unscatter's alone (not Sieve's, nor a
# second folder's). The three take turns in BENCH_DOVECOT_ROUNDS (default
# 5) rounds, each round one LMTP connection (so one LMTP process) per
# route, so that a machine whose load changes during the run weighs on all
# three alike. Printed: the wall time per delivery (median and p95 over all
# deliveries; noisy on a shared machine) and the CPU time of the LMTP
# process with its children (the execute route's programs) per delivery
# (the median of the rounds: the steadier figure), what the plugin and the
# execute route add to a delivery without unscatter, and their ratio.
# The CPU time is printed split into user and system time, with the minor
# page faults. BENCH_DOVECOT_CALLGRIND=K (needs valgrind): also K
# deliveries of each of "without" and "plugin" with the LMTP process under
# callgrind, and the instructions per delivery (median), which no load
# changes; where the plugin's go (inclusive costs of its steps and of
# Pigeonhole's loading it); and this machine's instructions per second of
# user CPU (the library hot, `unscatter check` over the DSN fixtures, and the
# LMTP process itself without unscatter), to turn the added instructions
# into time; and the same for ordinary mail (two ham fixtures, from a
# sender).
# The set-up is the tests' (tests/dovecot/lib.sh: doc/dovecot.md's
# snippets, a dovecot master as an unprivileged user). Environment as for
# the tests (UNSCATTER, top_srcdir, top_builddir, FIXTURES), set by the
# make target.
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

median () { sort -n "$1" | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m * '"${2:-1000}"'}'; }
p95 () { sort -n "$1" | awk '{v[NR] = $1} END {i = int(NR * 0.95); if (i < 1) i = 1; printf "%.3f", v[i] * 1000}'; }

# run NAME CONF...: one round of PER deliveries (after a warm-up delivery:
# process start, first script compile) through a dovecot master on CONF,
# appended to $TMP/NAME.times (wall, s) and $TMP/NAME.cpu (CPU ms per
# delivery of this round).
run () {
  name=$1; shift
  rm -rf "$H/Maildir"; cp "$TMP/record.db" "$REC"; rm -f "$REC-wal" "$REC-shm"
  dc_config "$@"
  : > "$DC_LOG"; dc_own
  dc_master_start || { echo "$name: dovecot master did not start"; cat "$DC_LOG"; return 1; }
  dc_lmtp --quiet "$M/ham/calendar-invitation.eml" >/dev/null
  dc_lmtp --quiet --count $((PER / 2)) --times "$TMP/round.times" --cpu-log "$DC_LOG" \
    "$M/dsn/amazonses-forged.eml" "$M/dsn/exim-user-unknown.eml" > "$TMP/out"
  dc_master_stop
  cat "$TMP/round.times" >> "$TMP/$name.times"
  for m in cpu user sys minflt; do sed -n "s/^${m}_ms_per_delivery //p; s/^${m}_per_delivery //p" "$TMP/out" >> "$TMP/$name.$m"; done
  got=$(sed -n 's/^delivered \([0-9]*\) failed \([0-9]*\)/\1 \2/p' "$TMP/out")
  eval "ok_$name=\$(( \${ok_$name:-0} + \${got% *} )) bad_$name=\$(( \${bad_$name:-0} + \${got#* } ))"
  if grep -q "Error\|Fatal\|Panic" "$DC_LOG"; then echo "$name: errors in the log:"; grep "Error\|Fatal\|Panic" "$DC_LOG" | head -5; fi
  [ "$name" != execute ] || backscatter=$(( ${backscatter:-0} + $(find "$H/Maildir/.Backscatter/new" -type f 2>/dev/null | grep -c .) ))
}

# instructions NAME CONF...: BENCH_DOVECOT_CALLGRIND deliveries with the
# LMTP process under callgrind, a profile part dumped after each delivery;
# prints the median of the parts' instruction counts (the warm-up's part
# and the first ones, with the one-off costs, fall outside the median).
instructions () {
  name=$1; shift
  rm -rf "$H/Maildir" "$TMP/cg"; mkdir -p "$TMP/cg"; cp "$TMP/record.db" "$REC"; rm -f "$REC-wal" "$REC-shm"
  DC_EXTRA="service lmtp {
  executable = $(command -v valgrind) --tool=callgrind --dump-after=mail_deliver --callgrind-out-file=$TMP/cg/out /usr/lib/dovecot/lmtp
}" dc_config "$@"
  : > "$DC_LOG"; dc_own
  dc_master_start || { echo "$name (callgrind): dovecot master did not start"; return 1; }
  dc_lmtp --quiet "$M/ham/calendar-invitation.eml" >/dev/null
  dc_lmtp --quiet --count $((CG_N / 2)) --from "$CG_FROM" $CG_MSGS >/dev/null
  dc_master_stop
  for f in "$TMP"/cg/out.*; do sed -n 's/^summary: *//p; s/^totals: *//p' "$f" | head -1; done > "$TMP/cg.parts"
  # the last part is the process's end, not a delivery
  sed -i '$d' "$TMP/cg.parts"
  eval "ir_$name=\$(median \"\$TMP/cg.parts\" 1)"
  case $name in plugin*) breakdown "$TMP"/cg/out.* > "$TMP/cg.breakdown.$name" ;; esac
}

# breakdown PART...: where the plugin's instructions go, per delivery (the
# mean over the profile parts, less the first six and the last, of each
# function's inclusive cost, callgrind_annotate --inclusive=yes).
breakdown () {
  python3 - "$@" <<'PY'
import re, statistics, subprocess, sys
parts = sorted(sys.argv[1:], key=lambda f: int(f.rsplit(".", 1)[1]) if f[-1].isdigit() else 0)[6:-1]
rows = [
    ("the plugin's work on the message (ext_unscatter_get_message)", "ext_unscatter_get_message"),
    ("  the message read from Dovecot's stream", "ext_unscatter_read_message"),
    ("  GMime's parse of the message (usc_message_new_from_bytes)", "usc_message_new_from_bytes"),
    ("  screen, bounce analysis, verdict, relay (usc_classify)", "usc_classify"),
    ("    of it the bounce analysis (usc_bounce_analyze)", "usc_bounce_analyze"),
    ("    of it the record lookups and the verdict (usc_verdict_decide_signed)", "usc_verdict_decide_signed"),
    ("  the decision counted in the record (usc_context_count_decision)", "usc_context_count_decision"),
    ("  the message freed (usc_message_free)", "usc_message_free"),
    ("  the user's context: files checked (user_context)", "user_context"),
    ("Pigeonhole loading the plugin per Sieve instance (sieve_plugins_load)", "sieve_plugins_load"),
    ("Pigeonhole unloading it (sieve_plugins_unload)", "sieve_plugins_unload"),
]
cost = {fn: [] for _, fn in rows}
for f in parts:
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f],
                         capture_output=True, text=True).stdout
    got = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:(\w+)(?:'\d+)? \[", line)
        if m and m.group(2) in cost and m.group(2) not in got:
            got[m.group(2)] = int(m.group(1).replace(",", ""))
    for fn in cost:
        cost[fn].append(got.get(fn, 0))
for label, fn in rows:
    if cost[fn]:
        print("  %-76s %9.0f" % (label, statistics.mean(cost[fn])))
PY
}

# rate: this machine's instructions per second of user CPU time for the
# library's own work, hot: `unscatter check` over the DSN fixtures five
# times in one process, its instructions counted by callgrind, its user
# CPU time the least of three plain runs. Prints "INSTRUCTIONS SECONDS".
rate () {
  set -- "$FIXTURES"/dsn/*.eml
  ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$UNSCATTER" check --jobs 1 --json "$@" "$@" "$@" "$@" "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p')
  ut=$(python3 - "$UNSCATTER" "$@" <<'PY'
import resource, subprocess, sys
exe, files = sys.argv[1], sys.argv[2:]
best = None
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    subprocess.run([exe, "check", "--jobs", "1", "--json"] + files * 5, stdout=subprocess.DEVNULL)
    t = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
    best = t if best is None else min(best, t)
print("%.6f" % best)
PY
)
  echo "$ir $ut"
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

ROUNDS=${BENCH_DOVECOT_ROUNDS:-5}
PER=$(( N / ROUNDS )); [ "$PER" -ge 2 ] || PER=2
CG_N=${BENCH_DOVECOT_CALLGRIND:-0}
CG_MSGS="$M/dsn/amazonses-forged.eml $M/dsn/exim-user-unknown.eml" CG_FROM=
echo "== Dovecot LMTP delivery ($((PER / 2 * 2 * ROUNDS)) messages each, in $ROUNDS rounds taking turns; record of $entries entries; Dovecot $(dovecot --version | cut -d' ' -f1))"
rm -f "$TMP"/*.times "$TMP"/*.cpu
r=0
while [ $r -lt "$ROUNDS" ]; do
  r=$((r + 1))
  run none 90-baseline.conf || exit 0
  run plugin 90-unscatter.conf || exit 0
  run execute 90-unscatter-execute.conf || exit 0
done
for name in none plugin execute; do
  eval "med_$name=\$(median \"\$TMP/$name.times\") cpu_$name=\$(median \"\$TMP/$name.cpu\" 1)"
  eval "user_$name=\$(median \"\$TMP/$name.user\" 1) sys_$name=\$(median \"\$TMP/$name.sys\" 1) flt_$name=\$(median \"\$TMP/$name.minflt\" 1)"
  eval "echo \"$name: delivered \$ok_$name failed \$bad_$name; per delivery: wall median \$med_$name ms, p95 \$(p95 \"\$TMP/$name.times\") ms; CPU \$cpu_$name ms (user \$user_$name, system \$sys_$name), \$flt_$name minor faults (medians of the rounds; LMTP process and its children)\""
done
awk -v u="$user_plugin" -v un="$user_none" -v s="$sys_plugin" -v sn="$sys_none" -v f="$flt_plugin" -v fn="$flt_none" 'BEGIN {
  printf "the plugin adds per delivery: user CPU %.3f ms, system CPU %.3f ms, %.1f minor faults\n", u - un, s - sn, f - fn }'
for what in wall CPU; do
  if [ $what = wall ]; then n=$med_none p=$med_plugin e=$med_execute; else n=$cpu_none p=$cpu_plugin e=$cpu_execute; fi
  awk -v w=$what -v n="$n" -v p="$p" -v e="$e" 'BEGIN {
    ap = p - n; ae = e - n
    printf "added per delivery (%s): plugin %.3f ms (target <= 0.5 ms: %s), execute route %.3f ms", w, ap, (ap <= 0.5 ? "met" : "NOT met"), ae
    if (ae > 0) printf "; plugin / execute %.2f (target <= 0.33: %s)", ap / ae, (ap / ae <= 1 / 3 ? "met" : "NOT met")
    printf "\n"
  }'
done
echo "execute route filed $backscatter of $((PER / 2 * 2 * ROUNDS)) into Backscatter (half are forged)"
if [ "$CG_N" -gt 0 ]; then
  if command -v valgrind >/dev/null 2>&1; then
    instructions none 90-baseline.conf && instructions plugin 90-unscatter.conf && \
    awk -v n="$ir_none" -v p="$ir_plugin" -v c="$CG_N" -v ms="$cpu_none" 'BEGIN {
      printf "instructions per delivery (callgrind, median of %d): without unscatter %.0f, plugin %.0f: added %.0f (%.2f of a delivery without unscatter", c, n, p, p - n, (p - n) / n
      if (ms > 0) printf "; at this machine'"'"'s %.3f ms for one: %.3f ms", ms, (p - n) / n * ms
      printf ")\n"
    }'
    echo "where the plugin's instructions go, per delivery (callgrind, inclusive, the mean over the deliveries):"
    cat "$TMP/cg.breakdown.plugin"
    set -- $(rate)
    awk -v ir="$1" -v t="$2" -v n="$ir_none" -v p="$ir_plugin" -v un="$user_none" 'BEGIN {
      r = ir / t
      printf "instructions per second: %.2f G (unscatter check over the DSN fixtures, hot: %.0f instructions in %.3f s of user CPU, the least of 3)", r / 1e9, ir, t
      if (un > 0) printf "; %.2f G in the LMTP process without unscatter (%.0f instructions in %.3f ms of user CPU)", n / un / 1e6, n, un
      printf "\nthe added instructions at those rates: %.3f ms (hot)", (p - n) / r * 1000
      if (un > 0) printf ", %.3f ms (at the LMTP process'"'"'s rate)", (p - n) / (n / un)
      printf "\n"
    }'
    # Ordinary mail (most of what a mailbox receives), from a sender (a
    # bounce's null sender sends any message to the full analysis): the
    # screen tells it from its header and structure.
    CG_MSGS="$M/ham/calendar-invitation.eml $M/ham/html-alternative.eml" CG_FROM=carol@example.net
    instructions none_ordinary 90-baseline.conf && instructions plugin_ordinary 90-unscatter.conf && \
    awk -v n="$ir_none_ordinary" -v p="$ir_plugin_ordinary" -v c="$CG_N" 'BEGIN {
      printf "ordinary mail (two ham fixtures in turn, from a sender), instructions per delivery (median of %d): without unscatter %.0f, plugin %.0f: added %.0f\n", c, n, p, p - n }'
    cat "$TMP/cg.breakdown.plugin_ordinary"
  else
    echo "instructions: skipped (no valgrind)"
  fi
fi
