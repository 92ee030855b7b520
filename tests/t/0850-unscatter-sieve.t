#!/bin/sh
# unscatter-sieve SCRIPT: the user's Sieve script decides where the message
# goes (keep, fileinto, discard) with the verdict visible as synthetic
# fields; every trouble with the script or libsieve keeps the message in the
# inbox with exit 0 and a log line; a Maildir that cannot be written is 75.
# Each delivery: exact exit code, folder and stored bytes (the input without
# its From line, with the two fields deliver adds).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
[ -x "${UNSCATTER_SIEVE:-}" ] || skip_all "unscatter-sieve not built (configure did not find libsieve: libsieve2-dev)"
setup_home
M="$TMP/Mail"
S="$TMP/script.sieve"
write_config '[log]' 'syslog = false'
record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg"
is "$?" 0 "the user's sent mail is recorded (the genuine bounce's original first)"

# script LINES...: the user's Sieve script.
script () { printf '%s\n' "$@" > "$S"; }

# sieve NAME MESSAGE FOLDER VERDICT [OPTIONS]: run unscatter-sieve on MESSAGE;
# expect exit 0, one file in FOLDER ("new", ".X/new") with VERDICT added and
# otherwise the input's bytes. Leaves the file in $_f, stderr in $TMP/err.
sieve () {
  _n=$1 _m=$2 _d=$3 _v=$4
  shift 4
  _before=$(mail_list "$M" 2>/dev/null)
  "$UNSCATTER_SIEVE" --maildir "$M" "$@" "$S" < "$DFIX/$_m" 2>"$TMP/err"
  is "$?" 0 "$_n: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$M" 2>/dev/null)")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "$_n: one copy stored"
  is "${_new%/*}" "./$_d" "$_n: in $_d"
  _f="$M/$_new"
  [ -f "$_f" ] || _f=/dev/null
  is "$(verdict_of "$_f")" "$_v" "$_n: X-Unscatter-Verdict: $_v"
  strip_added "$_f" > "$TMP/stripped"
  sed '1{/^From /d;}' "$DFIX/$_m" > "$TMP/expected"
  same_bytes "$TMP/stripped" "$TMP/expected" "$_n: the input's bytes apart from the added fields"
}
# nothing_stored NAME: no new file since $_before.
nothing_stored () {
  is "$(delivered "$_before" "$(mail_list "$M" 2>/dev/null)")" "" "$1: nothing stored"
}
# logged NAME PATTERN: stderr of the last run matches PATTERN (grep -E).
logged () {
  if grep -Eq "$2" "$TMP/err"; then ok "$1: logged"; else not_ok "$1: logged"; diag "stderr: $(cat "$TMP/err")"; fi
}

BS='require ["fileinto"];
if header :is "X-Unscatter-Verdict" "backscatter" { fileinto "Backscatter"; stop; }
if header :is "X-Unscatter-Verdict" "legitimate" { fileinto "Bounces"; stop; }
keep;'
script "$BS"
sieve "backscatter, fileinto" bounce-forged.msg .Backscatter/new "backscatter (dsn)"
sieve "genuine bounce, fileinto" bounce-genuine.msg .Bounces/new "legitimate (dsn)"
sieve "ordinary mail, keep" ham.msg new "not-bounce (not-bounce)"
is "$(cat "$TMP/err")" "" "ordinary mail: nothing on stderr"
# A forged X-Unscatter-Verdict in the message is not what the script sees.
script 'require ["fileinto"];' 'if header :contains "X-Unscatter-Verdict" "backscatter" { fileinto "Forged"; }'
sieve "forged verdict field hidden" ham-forged-header.msg new "not-bounce (not-bounce)" --recipient alice@example.org --sender promo@example.biz

# Kind, and the implicit keep.
script 'require ["fileinto"];' 'if header :is "X-Unscatter-Kind" ["dsn", "autoreply"] { fileinto "Kind.dsn"; }'
sieve "kind dsn" bounce-forged.msg .Kind.dsn/new "backscatter (dsn)"
sieve "kind not-bounce, implicit keep" ham.msg new "not-bounce (not-bounce)"

# discard.
script 'if header :is "X-Unscatter-Verdict" "backscatter" { discard; }'
_before=$(mail_list "$M")
"$UNSCATTER_SIEVE" --maildir "$M" "$S" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "discard: exit 0"
nothing_stored "discard"
sieve "discard script, genuine bounce kept" bounce-genuine.msg new "legitimate (dsn)"

# The null sender through the synthetic field (libsieve's envelope test
# never matches it), from the environment as Postfix sets it and from --sender.
script 'require ["fileinto", "envelope"];' \
  'if envelope :is "from" "" { fileinto "EnvelopeTrap"; stop; }' \
  'if header :is "X-Unscatter-Envelope-From" "<>" { fileinto "Null"; }'
SENDER= RECIPIENT=alice@example.org sieve "null sender (environment)" bounce-forged.msg .Null/new "backscatter (dsn)"
sieve "null sender (--sender '')" bounce-genuine.msg .Null/new "legitimate (dsn)" --sender "" --recipient alice@example.org
sieve "a sender: not null" ham.msg new "not-bounce (not-bounce)" --sender dave@example.org --recipient alice@example.org
script 'require ["fileinto", "envelope"];' 'if envelope :is "to" "alice@example.org" { fileinto "ToAlice"; }'
sieve "envelope to from --recipient" ham.msg .ToAlice/new "not-bounce (not-bounce)" --recipient alice@example.org

# A leading mbox From line: the script sees the header fields, the stored
# file has no From line.
script 'require ["fileinto"];' 'if address :is "from" "dave@example.org" { fileinto "Dave"; }'
sieve "mbox From line" ham-mbox-from.msg .Dave/new "not-bounce (not-bounce)"
is "$(head -c 20 "$_f")" "X-Unscatter-Verdict:" "mbox From line: not stored"

# A script that does not compile: kept, each error logged with its line, exit 0.
script 'require ["fileinto"];' 'if header :is "X-Unscatter-Verdict" "backscatter" {' '  fileinto "Backscatter"' '}'
sieve "syntax error" bounce-forged.msg new "backscatter (dsn)"
logged "syntax error" '^unscatter: sieve: .*script\.sieve: script error: line 4: '
logged "syntax error, kept" 'does not compile \(1 error\): kept in the inbox'
# Sending is not offered: vacation/reject/notify do not compile, redirect is refused.
for ext in vacation reject notify; do
  script "require \"$ext\";" "$ext \"x\";"
  sieve "$ext" ham.msg new "not-bounce (not-bounce)"
  logged "$ext" "unsupported feature: $ext"
done
script 'redirect "elsewhere@example.com";' 'discard;'
sieve "redirect refused" bounce-forged.msg new "backscatter (dsn)"
logged "redirect refused" 'redirect to <elsewhere@example\.com> refused \(a filter sends no mail\): kept in the inbox'

# libsieve crashes on envelope "auth" (it reads an uninitialised pointer):
# the evaluation's child dies, the message is kept, once, exit 0. Whether it
# faults depends on what the stack slot holds (the child poisons its stack,
# but libsieve's parse may write there first; test-sieve-libsieve asserts the
# fault itself); where it does not, the envelope callback has failed the run.
script 'require ["envelope", "fileinto"];' 'if envelope :is "auth" "" { discard; }' 'fileinto "NotHere";'
sieve "envelope auth crash" bounce-forged.msg new "backscatter (dsn)"
logged "envelope auth crash" 'the Sieve evaluation crashed \(killed by signal 11 |runtime error: envelope part "auth" is not supported'
logged "envelope auth crash, kept" 'kept in the inbox'
is "$(find "$TMP" -name 'core*' | wc -l | tr -d ' ')" 0 "envelope auth crash: no core file"
script 'require ["envelope", "fileinto"];' 'fileinto "A";' 'if envelope :is "AUTH" "" { discard; }'
sieve "envelope AUTH after an action" ham.msg new "not-bounce (not-bounce)"
logged "envelope AUTH after an action" 'envelope part \\?"AUTH\\?" is not supported|crashed'

# Folder names that would leave the Maildir: the inbox instead, logged.
for name in '../escape' 'a/b' '..' "$(printf 'new\nline')"; do
  script 'require ["fileinto"];' "fileinto \"$name\";"
  sieve "fileinto '$name'" ham.msg new "not-bounce (not-bounce)"
  logged "fileinto '$name'" 'failed: delivering to the inbox instead'
done
is "$(ls -a "$TMP" | grep -c escape)" 0 "nothing created outside the Maildir"
script 'require ["fileinto"];' 'fileinto "INBOX";' 'keep;'
sieve "fileinto INBOX and keep: one copy" ham.msg new "not-bounce (not-bounce)"
script 'require ["fileinto"];' 'fileinto "Two";' 'keep;'
_before=$(mail_list "$M")
"$UNSCATTER_SIEVE" --maildir "$M" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "fileinto and keep: exit 0"
is "$(delivered "$_before" "$(mail_list "$M")" | sed 's|/[^/]*$||' | tr '\n' ' ')" "./.Two/new ./new " "fileinto and keep: one copy in each"

# The script missing: kept, logged. Unreadable (not root): 75.
rm -f "$S"
sieve "script missing" bounce-forged.msg new "backscatter (dsn)"
logged "script missing" 'no such script.*kept in the inbox'
# As root (CI), the same as the user nobody, through --user as deliver has it.
AS=
if [ "$(id -u)" = 0 ]; then
  if id nobody >/dev/null 2>&1; then AS="--user nobody"; else AS=none; fi
fi
script 'discard;'
if [ "$AS" != none ]; then
  chmod 000 "$S"
  _before=$(mail_list "$M")
  "$UNSCATTER_SIEVE" $AS --maildir "$M" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
  is "$?" 75 "script unreadable: exit 75"
  nothing_stored "script unreadable"
  logged "script unreadable" 'Permission denied'
  chmod 644 "$S"
else
  skip "root without a user nobody: the unreadable script is not tried"
  skip "root without a user nobody"
  skip "root without a user nobody"
fi

# Usage errors and a Maildir that cannot be written: 75, nothing stored.
script 'keep;'
_before=$(mail_list "$M")
"$UNSCATTER_SIEVE" --maildir "$M" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "no SCRIPT: exit 75"
"$UNSCATTER_SIEVE" --maildir "$M" --bogus "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "unknown option: exit 75"
"$UNSCATTER_SIEVE" --help < "$DFIX/ham.msg" >/dev/null 2>&1
is "$?" 75 "--help: exit 75"
nothing_stored "usage errors"
: > "$TMP/file"
"$UNSCATTER_SIEVE" --maildir "$TMP/file/Maildir" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "Maildir through a regular file: exit 75"
logged "Maildir through a regular file" '^unscatter: sieve: '
mkdir -p "$TMP/ro/new" "$TMP/ro/cur" "$TMP/ro/tmp"
chmod 555 "$TMP/ro/tmp" "$TMP/ro/new"
if [ "$AS" != none ]; then
  "$UNSCATTER_SIEVE" $AS --maildir "$TMP/ro" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
  is "$?" 75 "Maildir not writable by the user: exit 75"
  is "$(find "$TMP/ro" -type f | wc -l | tr -d ' ')" 0 "Maildir not writable by the user: nothing stored"
else
  skip "root without a user nobody: Maildir not writable is not tried"
  skip "root without a user nobody"
fi
# As root without --user, into a Maildir root does not own: refused (75),
# as deliver refuses it.
if [ "$(id -u)" = 0 ] && [ "$AS" != none ]; then
  mkdir -p "$TMP/theirs"
  chown nobody "$TMP/theirs"
  "$UNSCATTER_SIEVE" --maildir "$TMP/theirs/Maildir" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
  is "$?" 75 "root, another user's Maildir, no --user: exit 75"
  is "$(find "$TMP/theirs" -type f | wc -l | tr -d ' ')" 0 "root, another user's Maildir: nothing stored"
else
  skip "not root: the root check is not tried"
  skip "not root"
fi
# A file size limit (as Postfix's local(8) sets one): EFBIG on every copy.
big="$TMP/big.msg"
{ cat "$DFIX/ham.msg"; i=0; while [ $i -lt 4000 ]; do echo "a long message, line $i ......................"; i=$((i + 1)); done; } > "$big"
_before=$(mail_list "$M")
sh -c 'trap "" XFSZ; ulimit -f 40; exec "$0" --maildir "$1" "$2"' "$UNSCATTER_SIEVE" "$M" "$S" < "$big" 2>"$TMP/err"
is "$?" 75 "file size limit (EFBIG): exit 75"
nothing_stored "file size limit (EFBIG)"
is "$(cd "$M" && find . -path '*/tmp/*' -type f | wc -l | tr -d ' ')" 0 "file size limit: nothing left in tmp/"
# A full file system (tmpfs in a private mount namespace, root only).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  mkdir -p "$TMP/full"
  unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 9
    "$0" --maildir "$1/Maildir" "$2" < "$3" 2>/dev/null; echo $? > "$4/full.rc"
    find "$1/Maildir" -path "*/new/*" -type f | wc -l > "$4/full.new"' \
    "$UNSCATTER_SIEVE" "$TMP/full" "$S" "$big" "$TMP"
  is "$(cat "$TMP/full.rc")" 75 "tmpfs full (ENOSPC): exit 75"
  is "$(tr -d ' ' < "$TMP/full.new")" 0 "tmpfs full (ENOSPC): nothing stored"
else
  skip "not root: no tmpfs for a full disk"
  skip "not root"
fi
# A folder that fails but the inbox works: exit 0, in the inbox.
script 'require ["fileinto"];' 'fileinto "Blocked";'
: > "$M/.Blocked"
sieve "folder a file: the inbox" ham.msg new "not-bounce (not-bounce)"
logged "folder a file" 'fileinto "Blocked" failed: delivering to the inbox instead'

# A folder that is a symlink planted in the Maildir: refused as unsafe, and
# no inbox fallback either (deliver defers on it too): 75, nothing stored.
script 'require ["fileinto"];' 'fileinto "Evil";'
mkdir -p "$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$M/.Evil"
_before=$(mail_list "$M")
"$UNSCATTER_SIEVE" --maildir "$M" "$S" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "folder a symlink: exit 75"
nothing_stored "folder a symlink"
is "$(find "$TMP/elsewhere" -type f | wc -l | tr -d ' ')" 0 "folder a symlink: nothing written through it"
logged "folder a symlink" 'fileinto "Evil" refused \(unsafe Maildir\)'
rm -f "$M/.Evil"

# An unparsable message: the inbox unchanged, the script not run.
script 'discard;'
_before=$(mail_list "$M")
: | "$UNSCATTER_SIEVE" --maildir "$M" "$S" 2>"$TMP/err"
is "$?" 0 "empty message: exit 0"
is "$(delivered "$_before" "$(mail_list "$M")" | sed 's|/[^/]*$||')" "./new" "empty message: in the inbox (the script not run)"
# The README's set-up (doc/snippets/forward-sieve and unscatter.sieve), run as
# Postfix local(8) runs a ~/.forward command: /bin/sh -c, its environment.
# Only the install path is replaced by the binary under test.
cp "$SNIPPETS/unscatter.sieve" "$HOME/.unscatter.sieve"
line=$(cat "$SNIPPETS/forward-sieve")
cmd=${line#\"|}
cmd=${cmd%\"}
case "$cmd" in
  "/usr/local/bin/unscatter-sieve "*) ok "forward-sieve: runs /usr/local/bin/unscatter-sieve" ;;
  *) not_ok "forward-sieve: runs /usr/local/bin/unscatter-sieve"; diag "$cmd" ;;
esac
cmd=$(printf '%s\n' "$cmd" | sed "s|/usr/local/bin/unscatter-sieve|$UNSCATTER_SIEVE|")
IM="$HOME/Maildir"
# postfix SENDER MESSAGE FOLDER VERDICT
postfix () {
  _before=$(mail_list "$IM")
  (cd "$HOME"; env -i HOME="$HOME" SHELL=/bin/sh LOGNAME=alice USER=alice PATH=/usr/bin:/bin \
     ORIGINAL_RECIPIENT=alice@example.org RECIPIENT=alice@example.org SENDER="$1" \
     /bin/sh -c "$cmd" < "$DFIX/$2" 2>"$TMP/err")
  is "$?" 0 "forward-sieve: $2: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$IM")")
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | sed 's|/[^/]*$||' | tr '\n' ' ')" "./$3 " "forward-sieve: $2: one file, in $3"
  [ -f "$IM/$_new" ] && is "$(verdict_of "$IM/$_new")" "$4" "forward-sieve: $2: $4"
  is "$(cat "$TMP/err")" "" "forward-sieve: $2: nothing on stderr"
}
postfix bob@example.net ham.msg new "not-bounce (not-bounce)"
postfix "" bounce-genuine.msg new "legitimate (dsn)"
postfix "" bounce-forged.msg .Backscatter/new "backscatter (dsn)"
done_testing
