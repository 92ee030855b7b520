#!/bin/sh
# unscatter report: the text and JSON reports of a record filled by
# delivering fixtures (exact output), the period options, an absent and a
# damaged record, expiry, the decision log's cap, and an admin's report over
# several records (--db twice, --all-users) that reads them without writing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
. "$top_srcdir/tests/t/report.sh"
setup_home
M="$TMP/Mail"

# No record yet: an empty report, exit 0, and a word on stderr.
run_rc "$UNSCATTER" report --until 2024-03-08 --json
is "$rc" 0 "no record: exit 0"
is "$(printf '%s\n' "$out" | sed -n '2p')" ' "bounces": 0, "backscatter": 0, "legitimate": 0, "unknown": 0, "not_bounce": 0,' "no record: zero counts"
case $err in *"no record at $DB yet"*) ok "no record: said on stderr" ;; *) not_ok "no record: said on stderr"; diag "$err" ;; esac
[ -e "$DB" ] && not_ok "report creates no record" || ok "report creates no record"

fill_record
is "$?" 0 "fixtures delivered on three days (exit 0 each)"
is "$(ls "$M/new" | wc -l | tr -d ' ')" 2 "the genuine bounce and the ordinary mail in the inbox"
is "$(ls "$M/.Backscatter/new" | wc -l | tr -d ' ')" 9 "nine backscatter filed"

run_rc "$UNSCATTER" report --since 3 --until 2024-03-08
is "$rc" 0 "text report: exit 0"
cat > "$TMP/expected" <<'END'
Backscatter report 2024-03-06 .. 2024-03-08 (3 days, UTC)
bounces             10
  backscatter        9
  legitimate         1
  unknown            0
ordinary mail        1

Backscatter per day (days with bounces)
  2024-03-06       2  ################ (+1 legitimate, 0 unknown)
  2024-03-07       5  ########################################
  2024-03-08       2  ################

Top sending servers (first external relay)
        4  relay.example.com [203.0.113.80]
        1  avgw.metalworks.example.com [203.0.113.150]
        1  e226-3.smtp-out.eu-west-1.amazonses.com [198.51.100.226]
        1  mail-am7eur03on2101.outbound.protection.outlook.com [198.51.100.101]
        1  mail.greenhouse.example.net [203.0.113.117]
        1  mx.riverside-dental.example.com [203.0.113.56]

Top reporting MTAs
        3  relay.example.com
        2  (unknown)
        1  <b>evil</b>&?
        1  e226-3.smtp-out.eu-west-1.amazonses.com
        1  mail.greenhouse.example.net
        1  mx.riverside-dental.example.com

Top MTA software
        4  postfix
        3  unidentified
        1  amazonses
        1  courier

Forged senders
        9  alice@example.org

Recipients of the spam
        4  j.doe@example.com
        1  accounting@metalworks.example.com
        1  appointments@riverside-dental.example.com
        1  newsletter@garden-center.example.com
        1  orders@greenhouse.example.net
        1  t.nowak@steel-works.example.com

Kinds
        6  dsn
        2  virus-notice
        1  autoreply

Payloads found
        1  application/vnd.microsoft.portable-executable

Genuine bounces delivered: 1
  2024-03-06  dsn             mx.example.net [192.0.2.25] -> bob@example.net
      original Message-ID <20240304081203.GA1187@alice-laptop.example.org> (from message/rfc822) is in the sent record (2 entries)
END
printf '%s\n' "$out" > "$TMP/got"
if cmp -s "$TMP/got" "$TMP/expected"; then ok "text report: exact"; else not_ok "text report: exact"; diff "$TMP/expected" "$TMP/got" | sed 's/^/# /'; fi
case $out in *"$(printf '\033')"*) not_ok "text report: no escape character from a message" ;; *) ok "text report: no escape character from a message" ;; esac

run_rc "$UNSCATTER" report --since 3 --until 2024-03-08 --json
is "$rc" 0 "JSON report: exit 0"
cat > "$TMP/expected" <<'END'
{"since": "2024-03-06", "until": "2024-03-08",
 "bounces": 10, "backscatter": 9, "legitimate": 1, "unknown": 0, "not_bounce": 1,
 "per_day": {"2024-03-06": 2, "2024-03-07": 5, "2024-03-08": 2},
 "days": [{"day": "2024-03-06", "backscatter": 2, "legitimate": 1, "unknown": 0}, {"day": "2024-03-07", "backscatter": 5, "legitimate": 0, "unknown": 0}, {"day": "2024-03-08", "backscatter": 2, "legitimate": 0, "unknown": 0}],
 "top_servers": [{"name": "relay.example.com [203.0.113.80]", "count": 4}, {"name": "avgw.metalworks.example.com [203.0.113.150]", "count": 1}, {"name": "e226-3.smtp-out.eu-west-1.amazonses.com [198.51.100.226]", "count": 1}, {"name": "mail-am7eur03on2101.outbound.protection.outlook.com [198.51.100.101]", "count": 1}, {"name": "mail.greenhouse.example.net [203.0.113.117]", "count": 1}, {"name": "mx.riverside-dental.example.com [203.0.113.56]", "count": 1}],
 "top_reporting_mta": [{"name": "relay.example.com", "count": 3}, {"name": "(unknown)", "count": 2}, {"name": "<b>evil</b>&?", "count": 1}, {"name": "e226-3.smtp-out.eu-west-1.amazonses.com", "count": 1}, {"name": "mail.greenhouse.example.net", "count": 1}, {"name": "mx.riverside-dental.example.com", "count": 1}],
 "top_mta": [{"name": "postfix", "count": 4}, {"name": "unidentified", "count": 3}, {"name": "amazonses", "count": 1}, {"name": "courier", "count": 1}],
 "forged_senders": [{"name": "alice@example.org", "count": 9}],
 "recipients": [{"name": "j.doe@example.com", "count": 4}, {"name": "accounting@metalworks.example.com", "count": 1}, {"name": "appointments@riverside-dental.example.com", "count": 1}, {"name": "newsletter@garden-center.example.com", "count": 1}, {"name": "orders@greenhouse.example.net", "count": 1}, {"name": "t.nowak@steel-works.example.com", "count": 1}],
 "kinds": [{"name": "dsn", "count": 6}, {"name": "virus-notice", "count": 2}, {"name": "autoreply", "count": 1}],
 "payloads": [{"name": "application/vnd.microsoft.portable-executable", "count": 1}],
 "kept_total": 1, "kept": [{"day": "2024-03-06", "kind": "dsn", "server": "mx.example.net [192.0.2.25]", "recipient": "bob@example.net", "reason": "original Message-ID <20240304081203.GA1187@alice-laptop.example.org> (from message/rfc822) is in the sent record (2 entries)"}],
 "records": [{"name": "TMP/home/.local/share/unscatter/record.db", "backscatter": 9, "legitimate": 1, "unknown": 0, "not_bounce": 1}]}
END
printf '%s\n' "$out" | sed "s|$TMP/|TMP/|" > "$TMP/got"
if cmp -s "$TMP/got" "$TMP/expected"; then ok "JSON report: exact"; else not_ok "JSON report: exact"; diff "$TMP/expected" "$TMP/got" | sed 's/^/# /'; fi
if command -v python3 >/dev/null 2>&1; then
  printf '%s\n' "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for k in ("backscatter", "legitimate", "per_day", "top_servers", "top_mta"):
    assert k in r, k
assert isinstance(r["per_day"], dict)
for k in ("top_servers", "top_mta"):
    assert all(set(x) == {"name", "count"} for x in r[k]), k
assert r["backscatter"] == sum(r["per_day"].values())
' && ok "JSON report: parses, has the contract keys, per_day sums to backscatter" || not_ok "JSON report: parses, has the contract keys, per_day sums to backscatter"
else
  skip "python3 absent: JSON not parsed"
fi

# The period: --since 1 is the --until day alone; --top cuts the lists.
run_rc "$UNSCATTER" report --since 1 --until 2024-03-07 --top 1 --json
is "$(printf '%s\n' "$out" | sed -n '2,3p')" ' "bounces": 5, "backscatter": 5, "legitimate": 0, "unknown": 0, "not_bounce": 0,
 "per_day": {"2024-03-07": 5},' "--since 1 --until 2024-03-07: that day only"
is "$(printf '%s\n' "$out" | grep '"top_servers"')" ' "top_servers": [{"name": "avgw.metalworks.example.com [203.0.113.150]", "count": 1}],' "--top 1: one line per list (ties by name)"
run_rc "$UNSCATTER" report --since 0 --until 2024-03-08 --json
is "$(printf '%s\n' "$out" | sed -n '1p')" '{"since": "2024-03-06", "until": "2024-03-08",' "--since 0: from the oldest decision"
# The default period is the 30 days up to today.
UNSCATTER_NOW=1709892001 run_rc "$UNSCATTER" report --json
is "$(printf '%s\n' "$out" | sed -n '1,2p')" '{"since": "2024-02-08", "until": "2024-03-08",
 "bounces": 10, "backscatter": 9, "legitimate": 1, "unknown": 0, "not_bounce": 1,' "default: the last 30 days"

# Usage errors: exit 2.
for args in "--since -1" "--json --html $TMP/x.html" "--until 2024-02-30" "--until yesterday" "--top 0" "stray"; do
  # shellcheck disable=SC2086
  run_rc "$UNSCATTER" report $args
  is "$rc" 2 "report $args: exit 2"
done

# HTML to a file (its content is checked in 0620-report-html.t).
run_rc "$UNSCATTER" report --since 3 --until 2024-03-08 --html "$TMP/r.html"
is "$rc" 0 "--html FILE: exit 0"
case $(cat "$TMP/r.html") in *'&lt;b&gt;evil&lt;/b&gt;&amp;'*) ok "--html: text from messages escaped" ;; *) not_ok "--html: text from messages escaped" ;; esac

# Expiry: decisions older than the cut go with the rest of the record.
UNSCATTER_NOW=1709899200 run_rc "$UNSCATTER" expire --days 1
is "$rc" 0 "expire: exit 0"
run_rc "$UNSCATTER" report --since 3 --until 2024-03-08 --json
is "$(printf '%s\n' "$out" | sed -n '3p')" ' "per_day": {"2024-03-06": 0, "2024-03-07": 0, "2024-03-08": 2},' "expire removes the older decisions"

# The cap: [record] max_decisions keeps the newest rows.
write_config '[record]' 'max_decisions = 3'
for t in 1709978400 1709978401 1709978402; do
  UNSCATTER_NOW=$t "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>/dev/null
done
rm -f "$XDG_CONFIG_HOME/unscatter/config"
run_rc "$UNSCATTER" report --since 0 --until 2024-03-09 --json
is "$(printf '%s\n' "$out" | sed -n '1,3p')" '{"since": "2024-03-06", "until": "2024-03-09",
 "bounces": 3, "backscatter": 3, "legitimate": 0, "unknown": 0, "not_bounce": 1,
 "per_day": {"2024-03-06": 0, "2024-03-07": 0, "2024-03-08": 0, "2024-03-09": 3},' "max_decisions = 3: the three newest kept (ordinary mail is only counted per day)"

# A damaged record: exit 75, nothing on stdout.
printf 'this is not an SQLite database, just text that goes on and on ......................................\n' > "$TMP/bad.db"
run_rc "$UNSCATTER" report --db "$TMP/bad.db"
is "$rc" 75 "damaged record: exit 75"
is "$out" "" "damaged record: nothing on stdout"

# An admin: three users' records (carol's only holds sent mail and has no
# WAL file; dave has none; a stray file is no home), by --all-users and by
# --db twice; read-only: nothing created or written there.
H="$TMP/homes"
mkdir -p "$H/alice/.local/share/unscatter" "$H/bob" "$H/carol" "$H/dave"
"$UNSCATTER" record --db "$H/carol/.local/share/unscatter/record.db" "$DFIX/sent-other.msg" >/dev/null 2>&1
if [ -e "$H/carol/.local/share/unscatter/record.db-wal" ]; then not_ok "carol's record: no WAL file after recording"; else ok "carol's record: no WAL file after recording"; fi
: > "$H/stray-file"
A="$H/alice/.local/share/unscatter/record.db"
"$UNSCATTER" record --db "$A" "$DFIX/sent-original.msg" >/dev/null 2>&1
for t in 1709978400 1709978401 1709978402; do
  UNSCATTER_NOW=$t "$UNSCATTER" deliver --db "$A" --maildir "$TMP/AliceMail" < "$DFIX/bounce-forged.msg" 2>/dev/null
done
mkdir -p "$H/bob/.config/unscatter"
printf '[record]\npath = ~/mail/unscatter.db\n' > "$H/bob/.config/unscatter/config"
HOME="$H/bob" "$UNSCATTER" record --db "$H/bob/mail/unscatter.db" "$DFIX/sent-original.msg" >/dev/null 2>&1
UNSCATTER_NOW=1709978400 "$UNSCATTER" deliver --db "$H/bob/mail/unscatter.db" --maildir "$TMP/BobMail" < "$DFIX/bounce-forged.msg" 2>/dev/null
UNSCATTER_NOW=1709978400 "$UNSCATTER" deliver --db "$H/bob/mail/unscatter.db" --maildir "$TMP/BobMail" < "$DFIX/bounce-genuine.msg" 2>/dev/null
# (A reader of a WAL-mode file updates the -shm index that is already there.)
snapshot () { (cd "$H" && { find . ! -name '*-shm' -exec ls -ld --time-style=+%s.%N {} +; find . -name '*-shm'; } | sort); }
before=$(snapshot)
run_rc "$UNSCATTER" report --since 0 --until 2024-03-09 --all-users "$H" --json
is "$rc" 0 "--all-users: exit 0"
is "$(printf '%s\n' "$out" | sed -n '2p')" ' "bounces": 5, "backscatter": 4, "legitimate": 1, "unknown": 0, "not_bounce": 0,' "--all-users: the two records summed"
is "$(printf '%s\n' "$out" | grep '"records"')" ' "records": [{"name": "alice", "backscatter": 3, "legitimate": 0, "unknown": 0, "not_bounce": 0}, {"name": "bob", "backscatter": 1, "legitimate": 1, "unknown": 0, "not_bounce": 0}, {"name": "carol", "backscatter": 0, "legitimate": 0, "unknown": 0, "not_bounce": 0}]}' "--all-users: one line per user, each user's own record path"
after=$(snapshot)
is "$after" "$before" "--all-users: nothing created or changed in the homes"
run_rc "$UNSCATTER" report --since 0 --until 2024-03-09 --db "$H/alice/.local/share/unscatter/record.db" --db "$H/bob/mail/unscatter.db"
is "$rc" 0 "--db twice: exit 0"
is "$(printf '%s\n' "$out" | sed -n '2,3p')" 'records              2
bounces              5' "--db twice: two records, the same sum"
case $out in *"Per record"*"alice/.local/share/unscatter/record.db"*"bob/mail/unscatter.db"*) ok "--db twice: per record lines" ;; *) not_ok "--db twice: per record lines" ;; esac
run_rc "$UNSCATTER" report --since 0 --until 2024-03-09 --db "$H/alice/.local/share/unscatter/record.db" --db "$TMP/bad.db" --json
is "$rc" 75 "--db with one damaged record: exit 75"
is "$(printf '%s\n' "$out" | sed -n '2p')" ' "bounces": 3, "backscatter": 3, "legitimate": 0, "unknown": 0, "not_bounce": 0,' "--db with one damaged record: the others still reported"
case $err in *bad.db*) ok "--db with one damaged record: named on stderr" ;; *) not_ok "--db with one damaged record: named on stderr" ;; esac
run_rc "$UNSCATTER" report --all-users "$H" --db "$DB"
is "$rc" 2 "--all-users with --db: exit 2"

done_testing
