#!/bin/sh
# The delivery path against hostile input and failure injection ("never lose
# mail", design.md principle 1): `deliver` exits only 0 (exactly one copy
# stored, or none when discarded) or 75 (nothing stored); `filter` exits 0
# with the input plus the two header fields (or unchanged), or non-zero.
#
#  - 150 mutated messages (tests/soak-deliver.sh, fixed seed 570, all three of
#    its configurations): see that script for what is asserted per case;
#  - the record path a directory, the record read-only (chattr +i as root),
#    a config file with a syntax error, --help (GLib's exits 0), no HOME,
#    stdin, stdout or stderr
#    closed, a message over [limits] max_bytes (delivered unfiltered: the
#    decision in cmd-deliver.c), SIGTERM before, during and after storing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$TMP/Mail"
IMMUTABLE=
trap '[ -n "$IMMUTABLE" ] && chattr -i "$IMMUTABLE" 2>/dev/null; rm -rf "$TMP"' EXIT

# ---- 150 mutated messages ----
if command -v python3 >/dev/null 2>&1; then
  SOAK_CASES=150 SOAK_SEED=570 SOAK_CRASHDIR="$TMP/crashers" \
    sh "$top_srcdir/tests/soak-deliver.sh" "$top_builddir" > "$TMP/soak.out" 2>&1
  rc=$?
  while IFS= read -r l; do diag "$l"; done < "$TMP/soak.out"
  is "$rc" 0 "150 mutated messages: deliver and filter keep every one"
  is "$(grep -c '^soak-deliver: 150 cases in ' "$TMP/soak.out")" 1 "150 mutated messages: all run"
else
  skip "python3 not found: mutated messages"
fi

record_sent "$DFIX/sent-original.msg"
is "$?" 0 "the user's sent mail is recorded"

# count_new: number of message files in $M (all folders).
count_new () { mail_list "$M" 2>/dev/null | sed '/^$/d' | wc -l | tr -d ' '; }

# defers NAME CMD...: deliver CMD exits 75 and stores nothing.
defers () {
  _name=$1
  shift
  _before=$(count_new)
  "$@" 2>"$TMP/err"
  is "$?" 75 "$_name: exit 75"
  is "$(count_new)" "$_before" "$_name: nothing stored"
  diag "stderr: $(head -c 300 "$TMP/err")"
}
# delivers NAME EXPECTED CMD...: CMD exits 0 and stores exactly one file whose
# content is the file EXPECTED (LAST is set to it).
delivers () {
  _name=$1 _exp=$2
  shift 2
  _before=$(mail_list "$M" 2>/dev/null)
  "$@" 2>"$TMP/err"
  is "$?" 0 "$_name: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$M" 2>/dev/null)")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "$_name: exactly one copy stored"
  LAST="$M/$_new"
  [ -f "$LAST" ] || LAST=/dev/null
  same_bytes "$LAST" "$_exp" "$_name: stored content"
  diag "stderr: $(head -c 300 "$TMP/err")"
}
# filter_fails NAME CMD...: filter CMD exits non-zero (procmail keeps the original).
filter_fails () {
  _name=$1
  shift
  "$@" > "$TMP/fout" 2>"$TMP/err"
  _rc=$?
  if [ "$_rc" -ne 0 ] && [ "$_rc" -lt 128 ]; then ok "$_name: filter fails ($_rc)"; else not_ok "$_name: filter fails (got $_rc)"; fi
}

# Expected stored files: the message with its added fields, as filter writes
# them with a healthy set-up (the messages have no mbox "From " line).
"$UNSCATTER" filter < "$DFIX/ham.msg" > "$TMP/ham.filtered"
is "$?" 0 "filter ham: exit 0"
is "$(verdict_of "$TMP/ham.filtered")" "not-bounce (not-bounce)" "filter ham: not-bounce"
"$UNSCATTER" filter < "$DFIX/bounce-genuine.msg" > "$TMP/genuine.filtered"
is "$(verdict_of "$TMP/genuine.filtered")" "legitimate (dsn)" "filter genuine bounce: legitimate"

# ---- the record path is a directory ----
mkdir -p "$TMP/recdir"
write_config '[record]' "path = $TMP/recdir"
defers "record path a directory, a bounce" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-genuine.msg"
filter_fails "record path a directory, a bounce" "$UNSCATTER" filter < "$DFIX/bounce-genuine.msg"
delivers "record path a directory, ordinary mail" "$TMP/ham.filtered" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

# ---- the record read-only ----
if [ "$(id -u)" = 0 ]; then
  chattr +i "$DB" 2>/dev/null && IMMUTABLE=$DB
else
  chmod 444 "$DB" && IMMUTABLE=
fi
if [ "$(id -u)" != 0 ] || [ -n "$IMMUTABLE" ]; then
  # It can still be read: the verdict stands; only the count is not kept.
  delivers "record read-only, a bounce" "$TMP/genuine.filtered" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-genuine.msg"
  delivers "record read-only, ordinary mail" "$TMP/ham.filtered" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
  "$UNSCATTER" filter < "$DFIX/bounce-genuine.msg" > "$TMP/fout" 2>/dev/null
  is "$?" 0 "record read-only: filter exit 0"
  same_bytes "$TMP/fout" "$TMP/genuine.filtered" "record read-only: filter output"
  if [ -n "$IMMUTABLE" ]; then chattr -i "$DB"; IMMUTABLE=; else chmod 600 "$DB"; fi
else
  skip "root without chattr +i: read-only record"
fi

# ---- a config file with a syntax error ----
write_config '[record' 'busy_timeout = 1'
defers "config syntax error" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
filter_fails "config syntax error" "$UNSCATTER" filter < "$DFIX/ham.msg"
write_config '[limits]' 'max_bytes = lots'
defers "config bad value" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
rm -f "$XDG_CONFIG_HOME/unscatter/config"
printf '[record]\nbusy_timeout = 1\n' > "$TMP/other.conf"
rm -f "$TMP/other.conf"
defers "--config names a missing file" "$UNSCATTER" deliver --config "$TMP/other.conf" --maildir "$M" < "$DFIX/ham.msg"

# ---- the Backscatter folder cannot be made: a file where it should be ----
M2="$TMP/Mail2"
mkdir -p "$M2/new" "$M2/cur" "$M2/tmp"
: > "$M2/.Backscatter"
_before=$(M=$M2 count_new)
"$UNSCATTER" deliver --maildir "$M2" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "folder path a file, backscatter: exit 0 (delivered to the inbox instead)"
is "$(M=$M2 count_new)" "$((_before + 1))" "folder path a file, backscatter: stored once"
is "$(ls "$M2/new" | wc -l)" 1 "folder path a file, backscatter: in the inbox"
is "$(grep -l '^X-Unscatter-Verdict: backscatter' "$M2"/new/* | wc -l)" 1 "folder path a file, backscatter: with its verdict header"
case $(cat "$TMP/err") in *"delivering to the inbox instead"*) ok "folder path a file: says so on stderr";; *) not_ok "folder path a file: says so on stderr";; esac
[ -f "$M2/.Backscatter" ] && ok "folder path a file: the file is left alone" || not_ok "folder path a file: the file is left alone"
"$UNSCATTER" deliver --maildir "$M2" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "folder path a file, ordinary mail: exit 0 (the inbox is fine)"
is "$(M=$M2 count_new)" "$((_before + 2))" "folder path a file, ordinary mail: stored"

# ---- --help in a .forward or a procmail recipe: never "delivered" ----
for a in -h --help --help-all --help-common; do
  defers "deliver $a" "$UNSCATTER" deliver --maildir "$M" "$a" < "$DFIX/ham.msg"
  filter_fails "filter $a" "$UNSCATTER" filter "$a" < "$DFIX/ham.msg"
done
"$UNSCATTER" deliver --help < /dev/null > "$TMP/fout" 2>/dev/null
if grep -q -- '--maildir' "$TMP/fout"; then ok "deliver --help still shows the options"; else not_ok "deliver --help still shows the options"; fi

# ---- no HOME ----
delivers "HOME unset" "$TMP/ham.filtered" env -u HOME "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
H2="$TMP/newhome"
_before=$(count_new)
HOME=$H2 "$UNSCATTER" deliver --maildir '~/Maildir' < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "HOME a missing directory, --maildir ~/Maildir: exit 0"
is "$(cd "$H2/Maildir/new" 2>/dev/null && ls | wc -l | tr -d ' ')" 1 "HOME a missing directory: one copy in \$HOME/Maildir/new"

# ---- stdin, stdout, stderr closed ----
defers "deliver, stdin closed" sh -c 'exec "$0" deliver --maildir "$1" <&-' "$UNSCATTER" "$M"
filter_fails "filter, stdin closed" sh -c 'exec "$0" filter <&-' "$UNSCATTER"
delivers "deliver, stdout closed" "$TMP/ham.filtered" sh -c 'exec "$0" deliver --maildir "$1" >&-' "$UNSCATTER" "$M" < "$DFIX/ham.msg"
sh -c 'exec "$0" filter >&- 2>/dev/null' "$UNSCATTER" < "$DFIX/bounce-genuine.msg"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; then ok "filter, stdout closed: fails ($rc)"; else not_ok "filter, stdout closed: fails (got $rc)"; fi
delivers "deliver, stderr closed, a bounce" "$TMP/genuine.filtered" sh -c 'exec "$0" deliver --maildir "$1" 2>&-' "$UNSCATTER" "$M" < "$DFIX/bounce-genuine.msg"
if command -v sqlite3 >/dev/null 2>&1; then
  is "$(sqlite3 "$DB" 'PRAGMA integrity_check;' 2>&1)" ok "stderr closed: the record is intact"
else
  skip "sqlite3 not installed: the record's integrity check"
fi

# ---- a message over [limits] max_bytes: delivered unfiltered ----
big="$TMP/big.msg"
{ printf 'From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n'; cat "$DFIX/bounce-forged.msg"; i=0; while [ $i -lt 200 ]; do echo "padding line $i ............................................"; i=$((i + 1)); done; } > "$big"
sed '1d' "$big" > "$TMP/big.expected"
write_config '[limits]' 'max_bytes = 2048'
delivers "over max_bytes" "$TMP/big.expected" "$UNSCATTER" deliver --maildir "$M" < "$big"
is "${LAST#"$M"/}" "./new/${LAST##*/}" "over max_bytes: in the inbox, not a folder"
if grep -q 'unfiltered' "$TMP/err"; then ok "over max_bytes: says so on stderr"; else not_ok "over max_bytes: says so on stderr"; fi
delivers "over max_bytes, stderr closed" "$TMP/big.expected" sh -c 'exec "$0" deliver --maildir "$1" 2>&-' "$UNSCATTER" "$M" < "$big"
"$UNSCATTER" filter < "$big" > "$TMP/fout" 2>/dev/null
is "$?" 0 "over max_bytes: filter exit 0"
same_bytes "$TMP/fout" "$big" "over max_bytes: filter passes it on unchanged"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

# ---- SIGTERM ----
# wait_for TENTHS CMD...: until CMD succeeds, at most TENTHS tenths of a second.
wait_for () { _t=$1; shift; while [ "$_t" -gt 0 ] && ! "$@"; do sleep 0.1; _t=$((_t - 1)); done; }
# fd_open PID FILE: PID has FILE open.
fd_open () { ls -l "/proc/$1/fd" 2>/dev/null | grep -qF -- "$2"; }
# stored_more N: more than N messages are stored.
stored_more () { [ "$(count_new)" -gt "$1" ]; }
# lock_record SECONDS: another process holds the record exclusively.
lock_record () {
  (printf 'PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM sqlite_master;\n'; sleep "$1"; printf 'COMMIT;\n') |
    sqlite3 -cmd '.timeout 10000' "$DB" >/dev/null 2>&1 &
  locker=$!
  n=0
  while [ $n -lt 50 ] && sqlite3 "$DB" 'SELECT count(*) FROM sqlite_master;' >/dev/null 2>&1; do sleep 0.1; n=$((n + 1)); done
}
if command -v sqlite3 >/dev/null 2>&1; then
  write_config '[record]' 'busy_timeout = 8'
  # Before storing: a bounce waits for the locked record to judge it.
  lock_record 4
  _before=$(count_new)
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-genuine.msg" 2>/dev/null &
  pid=$!
  # Not by the clock (a loaded machine is slow): once it has the record open.
  wait_for 100 fd_open "$pid" "$DB"
  kill -TERM "$pid"
  wait "$pid"
  is "$?" 75 "SIGTERM while judging (record locked): exit 75"
  is "$(count_new)" "$_before" "SIGTERM while judging: nothing stored"
  wait "$locker"
  # After storing: ordinary mail is stored, then its count waits for the record.
  lock_record 4
  _before=$(count_new)
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg" 2>/dev/null &
  pid=$!
  # Once the message is stored (its count then waits for the record).
  wait_for 100 stored_more "$_before"
  sleep 0.2
  kill -TERM "$pid"
  wait "$pid"
  is "$?" 0 "SIGTERM after storing (counting the decision): exit 0, not 75 (a retry would store it twice)"
  is "$(count_new)" "$((_before + 1))" "SIGTERM after storing: exactly one copy"
  wait "$locker"
  rm -f "$XDG_CONFIG_HOME/unscatter/config"
else
  skip "sqlite3 not installed: SIGTERM around the record lock"
fi
# At any moment while a large message is stored: 75 and nothing, or 0 and one copy.
{ cat "$DFIX/ham.msg"; i=0; while [ $i -lt 60000 ]; do echo "a long message, line $i ......................................................."; i=$((i + 1)); done; } > "$TMP/huge.msg"
bad=0
for d in 0 0.01 0.02 0.03 0.05 0.08 0.1 0.15 0.2 0.3; do
  _before=$(count_new)
  "$UNSCATTER" deliver --maildir "$M" < "$TMP/huge.msg" 2>/dev/null &
  pid=$!
  # Not before unscatter has set its SIGTERM handler: a forked shell still
  # holds our EXIT trap (SIGTERM there would run it: rm -rf "$TMP"), and a
  # freshly exec'd unscatter would die of the signal. The real state, not the
  # command line (a forked shell's names this script: "...deliver-hostile.t").
  n=0
  while [ $n -lt 2000 ] && [ -d "/proc/$pid" ] && ! catches "$pid" TERM; do n=$((n + 1)); done
  [ -d /proc ] || sleep 0.05
  sleep "$d"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  _rc=$?
  _n=$(($(count_new) - _before))
  case "$_rc/$_n" in
    75/0 | 0/1) ;;
    # killed before its handlers were set (still starting): nothing stored,
    # and an MTA defers a command that died of a signal
    143/0) diag "SIGTERM after $d s: killed while starting, nothing stored" ;;
    *) bad=$((bad + 1)); diag "SIGTERM after $d s: exit $_rc, $_n copies" ;;
  esac
done
is "$bad" 0 "SIGTERM at 10 moments of a large delivery: 75 and nothing, or 0 and one copy"

# ---- out of memory ----
# Address space limits around what a 20 MB message needs: reading it fails
# (an error), or g_malloc() fails in the parser (GLib's g_error() raises
# SIGTRAP), or it goes through. Each time 75 and nothing, or 0 and one copy;
# filter fails or passes it on. ASan cannot run under an address space limit.
if ldd "$UNSCATTER" 2>/dev/null | grep -q libasan || grep -q -a __asan_init "$UNSCATTER"; then
  skip "ASan build: out of memory"
else
  { cat "$DFIX/ham.msg"; yes 'a line of a very large message ..........................................' | head -c 20000000; } > "$TMP/oom.msg"
  bad=0 glib=0
  # (A 20 MB message is parsed in place, in the bytes read: g_malloc()
  # fails in a window of a few MB above what reading needs, 32-36 MB here;
  # hence the steps of 0.5 MB there.)
  for v in 24000 28000 30000 31000 32000 32500 33000 33500 34000 34500 35000 35500 36000 37000 38000 40000 45000 60000 100000; do
    _before=$(count_new)
    (ulimit -v $v; exec "$UNSCATTER" deliver --maildir "$M" < "$TMP/oom.msg" 2>"$TMP/err")
    _rc=$?
    _n=$(($(count_new) - _before))
    grep -q 'GLib-ERROR' "$TMP/err" && glib=$((glib + 1))
    case "$_rc/$_n" in
      75/0 | 0/1) ;;
      *) bad=$((bad + 1)); diag "deliver, ulimit -v $v: exit $_rc, $_n copies: $(head -c 200 "$TMP/err")" ;;
    esac
    (ulimit -v $v; exec "$UNSCATTER" filter < "$TMP/oom.msg" > "$TMP/fout" 2>"$TMP/err")
    _rc=$?
    case "$_rc" in
      0) cmp -s "$TMP/fout" "$TMP/oom.msg" || { grep -q '^X-Unscatter-Verdict: ' "$TMP/fout" || { bad=$((bad + 1)); diag "filter, ulimit -v $v: exit 0, bad output"; }; } ;;
      75) ;;
      *) bad=$((bad + 1)); diag "filter, ulimit -v $v: exit $_rc: $(head -c 200 "$TMP/err")" ;;
    esac
  done
  is "$bad" 0 "out of memory at 19 address space limits: deliver 75 or one copy, filter 75 or 0"
  if [ "$glib" -gt 0 ]; then ok "out of memory: g_malloc() failed in $glib of them (the g_error() path ran)"; else not_ok "out of memory: g_malloc() never failed (the g_error() path did not run)"; fi
fi

done_testing
