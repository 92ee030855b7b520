#!/bin/sh
# The Redis record on a real Redis Cluster started on loopback ports (three
# masters, three replicas: redis-server --cluster-enabled yes, redis-cli
# --cluster create): deliveries for 30 users spread over the masters; a
# master killed mid-run makes its users' deliveries exit 75 until its
# replica takes over, then they succeed with nothing lost; a slot migrated
# mid-run (redis-cli --cluster reshard) is followed without an error.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/redis/lib.sh"
redis_need home
NU=30
PORTS=
i=0
while [ $i -lt 6 ]; do
  p=$(free_cluster_port)
  case " $PORTS " in *" $p "*) continue ;; esac
  redis_start "n$p" "$p" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 1000 --cluster-replica-validity-factor 0 \
    --repl-diskless-sync-delay 0 --masterauth "$REDIS_PW" --appendonly no || { not_ok "cluster node $p starts"; done_testing; }
  PORTS="$PORTS $p"
  i=$((i + 1))
done
set -- $PORTS
P1=$1
nodes=
for p in $PORTS; do nodes="$nodes 127.0.0.1:$p"; done
# shellcheck disable=SC2086
redis-cli -a "$REDIS_PW" --no-auth-warning --cluster create $nodes --cluster-replicas 1 --cluster-yes \
  > "$TMP/create.log" 2>&1
is "$?" 0 "redis-cli --cluster create: 3 masters, 3 replicas"
ccli () { _p=$1; shift; redis-cli -p "$_p" -a "$REDIS_PW" --no-auth-warning "$@"; }
wait_ok () {
  _i=0
  while [ $_i -lt 100 ]; do
    _all=1
    for _p in $PORTS; do
      [ -n "${1:-}" ] && [ "$_p" = "$1" ] && continue
      ccli "$_p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || _all=0
    done
    [ $_all = 1 ] && return 0
    sleep 0.1
    _i=$((_i + 1))
  done
  return 1
}
wait_ok && ok "cluster_state:ok on every node" || not_ok "cluster not ok"
# The master serving slot $2 according to node $1 (its port).
owner () {
  ccli "$1" cluster nodes | awk -v s="$2" '$3 ~ /master/ && $3 !~ /fail/ {
    for (i = 9; i <= NF; i++) {
      if ($i ~ /^\[/) continue
      n = split($i, r, "-"); lo = r[1] + 0; hi = (n > 1 ? r[2] : r[1]) + 0
      if (s + 0 >= lo && s + 0 <= hi) { a = $2; sub(/@.*/, "", a); sub(/.*:/, "", a); print a; exit }
    } }'
}
slot_of () {
  for _q in $PORTS; do ccli "$_q" cluster keyslot "unscatter:{$1}:meta" 2>/dev/null && return 0; done
}

SEEDS="127.0.0.1:$P1,127.0.0.1:$2"
ORIG=20240304081203.GA1187@alice-laptop.example.org
mkdir -p "$TMP/in"
u=0
while [ $u -lt $NU ]; do
  host_config "$TMP/u$u.conf" "redis-cluster://$SEEDS" "prefix = unscatter:{u$u}:"
  sed "s/$ORIG/cl-$u@alice-laptop.example.org/" "$DFIX/sent-original.msg" > "$TMP/in/sent-$u.msg"
  sed "s/$ORIG/cl-$u@alice-laptop.example.org/" "$DFIX/bounce-genuine.msg" > "$TMP/in/bg-$u.msg"
  mkdir -p "$TMP/mail/u$u/new" "$TMP/mail/u$u/cur" "$TMP/mail/u$u/tmp"
  u=$((u + 1))
done
fails=0
u=0
while [ $u -lt $NU ]; do
  "$UNSCATTER" record --config "$TMP/u$u.conf" "$TMP/in/sent-$u.msg" 2>>"$TMP/err" || fails=$((fails + 1))
  "$UNSCATTER" deliver --config "$TMP/u$u.conf" --maildir "$TMP/mail/u$u" < "$TMP/in/bg-$u.msg" 2>>"$TMP/err" || fails=$((fails + 1))
  "$UNSCATTER" deliver --config "$TMP/u$u.conf" --maildir "$TMP/mail/u$u" < "$DFIX/bounce-forged.msg" 2>>"$TMP/err" || fails=$((fails + 1))
  u=$((u + 1))
done
is "$fails" 0 "$NU users: record, deliver a genuine and a forged bounce, all exit 0"
[ "$fails" = 0 ] || diag "$(head -3 "$TMP/err")"
leg=$(cat "$TMP"/mail/u*/new/* | grep -c '^X-Unscatter-Verdict: legitimate')
bs=$(ls "$TMP"/mail/u*/.Backscatter/new/* 2>/dev/null | wc -l | tr -d ' ')
is "$leg:$bs" "$NU:$NU" "each user's genuine bounce is legitimate, the forged one backscatter"
masters=$(for u in $(seq 0 $((NU - 1))); do owner "$P1" "$(slot_of "u$u")"; done | sort -u | wc -l | tr -d ' ')
is "$masters" 3 "the $NU users' records spread over the 3 masters"
with_keys=0
for p in $PORTS; do
  role=$(ccli "$p" role | head -n 1)
  [ "$role" = master ] && [ "$(ccli "$p" dbsize)" -gt 0 ] && with_keys=$((with_keys + 1))
done
is "$with_keys" 3 "every master holds keys"

# -- a master killed mid-run -----------------------------------------------
KU=u0
KS=$(slot_of $KU)
KP=$(owner "$P1" "$KS")
# Replication is asynchronous: wait until every replica is in sync.
i=0
while [ $i -lt 100 ]; do
  lag=0
  for p in $PORTS; do
    ccli "$p" info replication | tr -d '\r' | grep -q '^role:slave' || continue
    mo=$(ccli "$p" info replication | tr -d '\r' | sed -n 's/^slave_repl_offset://p')
    ccli "$p" info replication | tr -d '\r' | grep -q '^master_link_status:up' || lag=1
    mp=$(ccli "$p" info replication | tr -d '\r' | sed -n 's/^master_port://p')
    [ "$(ccli "$mp" info replication | tr -d '\r' | sed -n 's/^master_repl_offset://p')" = "$mo" ] || lag=1
  done
  [ $lag = 0 ] && break
  sleep 0.1
  i=$((i + 1))
done
is "$lag" 0 "every replica is in sync with its master"
kill -9 "$(redis_pid "n$KP")"
wait "$(redis_pid "n$KP")" 2>/dev/null
: > "$TMP/codes"
n=0
t0=$(date +%s%N)
while [ $n -lt 80 ]; do
  s0=$(date +%s%N)
  "$UNSCATTER" deliver --config "$TMP/$KU.conf" --maildir "$TMP/mail/$KU" < "$TMP/in/bg-0.msg" 2>>"$TMP/kill.err"
  rc=$?
  echo "$rc $(( ($(date +%s%N) - s0) / 1000000 ))" >> "$TMP/codes"
  [ $rc = 0 ] && break
  sleep 0.25
  n=$((n + 1))
done
t1=$(date +%s%N)
n75=$(grep -c '^75 ' "$TMP/codes") n0=$(grep -c '^0 ' "$TMP/codes")
other=$(grep -vc '^\(0\|75\) ' "$TMP/codes")
if [ "$n75" -ge 1 ] && [ "$n0" = 1 ] && [ "$other" = 0 ]; then
  ok "master of slot $KS killed: $n75 deliveries exit 75, then success after the failover ($(( (t1 - t0) / 1000000 )) ms)"
else
  not_ok "after the kill: codes $(tr '\n' ' ' < "$TMP/codes")"
fi
diag "each exit 75 took (ms): $(awk '$1 == 75 { printf "%s ", $2 }' "$TMP/codes"); the success: $(awk '$1 == 0 { print $2 }' "$TMP/codes") ms"
is "$(ls "$TMP/mail/$KU/new" | wc -l | tr -d ' ')" 2 "exit 75 delivered nothing; the success delivered once"
is "$(cat "$TMP/mail/$KU"/new/* | grep -c '^X-Unscatter-Verdict: legitimate')" 2 "and legitimate: the entry survived on the promoted replica"
diag "$(grep -h -A1 "^X-Unscatter-Verdict" "$TMP/mail/$KU"/new/* | tr "\n" " ")"
NEW=$(owner "$(echo $PORTS | tr ' ' '\n' | grep -v "^$KP$" | head -n 1)" "$KS")
[ -n "$NEW" ] && [ "$NEW" != "$KP" ] && ok "slot $KS now served by $NEW" || not_ok "new owner of $KS: '$NEW'"
diag "first errors: $(head -n 2 "$TMP/kill.err" | tr '\n' ' ')"

# -- a slot migrated mid-run -----------------------------------------------
# The live master with the lowest slots gives them, up to a user's slot
# with one other user at least, to another master; deliveries for the users
# on those slots run meanwhile and must all succeed.
LIVE=$(echo $PORTS | tr ' ' '\n' | grep -v "^$KP$" | head -n 1)
wait_ok "$KP" || not_ok "cluster ok after the failover"
ccli "$LIVE" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ && NF >= 9 { split($9, r, "-"); print r[1], $1, $2 }' |
  sort -n > "$TMP/masters"
read -r FIRST SRC SRCADDR < "$TMP/masters"
DST=$(sed -n 2p "$TMP/masters" | awk '{print $2}')
SRCPORT=$(echo "$SRCADDR" | sed 's/.*://; s/@.*//')
: > "$TMP/moving"
for u in $(seq 1 $((NU - 1))); do
  s=$(slot_of "u$u")
  [ "$(owner "$LIVE" "$s")" = "$SRCPORT" ] && echo "$s u$u" >> "$TMP/moving"
done
sort -n "$TMP/moving" | head -n 3 > "$TMP/moving3"
LAST=$(tail -n 1 "$TMP/moving3" | awk '{print $1}')
NSLOTS=$((LAST - FIRST + 1))
diag "moving slots $FIRST-$LAST ($NSLOTS) of $SRCPORT, users: $(awk '{print $2}' "$TMP/moving3" | tr '\n' ' ')"
: > "$TMP/mig-codes"
(
  while [ ! -e "$TMP/reshard-done" ]; do
    for u in $(awk '{print $2}' "$TMP/moving3"); do
      "$UNSCATTER" deliver --config "$TMP/$u.conf" --maildir "$TMP/mail/$u" < "$TMP/in/bg-${u#u}.msg" 2>>"$TMP/mig.err"
      echo "$u $?" >> "$TMP/mig-codes"
    done
  done
) &
loop=$!
# and one long-lived process (an import of 2,000 entries fed slowly) for the
# user whose slot moves last: its slot map goes stale mid-run, so it has to
# follow MOVED, ASK and TRYAGAIN.
IU=$(awk 'NR == 3 {print $2}' "$TMP/moving3")
now=$(date +%s)
awk -v now="$now" 'BEGIN { print "# unscatter record export 1"; print "since " now
  for (i = 0; i < 2000; i++) { printf "entry %016x %d %d %016x\n", 4096 + i, now, now, 65536 + i
    if (i % 40 == 39) system("sleep 0.03") }
  print "end 2000" }' | "$UNSCATTER" record --config "$TMP/$IU.conf" --import - > "$TMP/import.out" 2>&1 &
importer=$!
sleep 0.3
redis-cli -a "$REDIS_PW" --no-auth-warning --cluster reshard "127.0.0.1:$LIVE" --cluster-from "$SRC" \
  --cluster-to "$DST" --cluster-slots "$NSLOTS" --cluster-yes > "$TMP/reshard.log" 2>&1
rs=$?
wait $importer
irc=$?
sleep 0.3
touch "$TMP/reshard-done"
wait $loop
is "$rs" 0 "redis-cli --cluster reshard moved $NSLOTS slots"
moved=$(owner "$LIVE" "$LAST")
[ "$moved" != "$SRCPORT" ] && ok "slot $LAST moved away from $SRCPORT" || not_ok "slot $LAST still on $SRCPORT"
nd=$(wc -l < "$TMP/mig-codes" | tr -d ' ')
bad=$(grep -vc ' 0$' "$TMP/mig-codes")
is "$bad" 0 "$nd deliveries during the migration: every one exits 0"
[ "$bad" = 0 ] || diag "$(grep -v ' 0$' "$TMP/mig-codes" | head -3)" "$(head -n 3 "$TMP/mig.err")"
total=0 legit=0
for u in $(awk '{print $2}' "$TMP/moving3"); do
  total=$((total + $(ls "$TMP/mail/$u/new" | wc -l)))
  legit=$((legit + $(cat "$TMP/mail/$u"/new/* | grep -c '^X-Unscatter-Verdict: legitimate')))
done
is "$legit" "$total" "and each one legitimate"
is "$irc" 0 "a long-lived import for $IU across the migration: exit 0"
[ "$irc" = 0 ] || diag "$(cat "$TMP/import.out")"
run_rc "$UNSCATTER" stats --config "$TMP/$IU.conf"
case $out in *"entries 2001"*) ok "after the migration: $IU's record is whole (2,001 entries) on the new master" ;; *) not_ok "stats: $out $err" ;; esac
done_testing
