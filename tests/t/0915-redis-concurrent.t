#!/bin/sh
# 32 concurrent deliveries from two delivery "hosts" against one Redis: host
# A reaches the server over TCP on 127.0.0.1, host B over its unix socket
# from a network namespace of its own (unshare -n; where that is not
# allowed, a process group of its own), with separate configs and
# processes, while host B also records new sent messages. On a
# loaded machine a delivery may defer (exit 75: the server did not answer
# within timeout_ms); the MTA retries it. So: every exit is 0 or 75, the
# deferred ones are delivered when retried, and in the end every message is
# in the mailbox exactly once, in the right folder, with the right verdict;
# every message recorded meanwhile is found.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/redis/lib.sh"
redis_need home
PORT=$(free_port)
redis_start c "$PORT" --loglevel verbose || { not_ok "redis-server starts"; done_testing; }
NSB=
for ns in "unshare -n" "unshare -rn"; do
  if $ns true 2>/dev/null; then NSB=$ns; break; fi
done
if [ -n "$NSB" ]; then
  run_rc $NSB redis-cli -h 127.0.0.1 -p "$PORT" -a "$REDIS_PW" --no-auth-warning ping
  [ "$out" != PONG ] && ok "host B ($NSB) has a network of its own: 127.0.0.1:$PORT unreachable" \
    || not_ok "host B's namespace reaches the TCP port"
else
  diag "no network namespace (unshare -n, unshare -rn refused): host B is a process group of its own"
  NSB=setsid
fi
host_config "$TMP/hostA" "redis://127.0.0.1:$PORT/0"
host_config "$TMP/hostB" "unix:$(redis_sock c)"
M="$TMP/Mail"
mkdir -p "$M/new" "$M/cur" "$M/tmp"
GEN="$DFIX/bounce-genuine.msg" FORGED="$DFIX/bounce-forged.msg"
ORIG=20240304081203.GA1187@alice-laptop.example.org
FORGED_ID='000d01da6f71$8c3e1a40$a4ba4ec0$@example.org'
IN="$TMP/in"
mkdir -p "$IN"
mk () { from_template "$IN" "$@"; }
N=64
mk "$DFIX/sent-original.msg" pre $N "$ORIG" 'pre-{i}@alice-laptop.example.org'
mk "$DFIX/sent-original.msg" new $N "$ORIG" 'new-{i}@alice-laptop.example.org'
mk "$GEN" gen $N "$ORIG" 'pre-{i}@alice-laptop.example.org'
mk "$FORGED" fgd $N "$FORGED_ID" 'forged-{i}@example.org'
mk "$GEN" chk $N "$ORIG" 'new-{i}@alice-laptop.example.org'
"$UNSCATTER" record --config "$TMP/hostA" "$IN"/pre-*.msg 2>"$TMP/err"
is "$?" 0 "host A records $N messages"

# The jobs: 2N deliveries (genuine and forged, alternately on host A and
# host B) and N recordings on host B, 32 processes at a time.
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++) { h = i % 2 ? "B" : "A"; o = i % 2 ? "A" : "B"
  print "d", h, "gen-" i; print "d", o, "fgd-" i; print "r", "B", "new-" i } }' > "$TMP/jobs"
is "$(wc -l < "$TMP/jobs" | tr -d ' ')" $((3 * N)) "$((2 * N)) deliveries and $N recordings"
export UNSCATTER M TMP IN NSB
# $TMP/job KIND HOST NAME: one job; prints "KIND HOST NAME EXIT".
cat > "$TMP/job" <<'EOF'
ns=; [ "$2" = B ] && ns=$NSB
case "$1" in
  d) $ns "$UNSCATTER" deliver --config "$TMP/host$2" --maildir "$M" < "$IN/$3.msg" 2>>"$TMP/job-err" ;;
  r) $ns "$UNSCATTER" record --config "$TMP/host$2" "$IN/$3.msg" 2>>"$TMP/job-err" ;;
esac
echo "$1 $2 $3 $?"
EOF
xargs -P 32 -n 3 sh "$TMP/job" < "$TMP/jobs" > "$TMP/round0"
is "$(wc -l < "$TMP/round0" | tr -d ' ')" $((3 * N)) "every job ran"
is "$(awk '$4 != 0 && $4 != 75' "$TMP/round0")" "" "every exit is 0 or 75"
d75=$(awk '$4 == 75' "$TMP/round0" | wc -l | tr -d ' ')
diag "$d75 of $((3 * N)) deferred (exit 75) in the concurrent round"
grep 'Redis' "$TMP/job-err" 2>/dev/null | sed 's/.*: Redis [^ ]*: //' | sort | uniq -c | head -3 | while read -r l; do diag "  $l"; done

# The MTA's retries: the deferred ones again, one at a time, at most 5 rounds.
cp "$TMP/round0" "$TMP/last"
r=0
while [ $r -lt 5 ] && awk '$4 == 75 { f = 1 } END { exit !f }' "$TMP/last"; do
  r=$((r + 1))
  awk '$4 == 75 { print $1, $2, $3 }' "$TMP/last" | while read -r k h n; do sh "$TMP/job" "$k" "$h" "$n"; done > "$TMP/retry"
  mv "$TMP/retry" "$TMP/last"
done
is "$(awk '$4 != 0' "$TMP/last")" "" "the deferred ones succeed when retried ($r rounds)"

# Every message exactly once, in its folder, with its verdict.
bad=0
i=0
while [ $i -lt $N ]; do
  g=$(grep -l "pre-$i@alice-laptop" "$M"/new/* "$M"/.Backscatter/new/* 2>/dev/null | wc -l | tr -d ' ')
  f=$(grep -l "forged-$i@example.org" "$M"/new/* "$M"/.Backscatter/new/* 2>/dev/null | wc -l | tr -d ' ')
  gi=$(grep -l "pre-$i@alice-laptop" "$M"/new/* 2>/dev/null | head -n 1)
  fb=$(grep -l "forged-$i@example.org" "$M"/.Backscatter/new/* 2>/dev/null | head -n 1)
  if [ "$g:$f" != 1:1 ] || [ -z "$gi" ] || [ -z "$fb" ] || [ "$(verdict_of "$gi")" != legitimate ] \
     || [ "$(verdict_of "$fb")" != backscatter ]; then
    bad=$((bad + 1))
    [ $bad -le 3 ] && diag "message $i: genuine $g times, forged $f times"
  fi
  i=$((i + 1))
done
is "$bad" 0 "each of the $((2 * N)) bounces delivered exactly once: genuine legitimate in new/, forged in .Backscatter"
is "$(find "$M" -type f ! -name maildirfolder | wc -l | tr -d ' ')" $((2 * N)) "and nothing else was delivered"
"$UNSCATTER" check --config "$TMP/hostA" "$IN"/chk-*.msg > "$TMP/chk.out" 2>&1
is "$(grep -c ': legitimate dsn' "$TMP/chk.out")" $N "host A finds the $N messages host B recorded meanwhile"
run_rc "$UNSCATTER" stats --config "$TMP/hostB"
is "$(printf '%s\n' "$out" | tail -n 1)" "entries $((2 * N))" "the record holds $((2 * N)) entries, each once"
a=$(grep -c 'Accepted 127\.0\.0\.1:' "$(redis_dir c)/log")
b=$(grep -c 'Accepted connection to .*/sock' "$(redis_dir c)/log")
if [ "$a" -ge $N ] && [ "$b" -ge $N ]; then ok "the server saw both hosts: $a connections over TCP, $b over the socket"
else not_ok "connections: $a over TCP, $b over the socket"; fi
done_testing
