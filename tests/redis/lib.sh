# tests/redis/lib.sh — real redis-server processes for the Redis tests
# (tests/t/09*.t), sourced after tests/lib.sh; it sources tests/t/deliver.sh
# (the delivery tests' helpers: setup_home, $DFIX, mail_list ...). Each
# server runs in its own directory under $TMP (unix socket, a loopback port
# when asked, requirepass, an append-only file so that a restart keeps what
# was written); every server started is stopped when the test exits.

. "$top_srcdir/tests/t/deliver.sh"

REDIS_PW=redis-test-pw-0600

# redis_need [home]: skip the whole test unless redis-server, redis-cli and
# unscatter's Redis backend are there; "home": first make the test's home
# (setup_home: $TMP, a user's home), else $TMP must exist (tmpdir).
redis_need () {
  [ "${1:-}" = home ] && setup_home
  command -v redis-server >/dev/null 2>&1 || skip_all "redis-server is not installed (apt-get install redis-server)"
  command -v redis-cli >/dev/null 2>&1 || skip_all "redis-cli is not installed (apt-get install redis-tools)"
  if "$UNSCATTER" stats --db unix:/nonexistent/redis.sock 2>&1 | grep -q "without the Redis backend"; then
    skip_all "unscatter was built without the Redis backend (libhiredis-dev)"
  fi
  _redis_pids=
  trap redis_cleanup EXIT
  printf '%s\n' "$REDIS_PW" > "$TMP/redis-pw"
  chmod 600 "$TMP/redis-pw"
}

redis_cleanup () {
  for _p in $_redis_pids; do kill -CONT "$_p" 2>/dev/null; kill "$_p" 2>/dev/null; done
  for _p in $_redis_pids; do wait "$_p" 2>/dev/null; done
  rm -rf "$TMP"
}

# free_port: a loopback TCP port nobody listens on now.
free_port () {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# free_cluster_port: a free port P below 55536 with P + 10000 (the cluster
# bus) free too.
free_cluster_port () {
  python3 -c '
import random, socket
for _ in range(1000):
    p = random.randint(20000, 55535)
    try:
        a = socket.socket(); a.bind(("127.0.0.1", p))
        b = socket.socket(); b.bind(("127.0.0.1", p + 10000))
    except OSError:
        continue
    a.close(); b.close(); print(p); break'
}

redis_dir () { echo "$TMP/redis-$1"; }
redis_sock () { echo "$TMP/redis-$1/sock"; }
redis_pid () { cat "$TMP/redis-$1/pid"; }

# redis_start NAME PORT [ARGS...]: start (or restart) server NAME listening on
# its socket and, when PORT is not 0, on 127.0.0.1:PORT; wait until it
# answers. Returns 1 when it does not come up within 10 s.
redis_start () {
  _n=$1 _port=$2
  shift 2
  _d=$(redis_dir "$_n")
  mkdir -p "$_d"
  echo "$_port $*" > "$_d/args"
  redis-server --port "$_port" --bind 127.0.0.1 --unixsocket "$_d/sock" --unixsocketperm 700 \
    --requirepass "$REDIS_PW" --save '' --appendonly yes --dir "$_d" --logfile "$_d/log" \
    --daemonize no "$@" &
  echo $! > "$_d/pid"
  _redis_pids="$_redis_pids $!"
  _i=0
  while [ $_i -lt 100 ]; do
    [ "$(redis-cli -s "$_d/sock" -a "$REDIS_PW" --no-auth-warning ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
    _i=$((_i + 1))
  done
  diag "redis-server $_n did not start:" "$(tail -5 "$_d/log" 2>/dev/null)"
  return 1
}

# redis_stop NAME: stop server NAME (SIGTERM: it writes its append-only file).
redis_stop () {
  _p=$(redis_pid "$1")
  kill -CONT "$_p" 2>/dev/null
  kill "$_p" 2>/dev/null
  wait "$_p" 2>/dev/null
  return 0
}

# redis_restart NAME: start NAME again with the arguments of its last start.
redis_restart () {
  read -r _port _args < "$(redis_dir "$1")/args"
  # shellcheck disable=SC2086
  redis_start "$1" "$_port" $_args
}

# rcli NAME ARGS...: redis-cli on server NAME.
rcli () {
  _n=$1
  shift
  redis-cli -s "$(redis_sock "$_n")" -a "$REDIS_PW" --no-auth-warning "$@"
}

# host_config FILE URL [LINES...]: a delivery host's configuration.
host_config () {
  _f=$1 _u=$2
  shift 2
  printf '[record]\nbackend = redis\nurl = %s\npassword_file = %s\ntimeout_ms = 300\n' "$_u" "$TMP/redis-pw" > "$_f"
  [ $# -gt 0 ] && printf '%s\n' "$@" >> "$_f"
  return 0
}

# redis_two_hosts NAME: start server NAME on its unix socket only ($SOCK),
# make the Maildir $M (new, cur, tmp) and two delivery hosts' configurations
# on that socket, $TMP/hostA and $TMP/hostB; a server that does not come up
# ends the test there (not ok).
redis_two_hosts () {
  redis_start "$1" 0 || { not_ok "redis-server starts"; done_testing; }
  SOCK=$(redis_sock "$1")
  M="$TMP/Mail"
  mkdir -p "$M/new" "$M/cur" "$M/tmp"
  host_config "$TMP/hostA" "unix:$SOCK"
  host_config "$TMP/hostB" "unix:$SOCK"
}

# from_template DIR TEMPLATE PREFIX N FROM TO: N copies of TEMPLATE,
# DIR/PREFIX-0.msg to DIR/PREFIX-(N-1).msg, with the first FROM of each line
# replaced by TO, in which {i} stands for the copy's number.
from_template () {
  awk -v dir="$1" -v p="$3" -v n="$4" -v from="$5" -v to="$6" '
    { line[NR] = $0 }
    END { for (i = 0; i < n; i++) { f = dir "/" p "-" i ".msg"; t = to; gsub(/\{i\}/, i, t)
          for (k = 1; k <= NR; k++) { l = line[k]; at = index(l, from)
            if (at) l = substr(l, 1, at - 1) t substr(l, at + length(from)); print l > f }
          close(f) } }' "$2"
}

# verdict_of FILE: the X-Unscatter-Verdict of a delivered message.
verdict_of () {
  sed -n 's/^X-Unscatter-Verdict: \([a-z-]*\).*/\1/p' "$1" | head -n 1
}
