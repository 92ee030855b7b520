#!/bin/sh
# record --export / --import moves a record between backends without loss:
# 10,000 entries (with and without Message-ID, 1-3 recipients, every 50th
# 12, old Dates)
# and a decision log, SQLite -> Redis -> SQLite; the exports compare equal
# and lookups on the Redis copy find what the SQLite record held.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/redis/lib.sh"
redis_need home
redis_start m 0 || { not_ok "redis-server starts"; done_testing; }
host_config "$TMP/redis.conf" "unix:$(redis_sock m)"
N=10000
# An mbox of N sent messages; every 10th has no Message-ID.
awk -v n="$N" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "From alice@example.org Mon Nov 30 10:00:00 2026\n"
    printf "From: Alice <alice@example.org>\n"
    printf "To: r%d@example.net", i
    for (k = 1; k <= (i % 50 == 7 ? 11 : i % 3); k++) printf ", r%d-%d@example.com", i, k
    printf "\n"
    printf "Date: %s\n", (i % 7 == 0) ? "Mon, 4 Mar 2024 09:12:03 +0100" : "Mon, 30 Nov 2026 10:00:00 +0000"
    if (i % 10 != 0) printf "Message-ID: <mig-%d@alice.example.org>\n", i
    printf "Subject: %d\n\nbody %d\n\n", i, i
  }
}' > "$TMP/sent.mbox"
"$UNSCATTER" record --db "$TMP/a.db" --mbox "$TMP/sent.mbox" 2>"$TMP/err"
is "$?" 0 "SQLite: $N messages recorded"
M="$HOME/Maildir"
for f in bounce-genuine bounce-forged bounce-forged; do
  "$UNSCATTER" deliver --db "$TMP/a.db" --maildir "$M" < "$DFIX/$f.msg" 2>/dev/null
done
"$UNSCATTER" record --db "$TMP/a.db" --export "$TMP/a.exp" 2>"$TMP/err"
is "$?:$(cat "$TMP/err")" "0:unscatter: record: exported $N entries" "SQLite: exported $N entries"
is "$(grep -c '^decision ' "$TMP/a.exp")" 1 "the decision counts are in the export"

run_rc "$UNSCATTER" record --config "$TMP/redis.conf" --import "$TMP/a.exp"
is "$rc" 0 "Redis: imported"
is "$err" "unscatter: record: imported $N entries: added $N, already present or expired 0; 1 decision counts" "Redis: all $N added"
run_rc "$UNSCATTER" stats --config "$TMP/redis.conf" --days 0
is "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')" "decisions 3 entries $N " "Redis: stats"
"$UNSCATTER" record --config "$TMP/redis.conf" --export "$TMP/r.exp" 2>/dev/null
is "$?" 0 "Redis: exported"
sort "$TMP/a.exp" > "$TMP/a.sorted"
sort "$TMP/r.exp" > "$TMP/r.sorted"
if cmp -s "$TMP/a.sorted" "$TMP/r.sorted"; then ok "Redis's export holds the same lines"; else not_ok "exports differ"; diff "$TMP/a.sorted" "$TMP/r.sorted" | head -5 | while read -r l; do diag "$l"; done; fi
if cmp -s "$TMP/a.exp" "$TMP/r.exp"; then ok "and in the same order (byte for byte)"; else not_ok "Redis's export is in another order"; fi
is "$(grep -c '^entry \([^ ]* \)\{14\}[^ ]*$' "$TMP/r.exp")" $((N / 50)) "the entries of 12 recipients keep them all (continuation fields)"
# The $N entries were recorded at once, into one bucket: it was split into
# shards that each stay in Redis's compact encoding.
P="unscatter:{$(id -un)}:"
rcli m --scan --pattern "${P}m:*" > "$TMP/shards"
nsh=$(wc -l < "$TMP/shards" | tr -d ' ')
if [ "$nsh" -ge 128 ]; then ok "the bucket of $N entries is split into $nsh shards"; else not_ok "$nsh shards"; fi
enc=$(while read -r k; do rcli m object encoding "$k"; done < "$TMP/shards" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
is "$enc" " $nsh listpack " "every shard is a listpack"
big=$(while read -r k; do rcli m hlen "$k"; done < "$TMP/shards" | sort -n | tail -n 1)
if [ "$big" -le 128 ]; then ok "the largest shard has $big fields (at most 128)"; else not_ok "a shard of $big fields"; fi

"$UNSCATTER" record --db "$TMP/b.db" --import "$TMP/r.exp" 2>/dev/null
is "$?" 0 "SQLite again: imported"
"$UNSCATTER" record --db "$TMP/b.db" --export "$TMP/b.exp" 2>/dev/null
if cmp -s "$TMP/a.exp" "$TMP/b.exp"; then ok "SQLite -> Redis -> SQLite: the export is byte for byte the first"; else not_ok "a.exp and b.exp differ"; fi

# Lookups on the Redis copy: a bounce of a recorded message is legitimate.
sed 's/20240304081203.GA1187@alice-laptop.example.org/mig-4321@alice.example.org/' "$DFIX/bounce-genuine.msg" > "$TMP/b1.msg"
run_rc "$UNSCATTER" check --config "$TMP/redis.conf" "$TMP/b1.msg"
is "$rc:$(printf '%s' "$out" | awk '{print $2}')" "1:legitimate" "Redis copy: a migrated Message-ID is found"
run_rc "$UNSCATTER" check --config "$TMP/redis.conf" "$DFIX/bounce-forged.msg"
is "$rc:$(printf '%s' "$out" | awk '{print $2}')" "0:backscatter" "Redis copy: a forged one is backscatter"
# The recipient fallback: every 70th message has no Message-ID and the Date
# of the fixtures' bounce, so that a bounce of it (an ID the record never
# saw) is matched by its failed recipient; the late ones were recorded after
# that period's r: string filled (16 KB) into its sub-keys r:<K>:<j>.
is "$(rcli m --scan --pattern "${P}r:*:*" | wc -l | tr -d ' ')" 32 "the two full r: strings (the two Dates of the messages) spill into 16 sub-keys each"
for i in 0 9940; do
  sed "s/20240304081203.GA1187@alice-laptop.example.org/never-recorded-$i@x.example/; s/bob@example.net/r$i@example.net/g" \
    "$DFIX/bounce-genuine.msg" > "$TMP/n$i.msg"
  run_rc "$UNSCATTER" check --config "$TMP/redis.conf" "$TMP/n$i.msg"
  is "$rc:$(printf '%s' "$out" | awk '{print $2}')" "1:legitimate" "Redis copy: message $i, recorded without Message-ID, is found by its recipient"
done
sed "s/20240304081203.GA1187@alice-laptop.example.org/never-recorded-7@x.example/; s/bob@example.net/r7@example.net/g" \
  "$DFIX/bounce-genuine.msg" > "$TMP/n7.msg"
run_rc "$UNSCATTER" check --config "$TMP/redis.conf" "$TMP/n7.msg"
is "$rc:$(printf '%s' "$out" | awk '{print $2}')" "0:backscatter" "Redis copy: a recipient mailed only with a Message-ID does not match an unknown ID"
# Importing again adds nothing; a truncated export is refused with 65.
run_rc "$UNSCATTER" record --config "$TMP/redis.conf" --import "$TMP/a.exp"
case $err in *"added 0, already present or expired $N"*) ok "importing twice adds nothing" ;; *) not_ok "second import: $err" ;; esac
head -n 500 "$TMP/a.exp" > "$TMP/trunc.exp"
run_rc "$UNSCATTER" record --db "$TMP/c.db" --import "$TMP/trunc.exp"
is "$rc" 65 "a truncated export: exit 65"
run_rc "$UNSCATTER" record --db "$TMP/c.db" --export -
is "$(printf '%s\n' "$out" | grep -c '^entry ')" 0 "and nothing of it was kept"
run_rc "$UNSCATTER" record --db "$TMP/a.db" --export - --since 3
is "$rc" 2 "--export with --since: usage"
done_testing
