#!/bin/sh
# `unscatter expire` and `unscatter stats`: expiry counts from when an entry
# was recorded (not its Date), default 180 days or [record] expire_days or
# --days; stats per day, verdict and kind, and the number of entries.
. "$top_srcdir/tests/lib.sh"
tmpdir
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 (the program) not installed"

DB="$TMP/record.db"
q () { sqlite3 "$DB" "$1"; }
msg () {
  printf 'Message-ID: <%s>\nDate: %s\nTo: %s\n\nx\n' "$1" "${3:-Sat, 1 Jan 2000 00:00:00 +0000}" "$2" > "$TMP/$1.eml"
}
DAY=86400
T0=1709251200   # 2024-03-01 00:00:00 UTC

# No record yet.
run_rc "$UNSCATTER" expire --db "$DB"
is "$rc:$out" "0:expired 0 (no record)" "expire without a record"
run_rc "$UNSCATTER" stats --db "$DB"
is "$rc:$out" "0:entries 0 (no record; decisions are counted once one exists: see unscatter record)" "stats without a record says why no decisions are counted"
[ -e "$DB" ] && not_ok "expire/stats do not create a record" || ok "expire/stats do not create a record"

# Record at three times (the Date header is from 2000 for all: it does not count).
msg a1 a@example.net; msg a2 b@example.net; msg a3 c@example.net; msg a4 d@example.net
UNSCATTER_NOW=$T0; export UNSCATTER_NOW
"$UNSCATTER" record --db "$DB" "$TMP/a1.eml" "$TMP/a2.eml" 2>/dev/null
UNSCATTER_NOW=$((T0 + 100 * DAY)); export UNSCATTER_NOW
"$UNSCATTER" record --db "$DB" "$TMP/a3.eml" 2>/dev/null
UNSCATTER_NOW=$((T0 + 170 * DAY)); export UNSCATTER_NOW
"$UNSCATTER" record --db "$DB" "$TMP/a4.eml" 2>/dev/null
is "$(q 'SELECT count(*) FROM sent')" 4 "four entries"

UNSCATTER_NOW=$((T0 + 179 * DAY)); export UNSCATTER_NOW
run_rc "$UNSCATTER" expire --db "$DB"
is "$rc:$out" "0:expired 0, 4 left" "day 179: nothing expires (default 180 days from recording)"
UNSCATTER_NOW=$((T0 + 181 * DAY)); export UNSCATTER_NOW
run_rc "$UNSCATTER" expire --db "$DB"
is "$rc:$out" "0:expired 2, 2 left" "day 181: the two recorded on day 0 expire"
is "$(q 'SELECT count(*) FROM rcpt')" 2 "their recipients are gone too"
run_rc "$UNSCATTER" expire --db "$DB"
is "$rc:$out" "0:expired 0, 2 left" "expire again: nothing more"
printf '[record]\nexpire_days = 30\n' > "$TMP/conf"
run_rc "$UNSCATTER" expire --db "$DB" --config "$TMP/conf"
is "$rc:$out" "0:expired 1, 1 left" "[record] expire_days = 30"
run_rc "$UNSCATTER" expire --db "$DB" --days 5
is "$rc:$out" "0:expired 1, 0 left" "--days 5"
is "$(q 'SELECT count(*) FROM rcpt')" 0 "no recipient rows left"
is "$(q "SELECT value FROM meta WHERE key = 'count'")" 0 "the kept count matches"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/a1.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "an expired message can be recorded again"
run_rc "$UNSCATTER" expire --db "$DB" --days -1
is "$rc" 2 "--days -1: usage"
run_rc "$UNSCATTER" expire --db "$DB" extra
is "$rc" 2 "extra argument: usage"

# stats: decisions as deliver/filter log them (day number, verdict, kind, count).
d0=$((T0 / DAY))
q "INSERT INTO decisions VALUES ($d0, 'backscatter', 'dsn', 5), ($d0, 'legitimate', 'dsn', 2),
   ($((d0 + 1)), 'unknown', 'autoreply', 1), ($((d0 - 40)), 'backscatter', 'virus-notice', 3)"
UNSCATTER_NOW=$((T0 + DAY + 3600)); export UNSCATTER_NOW
run_rc "$UNSCATTER" stats --db "$DB"
is "$rc" 0 "stats: exit 0"
expected="2024-03-01  backscatter dsn             5
2024-03-01  legitimate  dsn             2
2024-03-02  unknown     autoreply       1
decisions 8
entries 1"
is "$out" "$expected" "stats: last 30 days per day, verdict, kind; totals"
run_rc "$UNSCATTER" stats --db "$DB" --days 1
is "$out" "2024-03-02  unknown     autoreply       1
decisions 1
entries 1" "stats --days 1: today only"
run_rc "$UNSCATTER" stats --db "$DB" --days 0
is "$(printf '%s\n' "$out" | head -n 1)" "2024-01-21  backscatter virus-notice    3" "stats --days 0: everything, oldest first"
is "$(printf '%s\n' "$out" | tail -n 2 | head -n 1)" "decisions 11" "stats --days 0: total"

# A damaged record: 75, not "0 entries".
printf 'SQLite format 3\000garbage' > "$TMP/bad.db"
head -c 8192 /dev/urandom >> "$TMP/bad.db"
run_rc "$UNSCATTER" stats --db "$TMP/bad.db"
is "$rc" 75 "stats on a damaged record: exit 75"
run_rc "$UNSCATTER" expire --db "$TMP/bad.db"
is "$rc" 75 "expire on a damaged record: exit 75"
done_testing
