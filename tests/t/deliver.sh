# tests/t/deliver.sh — helpers of the delivery tests (tests/t/05*.t), sourced
# after lib.sh. The set-up snippets in doc/snippets/ are used as they are: the
# tests copy them (cp, never edit) where a user would put them, or run their
# command line as the MTA, cron or mutt would; the only thing replaced is the
# install path /usr/local/bin/unscatter, by the binary under test.

DFIX="$FIXTURES/deliver"
SNIPPETS="$top_srcdir/doc/snippets"
INSTALLED=/usr/local/bin/unscatter

# A fresh HOME (lib.sh tmpdir) with ~/bin/unscatter and an empty ~/Maildir,
# the user's existing mailbox.
setup_home () {
  tmpdir
  mkdir -p "$HOME/bin" "$HOME/Maildir/cur" "$HOME/Maildir/new" "$HOME/Maildir/tmp" "$XDG_CONFIG_HOME/unscatter"
  ln -s "$UNSCATTER" "$HOME/bin/unscatter"
  DB="$XDG_DATA_HOME/unscatter/record.db"
}

# write_config LINES...: the user's configuration file.
write_config () {
  printf '%s\n' "$@" > "$XDG_CONFIG_HOME/unscatter/config"
}

# procmail, maildrop and a sendmail-style delivery take HOME from the password
# file, not from the environment: run them in a private mount namespace whose
# /etc/passwd gives root the test's HOME. That needs root (CI runs as root);
# as another user (procmail and maildrop are set-id programs, which a user
# namespace does not honour) mda_ns_init returns 1 and the caller skips.
mda_ns_init () {
  [ "$(id -u)" = 0 ] || return 1
  FAKEPW="$TMP/passwd"
  awk -F: -v OFS=: -v h="$HOME" '$3 == 0 { $6 = h } { print }' /etc/passwd > "$FAKEPW"
  NS="unshare -m"
  $NS sh -c 'mount --bind "$0" /etc/passwd' "$FAKEPW" 2>/dev/null || return 1
  return 0
}

# as_user CMD...: run CMD with the password file saying HOME is $HOME.
as_user () {
  $NS sh -c 'mount --bind "$0" /etc/passwd && exec "$@"' "$FAKEPW" "$@"
}

# mail_list DIR: every message file under the Maildir DIR (all folders), sorted.
mail_list () {
  (cd "$1" && find . \( -path '*/new/*' -o -path '*/cur/*' \) -type f | sort)
}

# delivered BEFORE AFTER: the files in AFTER that are not in BEFORE (lists).
delivered () {
  printf '%s\n' "$1" | sort > "$TMP/.l1"
  printf '%s\n' "$2" | sort > "$TMP/.l2"
  comm -13 "$TMP/.l1" "$TMP/.l2" | sed '/^$/d'
}

# added_lines FILE: how many lines at the top of FILE (after an mbox "From "
# line, which stays first) are the two added header fields
# (X-Unscatter-Verdict then X-Unscatter-Reason, with their continuation
# lines); 0 when they are not both there.
added_lines () {
  awk 'NR == 1 && /^From / { next }
       s == 0 && /^X-Unscatter-Verdict: / { s = 1; n = 1; next }
       s >= 1 && /^[ \t]/ { n++; next }
       s == 1 && /^X-Unscatter-Reason: / { s = 2; n++; next }
       { exit }
       END { print (s == 2 ? n : 0) }' "$1"
}

# from_lines FILE: 1 when FILE starts with an mbox "From " line, else 0.
from_lines () {
  if head -n 1 "$1" | grep -q '^From '; then echo 1; else echo 0; fi
}

# strip_added FILE: FILE without the two added header fields, byte for byte.
strip_added () {
  _k=$(from_lines "$1")
  _n=$(added_lines "$1")
  { head -n "$_k" "$1"; tail -n +$((_k + _n + 1)) "$1"; }
}

# verdict_of FILE: "VERDICT (KIND)" from the added X-Unscatter-Verdict line.
verdict_of () {
  sed -n "$(($(from_lines "$1") + 1))p" "$1" | tr -d '\r' | sed -n 's/^X-Unscatter-Verdict: //p'
}

# reason_of FILE: the start of the X-Unscatter-Reason line that follows it.
reason_of () {
  sed -n "$(($(from_lines "$1") + 2))p" "$1" | cut -c1-20
}

# same_bytes A B NAME: ok when files A and B are identical.
same_bytes () {
  if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3"; diag "files differ: $1 $2"; fi
}

# snippet_command FILE: the command line of a one-line snippet with the install
# path replaced by the binary under test.
installed_to_built () {
  sed "s|$INSTALLED|$UNSCATTER|g"
}

# record_sent FILE...: add sent messages to the user's record.
record_sent () {
  "$UNSCATTER" record "$@" >/dev/null 2>"$TMP/.record.err"
}

# catches PID SIG: PID has a handler for SIG (SigCgt in /proc/PID/status):
# the real state to wait for before signalling a child started with &. (Its
# /proc/PID/cmdline is no proof of the exec: a forked shell's command line
# names the test script, which may contain the word being looked for.)
catches () {
  _mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
  [ -n "$_mask" ] || return 1
  case $2 in INT) _num=2 ;; TERM) _num=15 ;; SEGV) _num=11 ;; ABRT) _num=6 ;; *) return 1 ;; esac
  [ $(( (0x$_mask >> (_num - 1)) & 1 )) -eq 1 ]
}
