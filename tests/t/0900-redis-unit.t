#!/bin/sh
# The record's unit tests (tests/test-record: the same steps as for SQLite,
# absent records, decisions, export and import, wrong password) against a
# real redis-server on a unix socket in the test's directory.
. "$top_srcdir/tests/lib.sh"
tmpdir
. "$top_srcdir/tests/redis/lib.sh"
redis_need
redis_start unit 0 || { not_ok "redis-server starts"; done_testing; }
ok "redis-server starts (unix socket, requirepass)"

USC_TEST_REDIS_URL="unix:$(redis_sock unit)" USC_TEST_REDIS_PASSWORD_FILE="$TMP/redis-pw" \
  "$top_builddir/tests/test-record" -p /record/redis > "$TMP/out" 2>&1
is "$?" 0 "tests/test-record -p /record/redis: exit 0"
is "$(grep -c '^ok ' "$TMP/out")" 8 "eight Redis cases passed"
is "$(grep -c 'SKIP' "$TMP/out")" 0 "none skipped"
grep -v '^ok ' "$TMP/out" | head -5 | while read -r l; do diag "$l"; done
# The keys carry the user's hash tag and the layout of doc/record-redis.md.
keys=$(rcli unit --scan --pattern 'test:{steps-*' | sed 's/^test:{steps-[0-9]*}://; s/:[0-9]*$/:N/; s/:-*[0-9]*:N$/:N:N/; s/^r:-*[0-9]*$/r:N/' | sort -u | tr '\n' ' ')
is "$keys" "m:N:N meta r:N " "keys: meta, m:<bucket>:<shard>, r:<day> under the prefix"
ttl=$(rcli unit ttl "$(rcli unit --scan --pattern 'test:{steps-*}:m:*' | head -n 1)")
if [ "$ttl" -gt 86400 ] && [ "$ttl" -lt $((200 * 86400)) ]; then ok "an entry bucket has a TTL ($ttl s)"; else not_ok "bucket TTL: $ttl"; fi
is "$(rcli unit ttl "$(rcli unit --scan --pattern 'test:{steps-*}:meta' | head -n 1)")" -1 "meta has no TTL"
done_testing
