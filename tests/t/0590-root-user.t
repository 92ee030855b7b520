#!/bin/sh
# Privileges and modes.
#  - Under a umask of 022, everything unscatter creates is private: the
#    record (and its -wal/-shm files) and the BATV keys 0600 in 0700
#    directories; Maildir directories 0700, messages and maildirfolder 0600.
#  - As root, deliver refuses (75, nothing created) to write into a Maildir
#    that is not root's unless told whom to become: --user NAME drops to
#    that user (initgroups/setgid/setuid) before anything is opened, so the
#    files are the user's, the user's own defaults apply (not root's config)
#    and a Maildir the user cannot write stays untouched (75). A user who is
#    not root cannot become another (75).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
umask 022
mode () { stat -c %a "$1"; }
owner () { stat -c %u "$1"; }

# ---- modes under umask 022 ----
"$UNSCATTER" record "$DFIX/sent-original.msg" 2>/dev/null
is "$?" 0 "record: exit 0"
is "$(mode "$DB")" 600 "the record is 0600"
is "$(mode "$(dirname "$DB")")" 700 "its directory is 0700"
# -wal and -shm exist while the record is open: SQLite gives them the
# record's own mode (under umask 022 too); hold it open and look.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$DB" > "$TMP/walmodes" <<'PY'
import os, sqlite3, stat, sys
db = sys.argv[1]
c = sqlite3.connect(db)
c.execute("select count(*) from sqlite_master").fetchall()
print(" ".join("%o" % stat.S_IMODE(os.stat(db + s).st_mode) for s in ("-wal", "-shm")))
PY
  is "$(cat "$TMP/walmodes")" "600 600" "record.db-wal and -shm are 0600"
else
  skip "python3 not found: the -wal/-shm modes"
fi
KEYS="$XDG_CONFIG_HOME/unscatter/batv-keys"
rm -rf "$XDG_CONFIG_HOME/unscatter"
"$UNSCATTER" batv keygen > /dev/null 2>&1
is "$?" 0 "batv keygen: exit 0"
is "$(mode "$KEYS")" 600 "the BATV keys are 0600"
is "$(mode "$(dirname "$KEYS")")" 700 "their directory is 0700"
rm -f "$KEYS"
M="$TMP/Mail"
"$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "deliver backscatter: exit 0"
is "$(cd "$M" && find . -type d -exec stat -c %a {} + | sort -u | tr '\n' ' ')" "700 " "every Maildir directory is 0700"
is "$(cd "$M" && find . -type f -exec stat -c %a {} + | sort -u | tr '\n' ' ')" "600 " "every file (message, maildirfolder) is 0600"
is "$(cd "$M" && find . -type f | sed 's|/[^/]*$||' | sort | tr '\n' ' ')" "./.Backscatter ./.Backscatter/new " "a maildirfolder and the message"

# ---- root ----
if [ "$(id -u)" != 0 ]; then
  skip "not root: --user and the refusal to deliver into another user's Maildir"
  done_testing
fi
NOBODY=$(id -u nobody 2>/dev/null) || { skip "no user nobody"; done_testing; }
NOGROUP=$(id -g nobody)
A="$TMP/alice"                    # a home that is not root's
mkdir -p "$A" && chown "$NOBODY:$NOGROUP" "$A" && chmod 755 "$A"
chmod 755 "$TMP" "$HOME"

"$UNSCATTER" deliver --maildir "$A/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "root, another user's home, no --user: exit 75"
[ ! -e "$A/Maildir" ] && ok "root, no --user: nothing created" || not_ok "root, no --user: nothing created"
if grep -q -- '--user' "$TMP/err"; then ok "root, no --user: says to use --user"; else not_ok "root, no --user: says to use --user"; diag "$(cat "$TMP/err")"; fi

mkdir -p "$A/Existing/new" "$A/Existing/cur" "$A/Existing/tmp"
chown -R "$NOBODY:$NOGROUP" "$A/Existing"
"$UNSCATTER" deliver --maildir "$A/Existing" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "root, another user's existing Maildir, no --user: exit 75"
is "$(find "$A/Existing" -type f | wc -l | tr -d ' ')" 0 "root, no --user: nothing stored"

# root's own config must not apply to the user: discard ham for root
write_config '[actions]' 'not-bounce = discard'
"$UNSCATTER" deliver --user nobody --maildir "$A/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "--user nobody: exit 0"
is "$(find "$A/Maildir" -path '*/new/*' -type f | wc -l | tr -d ' ')" 1 "--user nobody: delivered (root's config, which discards, not read)"
is "$(find "$A/Maildir" \! -uid "$NOBODY" | wc -l | tr -d ' ')" 0 "--user nobody: every file and directory is nobody's"
is "$(find "$A/Maildir" -type f -exec stat -c %a {} + | sort -u)" 600 "--user nobody: the message is 0600, readable by its owner"
"$UNSCATTER" deliver --user "$NOBODY" --maildir "$A/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "--user $NOBODY (numeric): exit 0"
is "$(find "$A/Maildir" -path '*/new/*' -type f -uid "$NOBODY" | wc -l | tr -d ' ')" 2 "--user $NOBODY: stored as nobody"
rm -f "$XDG_CONFIG_HOME/unscatter/config"

R="$TMP/rootonly"
mkdir -p "$R" && chmod 700 "$R"
"$UNSCATTER" deliver --user nobody --maildir "$R/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "--user nobody into a directory only root can write: exit 75 (privileges dropped)"
[ ! -e "$R/Maildir" ] && ok "--user nobody: nothing created there" || not_ok "--user nobody: nothing created there"

"$UNSCATTER" deliver --user no-such-user-usc --maildir "$A/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 75 "--user with an unknown user: exit 75"
is "$(find "$A/Maildir" -path '*/new/*' -type f | wc -l | tr -d ' ')" 2 "--user unknown: nothing stored"

# root's own Maildir needs no --user
"$UNSCATTER" deliver --maildir "$TMP/RootMail" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "root, root's own Maildir: exit 0"
is "$(owner "$(find "$TMP/RootMail" -path '*/new/*' -type f)")" 0 "root, root's own Maildir: stored as root"
"$UNSCATTER" deliver --user root --maildir "$A/Maildir" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "--user root (told so explicitly): exit 0"

# not root: cannot become another user
if command -v setpriv >/dev/null 2>&1; then
  cp "$DFIX/ham.msg" "$A/ham.msg" && chmod 644 "$A/ham.msg"
  # The binary nobody runs is a copy in a world-readable directory: the
  # checkout may sit under a private directory (/root, mode 0700).
  NU="$TMP/nobody-bin/unscatter"
  mkdir -p "$TMP/nobody-bin" && cp "$UNSCATTER" "$NU" && chmod -R a+rX "$TMP/nobody-bin"
  setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups env HOME="$A" \
    "$NU" deliver --user root --maildir "$A/Mine" < "$A/ham.msg" 2>"$TMP/err"
  is "$?" 75 "nobody with --user root: exit 75"
  [ ! -e "$A/Mine" ] && ok "nobody with --user root: nothing created" || not_ok "nobody with --user root: nothing created"
  setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups env HOME="$A" \
    "$NU" deliver --user nobody --maildir "$A/Mine" < "$A/ham.msg" 2>"$TMP/err"
  is "$?" 0 "nobody with --user nobody (itself): exit 0"
else
  skip "setpriv not found: a user who is not root"
fi
done_testing
