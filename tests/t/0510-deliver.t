#!/bin/sh
# unscatter deliver: into the inbox (new/) or the Maildir++ folder
# .Backscatter/ (created with its maildirfolder file), or discarded when so
# configured; the stored file is the input (less an mbox "From " line) with
# the two added header fields; exit only 0 or 75.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$TMP/Mail"
record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg"
is "$?" 0 "the user's sent mail is recorded"

# one MESSAGE FOLDER VERDICT [OPTIONS]: deliver MESSAGE, expect it in FOLDER
# ("new", ".Backscatter/new") with VERDICT added.
one () {
  _m=$1 _d=$2 _v=$3
  shift 3
  _before=$(mail_list "$M" 2>/dev/null)
  "$UNSCATTER" deliver --maildir "$M" "$@" < "$DFIX/$_m" 2>"$TMP/err"
  is "$?" 0 "$_m: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$M")")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "$_m: one file delivered"
  is "${_new%/*}" "./$_d" "$_m: delivered to $_d"
  _f="$M/$_new"
  [ -f "$_f" ] || _f=/dev/null
  is "$(verdict_of "$_f")" "$_v" "$_m: X-Unscatter-Verdict: $_v"
  is "$(reason_of "$_f")" "X-Unscatter-Reason: " "$_m: X-Unscatter-Reason follows"
  strip_added "$_f" > "$TMP/stripped"
  # A Maildir file has no mbox "From " line.
  sed '1{/^From /d;}' "$DFIX/$_m" > "$TMP/expected"
  same_bytes "$TMP/stripped" "$TMP/expected" "$_m: byte for byte the input apart from the added fields"
}

one ham.msg new "not-bounce (not-bounce)"
for d in new cur tmp; do
  if [ -d "$M/$d" ]; then ok "the Maildir was created: $d/"; else not_ok "the Maildir was created: $d/"; fi
done
is "$(ls "$M/tmp" | wc -l | tr -d ' ')" 0 "nothing left in tmp/"
one ham-crlf.msg new "not-bounce (not-bounce)"
one ham-mbox-from.msg new "not-bounce (not-bounce)"
is "$(head -c 5 "$_f")" "X-Uns" "ham-mbox-from.msg: the From line is not stored"
one ham-forged-header.msg new "not-bounce (not-bounce)" --recipient alice@example.org --sender promo@example.biz
one bounce-genuine.msg new "legitimate (dsn)"
one bounce-forged.msg .Backscatter/new "backscatter (dsn)"
for d in new cur tmp; do
  if [ -d "$M/.Backscatter/$d" ]; then ok ".Backscatter/$d/ created"; else not_ok ".Backscatter/$d/ created"; fi
done
if [ -f "$M/.Backscatter/maildirfolder" ] && [ ! -s "$M/.Backscatter/maildirfolder" ]; then
  ok ".Backscatter/maildirfolder: an empty file"
else
  not_ok ".Backscatter/maildirfolder: an empty file"
fi
# Envelope from the environment, as Postfix local(8) sets it.
ORIGINAL_RECIPIENT=alice@example.org SENDER= one bounce-forged.msg .Backscatter/new "backscatter (dsn)"

# Names: unique, maildir(5) form with the Maildir++ size.
bad=$(mail_list "$M" | sed 's|.*/||' | grep -cv '^[0-9][0-9]*\.M[0-9]\{6\}P[0-9][0-9]*Q[0-9][0-9]*\.[^/:]*,S=[0-9][0-9]*$')
is "$bad" 0 "every file name is SECONDS.MusecPpidQn.host,S=size"
is "$(mail_list "$M" | sed 's|.*/||' | sort | uniq -d | wc -l | tr -d ' ')" 0 "no name used twice"

# '/' and ':' in the host name are written \057 and \072 (maildir(5)); root
# can try it with a host name of its own in a private UTS namespace.
# (hostname(1) refuses such a name; sethostname(2) takes it.)
if [ "$(id -u)" = 0 ] && unshare -u true 2>/dev/null && command -v python3 >/dev/null 2>&1; then
  H="$TMP/HostMail"
  unshare -u python3 -c 'import os, socket, sys; socket.sethostname("mx/a:b"); os.execv(sys.argv[1], sys.argv[1:])' \
    "$UNSCATTER" deliver --maildir "$H" < "$DFIX/ham.msg" 2>"$TMP/err"
  is "$?" 0 "host name with '/' and ':': exit 0"
  is "$(ls "$H/new" | sed 's/^[^.]*\.[^.]*\.//; s/,S=[0-9]*$//')" 'mx\057a\072b' "host name with '/' and ':': written as \\057 and \\072"
else
  diag "not root (or no python3): host name escaping not tried"
fi

# The folder name and the actions come from the configuration.
write_config '[actions]' 'folder = Junk.Backscatter'
one bounce-forged.msg .Junk.Backscatter/new "backscatter (dsn)"
write_config '[actions]' 'backscatter = deliver'
one bounce-forged.msg new "backscatter (dsn)"
write_config '[actions]' 'not-bounce = file'
one ham.msg .Backscatter/new "not-bounce (not-bounce)"
write_config '[actions]' 'backscatter = discard'
_before=$(mail_list "$M")
"$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "discard configured: exit 0"
is "$(delivered "$_before" "$(mail_list "$M")")" "" "discard configured: backscatter not stored"
one bounce-genuine.msg new "legitimate (dsn)"
one ham.msg new "not-bounce (not-bounce)"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

# Default Maildir: ~/Maildir, from $HOME.
_before=$(mail_list "$HOME/Maildir")
"$UNSCATTER" deliver < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "no --maildir: exit 0"
is "$(delivered "$_before" "$(mail_list "$HOME/Maildir")" | sed 's|/[^/]*$||')" "./new" "no --maildir: delivered to ~/Maildir/new"
"$UNSCATTER" deliver --maildir '~/Maildir' < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "--maildir '~/Maildir' (no shell, as Exim runs it): exit 0"
is "$(mail_list "$HOME/Maildir" | wc -l | tr -d ' ')" 2 "--maildir '~/Maildir': expanded from \$HOME"

# Nothing we can judge: the inbox, unchanged, exit 0.
: > "$TMP/empty"
_before=$(mail_list "$M")
"$UNSCATTER" deliver --maildir "$M" < "$TMP/empty" 2>"$TMP/err"
is "$?" 0 "empty message: exit 0"
_new=$(delivered "$_before" "$(mail_list "$M")")
is "${_new%/*}" "./new" "empty message: delivered to the inbox"
write_config '[limits]' 'max_bytes = 2000'
{ cat "$DFIX/bounce-forged.msg"; i=0; while [ $i -lt 100 ]; do echo "padding line $i of a long message ......"; i=$((i + 1)); done; } > "$TMP/big.msg"
_before=$(mail_list "$M")
"$UNSCATTER" deliver --maildir "$M" < "$TMP/big.msg" 2>"$TMP/err"
is "$?" 0 "over max_bytes: exit 0"
_new=$(delivered "$_before" "$(mail_list "$M")")
is "${_new%/*}" "./new" "over max_bytes: delivered to the inbox"
[ -f "$M/$_new" ] || _new=missing
same_bytes "$M/$_new" "$TMP/big.msg" "over max_bytes: stored unchanged"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

# Exit only 0 or 75: usage errors and bad configuration defer.
defers () {
  _name=$1
  shift
  _before=$(mail_list "$M")
  "$@" 2>"$TMP/err"
  is "$?" 75 "$_name: exit 75"
  is "$(delivered "$_before" "$(mail_list "$M")")" "" "$_name: nothing stored"
}
defers "unknown option" "$UNSCATTER" deliver --maildir "$M" --no-such-option < "$DFIX/ham.msg"
defers "unexpected argument" "$UNSCATTER" deliver --maildir "$M" extra < "$DFIX/ham.msg"
defers "configuration file missing" "$UNSCATTER" deliver --maildir "$M" --config "$TMP/nope" < "$DFIX/ham.msg"
write_config '[actions]' 'backscatter = shred'
defers "bad configuration" "$UNSCATTER" deliver --maildir "$M" < "$DFIX/ham.msg"
rm -f "$XDG_CONFIG_HOME/unscatter/config"
defers "stdin unreadable" "$UNSCATTER" deliver --maildir "$M" < "$TMP"

# Each decision is counted in the record (for `unscatter stats`), once the
# message is stored; filter counts too. A fresh record:
export XDG_DATA_HOME="$TMP/fresh"
record_sent "$DFIX/sent-original.msg"
for m in ham.msg bounce-genuine.msg bounce-forged.msg bounce-forged.msg; do
  "$UNSCATTER" deliver --maildir "$TMP/Fresh" < "$DFIX/$m" 2>/dev/null
done
"$UNSCATTER" filter < "$DFIX/bounce-forged.msg" > /dev/null 2>&1
: > "$TMP/file"
"$UNSCATTER" deliver --maildir "$TMP/file/Maildir" < "$DFIX/bounce-forged.msg" 2>/dev/null
"$UNSCATTER" stats > "$TMP/stats" 2>&1
count () { awk -v v="$1" -v k="$2" '$2 == v && $3 == k { n += $4 } END { print n + 0 }' "$TMP/stats"; }
is "$(count backscatter dsn)" 3 "stats: 3 backscatter (2 delivered, 1 filtered; the deferred one not counted)"
is "$(count legitimate dsn)" 1 "stats: 1 legitimate"
is "$(count not-bounce not-bounce)" 1 "stats: 1 not-bounce"
# A first line that begins with a blank continues no field: the added fields
# go after it (and the From line is not stored), so that it cannot continue
# X-Unscatter-Reason (issue 10).
printf 'From bob@example.net Mon Jan  1 10:00:00 2024\n \tInjected: line\nFrom: a@example.org\nSubject: x\n\nbody\n' > "$TMP/cont.msg"
rm -rf "$TMP/cont-md"
"$UNSCATTER" deliver --maildir "$TMP/cont-md" < "$TMP/cont.msg" 2>"$TMP/err"
is "$?" 0 "first-line continuation: exit 0"
_f=$(ls "$TMP/cont-md/new/"* 2>/dev/null | head -n 1)
[ -n "$_f" ] || _f=/dev/null
is "$(sed -n 1p "$_f")" " 	Injected: line" "first-line continuation: the line stays first"
is "$(sed -n 2p "$_f")" "X-Unscatter-Verdict: not-bounce (not-bounce)" "first-line continuation: our fields after it"
is "$(awk '/^X-Unscatter-Reason: / { r = 1; next } r && /^[ \t]/ { next } r { print; exit }' "$_f")" "From: a@example.org" "first-line continuation: nothing of the message continues our fields"
_n=$(awk 'NR > 2 && /^[ \t]/ { n++; next } NR > 2 { exit } END { print n + 0 }' "$_f")
{ head -n 1 "$_f"; tail -n +$((4 + _n)) "$_f"; } > "$TMP/stripped"
tail -n +2 "$TMP/cont.msg" > "$TMP/expected"
same_bytes "$TMP/stripped" "$TMP/expected" "first-line continuation: byte for byte the input (without its From line) apart from the fields"
done_testing
