#!/bin/sh
# bench/redis.sh — the Redis record's figures (bench/redis.py, then what a
# delivery costs when the server fails: bench/redis-failure.py): run by
# bench/run.sh from `make bench` when redis-server and redis-cli are there and
# unscatter has the Redis backend; prints "skipped: ..." otherwise and never
# fails the build. Usage: sh bench/redis.sh /abs/path/to/src/unscatter
usc=${1:-}
[ -n "$usc" ] || { echo "usage: sh bench/redis.sh /abs/path/to/unscatter" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for p in redis-server redis-cli python3; do
  command -v "$p" >/dev/null 2>&1 || { echo "skipped: Redis bench: $p is not installed (apt-get install redis-server redis-tools python3)"; exit 0; }
done
if "$usc" stats --db unix:/nonexistent/redis.sock 2>&1 | grep -q "without the Redis backend"; then
  echo "skipped: Redis bench: unscatter was built without the Redis backend (libhiredis-dev)"
  exit 0
fi
python3 "$here/redis.py" "$usc"
echo
python3 "$here/redis-failure.py" "$usc" "$here/../fixtures/deliver"
exit 0
