#!/bin/sh
# The ~/.forward snippet (doc/snippets/forward) run exactly as each MTA runs
# it: Postfix local(8) through /bin/sh -c with its environment (HOME,
# ORIGINAL_RECIPIENT, RECIPIENT, SENDER, ...); Exim without a shell (the
# "~/Maildir" argument reaches unscatter as it is); sendmail's prog mailer
# through sh -c without HOME (taken from the password file). Then the other
# set-up snippets: the crontab line importing the Sent folder, and mutt's
# sendmail hook. Only the install path /usr/local/bin/unscatter is replaced
# by the binary under test.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$HOME/Maildir"
record_sent "$DFIX/sent-original.msg"
is "$?" 0 "the user's sent mail is recorded"

line=$(cat "$SNIPPETS/forward")
is "$(wc -l < "$SNIPPETS/forward" | tr -d ' ')" 1 "forward: one line"
case "$line" in
  '"|'*'"') ok "forward: a quoted pipe command" ;;
  *) not_ok "forward: a quoted pipe command"; diag "$line" ;;
esac
cmd=${line#\"|}
cmd=${cmd%\"}
case "$cmd" in
  "$INSTALLED "*) ok "forward: runs $INSTALLED" ;;
  *) not_ok "forward: runs $INSTALLED"; diag "$cmd" ;;
esac
cmd=$(printf '%s\n' "$cmd" | installed_to_built)

# expect NAME FOLDER VERDICT RC: the last delivery exited RC and stored one
# file in FOLDER with VERDICT (FOLDER "" for nothing stored).
expect () {
  is "$rc" "$4" "$1: exit $4"
  _new=$(delivered "$_before" "$(mail_list "$M" 2>/dev/null)")
  if [ -z "$2" ]; then
    is "$_new" "" "$1: nothing stored"
    return
  fi
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | sed 's|/[^/]*$||' | tr '\n' ' ')" "./$2 " "$1: one file, in $2"
  [ -f "$M/$_new" ] && is "$(verdict_of "$M/$_new")" "$3" "$1: $3"
}

# Postfix local(8): /bin/sh -c, in the home directory, with its environment.
postfix () {
  _before=$(mail_list "$M" 2>/dev/null)
  (cd "$HOME" 2>/dev/null; env -i HOME="$HOME" SHELL=/bin/sh LOGNAME=alice USER=alice \
     PATH=/usr/bin:/bin LOCAL=alice DOMAIN=example.org EXTENSION= \
     ORIGINAL_RECIPIENT=alice@example.org RECIPIENT=alice@example.org SENDER="$1" \
     /bin/sh -c "$cmd" < "$DFIX/$2" 2>"$TMP/err")
  rc=$?
}
postfix bob@example.net ham.msg
expect "postfix: ordinary mail" new "not-bounce (not-bounce)" 0
postfix "" bounce-genuine.msg
expect "postfix: genuine bounce" new "legitimate (dsn)" 0
postfix "" bounce-forged.msg
expect "postfix: backscatter" .Backscatter/new "backscatter (dsn)" 0

# Exim: no shell, the command split into words; pipe transport environment.
exim () {
  _before=$(mail_list "$M" 2>/dev/null)
  set -f
  # shellcheck disable=SC2086
  (cd /; env -i HOME="$HOME" LOCAL_PART=alice DOMAIN=example.org LOGNAME=alice USER=alice \
     RECIPIENT=alice@example.org SENDER="$1" PATH=/bin:/usr/bin SHELL=/bin/sh \
     $cmd < "$DFIX/$2" 2>"$TMP/err")
  rc=$?
  set +f
}
exim bob@example.net ham.msg
expect "exim-style, no shell: ordinary mail" new "not-bounce (not-bounce)" 0
exim "" bounce-genuine.msg
expect "exim-style, no shell: genuine bounce" new "legitimate (dsn)" 0
exim "" bounce-forged.msg
expect "exim-style, no shell: backscatter" .Backscatter/new "backscatter (dsn)" 0

# sendmail: prog mailer, sh -c, no HOME in the environment, in the home directory.
if mda_ns_init; then
  sendmail_prog () {
    _before=$(mail_list "$M" 2>/dev/null)
    (cd "$HOME"; as_user env -i AGENT=sendmail PATH=/usr/bin:/bin /bin/sh -c "$cmd" < "$DFIX/$1" 2>"$TMP/err")
    rc=$?
  }
  sendmail_prog ham.msg
  expect "sendmail: ordinary mail" new "not-bounce (not-bounce)" 0
  sendmail_prog bounce-forged.msg
  expect "sendmail: backscatter" .Backscatter/new "backscatter (dsn)" 0
else
  skip "no mount namespace for a test password file: sendmail-style run"
fi

# The Maildir cannot be created: exit 75, the MTA defers (never a bounce).
: > "$TMP/notadir"
_before=$(mail_list "$M")
(env -i HOME="$TMP/notadir" PATH=/usr/bin:/bin ORIGINAL_RECIPIENT=alice@example.org SENDER= \
   /bin/sh -c "$cmd" < "$DFIX/bounce-forged.msg" 2>"$TMP/err")
rc=$?
expect "postfix: Maildir cannot be created" "" "" 75

# ---- a real Exim delivery (root only: exim -C, the pipe run as nobody) ----
# The snippet as ~/.forward (install path replaced), routed by a test
# configuration through Exim's redirect router to its address_pipe transport.
# A deferral (exit 75) keeps the message in Exim's queue; the queue run after
# the trouble is gone delivers it.
# The pipe runs as nobody, who may not reach the build tree (a checkout under
# /root, mode 0700): the binary nobody runs is a copy in a world-readable
# temporary directory.
exim_ok=
E="$TMP/exim"
if [ "$(id -u)" = 0 ] && command -v exim4 >/dev/null 2>&1 && id nobody >/dev/null 2>&1 \
   && getent group nogroup >/dev/null 2>&1; then
  chmod 755 "$TMP"
  mkdir -p "$E/bin" && cp "$UNSCATTER" "$E/bin/unscatter" && chmod -R a+rX "$E"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups "$E/bin/unscatter" --version >/dev/null 2>&1; then
    exim_ok=yes
  fi
fi
if [ -n "$exim_ok" ]; then
  EH="$E/home"
  mkdir -p "$E/spool" "$E/log" "$EH/Maildir/new" "$EH/Maildir/cur" "$EH/Maildir/tmp"
  sed "s|$INSTALLED|$E/bin/unscatter|g" < "$SNIPPETS/forward" > "$EH/.forward"
  HOME="$EH" XDG_DATA_HOME="$EH/.local/share" XDG_CONFIG_HOME="$EH/.config" "$UNSCATTER" record "$DFIX/sent-original.msg" > /dev/null 2>&1
  chown -R nobody:nogroup "$EH"
  cat > "$E/exim.conf" <<EOC
primary_hostname = mail.example.org
qualify_domain = example.org
domainlist local_domains = example.org
spool_directory = $E/spool
log_file_path = $E/log/%slog
exim_user = root
exim_group = root
trusted_users = root
keep_environment =
begin routers
userforward:
  driver = redirect
  domains = +local_domains
  local_parts = alice
  file = $EH/.forward
  user = nobody
  group = nogroup
  pipe_transport = address_pipe
begin transports
address_pipe:
  driver = pipe
  return_fail_output
  home_directory = $EH
  user = nobody
  group = nogroup
begin retry
* * F,1d,15m
EOC
  EM="$EH/Maildir"
  exim_deliver () {  # exim_deliver SENDER MESSAGE
    _before=$(mail_list "$EM")
    exim4 -C "$E/exim.conf" -odi -f "$1" alice@example.org < "$DFIX/$2" 2>"$TMP/err"
    rc=$?
    _new=$(delivered "$_before" "$(mail_list "$EM")")
  }
  exim_expect () {  # NAME FOLDER VERDICT
    is "$rc" 0 "exim: $1: exim exits 0"
    is "$(printf '%s\n' "$_new" | sed '/^$/d' | sed 's|/[^/]*$||' | tr '\n' ' ')" "./$2 " "exim: $1: one file, in $2"
    [ -f "$EM/$_new" ] && is "$(verdict_of "$EM/$_new")" "$3" "exim: $1: $3"
  }
  exim_deliver bob@example.net ham.msg
  exim_expect "ordinary mail" new "not-bounce (not-bounce)"
  exim_deliver "" bounce-genuine.msg
  exim_expect "genuine bounce" new "legitimate (dsn)"
  exim_deliver "" bounce-forged.msg
  exim_expect "backscatter" .Backscatter/new "backscatter (dsn)"
  chmod 500 "$EM/new"
  exim_deliver "" bounce-genuine.msg
  is "$_new" "" "exim: inbox not writable: nothing stored"
  is "$(exim4 -C "$E/exim.conf" -bpc)" 1 "exim: inbox not writable: the message waits in Exim's queue"
  if grep -q 'returned 75' "$E/log/mainlog"; then ok "exim: logged as a deferral (75)"; else not_ok "exim: logged as a deferral (75)"; fi
  chmod 700 "$EM/new"
  _before=$(mail_list "$EM")
  exim4 -C "$E/exim.conf" -qff 2>"$TMP/err"
  _new=$(delivered "$_before" "$(mail_list "$EM")")
  is "$(exim4 -C "$E/exim.conf" -bpc)" 0 "exim: the queue run delivers it"
  is "$(printf '%s\n' "$_new" | sed '/^$/d' | sed 's|/[^/]*$||' | tr '\n' ' ')" "./new " "exim: retried: one file, in new"
  if grep -q 'Completed' "$E/log/mainlog" && ! grep -q '\*\*' "$E/log/mainlog"; then ok "exim: no delivery failed (no bounce)"; else not_ok "exim: no delivery failed (no bounce)"; diag "$(cat "$E/log/mainlog")"; fi
else
  skip "a real Exim delivery needs root, exim4 (package exim4-daemon-light) and the user nobody (group nogroup) able to run a copy of unscatter in $E/bin"
fi

# ---- crontab: import the Sent folder ----
bounce_of () {  # bounce_of MESSAGE-ID: bounce-genuine.msg returning another original
  sed "s/20240304081203.GA1187@alice-laptop.example.org/$1/" "$DFIX/bounce-genuine.msg"
}
other_id=20240305164055.GB2210@alice-laptop.example.org
bounce_of "$other_id" > "$TMP/bounce-other.msg"
"$UNSCATTER" check "$TMP/bounce-other.msg" > "$TMP/out" 2>&1
is "$(cut -d' ' -f2 "$TMP/out")" "backscatter" "before the cron import: a bounce of the Sent message is backscatter"
mkdir -p "$M/.Sent/cur" "$M/.Sent/new" "$M/.Sent/tmp"
: > "$M/.Sent/maildirfolder"
cp "$DFIX/sent-other.msg" "$M/.Sent/cur/1709656855.M1P1.laptop:2,S"
cron=$(grep -v '^#' "$SNIPPETS/crontab" | sed '/^$/d')
is "$(printf '%s\n' "$cron" | wc -l | tr -d ' ')" 1 "crontab: one entry"
cron_cmd=$(printf '%s\n' "$cron" | sed 's/^[^ ]*  *[^ ]*  *[^ ]*  *[^ ]*  *[^ ]*  *//' | installed_to_built)
for run in first second; do
  (cd "$HOME"; env -i HOME="$HOME" LOGNAME=alice SHELL=/bin/sh PATH=/usr/bin:/bin /bin/sh -c "$cron_cmd" > "$TMP/out" 2>&1)
  is "$?" 0 "crontab: the $run import exits 0"
done
"$UNSCATTER" check "$TMP/bounce-other.msg" > "$TMP/out" 2>&1
is "$(cut -d' ' -f2 "$TMP/out")" "legitimate" "after the cron import: the bounce is legitimate"

# ---- muttrc: the sendmail hook records, then passes the message on ----
cat > "$TMP/fake-sendmail" <<EOS
#!/bin/sh
printf '%s\n' "\$@" > "$TMP/sm.args"
cat > "$TMP/sm.msg"
exit 0
EOS
chmod 755 "$TMP/fake-sendmail"
write_config '[sendmail]' "path = $TMP/fake-sendmail"
hook_id=mutt-hook-1@alice-laptop.example.org
sed "s/20240305164055.GB2210@alice-laptop.example.org/$hook_id/" "$DFIX/sent-other.msg" > "$TMP/outgoing.msg"
bounce_of "$hook_id" > "$TMP/bounce-hook.msg"
val=$(sed -n 's/^set sendmail = "\(.*\)"$/\1/p' "$SNIPPETS/muttrc")
case "$val" in
  "$INSTALLED "*) ok "muttrc: sendmail runs $INSTALLED" ;;
  *) not_ok "muttrc: sendmail runs $INSTALLED"; diag "$val" ;;
esac
val=$(printf '%s\n' "$val" | installed_to_built)
# mutt splits $sendmail into words (no shell) and adds "--" and the recipients.
set -f
# shellcheck disable=SC2086
$val -- carol@example.com < "$TMP/outgoing.msg" > "$TMP/out" 2>&1
rc=$?
set +f
is "$rc" 0 "muttrc: the hook exits with sendmail's status (0)"
is "$(tr '\n' ' ' < "$TMP/sm.args" 2>/dev/null)" "-oem -oi -- carol@example.com " "muttrc: sendmail gets mutt's arguments"
[ -f "$TMP/sm.msg" ] || : > "$TMP/sm.msg"
same_bytes "$TMP/sm.msg" "$TMP/outgoing.msg" "muttrc: sendmail gets the message unchanged"
rm -f "$XDG_CONFIG_HOME/unscatter/config"
"$UNSCATTER" check "$TMP/bounce-hook.msg" > "$TMP/out" 2>&1
is "$(cut -d' ' -f2 "$TMP/out")" "legitimate" "muttrc: the sent message was recorded (its bounce is legitimate)"
done_testing
