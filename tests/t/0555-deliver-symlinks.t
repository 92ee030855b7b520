#!/bin/sh
# Symlinks an attacker could plant in the Maildir, or as the record file, are
# never followed: `deliver` refuses them and defers (exit 75), with nothing
# written through the link or at its target, and no fallback to the inbox
# beside a planted link; once the link is gone, a retry delivers exactly
# once. Folder names cannot leave the Maildir (config: "..", "/", control
# characters, over-long names are refused, and deliver defers).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$TMP/Mail"
E="$TMP/elsewhere"      # where the attacker's links point
V="$TMP/victim"         # a file the attacker wants created
record_sent "$DFIX/sent-original.msg"
is "$?" 0 "the user's sent mail is recorded"

count () { mail_list "$M" 2>/dev/null | sed '/^$/d' | wc -l | tr -d ' '; }
reset () { rm -rf "$M" "$E" "$V"; mkdir -p "$M/tmp" "$M/new" "$M/cur" "$E/tmp" "$E/new" "$E/cur"; }
elsewhere_empty () { [ -z "$(find "$E" -type f)" ] && [ ! -e "$V" ] && [ ! -L "$E/maildirfolder" ]; }

# refused NAME LINK TARGET MESSAGE: with LINK (under $M) a symlink to TARGET,
# deliver MESSAGE defers, stores nothing, writes nothing at the target; with
# the link removed the retry delivers once.
refused () {
  _name=$1 _link=$2 _target=$3 _msg=$4
  rm -rf "${M:?}/$_link"
  mkdir -p "$(dirname "$M/$_link")"
  ln -s "$_target" "$M/$_link"
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/$_msg" 2>"$TMP/err"
  is "$?" 75 "$_name: exit 75"
  is "$(count)" 0 "$_name: nothing stored"
  if elsewhere_empty; then ok "$_name: nothing written through the link"; else not_ok "$_name: nothing written through the link"; find "$E" "$V" 2>/dev/null | while read -r l; do diag "$l"; done; fi
  if grep -q 'symbolic link' "$TMP/err"; then ok "$_name: says why"; else not_ok "$_name: says why"; diag "$(cat "$TMP/err")"; fi
  [ -L "$M/$_link" ] && ok "$_name: the link is left as it was" || not_ok "$_name: the link is left as it was"
  rm -f "$M/$_link"
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/$_msg" 2>"$TMP/err"
  is "$?" 0 "$_name: link removed, the retry: exit 0"
  is "$(count)" 1 "$_name: link removed, the retry: delivered once"
}

reset; refused "new/ a symlink" new "$E/new" ham.msg
reset; refused "tmp/ a symlink" tmp "$E/tmp" ham.msg
reset; refused "cur/ a symlink" cur "$E/cur" ham.msg
reset; refused ".Backscatter a symlink (filing backscatter)" .Backscatter "$E" bounce-forged.msg
reset; mkdir -p "$M/.Backscatter/tmp" "$M/.Backscatter/cur" "$M/.Backscatter/new"
refused ".Backscatter/new a symlink" .Backscatter/new "$E/new" bounce-forged.msg
reset; mkdir -p "$M/.Backscatter/tmp" "$M/.Backscatter/cur" "$M/.Backscatter/new"
refused ".Backscatter/maildirfolder a dangling symlink" .Backscatter/maildirfolder "$V" bounce-forged.msg
reset; refused "tmp/ a symlink, filing backscatter" tmp "$E/tmp" bounce-forged.msg

# The record's last component a symlink: deliver defers, check says so.
reset
mv "$DB" "$TMP/real.db"
ln -s "$TMP/real.db" "$DB"
"$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 75 "the record a symlink: deliver exits 75"
is "$(count)" 0 "the record a symlink: nothing stored"
if grep -q 'symbolic link' "$TMP/err"; then ok "the record a symlink: says why"; else not_ok "the record a symlink: says why"; diag "$(cat "$TMP/err")"; fi
"$UNSCATTER" check "$DFIX/bounce-forged.msg" > "$TMP/out" 2>"$TMP/err"
is "$?" 1 "the record a symlink: check exits 1"
is "$(cat "$TMP/out")" "$DFIX/bounce-forged.msg: error" "the record a symlink: check says error"
rm -f "$DB"; mv "$TMP/real.db" "$DB"
"$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "the record back: exit 0"
is "$(mail_list "$M" | sed 's|/[^/]*$||')" "./.Backscatter/new" "the record back: filed into .Backscatter"

# Folder names from the configuration cannot leave the Maildir.
LONG=$(printf '%0201d' 0)
for f in '../escape' '..' 'a/b' '/etc' "$(printf 'a\033b')" "$(printf 'tab\tname')" "$LONG" '.hidden' 'trailing.'; do
  reset
  write_config '[actions]' "folder = $f"
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
  rc=$?
  shown=$(printf '%s' "$f" | od -An -c | tr -d ' \n' | cut -c1-24)
  is "$rc" 75 "folder '$shown': exit 75 (a bad config)"
  is "$(count)" 0 "folder '$shown': nothing stored"
  is "$(find "$TMP" -maxdepth 1 -name escape | wc -l | tr -d ' ')" 0 "folder '$shown': nothing outside the Maildir"
done
write_config '[actions]' "folder = $(printf '%0200d' 0)"
reset
"$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "a 200-byte folder name: exit 0"
is "$(mail_list "$M" | sed 's|/[^/]*$||')" "./.$(printf '%0200d' 0)/new" "a 200-byte folder name: filed there"
done_testing
