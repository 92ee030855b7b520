#!/bin/sh
# Faults on real file systems (issue 10). After each: the message is
# delivered exactly once, or the exit is 75 (or death by SIGKILL, which an
# MTA also retries) and a retry delivers it once; never a partial file in
# new/ or cur/; the record passes PRAGMA integrity_check; nothing that was
# acknowledged (an import that exited 0) is lost.
#  - a full tmpfs and a read-only one (root, or a user namespace: unshare -rm)
#    under the record during a Sent-folder import (record --maildir), and
#    under the Maildir and the record during delivery (the full-disk
#    delivery itself is in 0550);
#  - a record from a newer schema;
#  - SIGKILL at FAULTS_KILLS (default 40; `make faults`: 200) random points of
#    a delivery and of a Maildir import (FAULTS_SEED, default 580, replays);
#  - the watchdog: a message that never ends (a stalled pipe) ends check
#    (exit 1) and filter (75: procmail restores the input) after their time
#    limits; deliver (75) only with FAULTS_SLOW=1 (its limit is over 30 s).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not found (PRAGMA integrity_check)"
KILLS=${FAULTS_KILLS:-40}
SEED=${FAULTS_SEED:-580}
diag "kill points: $KILLS, seed $SEED"
M="$TMP/Mail"
integrity () { sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
entries () { "$UNSCATTER" stats --db "$1" 2>/dev/null | sed -n 's/^entries //p'; }
# sent_maildir DIR FROM TO: a Sent folder of messages sFROM..sTO
sent_maildir () {
  mkdir -p "$1/cur" "$1/new" "$1/tmp"
  i=$2
  while [ "$i" -le "$3" ]; do
    printf 'From: me@example.org\nTo: r%d@example.net\nSubject: mail %d\nMessage-ID: <s%d@example.org>\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nbody %d\n' "$i" "$i" "$i" "$i" > "$1/cur/$i.msg:2,S"
    i=$((i + 1))
  done
}
sent_maildir "$TMP/sentA" 1 50
sent_maildir "$TMP/sentB" 51 1250

# ---- full and read-only file systems ----
NS=
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then NS="unshare -m"
elif unshare -rm true 2>/dev/null; then NS="unshare -rm"; fi
if [ -n "$NS" ]; then
  mkdir -p "$TMP/fs" "$TMP/res"
  $NS sh -c '
    FS=$1 U=$2 RES=$3 A=$4 B=$5 DFIX=$6
    mount -t tmpfs -o size=96k tmpfs "$FS" || exit 9
    DB=$FS/record.db
    r () { printf "%s\n" "$2" > "$RES/$1"; }
    "$U" record --db "$DB" --maildir "$A" 2>/dev/null; r a.rc $?
    "$U" record --db "$DB" --maildir "$B" 2>"$RES/full.err"; r full.rc $?
    r full.integrity "$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)"
    r full.entries "$("$U" stats --db "$DB" | sed -n "s/^entries //p")"
    mount -o remount,size=8m "$FS"
    "$U" record --db "$DB" --maildir "$B" 2>/dev/null; r room.rc $?
    r room.entries "$("$U" stats --db "$DB" | sed -n "s/^entries //p")"
    mount -o remount,ro "$FS"
    "$U" record --db "$DB" --maildir "$A" 2>"$RES/ro.err"; r ro.rc $?
    "$U" deliver --maildir "$FS/Maildir" < "$DFIX/ham.msg" 2>/dev/null; r ro.deliver.rc $?
    r ro.deliver.files "$(find "$FS" -type f -path "*/new/*" | wc -l | tr -d " ")"
    "$U" deliver --db "$DB" --maildir "$RES/Mail" < "$DFIX/bounce-forged.msg" 2>/dev/null; r ro.record.rc $?
    r ro.record.files "$(find "$RES/Mail" -type f -path "*/new/*" 2>/dev/null | wc -l | tr -d " ")"
    "$U" check --db "$DB" "$DFIX/bounce-forged.msg" > "$RES/ro.check.out" 2>/dev/null; r ro.check.rc $?
    mount -o remount,rw "$FS"
    r rw.integrity "$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)"
    r rw.entries "$("$U" stats --db "$DB" | sed -n "s/^entries //p")"
  ' sh "$TMP/fs" "$UNSCATTER" "$TMP/res" "$TMP/sentA" "$TMP/sentB" "$DFIX"
  R=$TMP/res
  if [ -f "$R/rw.entries" ]; then
    is "$(cat "$R/a.rc")" 0 "import of 50 sent messages onto a 96 KB tmpfs: exit 0 (acknowledged)"
    is "$(cat "$R/full.rc")" 75 "import of 1200 more onto the full tmpfs: exit 75"
    is "$(cat "$R/full.integrity")" ok "full: integrity_check ok"
    full=$(cat "$R/full.entries")
    if [ "$full" -ge 50 ] && [ "$full" -le 1250 ]; then ok "full: the 50 acknowledged entries kept ($full entries)"; else not_ok "full: the 50 acknowledged entries kept ($full entries)"; fi
    diag "full: $(head -c 300 "$R/full.err")"
    is "$(cat "$R/room.rc"):$(cat "$R/room.entries")" "0:1250" "room made, the import again: exit 0, 1250 entries, nothing twice"
    is "$(cat "$R/ro.rc")" 75 "import onto a read-only fs: exit 75"
    diag "read-only: $(head -c 300 "$R/ro.err")"
    is "$(cat "$R/ro.deliver.rc"):$(cat "$R/ro.deliver.files")" "75:0" "deliver into a Maildir on a read-only fs: exit 75, nothing stored"
    case "$(cat "$R/ro.record.rc"):$(cat "$R/ro.record.files")" in
      0:1 | 75:0) ok "deliver with the record on a read-only fs: $(cat "$R/ro.record.rc") with $(cat "$R/ro.record.files") copies" ;;
      *) not_ok "deliver with the record on a read-only fs: $(cat "$R/ro.record.rc") with $(cat "$R/ro.record.files") copies" ;;
    esac
    case "$(cat "$R/ro.check.rc")" in 0 | 1) ok "check with the record on a read-only fs: exit $(cat "$R/ro.check.rc") ($(cat "$R/ro.check.out"))" ;;
      *) not_ok "check with the record on a read-only fs: exit $(cat "$R/ro.check.rc")" ;; esac
    is "$(cat "$R/rw.integrity"):$(cat "$R/rw.entries")" "ok:1250" "writable again: integrity ok, all 1250 entries"
  else
    skip "could not mount a tmpfs ($NS)"
  fi
else
  skip "neither root nor user namespaces: no tmpfs"
fi

# ---- a record from a newer schema ----
DB2="$TMP/newer.db"
"$UNSCATTER" record --db "$DB2" "$DFIX/sent-original.msg" 2>/dev/null
sqlite3 "$DB2" 'PRAGMA user_version = 999'
"$UNSCATTER" deliver --db "$DB2" --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 75 "newer schema: deliver exits 75"
is "$(mail_list "$M" 2>/dev/null | wc -l | tr -d ' ')" 0 "newer schema: nothing stored"
if grep -q 'newer' "$TMP/err"; then ok "newer schema: says so"; else not_ok "newer schema: says so"; diag "$(cat "$TMP/err")"; fi
"$UNSCATTER" check --db "$DB2" "$DFIX/bounce-forged.msg" > "$TMP/out" 2>/dev/null
is "$?:$(cat "$TMP/out")" "1:$DFIX/bounce-forged.msg: error" "newer schema: check exits 1 (error)"
"$UNSCATTER" record --db "$DB2" "$DFIX/sent-other.msg" 2>/dev/null
is "$?" 75 "newer schema: record exits 75"
is "$(sqlite3 "$DB2" 'PRAGMA user_version')" 999 "newer schema: left as it was"

# ---- SIGKILL at random points ----
# kill_points N MAX_MS: N pseudo-random delays in [0, MAX_MS] ms, as seconds.
kill_points () { awk -v n="$1" -v m="$2" -v s="$SEED" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", rand() * m / 1000 }'; }
ms_of () { _t0=$(date +%s%N); "$@"; _t1=$(date +%s%N); echo $(( (_t1 - _t0) / 1000000 )); }

DB="$TMP/kill.db"
"$UNSCATTER" record --db "$DB" "$DFIX/sent-original.msg" 2>/dev/null
BIG="$TMP/big.msg"
{ cat "$DFIX/bounce-genuine.msg"; i=0; while [ $i -lt 10000 ]; do echo "padding line $i of a long returned message ................"; i=$((i + 1)); done; } > "$BIG"
T=$(ms_of "$UNSCATTER" deliver --db "$DB" --maildir "$TMP/timing" < "$BIG" 2>/dev/null)
[ "$T" -ge 20 ] || T=20
diag "one delivery takes $T ms"
rm -rf "$M"
once=0 deferred=0 bad=0 killed_after=0 k=0
for d in $(kill_points "$KILLS" "$T"); do
  k=$((k + 1))
  before=$(mail_list "$M" 2>/dev/null | wc -l)
  "$UNSCATTER" deliver --db "$DB" --maildir "$M" < "$BIG" 2>/dev/null &
  pid=$!
  sleep "$d"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  n=$(( $(mail_list "$M" 2>/dev/null | wc -l) - before ))
  case "$rc/$n" in
    0/1) once=$((once + 1)) ;;
    137/1) killed_after=$((killed_after + 1)) ;;   # killed after the link: one copy (an MTA would retry: as with any Maildir LDA)
    137/0 | 75/0)
      deferred=$((deferred + 1))
      "$UNSCATTER" deliver --db "$DB" --maildir "$M" < "$BIG" 2>/dev/null
      rc2=$?
      n2=$(( $(mail_list "$M" | wc -l) - before ))
      [ "$rc2/$n2" = "0/1" ] || { bad=$((bad + 1)); diag "kill $k after $d s: retry exit $rc2, $n2 copies"; } ;;
    *) bad=$((bad + 1)); diag "kill $k after $d s: exit $rc, $n copies" ;;
  esac
  i=$(integrity "$DB")
  [ "$i" = ok ] || { bad=$((bad + 1)); diag "kill $k after $d s: integrity_check: $i"; }
done
diag "deliveries: $once done before the kill, $killed_after killed after storing, $deferred killed before (retried)"
is "$bad" 0 "SIGKILL at $KILLS points of a delivery: one copy, or none and a retry stores one; integrity ok"
partial=0
for f in $(cd "$M" && find . -type f \( -path '*/new/*' -o -path '*/cur/*' \)); do
  strip_added "$M/$f" | cmp -s - "$BIG" || partial=$((partial + 1))
done
is "$partial" 0 "no partial file in new/ or cur/ ($(mail_list "$M" | wc -l | tr -d ' ') complete messages)"
diag "left in tmp/ (cleaned by Maildir readers after 36 h): $(cd "$M" && find . -path '*/tmp/*' -type f | wc -l)"

# a Maildir import: the 50 of sentA acknowledged first, then sentB killed at random points
DB="$TMP/import.db"
"$UNSCATTER" record --db "$DB" --maildir "$TMP/sentA" 2>/dev/null
is "$?:$(entries "$DB")" "0:50" "import A: exit 0, 50 entries (acknowledged)"
cp "$DB" "$TMP/import-a.db"
T=$(ms_of "$UNSCATTER" record --db "$TMP/import-a.db" --maildir "$TMP/sentB" 2>/dev/null)
[ "$T" -ge 20 ] || T=20
diag "one import of 1200 messages takes $T ms"
bad=0 last=50 k=0
for d in $(kill_points "$KILLS" "$T"); do
  k=$((k + 1))
  "$UNSCATTER" record --db "$DB" --maildir "$TMP/sentB" 2>/dev/null &
  pid=$!
  sleep "$d"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  i=$(integrity "$DB")
  n=$(entries "$DB")
  [ "$i" = ok ] || { bad=$((bad + 1)); diag "import kill $k after $d s: integrity_check: $i"; }
  if [ -z "$n" ] || [ "$n" -lt "$last" ] || [ "$n" -gt 1250 ]; then bad=$((bad + 1)); diag "import kill $k after $d s: $n entries (had $last)"; fi
  [ "$rc" = 0 ] && last=$n    # an import that exited 0 is acknowledged: all of it
  [ "$rc" = 0 ] && [ "$n" != 1250 ] && { bad=$((bad + 1)); diag "import kill $k: exit 0 but $n entries"; }
  [ -n "$n" ] && [ "$n" -gt "$last" ] && [ "$rc" != 0 ] && last=$n   # committed batches stay
done
is "$bad" 0 "SIGKILL at $KILLS points of a Maildir import: integrity ok, no acknowledged entry lost, never more than there are"
"$UNSCATTER" record --db "$DB" --maildir "$TMP/sentB" 2>/dev/null
is "$?:$(entries "$DB"):$(integrity "$DB")" "0:1250:ok" "the import finished afterwards: exit 0, 1250 entries, nothing twice"

# ---- the watchdog ----
write_config '[limits]' 'max_seconds = 0.5' '[record]' 'busy_timeout = 0.5'
mkfifo "$TMP/stall"
# a sender that stalls forever: the fifo is held open, never written to the end
sleep 120 > "$TMP/stall" &
staller=$!
run_watch () { _t0=$(date +%s); "$@" < "$TMP/stall" > "$TMP/wout" 2>"$TMP/werr"; _rc=$?; _t1=$(date +%s); _secs=$((_t1 - _t0)); }
run_watch "$UNSCATTER" check
is "$_rc" 1 "watchdog: check on a message that never ends: exit 1 (after $_secs s)"
if [ "$_secs" -le 10 ]; then ok "watchdog: check gave up within its limit"; else not_ok "watchdog: check gave up within its limit ($_secs s)"; fi
run_watch "$UNSCATTER" filter
is "$_rc" 75 "watchdog: filter on a message that never ends: exit 75 (procmail keeps the input) (after $_secs s)"
is "$(wc -c < "$TMP/wout" | tr -d ' ')" 0 "watchdog: filter wrote nothing"
if [ "${FAULTS_SLOW:-0}" = 1 ]; then
  run_watch "$UNSCATTER" deliver --maildir "$M"
  is "$_rc" 75 "watchdog: deliver on a message that never ends: exit 75 (after $_secs s)"
else
  skip "watchdog of deliver (over 30 s): FAULTS_SLOW=1 or make faults"
fi
kill "$staller" 2>/dev/null
wait "$staller" 2>/dev/null
done_testing
