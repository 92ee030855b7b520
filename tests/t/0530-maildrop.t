#!/bin/sh
# maildrop running doc/snippets/mailfilter, copied as it is to ~/.mailfilter
# (chmod 600, as maildrop requires): genuine bounces and ordinary mail land in
# the inbox, backscatter in .Backscatter/ (a Maildir++ folder with its
# maildirfolder file), each byte for byte what maildrop alone would have
# stored apart from the two added header fields; when unscatter fails,
# maildrop defers (exit 75) and stores nothing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
command -v maildrop >/dev/null 2>&1 || skip_all "maildrop is not installed"
setup_home
mda_ns_init || skip_all "needs root: maildrop takes HOME from the password file, replaced in a private mount namespace"
cp "$SNIPPETS/mailfilter" "$HOME/.mailfilter"
chmod 600 "$HOME/.mailfilter"
record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg"
is "$?" 0 "the user's sent mail is recorded"

# The control: maildrop storing into another Maildir through a filter that
# changes nothing (cat).
mkdir -p "$TMP/Control/new" "$TMP/Control/cur" "$TMP/Control/tmp"
printf 'xfilter "cat"\nto "%s/Control/"\n' "$TMP" > "$TMP/control.mf"
chmod 600 "$TMP/control.mf"
control () {
  _cb=$(mail_list "$TMP/Control")
  maildrop "$TMP/control.mf" < "$1" 2>/dev/null
  _cn=$(delivered "$_cb" "$(mail_list "$TMP/Control")")
  cp "$TMP/Control/$_cn" "$TMP/control.out"
}

# one MESSAGE FOLDER VERDICT
one () {
  _before=$(mail_list "$HOME/Maildir")
  as_user maildrop < "$DFIX/$1" 2>"$TMP/err"
  is "$?" 0 "$1: maildrop exits 0"
  _new=$(delivered "$_before" "$(mail_list "$HOME/Maildir")")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "$1: one message delivered"
  is "${_new%/*}" "./$2" "$1: delivered to $2"
  _f="$HOME/Maildir/$_new"
  [ -f "$_f" ] || _f=/dev/null
  is "$(verdict_of "$_f")" "$3" "$1: X-Unscatter-Verdict: $3"
  is "$(reason_of "$_f")" "X-Unscatter-Reason: " "$1: X-Unscatter-Reason follows"
  control "$DFIX/$1"
  strip_added "$_f" > "$TMP/stripped"
  same_bytes "$TMP/stripped" "$TMP/control.out" "$1: byte for byte what maildrop alone stores, apart from the added headers"
}

one ham.msg new "not-bounce (not-bounce)"
one ham-crlf.msg new "not-bounce (not-bounce)"
one ham-mbox-from.msg new "not-bounce (not-bounce)"
one ham-forged-header.msg new "not-bounce (not-bounce)"
one bounce-genuine.msg new "legitimate (dsn)"
one bounce-forged.msg .Backscatter/new "backscatter (dsn)"
if [ -f "$HOME/Maildir/.Backscatter/maildirfolder" ]; then ok "the Backscatter folder has its maildirfolder file"; else not_ok "the Backscatter folder has its maildirfolder file"; fi

# unscatter fails (the record is corrupt): maildrop defers, nothing is stored.
mkdir -p "${DB%/*}"
printf 'garbage, not a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 > "$DB"
_before=$(mail_list "$HOME/Maildir")
as_user maildrop < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 75 "record corrupt: maildrop exits 75 (the MTA keeps the message)"
is "$(delivered "$_before" "$(mail_list "$HOME/Maildir")")" "" "record corrupt: nothing stored"
done_testing
