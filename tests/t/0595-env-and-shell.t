#!/bin/sh
# Environment values and shells (issue 10).
#  - RECIPIENT, ORIGINAL_RECIPIENT, ORIG_RECIPIENT and SENDER are validated
#    before use: a value with CR/LF, ESC or other controls, blanks, invalid
#    UTF-8 or over 320 bytes is ignored (the next source is used) and never
#    reaches the output, the added fields or the stored message.
#  - No shell is ever run: check, filter and deliver start no program at all
#    (strace: no execve after our own); sendmail runs only the configured
#    program, with the arguments as given (execv, no shell), however many
#    shell metacharacters the message and the arguments hold.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$TMP/Mail"
NL='
'
ESC=$(printf '\033')

# ---- environment values ----
run_rc env "RECIPIENT=me@example.org${NL}X-Unscatter-Verdict: legitimate" "$UNSCATTER" check --explain "$DFIX/bounce-forged.msg"
is "$(printf '%s\n' "$out" | grep -c 'X-Unscatter-Verdict')" 0 "RECIPIENT with a line feed: not taken"
is "$(printf '%s\n' "$out" | grep '^  delivered to:' | sed 's/.*(//; s/)$//')" "$(env -u RECIPIENT "$UNSCATTER" check --explain "$DFIX/bounce-forged.msg" | grep '^  delivered to:' | sed 's/.*(//; s/)$//')" "RECIPIENT with a line feed: the next source, as if unset"
run_rc env "ORIGINAL_RECIPIENT=a${ESC}[2J@example.org" "RECIPIENT=r@example.org" "$UNSCATTER" check --explain "$DFIX/bounce-forged.msg"
is "$(printf '%s\n' "$out" | grep '^  delivered to:')" "  delivered to:  r@example.org (env:RECIPIENT)" "ORIGINAL_RECIPIENT with ESC: ignored, RECIPIENT taken"
LONG=$(printf '%0330d' 0)@example.org
run_rc env "RECIPIENT=$LONG" "$UNSCATTER" check --explain "$DFIX/bounce-forged.msg"
is "$(printf '%s\n' "$out" | grep -c "$LONG")" 0 "RECIPIENT over 320 bytes: ignored"
run_rc env "SENDER=$(printf 'a\377@example.org')" "$UNSCATTER" check --json "$DFIX/bounce-forged.msg"
is "$rc" 1 "SENDER of invalid UTF-8: check still judges (exit 1, no record)"

# deliver with hostile variables: the stored message is the input plus two well-formed fields
env "RECIPIENT=x@example.org${NL}X-Evil: 1" "SENDER=${ESC}]0;t${NL}" "ORIGINAL_RECIPIENT=$LONG" \
  "$UNSCATTER" deliver --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$?" 0 "deliver with hostile variables: exit 0"
F=$(find "$M" -path '*/new/*' -type f)
is "$(printf '%s\n' "$F" | sed '/^$/d' | wc -l | tr -d ' ')" 1 "deliver with hostile variables: one message stored"
[ -f "$F" ] || F=/dev/null
if strip_added "$F" | cmp -s - "$DFIX/bounce-forged.msg"; then ok "stored: the input plus the two fields"; else not_ok "stored: the input plus the two fields"; fi
N=$(added_lines "$F")
is "$([ "$N" -ge 2 ] && head -n "$N" "$F" | grep -vc '^X-Unscatter-Verdict: \|^X-Unscatter-Reason: \|^[ 	]')" 0 "the added lines are X-Unscatter-Verdict, -Reason and their continuations"
is "$(grep -c 'X-Evil' "$F")" 0 "no injected field"
is "$(head -n "$N" "$F" | LC_ALL=C grep -c '[^ -~]')" 0 "the added fields are printable ASCII"

# ---- no shell, no program ----
if command -v strace >/dev/null 2>&1 && strace -f -qq -e trace=execve true 2>/dev/null; then
  SH_MSG="$TMP/shell.eml"
  { printf 'From: $(touch %s/pwned1)\nSubject: `touch %s/pwned2`; touch %s/pwned3\n' "$TMP" "$TMP" "$TMP"
    printf 'Message-ID: <a;touch-%s/pwned4@example.org>\n\n|touch %s/pwned5\n' "$TMP" "$TMP"; } > "$SH_MSG"
  for cmd in "check" "check --explain" "filter" "deliver --maildir $M"; do
    # shellcheck disable=SC2086
    strace -f -qq -e trace=execve -o "$TMP/trace" env "RECIPIENT=\$(touch $TMP/pwned6)" "SENDER=;touch $TMP/pwned7" \
      "$UNSCATTER" $cmd < "$SH_MSG" > /dev/null 2>&1
    is "$(grep -c 'execve(' "$TMP/trace")" 2 "$cmd: no program started (only env and unscatter itself)"
  done
  is "$(ls "$TMP" | grep -c pwned)" 0 "nothing the message or the environment said was run"
  # sendmail: the configured program, exactly the given arguments, no shell
  cat > "$TMP/fake-sendmail" <<EOS
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done > "$TMP/args"
cat > /dev/null
EOS
  chmod +x "$TMP/fake-sendmail"
  printf '[sendmail]\npath = %s\n' "$TMP/fake-sendmail" > "$TMP/conf"
  strace -f -qq -e trace=execve -o "$TMP/trace" "$UNSCATTER" sendmail --config "$TMP/conf" -- -oi -f 'a;touch x' '$(touch y)@example.org' < "$SH_MSG" 2>/dev/null
  is "$?" 0 "sendmail: exit 0 (the fake sendmail's)"
  is "$(grep 'execve(' "$TMP/trace" | grep -v "$UNSCATTER\"" | grep -c -v 'fake-sendmail\|/bin/cat\|/usr/bin/cat')" 0 "sendmail: only the configured program runs (and what it runs itself)"
  is "$(grep 'execve(' "$TMP/trace" | grep -c 'fake-sendmail')" 1 "sendmail: the configured program, once"
  is "$(cat "$TMP/args" | tr '\n' '|')" '-oi|-f|a;touch x|$(touch y)@example.org|' "sendmail: the arguments as given, no shell"
  is "$(ls "$TMP" | grep -c pwned)" 0 "sendmail: nothing from the message was run"
else
  skip "strace not found (or not allowed here): no program started"
fi
done_testing
