#!/bin/sh
# unscatter deliver when things go wrong: an unwritable Maildir, a full disk,
# the record locked past its busy timeout, a corrupt record. Each time: exit
# 75 (the MTA keeps the message and retries), nothing in new/ (no partial
# file, none left in tmp/), a reason on stderr; and once the trouble is gone
# the retry delivers the message exactly once.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$HOME/Maildir"
big="$TMP/big.msg"
{ cat "$DFIX/ham.msg"; i=0; while [ $i -lt 4000 ]; do echo "a long message, line $i ......................"; i=$((i + 1)); done; } > "$big"

# defers NAME CMD...: CMD exits 75, stores nothing, leaves nothing in tmp/, says why.
defers () {
  _name=$1
  shift
  _before=$(mail_list "$M")
  "$@" 2>"$TMP/err"
  is "$?" 75 "$_name: exit 75"
  is "$(delivered "$_before" "$(mail_list "$M")")" "" "$_name: nothing stored"
  is "$(cd "$M" && find . -path '*/tmp/*' -type f | wc -l | tr -d ' ')" 0 "$_name: nothing left in tmp/"
  if [ -s "$TMP/err" ]; then ok "$_name: says why on stderr"; else not_ok "$_name: says why on stderr"; fi
  diag "stderr: $(cat "$TMP/err")"
}
# retry NAME FOLDER CMD...: CMD exits 0 and stores one file in FOLDER.
retry () {
  _name=$1 _d=$2
  shift 2
  _before=$(mail_list "$M")
  "$@" 2>"$TMP/err"
  is "$?" 0 "$_name, retried: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$M")")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | sed 's|/[^/]*$||' | tr '\n' ' ')" "./$_d " "$_name, retried: delivered once, to $_d"
}

# ---- the Maildir cannot be written ----
: > "$TMP/file"
defers "Maildir path through a regular file" "$UNSCATTER" deliver --maildir "$TMP/file/Maildir" < "$DFIX/ham.msg"
retry "Maildir path through a regular file" new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"

# new/ or tmp/ not writable: chmod bites only non-root; root gets chattr +i.
lock_dir () {
  if [ "$(id -u)" != 0 ]; then chmod 500 "$1"; else chattr +i "$1" 2>/dev/null; fi
}
unlock_dir () {
  if [ "$(id -u)" != 0 ]; then chmod 700 "$1"; else chattr -i "$1" 2>/dev/null; fi
}
if lock_dir "$M/new" && ! touch "$M/new/.probe" 2>/dev/null; then
  defers "new/ not writable" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
  unlock_dir "$M/new"
  retry "new/ not writable" new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
  lock_dir "$M/tmp"
  defers "tmp/ not writable" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
  unlock_dir "$M/tmp"
  retry "tmp/ not writable" new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
else
  unlock_dir "$M/new"; rm -f "$M/new/.probe"
  skip "cannot make a directory unwritable here (root without chattr +i)"
fi

# ---- the disk is full ----
# A file size limit (SIGXFSZ ignored, as Postfix's local(8) sets one): EFBIG.
defers "file size limit (EFBIG)" sh -c 'trap "" XFSZ; ulimit -f 40; exec "$0" deliver --maildir "$1"' "$UNSCATTER" "$M" < "$big"
retry "file size limit (EFBIG)" new "$UNSCATTER" deliver --maildir "$M" < "$big"
# A real full file system: a 64 KiB tmpfs in a private mount namespace.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  F="$TMP/full"
  mkdir -p "$F"
  unshare -m sh -c '
    M=$1/Maildir U=$2 R=$1/result
    mount -t tmpfs -o size=64k tmpfs "$1" || exit 9
    mkdir -p "$M"
    "$U" deliver --maildir "$M" < "$3" 2>"$1/err"; echo "$?" > "$R.rc1"
    cp "$1/err" "$R.err" 2>/dev/null
    (cd "$M" && find . -type f -path "*/new/*") | wc -l > "$R.new1"
    (cd "$M" && find . -type f -path "*/tmp/*") | wc -l > "$R.tmp1"
    "$U" deliver --maildir "$M" < "$4" 2>/dev/null; echo "$?" > "$R.rc2"
    (cd "$M" && find . -type f -path "*/new/*") | wc -l > "$R.new2"
    mkdir -p "$5" && cp "$R".* "$5"/
  ' sh "$F" "$UNSCATTER" "$big" "$DFIX/ham.msg" "$TMP/res"
  if [ -f "$TMP/res/result.rc1" ]; then
    is "$(cat "$TMP/res/result.rc1")" 75 "tmpfs full (ENOSPC): exit 75"
    is "$(tr -d ' ' < "$TMP/res/result.new1")" 0 "tmpfs full (ENOSPC): nothing stored"
    is "$(tr -d ' ' < "$TMP/res/result.tmp1")" 0 "tmpfs full (ENOSPC): nothing left in tmp/"
    diag "stderr: $(cat "$TMP/res/result.err")"
    is "$(cat "$TMP/res/result.rc2")" 0 "tmpfs full: a small message still fits: exit 0"
    is "$(tr -d ' ' < "$TMP/res/result.new2")" 1 "tmpfs full: the small message is stored"
  else
    skip "could not mount a tmpfs"
  fi
else
  diag "not root: no tmpfs; the file size limit above stands for a full disk"
fi

# ---- stopped or crashing: still 75 ----
for sig in TERM SEGV ABRT; do
  rm -f "$TMP/fifo"
  mkfifo "$TMP/fifo"
  _before=$(mail_list "$M")
  "$UNSCATTER" deliver --maildir "$M" < "$TMP/fifo" 2>/dev/null &
  pid=$!
  exec 9>"$TMP/fifo"
  printf 'Subject: half a message\n' >&9
  # Not by the clock (a loaded machine is slow): once its handlers are set.
  # SIGINT is the last of them (cli_delivery_signals) and only the program
  # catches it: AddressSanitizer's own SEGV handler is set while its run-time
  # starts, and a SEGV sent then hangs it (it spins on its allocator's lock).
  n=0
  while [ $n -lt 100 ] && ! { catches "$pid" INT && catches "$pid" "$sig"; }; do sleep 0.1; n=$((n + 1)); done
  kill -s "$sig" "$pid"
  wait "$pid"
  is "$?" 75 "SIG$sig while reading: exit 75"
  exec 9>&-
  is "$(delivered "$_before" "$(mail_list "$M")")" "" "SIG$sig while reading: nothing stored"
done

# ---- the record ----
record_sent "$DFIX/sent-original.msg"
is "$?" 0 "the user's sent mail is recorded"
if command -v sqlite3 >/dev/null 2>&1; then
  write_config '[record]' 'busy_timeout = 1'
  # Another process holds the record past the timeout (exclusive locking mode:
  # even WAL readers wait).
  (printf 'PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM sqlite_master;\n'; sleep 8; printf 'COMMIT;\n') |
    sqlite3 -cmd '.timeout 10000' "$DB" >/dev/null 2>&1 &
  locker=$!
  n=0
  while [ $n -lt 50 ] && sqlite3 "$DB" 'SELECT count(*) FROM sqlite_master;' >/dev/null 2>&1; do sleep 0.1; n=$((n + 1)); done
  if sqlite3 "$DB" 'SELECT count(*) FROM sqlite_master;' >/dev/null 2>&1; then
    not_ok "the record is locked by another process"
  else
    ok "the record is locked by another process"
  fi
  t0=$(date +%s)
  defers "record locked past busy_timeout" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-genuine.msg"
  t1=$(date +%s)
  if [ $((t1 - t0)) -le 5 ]; then ok "record locked: gave up after the busy timeout ($((t1 - t0)) s)"; else not_ok "record locked: gave up after the busy timeout ($((t1 - t0)) s)"; fi
  wait "$locker"
  retry "record locked" new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-genuine.msg"
  is "$(verdict_of "$M/$_new")" "legitimate (dsn)" "record locked, retried: legitimate"
  rm -f "$XDG_CONFIG_HOME/unscatter/config"
else
  skip "sqlite3 not installed: record lock test"
fi

mv "$DB" "$TMP/good.db"
rm -f "$DB-wal" "$DB-shm"
printf 'garbage, not a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 > "$DB"
defers "record corrupt (garbage)" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg"
retry "record corrupt: ordinary mail needs no record" new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
head -c 1000 "$TMP/good.db" > "$DB"
defers "record corrupt (truncated)" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg"
rm -f "$DB"
mkdir "$DB"
defers "record is a directory" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg"
rmdir "$DB"
mv "$TMP/good.db" "$DB"
retry "record repaired" .Backscatter/new "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg"
done_testing
