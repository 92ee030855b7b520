#!/bin/sh
# `unscatter record`: stdin, FILEs, Maildir / Maildir++, mbox; every recipient
# field; no double imports; messages without Message-ID; --since; exit codes
# (0, 65 bad input, 75 record failure); file modes. The database is inspected
# with the real sqlite3 program.
. "$top_srcdir/tests/lib.sh"
tmpdir
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 (the program) not installed"

DB="$TMP/data/unscatter/record.db"
q () { sqlite3 "$DB" "$1"; }
msg () { # msg FILE ID TO [DATE] — a small sent message
  {
    [ -n "$2" ] && printf 'Message-ID: <%s>\n' "$2"
    printf 'Date: %s\nFrom: Alice <alice@example.org>\nTo: %s\nSubject: test %s\n\nhello\n' \
      "${4:-Mon, 4 Mar 2024 08:15:12 +0100}" "$3" "$2"
  } > "$1"
}

# --- stdin, every recipient field ---------------------------------------
cat > "$TMP/all.eml" <<'EOF'
Message-ID: <all-fields@example.org>
Date: Mon, 4 Mar 2024 08:15:12 +0100
From: Alice <alice@example.org>
To: "Smith, Bob" <Bob.Smith@Example.NET>, carol@example.com
Cc: undisclosed-group: dave@example.com, erin@example.com;,
 Frank <frank@example.com>
Bcc: grace@example.com
Resent-To: heidi@example.com
Resent-Cc: ivan@example.com
Resent-Bcc: judy@example.com
To: bob.smith@example.net
Subject: all the fields

body
To: not-a-header@example.com
EOF
run_rc "$UNSCATTER" record --db "$DB" --recipient envelope@example.net < "$TMP/all.eml"
is "$rc" 0 "stdin: exit 0"
is "$err" "unscatter: record: recorded 1, already present 0" "stdin: summary on stderr"
is "$(q 'SELECT count(*) FROM sent')" 1 "one sent message"
# bob (twice, different case), carol, dave, erin, frank, grace, heidi, ivan, judy, envelope
is "$(q 'SELECT count(*) FROM rcpt')" 10 "ten distinct recipients (To Cc Bcc Resent-* groups envelope; not the body)"
is "$(q 'SELECT count(DISTINCT date) FROM rcpt')" 1 "one date for all"
is "$(q 'SELECT date FROM sent')" 1709536512 "the Date header, in seconds"
is "$(q 'PRAGMA journal_mode')" wal "WAL mode"
is "$(q 'PRAGMA user_version')" 3 "schema version 3"
is "$(stat -c %a "$DB")" 600 "record file mode 0600"
is "$(stat -c %a "$(dirname "$DB")")" 700 "record directory mode 0700"

run_rc "$UNSCATTER" record --db "$DB" < "$TMP/all.eml"
is "$rc" 0 "again: exit 0"
is "$err" "unscatter: record: recorded 0, already present 1" "again: already present"
is "$(q 'SELECT count(*) FROM sent')" 1 "still one message"

# CRLF and an mbox From line
printf 'From alice@example.org Mon Mar  4 08:15:12 2024\r\nMessage-ID: <crlf@example.org>\r\nTo: crlf@example.net\r\nDate: Mon, 4 Mar 2024 09:00:00 +0000\r\n\r\nbody\r\n' > "$TMP/crlf.eml"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/crlf.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "CRLF file with an mbox From line"
is "$(q 'SELECT count(*) FROM sent')" 2 "two messages"

# --- no Message-ID: recipients and date, deduplicated by content ----------
msg "$TMP/noid.eml" "" "nobody-id@example.net"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/noid.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "no Message-ID: recorded"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/noid.eml"
is "$rc:$err" "0:unscatter: record: recorded 0, already present 1" "no Message-ID: not twice"
msg "$TMP/noid2.eml" "" "nobody-id@example.net" "Tue, 5 Mar 2024 08:15:12 +0100"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/noid2.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "no Message-ID, another date: a new message"
printf 'Subject: nothing\nFrom: a@example.org\n\nbody\n' > "$TMP/empty.eml"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/empty.eml"
is "$rc:$err" "0:unscatter: record: recorded 0, already present 0, skipped 1 with neither Message-ID nor recipient" \
  "neither Message-ID nor recipient: skipped"

# --- Maildir and Maildir++ -------------------------------------------------
MD="$TMP/Maildir/.Sent"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
touch "$MD/maildirfolder"
for i in 1 2 3; do msg "$MD/cur/100000000$i.M1P1.host:2,S" "md$i@example.org" "md$i@example.net"; done
for i in 4 5; do msg "$MD/new/100000000$i.M1P1.host" "md$i@example.org" "md$i@example.net"; done
msg "$MD/tmp/1000000009.M1P1.host" "in-tmp@example.org" "tmp@example.net"
msg "$MD/cur/.hidden" "hidden@example.org" "hidden@example.net"
run_rc "$UNSCATTER" record --db "$DB" --maildir "$MD"
is "$rc:$err" "0:unscatter: record: recorded 5, already present 0" "Maildir++ folder: cur/ and new/, not tmp/ or dot files"
run_rc "$UNSCATTER" record --db "$DB" --maildir "$MD"
is "$rc:$err" "0:unscatter: record: recorded 0, already present 5" "Maildir imported twice adds nothing twice"
mv "$MD/new/1000000004.M1P1.host" "$MD/cur/1000000004.M1P1.host:2,S"
msg "$MD/new/1000000006.M1P1.host" "md6@example.org" "md6@example.net"
run_rc "$UNSCATTER" record --db "$DB" --maildir "$MD"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 5" "Maildir: only the new message (a moved one is not new)"

# --- mbox -----------------------------------------------------------------
cat > "$TMP/sent.mbox" <<'EOF'
From alice@example.org Mon Mar  4 08:15:12 2024
Message-ID: <mbox1@example.org>
To: mbox1@example.net
Date: Mon, 4 Mar 2024 08:15:12 +0100

first
From here on this is body text, not a new message
>From escaped

From alice@example.org Mon Mar  4 08:16:12 2024
Message-ID: <mbox2@example.org>
To: mbox2@example.net

second

From alice@example.org Mon Mar  4 08:17:12 2024
To: mbox3@example.net
Date: Mon, 4 Mar 2024 08:17:12 +0100

third, no Message-ID
EOF
run_rc "$UNSCATTER" record --db "$DB" --mbox "$TMP/sent.mbox"
is "$rc:$err" "0:unscatter: record: recorded 3, already present 0" "mbox: three messages"
run_rc "$UNSCATTER" record --db "$DB" --mbox "$TMP/sent.mbox"
is "$rc:$err" "0:unscatter: record: recorded 0, already present 3" "mbox twice adds nothing twice"

# --- --since ----------------------------------------------------------------
msg "$TMP/old.eml" "old@example.org" "old@example.net" "Sat, 1 Jan 2000 00:00:00 +0000"
msg "$TMP/new.eml" "recent@example.org" "recent@example.net" "$(LC_ALL=C date -R)"
run_rc "$UNSCATTER" record --db "$DB" --since 30 "$TMP/old.eml" "$TMP/new.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0, skipped 1 older than 30 days" "--since skips old mail"
run_rc "$UNSCATTER" record --db "$DB" "$TMP/old.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "without --since an old message is recorded"

# --- bad input: 65, the rest still recorded ---------------------------------
printf 'this is not a mail message\n' > "$TMP/garbage"
msg "$TMP/good.eml" "good@example.org" "good@example.net"
n0=$(q 'SELECT count(*) FROM sent')
run_rc "$UNSCATTER" record --db "$DB" "$TMP/garbage" "$TMP/missing.eml" "$TMP/good.eml"
is "$rc" 65 "bad input: exit 65"
is "$(printf '%s\n' "$err" | tail -n 1)" "unscatter: record: recorded 1, already present 0, 1 not messages" "bad input: summary"
is "$(q 'SELECT count(*) FROM sent')" "$((n0 + 1))" "bad input: the good message was recorded"
run_rc "$UNSCATTER" record --db "$DB" --maildir "$TMP/no-such-maildir"
is "$rc" 65 "not a Maildir: exit 65"
run_rc "$UNSCATTER" record --db "$DB" --mbox "$TMP/garbage"
is "$rc" 65 "not an mbox: exit 65"
run_rc "$UNSCATTER" record --db "$DB" --maildir "$MD" "$TMP/good.eml"
is "$rc" 2 "--maildir with FILEs: usage, exit 2"
run_rc "$UNSCATTER" record --db "$DB" --bogus
is "$rc" 2 "bad option: exit 2"

# --- record failures: 75, never "recorded" ------------------------------------
printf 'SQLite format 3\000 but then garbage garbage garbage garbage garbage garbage garbage garbage' > "$TMP/corrupt.db"
head -c 8192 /dev/urandom >> "$TMP/corrupt.db"
run_rc "$UNSCATTER" record --db "$TMP/corrupt.db" "$TMP/good.eml"
is "$rc" 75 "corrupt record: exit 75"
case "$err" in *"corrupt.db"*) ok "corrupt record: the file is named";; *) not_ok "corrupt record: the file is named"; diag "$err";; esac
run_rc "$UNSCATTER" record --db "/proc/unscatter-cannot/record.db" "$TMP/good.eml"
is "$rc" 75 "record cannot be created: exit 75"

printf '[record]\nbusy_timeout = 0.3\n' > "$TMP/conf"
mkfifo "$TMP/lock.fifo"
sqlite3 "$DB" < "$TMP/lock.fifo" > "$TMP/lock.out" 2>&1 &
lockpid=$!
exec 9> "$TMP/lock.fifo"
printf "PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nINSERT INTO meta VALUES ('lock', 1);\nSELECT 'locked';\n" >&9
i=0; until grep -q locked "$TMP/lock.out" 2>/dev/null || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
msg "$TMP/locked.eml" "while-locked@example.org" "locked@example.net"
run_rc "$UNSCATTER" record --db "$DB" --config "$TMP/conf" "$TMP/locked.eml"
is "$rc" 75 "record locked past the timeout: exit 75"
case "$err" in *"try again later"*) ok "locked: says it is temporary";; *) not_ok "locked: says it is temporary"; diag "$err";; esac
printf 'ROLLBACK;\n.quit\n' >&9
exec 9>&-
wait $lockpid
run_rc "$UNSCATTER" record --db "$DB" --config "$TMP/conf" "$TMP/locked.eml"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "lock released: recorded"

# --- the default path and $UNSCATTER_DB ---------------------------------------
run_rc "$UNSCATTER" record "$TMP/good.eml"
is "$rc" 0 "default path: exit 0"
[ -f "$XDG_DATA_HOME/unscatter/record.db" ] && ok "default path is \$XDG_DATA_HOME/unscatter/record.db" || not_ok "default path"
(UNSCATTER_DB="$TMP/env.db"; export UNSCATTER_DB; "$UNSCATTER" record "$TMP/good.eml" 2>/dev/null)
[ -f "$TMP/env.db" ] && ok "\$UNSCATTER_DB is used" || not_ok "\$UNSCATTER_DB is used"
printf '[record]\npath = %s\n' "$TMP/cfg.db" > "$TMP/conf2"
run_rc "$UNSCATTER" record --config "$TMP/conf2" "$TMP/good.eml"
[ -f "$TMP/cfg.db" ] && ok "[record] path is used" || not_ok "[record] path is used"
printf '[record]\npaht = x\n' > "$TMP/conf3"
run_rc "$UNSCATTER" record --config "$TMP/conf3" "$TMP/good.eml"
is "$rc" 75 "bad config: exit 75"
case "$err" in *"conf3"*"unknown key 'paht'"*) ok "bad config: file and key named";; *) not_ok "bad config: file and key named"; diag "$err";; esac
done_testing
