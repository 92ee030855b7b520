# tests/t/redis.sh — real redis-server processes for the Redis tests
# (tests/t/09*.t), sourced after lib.sh (and deliver.sh's setup_home). Each
# server runs in its own directory under $TMP (unix socket, a loopback port
# when asked, requirepass, an append-only file so that a restart keeps what
# was written); every server started is stopped when the test exits.

REDIS_PW=redis-test-pw-0600

# Skip the whole test unless redis-server, redis-cli and unscatter's Redis
# backend are there.
redis_need () {
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

# verdict_of FILE: the X-Unscatter-Verdict of a delivered message.
verdict_of () {
  sed -n 's/^X-Unscatter-Verdict: \([a-z-]*\).*/\1/p' "$1" | head -n 1
}
