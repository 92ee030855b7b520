#!/bin/sh
# tests/soak-long.sh — the long soak of issue 10 (make soak-long): SOAK_LONG_N
# deliveries (default 100,000) by SOAK_LONG_P delivery processes at once
# (default 4), while, concurrently and in a loop until they are done:
#   recorder  `unscatter record` of a new sent message (one a round);
#   importer  `unscatter record --maildir SENT` of a Sent folder that grows
#             (one new message a round: importing again adds nothing twice);
#   expirer   `unscatter expire` (entries recorded 200 days ago, seeded at the
#             start, go on the first round; nothing recent may go);
#   reader    a mail client: takes every message out of new/ and
#             .Backscatter/new/, noting its X-Soak-Seq and folder, and
#             deletes it (so the disk holds only what is in flight).
# Each delivery is one of three messages (ham, a forged bounce, a genuine
# bounce of a recorded message) with an X-Soak-Seq: I field on top.
#
# Asserted at the end (exit 1 and a FAIL line otherwise):
#   - every delivery exited 0 (a 75 is retried, at most 3 times, and counted;
#     a delivery that never succeeds is a failure);
#   - every message accounted for: each I in 1..N stored exactly once, in the
#     folder its verdict says (ham and the genuine bounce in new/, the forged
#     bounce in .Backscatter/new/), nothing left in tmp/;
#   - RSS flat: the median peak RSS of the last tenth of the deliveries at
#     most 10% + 2 MB above that of the first tenth; the same for the
#     importer's runs;
#   - the record bounded: PRAGMA integrity_check ok; its entries exactly the
#     messages recorded and imported (the 200-day-old ones expired); the
#     decision log (one row a bounce delivered, about 250 bytes) trimmed to
#     its cap, max_decisions = SOAK_LONG_DLOG (default 10,000: the default
#     200,000 would let 100,000 deliveries' rows, about 16 MB, stand); the
#     file and its WAL under 8 MB;
#   - no recorder, importer or expirer run failed (exit 0, or 75 for a lock
#     timeout, counted).
#
# SOAK_LONG_SECONDS (default: none) bounds the run on a slow machine: past
# it no new delivery starts, and every check above is made over the
# deliveries that were made (the summary says "stopped at the time limit").
#
# Usage: tests/soak-long.sh BUILDDIR
#        (env: SOAK_LONG_N, SOAK_LONG_P, SOAK_LONG_SECONDS, TMPDIR)
set -u
B=${1:?usage: soak-long.sh BUILDDIR}
U="$B/src/unscatter"
SRC=$(cd "$(dirname "$0")/.." && pwd)
DFIX="$SRC/fixtures/deliver"
N=${SOAK_LONG_N:-100000}
P=${SOAK_LONG_P:-4}
LIMIT=${SOAK_LONG_SECONDS:-}
DLOG=${SOAK_LONG_DLOG:-10000}
command -v sqlite3 >/dev/null 2>&1 || { echo "soak-long: SKIP: sqlite3 not found"; exit 0; }
[ -x /usr/bin/time ] || { echo "soak-long: SKIP: /usr/bin/time not found"; exit 0; }
W=$(mktemp -d "${TMPDIR:-/tmp}/usc-soak-long.XXXXXX")
trap '[ -n "${SOAK_LONG_KEEP:-}" ] || rm -rf "$W"' EXIT
export HOME="$W/home" XDG_DATA_HOME="$W/home/.local/share" XDG_CONFIG_HOME="$W/home/.config"
unset UNSCATTER_DB ORIGINAL_RECIPIENT ORIG_RECIPIENT RECIPIENT SENDER UNSCATTER_NOW 2>/dev/null || true
mkdir -p "$HOME" "$XDG_CONFIG_HOME/unscatter" "$W/log"
printf '[record]\nbusy_timeout = 10\nmax_decisions = %d\n' "$DLOG" > "$XDG_CONFIG_HOME/unscatter/config"
DB="$XDG_DATA_HOME/unscatter/record.db"
M="$W/Maildir"
SENT="$W/Sent"
mkdir -p "$SENT/cur" "$SENT/new" "$SENT/tmp"
t0=$(date +%s)
deadline=; [ -n "$LIMIT" ] && deadline=$((t0 + LIMIT))
echo "soak-long: $N deliveries, $P at once, in $W${deadline:+, at most $LIMIT s}"

# the record: the genuine bounce's original, and 20 entries recorded 200 days ago
"$U" record "$DFIX/sent-original.msg" > /dev/null 2>&1 || { echo "soak-long: FAIL: initial record"; exit 1; }
old=$(( $(date +%s) - 200 * 86400 ))
i=1
while [ $i -le 20 ]; do
  printf 'From: me@example.org\nTo: old%d@example.net\nMessage-ID: <old%d@example.org>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nx\n' $i $i |
    UNSCATTER_NOW=$old "$U" record > /dev/null 2>&1
  i=$((i + 1))
done
base=$("$U" stats | sed -n 's/^entries //p')
[ "$base" = 21 ] || { echo "soak-long: FAIL: $base entries after seeding (want 21)"; exit 1; }

# the three messages
cp "$DFIX/ham.msg" "$W/m0"
cp "$DFIX/bounce-forged.msg" "$W/m1"
cp "$DFIX/bounce-genuine.msg" "$W/m2"

# ---- background loops: recorder, importer, expirer, reader ----
: > "$W/running"
recorder () {
  k=0
  while [ -e "$W/running" ]; do
    k=$((k + 1))
    printf 'From: me@example.org\nTo: rec%d@example.net\nMessage-ID: <rec%d@soak.example.org>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nx\n' $k $k |
      "$U" record > /dev/null 2>>"$W/log/recorder.err"
    echo "$? $k" >> "$W/log/recorder"
  done
}
importer () {
  k=0
  while [ -e "$W/running" ]; do
    k=$((k + 1))
    printf 'From: me@example.org\nTo: imp%d@example.net\nMessage-ID: <imp%d@soak.example.org>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nx\n' $k $k > "$SENT/cur/$k.sent:2,S"
    /usr/bin/time -f '%M' -o "$W/log/imp.time" "$U" record --maildir "$SENT" > /dev/null 2>>"$W/log/importer.err"
    echo "$? $k $(tail -n 1 "$W/log/imp.time")" >> "$W/log/importer"
    sleep 0.2
  done
}
expirer () {
  while [ -e "$W/running" ]; do
    "$U" expire > "$W/log/expire.out" 2>>"$W/log/expirer.err"
    echo "$? $(cat "$W/log/expire.out")" >> "$W/log/expirer"
    sleep 1
  done
}
reader () {
  while :; do
    last=0; [ -e "$W/running" ] || last=1
    for d in new .Backscatter/new; do
      [ -d "$M/$d" ] || continue
      find "$M/$d" -type f > "$W/log/batch" 2>/dev/null
      [ -s "$W/log/batch" ] || continue
      while IFS= read -r f; do
        s=$(sed -n '/^X-Soak-Seq: /{s/^X-Soak-Seq: //p;q}' "$f")
        echo "$s $d" >> "$W/log/accounted"
        rm -f "$f"
      done < "$W/log/batch"
    done
    [ "$last" = 1 ] && break
    sleep 0.5
  done
}
recorder & rp=$!
importer & ip=$!
expirer & ep=$!
reader & dp=$!

# ---- the deliveries ----
worker () {
  w=$1
  i=$w
  while [ "$i" -le "$N" ]; do
    if [ -n "$deadline" ] && [ "$(date +%s)" -ge "$deadline" ]; then
      : > "$W/log/stopped"; break
    fi
    k=$((i % 3))
    tries=0
    while :; do
      { printf 'X-Soak-Seq: %d\n' "$i"; cat "$W/m$k"; } |
        /usr/bin/time -f '%M' -o "$W/log/t$w" "$U" deliver --maildir "$M" 2>>"$W/log/deliver$w.err"
      rc=$?
      [ "$rc" = 0 ] && break
      tries=$((tries + 1))
      echo "$i $rc" >> "$W/log/retries"
      [ "$tries" -ge 3 ] && { echo "$i" >> "$W/log/lost"; break; }
    done
    echo "$i $(tail -n 1 "$W/log/t$w")" >> "$W/log/rss$w"
    i=$((i + P))
  done
}
w=1
pids=
while [ $w -le "$P" ]; do
  worker $w & pids="$pids $!"
  w=$((w + 1))
done
# progress, every minute
( n=0; while [ -e "$W/running" ]; do sleep 1; n=$((n + 1)); [ $((n % 60)) = 0 ] && [ -e "$W/running" ] && echo "soak-long: $(cat "$W"/log/rss* 2>/dev/null | wc -l) of $N delivered, $(( $(date +%s) - t0 )) s"; done ) & prog=$!
for p in $pids; do wait "$p"; done
rm -f "$W/running"
wait "$rp" "$ip" "$ep"
wait "$dp"
kill "$prog" 2>/dev/null; wait "$prog" 2>/dev/null

# ---- the accounts ----
fail=0
bad () { echo "soak-long: FAIL: $*"; fail=1; }
# the deliveries made: all N, or those started before the time limit
cat "$W"/log/rss* | sort -n -k1 > "$W/log/rss.all"
cut -d' ' -f1 "$W/log/rss.all" > "$W/log/made"
made=$(wc -l < "$W/log/made")
stopped=
[ -e "$W/log/stopped" ] && stopped=" (stopped at the time limit: $made of $N made)"
lost=$(cat "$W/log/lost" 2>/dev/null | wc -l)
retries=$(cat "$W/log/retries" 2>/dev/null | wc -l)
[ "$lost" = 0 ] || bad "$lost deliveries failed 3 times: $(head -c 300 "$W"/log/deliver*.err)"
acc=$(wc -l < "$W/log/accounted" 2>/dev/null || echo 0)
dups=$(cut -d' ' -f1 "$W/log/accounted" | sort -n | uniq -d | wc -l)
missing=$(cut -d' ' -f1 "$W/log/accounted" | sort -n | uniq | awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen) { m++ } END { print m + 0 }' - "$W/log/made")
stray=$(cut -d' ' -f1 "$W/log/accounted" | sort -n | uniq | awk 'NR == FNR { made[$1] = 1; next } !($1 in made) { m++ } END { print m + 0 }' "$W/log/made" -)
misfiled=$(awk '{ want = ($1 % 3 == 1) ? ".Backscatter/new" : "new"; if ($2 != want) m++ } END { print m + 0 }' "$W/log/accounted")
[ "$acc" = "$made" ] || bad "$acc messages stored for $made deliveries"
[ "$stray" = 0 ] || bad "$stray messages stored that were never delivered"
[ "$dups" = 0 ] || bad "$dups messages stored twice"
[ "$missing" = 0 ] || bad "$missing messages missing"
[ "$misfiled" = 0 ] || bad "$misfiled messages in the wrong folder"
left=$(cd "$M" && find . -type f -path '*/tmp/*' | wc -l)
[ "$left" = 0 ] || bad "$left files left in tmp/: $(cd "$M" && find . -type f -path '*/tmp/*' | head -3 | tr '\n' ' ')"

# RSS: median of the first and last tenth
median () { sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : 0) }'; }
tenth=$(( made / 10 )); [ "$tenth" -ge 1 ] || tenth=1
first=$(head -n "$tenth" "$W/log/rss.all" | cut -d' ' -f2 | median)
lastm=$(tail -n "$tenth" "$W/log/rss.all" | cut -d' ' -f2 | median)
echo "soak-long: deliver peak RSS median: first tenth $first KB, last tenth $lastm KB"
[ "$lastm" -le $(( first * 11 / 10 + 2048 )) ] || bad "deliver RSS grew: $first KB -> $lastm KB"
imp=$(wc -l < "$W/log/importer")
ifirst=$(head -n $(( (imp + 9) / 10 )) "$W/log/importer" | cut -d' ' -f3 | median)
ilast=$(tail -n $(( (imp + 9) / 10 )) "$W/log/importer" | cut -d' ' -f3 | median)
echo "soak-long: importer: $imp runs, peak RSS median first $ifirst KB, last $ilast KB (its Sent folder grew to $(ls "$SENT/cur" | wc -l) messages)"
[ "$ilast" -le $(( ifirst * 11 / 10 + 2048 )) ] || bad "importer RSS grew: $ifirst KB -> $ilast KB"

# the background runs
for who in recorder importer expirer; do
  runs=$(wc -l < "$W/log/$who")
  failed=$(awk '$1 != 0 && $1 != 75' "$W/log/$who" | wc -l)
  busy=$(awk '$1 == 75' "$W/log/$who" | wc -l)
  echo "soak-long: $who: $runs runs, $busy lock timeouts (75)"
  [ "$failed" = 0 ] || bad "$who: $failed runs failed: $(head -c 300 "$W/log/$who.err")"
done
grep -q '^0 expired 20,' "$W/log/expirer" || bad "the 20 old entries were not expired: $(head -n 3 "$W/log/expirer" | tr '\n' ' ')"
recorded=$(awk '$1 == 0' "$W/log/recorder" | wc -l)
imported=$(ls "$SENT/cur" | wc -l)
# the importer's last round may have failed with 75: import once more, then count
"$U" record --maildir "$SENT" > /dev/null 2>&1 || bad "the final import failed"
entries=$("$U" stats | sed -n 's/^entries //p')
want=$(( 1 + recorded + imported ))
[ "$entries" = "$want" ] || bad "$entries entries in the record, want $want (1 + $recorded recorded + $imported imported)"
dlog=$(sqlite3 "$DB" 'SELECT count(*) FROM decision_log' 2>&1)
dlogc=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'decision_log_count'" 2>&1)
bounces=$(awk '$1 % 3 != 0' "$W/log/made" | wc -l)
want_dlog=$bounces; [ "$want_dlog" -le "$DLOG" ] || want_dlog=$DLOG
[ "$dlog" = "$want_dlog" ] && [ "$dlogc" = "$dlog" ] || bad "decision log: $dlog rows (counted $dlogc), want $want_dlog (one a bounce, $bounces, capped at $DLOG)"
integ=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
[ "$integ" = ok ] || bad "integrity_check: $integ"
size=$(stat -c %s "$DB")
wal=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
echo "soak-long: record: $entries entries, $dlog decision log rows (cap $DLOG), $size bytes, WAL $wal bytes"
[ "$size" -le 8388608 ] && [ "$wal" -le 8388608 ] || bad "record too big: $size bytes, WAL $wal bytes"
echo "soak-long: $made deliveries$stopped ($retries retried) in $(( $(date +%s) - t0 )) s: $([ $fail = 0 ] && echo PASS || echo FAIL)"
exit $fail
