#!/bin/sh
# deliver with the Redis record: two delivery "hosts" (separate configs and
# processes) share one user's record on a real redis-server; the failure
# semantics: a wrong password, a password file others can read, the server
# stopped mid-run, a server that does not answer (kill -STOP) — exit 75 and
# nothing delivered, never "not found"; delivered once the server is back.
# Once on a unix socket in the test's directory, once on 127.0.0.1 with a
# random free port.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/redis/lib.sh"
redis_need home
redis_two_hosts a
GEN="$DFIX/bounce-genuine.msg" FORGED="$DFIX/bounce-forged.msg"

"$UNSCATTER" record --config "$TMP/hostA" "$DFIX/sent-original.msg" 2>"$TMP/err"
is "$?" 0 "host A records the sent message"
is "$(rcli a hget 'unscatter:{'"$(id -un)"'}:meta' v)" 2 "the record (layout 2)'s keys carry the user as hash tag"
run_rc "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$GEN"
is "$rc" 0 "host B delivers the genuine bounce"
f=$(ls "$M/new" | head -n 1)
is "$(verdict_of "$M/new/$f")" legitimate "host B finds host A's entry: legitimate, in the inbox"
run_rc "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$FORGED"
is "$rc" 0 "host B delivers the forged bounce"
is "$(ls "$M/.Backscatter/new" | wc -l | tr -d ' ')" 1 "backscatter filed into .Backscatter"
run_rc "$UNSCATTER" stats --config "$TMP/hostA"
is "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')" "decisions 2 entries 1 " "host A's stats count host B's decisions"
run_rc "$UNSCATTER" check --config "$TMP/hostA" "$GEN"
is "$rc:$(printf '%s' "$out" | awk '{print $2}')" "1:legitimate" "check on host A: legitimate"

# -- failures: each deliver exits 75 and delivers nothing ------------------
count_all () { mail_list "$M" | wc -l | tr -d ' '; }
before=$(count_all)
printf 'wrong-password\n' > "$TMP/wrong-pw"
chmod 600 "$TMP/wrong-pw"
host_config "$TMP/hostW" "unix:$SOCK"
sed -i "s|^password_file = .*|password_file = $TMP/wrong-pw|" "$TMP/hostW"
run_rc "$UNSCATTER" deliver --config "$TMP/hostW" --maildir "$M" < "$GEN"
is "$rc:$(count_all)" "75:$before" "wrong password: exit 75, nothing delivered"
case $err in *WRONGPASS*) ok "wrong password: the server's WRONGPASS is shown" ;; *) not_ok "wrong password message: $err" ;; esac
run_rc "$UNSCATTER" check --config "$TMP/hostW" "$GEN"
is "$rc" 1 "wrong password: check says not backscatter (exit 1)"
run_rc "$UNSCATTER" filter --config "$TMP/hostW" < "$GEN"
if [ "$rc" -ne 0 ] && [ -z "$out" ]; then ok "wrong password: filter fails with nothing on stdout"; else not_ok "filter: rc $rc"; fi
chmod 644 "$TMP/redis-pw"
run_rc "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$GEN"
is "$rc:$(count_all)" "75:$before" "a password file others can read: refused, exit 75"
chmod 600 "$TMP/redis-pw"
sed '/^password_file/d' "$TMP/hostB" > "$TMP/hostN"
run_rc "$UNSCATTER" deliver --config "$TMP/hostN" --maildir "$M" < "$GEN"
is "$rc:$(count_all)" "75:$before" "no password: exit 75"

# Ordinary mail does not need the record: delivered whatever the server does.
kill -STOP "$(redis_pid a)"
t0=$(date +%s%N)
run_rc "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$GEN"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
is "$rc:$(count_all)" "75:$before" "server stopped (kill -STOP): exit 75, nothing delivered"
if [ "$ms" -lt 2000 ]; then ok "the time-out holds: $ms ms (timeout_ms = 300)"; else not_ok "took $ms ms"; fi
run_rc "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$DFIX/ham.msg"
is "$rc" 0 "ordinary mail is delivered while the server hangs (no lookup)"
kill -CONT "$(redis_pid a)"
before=$(count_all)

# -- two hosts at once: host A records 200 messages while host B delivers --
# 100 genuine bounces (of messages recorded before) and 100 forged ones, 16
# processes at a time; then every recorded message is found.
IN="$TMP/in"
mkdir -p "$IN"
mk () { from_template "$IN" "$@"; }
ORIG=20240304081203.GA1187@alice-laptop.example.org
mk "$DFIX/sent-original.msg" pre 100 "$ORIG" 'pre-{i}@alice-laptop.example.org'
mk "$DFIX/sent-original.msg" sent 200 "$ORIG" 'conc-{i}@alice-laptop.example.org'
mk "$GEN" bg 100 "$ORIG" 'pre-{i}@alice-laptop.example.org'
mk "$FORGED" bf 100 '000d01da6f71$8c3e1a40$a4ba4ec0$@example.org' 'forged-{i}@example.org'
mk "$GEN" chk 200 "$ORIG" 'conc-{i}@alice-laptop.example.org'
"$UNSCATTER" record --config "$TMP/hostA" "$IN"/pre-*.msg 2>/dev/null
is "$?" 0 "host A records 100 messages"
awk -v dir="$IN" 'BEGIN { for (i = 0; i < 200; i++) { print "r", dir "/sent-" i ".msg"
  if (i < 100) print "d", dir "/bg-" i ".msg"; else print "d", dir "/bf-" (i - 100) ".msg" } }' > "$TMP/jobs"
export UNSCATTER M TMP
: > "$TMP/fails"
xargs -P 16 -n 2 sh -c '
  case "$0" in
    r) "$UNSCATTER" record --config "$TMP/hostA" "$1" 2>/dev/null ;;
    d) "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$1" 2>/dev/null ;;
  esac
  rc=$?; [ $rc = 0 ] || echo "$0 $1 $rc" >> "$TMP/fails"; exit 0' < "$TMP/jobs"
# A loaded machine may defer some (exit 75, the server's answer later than
# timeout_ms): the MTA would retry them, so does the test, once.
is "$(awk '$3 != 75' "$TMP/fails")" "" "400 processes on two hosts: every one exits 0 or 75"
diag "$(wc -l < "$TMP/fails" | tr -d ' ') deferred (exit 75), retried"
while read -r k f rc; do
  case $k in
    r) "$UNSCATTER" record --config "$TMP/hostA" "$f" 2>/dev/null ;;
    d) "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$f" 2>/dev/null ;;
  esac || echo "$k $f $?"
done < "$TMP/fails" > "$TMP/fails2"
is "$(cat "$TMP/fails2")" "" "the deferred ones succeed when retried"
is "$(count_all)" $((before + 200)) "200 more messages delivered"
leg=0
for f in "$M"/new/*; do [ "$(verdict_of "$f")" = legitimate ] && leg=$((leg + 1)); done
is "$leg" 101 "the 100 genuine bounces are legitimate (and the first)"
is "$(ls "$M/.Backscatter/new" | wc -l | tr -d ' ')" 101 "the 100 forged ones are backscatter (and the first)"
"$UNSCATTER" check --config "$TMP/hostB" "$IN"/chk-*.msg > "$TMP/chk.out" 2>&1
is "$(grep -c ': legitimate dsn' "$TMP/chk.out")" 200 "host B finds all 200 messages host A recorded meanwhile"

# -- the server stopped mid-run: 60 deliveries, the server goes away after
# about a third and comes back; each exits 0 (delivered) or 75 (nothing
# delivered); the 75s retried after the restart are delivered, each once.
mk "$GEN" late 60 "$ORIG" 'pre-{i}@alice-laptop.example.org'
before=$(count_all)
: > "$TMP/mid"
i=0
while [ $i -lt 60 ]; do
  [ $i = 20 ] && redis_stop a
  "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$IN/late-$i.msg" 2>/dev/null
  echo "$i $?" >> "$TMP/mid"
  i=$((i + 1))
done
n0=$(grep -c ' 0$' "$TMP/mid") n75=$(grep -c ' 75$' "$TMP/mid")
is "$((n0 + n75)):$n75" "60:40" "server stopped after 20: 20 delivered, 40 exit 75 (no other exit)"
is "$(count_all)" $((before + n0)) "exit 75 delivered nothing"
redis_restart a || not_ok "restart"
awk '$2 == 75 { print $1 }' "$TMP/mid" | while read -r i; do
  "$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$IN/late-$i.msg" 2>/dev/null || echo "retry $i failed"
done > "$TMP/retry"
is "$(cat "$TMP/retry")" "" "after the restart the MTA's retries succeed"
is "$(count_all)" $((before + 60)) "all 60 delivered, once each"
leg=$(grep -l '^X-Unscatter-Verdict: legitimate' "$M"/new/* | wc -l | tr -d ' ')
is "$leg" 161 "and legitimate: nothing recorded was lost by the restart"

# -- the same on 127.0.0.1 with a random free port and database 3 ----------
PORT=$(free_port)
redis_start tcp "$PORT" || not_ok "redis-server on 127.0.0.1:$PORT"
host_config "$TMP/hostT" "redis://127.0.0.1:$PORT/3"
"$UNSCATTER" record --config "$TMP/hostT" "$DFIX/sent-original.msg" 2>/dev/null
is "$?" 0 "TCP: recorded"
is "$(rcli tcp -n 3 dbsize)" 3 "TCP: the keys are in database 3"
before=$(count_all)
run_rc "$UNSCATTER" deliver --config "$TMP/hostT" --maildir "$M" < "$GEN"
is "$rc:$(count_all)" "0:$((before + 1))" "TCP: delivered"
is "$(grep -l "^X-Unscatter-Verdict: legitimate" "$M"/new/* | wc -l | tr -d ' ')" 162 "TCP: legitimate"
redis_stop tcp
run_rc "$UNSCATTER" deliver --config "$TMP/hostT" --maildir "$M" < "$GEN"
is "$rc:$(count_all)" "75:$((before + 1))" "TCP: connection refused: exit 75"
done_testing
