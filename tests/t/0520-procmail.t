#!/bin/sh
# procmail running doc/snippets/procmailrc, copied as it is to ~/.procmailrc:
# genuine bounces and ordinary mail land in the inbox, backscatter in
# .Backscatter/, each byte for byte what procmail alone would have stored
# apart from the two added header fields; when unscatter fails, procmail
# keeps the message unchanged.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
command -v procmail >/dev/null 2>&1 || skip_all "procmail is not installed"
setup_home
mda_ns_init || skip_all "needs root: procmail takes HOME from the password file, replaced in a private mount namespace"
cp "$SNIPPETS/procmailrc" "$HOME/.procmailrc"
record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg"
is "$?" 0 "the user's sent mail is recorded"

# The control: procmail storing into another Maildir through a filter that
# changes nothing (cat): procmail itself adds a final newline to whatever a
# filter returns, so that is what the output must equal. When the filter
# fails procmail keeps the message as it came: the control is then procmail
# without a filter.
mkdir -p "$TMP/Control/new" "$TMP/Control/cur" "$TMP/Control/tmp"
printf 'MAILDIR=%s/Control/\nDEFAULT=$MAILDIR\n:0fw\n| cat\n' "$TMP" > "$TMP/control.rc"
printf 'MAILDIR=%s/Control/\nDEFAULT=$MAILDIR\n' "$TMP" > "$TMP/control-nofilter.rc"
control () {
  _cb=$(mail_list "$TMP/Control")
  procmail "$TMP/$2" < "$1" 2>/dev/null
  _cn=$(delivered "$_cb" "$(mail_list "$TMP/Control")")
  cp "$TMP/Control/$_cn" "$TMP/control.out"
}

# one MESSAGE FOLDER VERDICT: procmail delivers MESSAGE into FOLDER ("new" or
# ".Backscatter/new") with VERDICT added ("" for: no headers added).
one () {
  _before=$(mail_list "$HOME/Maildir")
  as_user procmail < "$DFIX/$1" 2>"$TMP/err"
  is "$?" 0 "$1: procmail exits 0"
  _new=$(delivered "$_before" "$(mail_list "$HOME/Maildir")")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "$1: one message delivered"
  is "${_new%/*}" "./$2" "$1: delivered to $2"
  _f="$HOME/Maildir/$_new"
  [ -f "$_f" ] || _f=/dev/null
  if [ -n "$3" ]; then
    is "$(verdict_of "$_f")" "$3" "$1: X-Unscatter-Verdict: $3"
    is "$(reason_of "$_f")" "X-Unscatter-Reason: " "$1: X-Unscatter-Reason follows"
  else
    is "$(added_lines "$_f")" 0 "$1: no header added"
  fi
  if [ -n "$3" ]; then control "$DFIX/$1" control.rc; else control "$DFIX/$1" control-nofilter.rc; fi
  strip_added "$_f" > "$TMP/stripped"
  same_bytes "$TMP/stripped" "$TMP/control.out" "$1: byte for byte what procmail alone stores, apart from the added headers"
}

one ham.msg new "not-bounce (not-bounce)"
one ham-crlf.msg new "not-bounce (not-bounce)"
one ham-mbox-from.msg new "not-bounce (not-bounce)"
one ham-forged-header.msg new "not-bounce (not-bounce)"
one bounce-genuine.msg new "legitimate (dsn)"
one bounce-forged.msg .Backscatter/new "backscatter (dsn)"

# A user without a Maildir yet: the snippet creates it (procmail alone would
# store the message as ~/msg.*), and procmail logs to ~/.procmail.log.
mv "$HOME/Maildir" "$TMP/Maildir.saved"
as_user procmail < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "no Maildir yet: procmail exits 0"
is "$(ls "$HOME/Maildir/new" 2>/dev/null | wc -l | tr -d ' ')" 1 "no Maildir yet: created, the message is in Maildir/new"
is "$(ls "$HOME" | grep -c '^msg\.')" 0 "no Maildir yet: nothing stored as ~/msg.*"
[ -f "$HOME/.procmail.log" ] && ok "procmail logs to ~/.procmail.log" || not_ok "procmail logs to ~/.procmail.log"
rm -rf "$HOME/Maildir"
mv "$TMP/Maildir.saved" "$HOME/Maildir"

# unscatter fails (the record is corrupt): procmail keeps the message as it was.
mkdir -p "${DB%/*}"; printf 'garbage, not a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 > "$DB"
one bounce-forged.msg new ""
done_testing
