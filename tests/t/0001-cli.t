#!/bin/sh
# The command's dispatch and usage errors.
. "$top_srcdir/tests/lib.sh"
tmpdir
run_rc "$UNSCATTER"
is "$rc" 2 "no command: usage, exit 2"
run_rc "$UNSCATTER" --help
is "$rc" 0 "--help exits 0"
run_rc "$UNSCATTER" frobnicate
is "$rc" 2 "unknown command: exit 2"
run_rc "$UNSCATTER" check --no-such-option
is "$rc" 2 "check: bad option: exit 2"
printf 'From: a@example.org\nTo: b@example.org\nSubject: hi\n\nhello\n' > "$TMP/ham.eml"
run_rc "$UNSCATTER" check "$TMP/ham.eml"
is "$rc" 1 "check: ordinary mail exits 1"
is "$out" "$TMP/ham.eml: not-bounce not-bounce deliver" "check: ordinary mail line"
run_rc "$UNSCATTER" check "$TMP/does-not-exist.eml"
is "$rc" 1 "check: missing file exits 1 (the mail is kept)"
# ---- the common options before the command name (as with git) ----
case "$(  "$UNSCATTER" --help)" in
  *"--db and --config go before or after COMMAND"*) ok "--help says where the options go" ;;
  *) not_ok "--help says where the options go" ;;
esac
FIX=$top_srcdir/fixtures/deliver
run_rc "$UNSCATTER" --db "$TMP/front.db" record "$FIX/sent-original.msg"
is "$rc:$err" "0:unscatter: record: recorded 1, already present 0" "--db PATH before record: exit 0"
[ -f "$TMP/front.db" ] && ok "--db PATH before record: that record is created" || not_ok "--db PATH before record: that record is created"
[ -e "$XDG_DATA_HOME/unscatter/record.db" ] && not_ok "--db before the command: the default record untouched" || ok "--db before the command: the default record untouched"
run_rc "$UNSCATTER" --db="$TMP/front.db" check "$FIX/bounce-genuine.msg"
is "$rc:$out" "1:$FIX/bounce-genuine.msg: legitimate dsn deliver" "--db=PATH before check: the bounce of recorded mail is legitimate"
run_rc "$UNSCATTER" check --db "$TMP/front.db" "$FIX/bounce-forged.msg"
is "$rc:$out" "0:$FIX/bounce-forged.msg: backscatter dsn file" "--db after the command still works"
printf '[actions]\nbackscatter = discard\n' > "$TMP/front.conf"
run_rc "$UNSCATTER" --config "$TMP/front.conf" --db "$TMP/front.db" check "$FIX/bounce-forged.msg"
is "$rc:$out" "0:$FIX/bounce-forged.msg: backscatter dsn discard" "--config PATH --db PATH before check: both apply"
run_rc "$UNSCATTER" --config "$TMP/no-such.conf" check "$FIX/ham.msg"
is "$rc" 1 "--config with a missing file before check: an error, exit 1"
case "$err" in *no-such.conf*) ok "--config before check: the missing file is named" ;; *) not_ok "--config before check: the missing file is named"; diag "$err" ;; esac
run_rc "$UNSCATTER" --db
is "$rc:$err" "2:unscatter: option '--db' needs a value" "--db without a value and no command: usage error, exit 2"
run_rc "$UNSCATTER" --db "$TMP/front.db"
is "$rc" 2 "options but no command: usage, exit 2"
run_rc "$UNSCATTER" --frobnicate check "$FIX/ham.msg"
is "$rc" 2 "another option before the command: unknown command, exit 2"
done_testing
