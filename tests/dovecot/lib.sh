# tests/dovecot/lib.sh — real Dovecot for the tests/t/08NN-dovecot-*.t
# tests (sourced after tests/lib.sh). Everything runs in the test's own
# directory: an "installed" tree $INST made from the snippets that
# doc/dovecot.md shows (extracted from the page, verbatim, with only the
# install prefix /usr/local/ replaced by $INST/, as make install replaces
# it by the configured directories), a Dovecot configuration whose paths
# all point into $TMP, and the user's home $H with Maildir ~/Maildir.
#
# Dovecot runs as an unprivileged user: the invoking user, or nobody
# (group nogroup) when the tests run as root.
DC_LDA=/usr/lib/dovecot/dovecot-lda
DC_IMAP=/usr/lib/dovecot/imap
DC_PLUGIN_BUILT="$top_builddir/sieve-ext/dovecot/.libs/lib90_sieve_unscatter_plugin.so"
DC_DOC="$top_srcdir/doc/dovecot.md"
DC_MASTER=

# dc_require [plugin] [master] [imap] [execute]: skip the whole test with a reason
dc_require () {
  command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
  [ -x "$DC_LDA" ] || skip_all "no $DC_LDA (Debian package dovecot-core)"
  [ -f /usr/lib/dovecot/modules/lib90_sieve_plugin.so ] || skip_all "Pigeonhole not installed (Debian package dovecot-sieve)"
  command -v sievec >/dev/null 2>&1 || skip_all "no sievec (Debian package dovecot-sieve)"
  for _w in "$@"; do
    case $_w in
      plugin) [ -f "$DC_PLUGIN_BUILT" ] || skip_all "the plugin was not built (configure found no dovecot-dev)" ;;
      master) command -v dovecot >/dev/null 2>&1 || skip_all "no dovecot master (Debian package dovecot-core)"
              [ -x /usr/lib/dovecot/lmtp ] || skip_all "no Dovecot LMTP (Debian package dovecot-lmtpd)" ;;
      imap) [ -x "$DC_IMAP" ] || skip_all "no $DC_IMAP (Debian package dovecot-imapd)"
            [ -f /usr/lib/dovecot/modules/lib95_imap_sieve_plugin.so ] || skip_all "no imap_sieve plugin (dovecot-sieve)" ;;
      execute) [ -f /usr/lib/dovecot/modules/sieve/lib90_sieve_extprograms_plugin.so ] || skip_all "no sieve_extprograms (dovecot-sieve)" ;;
    esac
  done
  if [ "$(id -u)" = 0 ]; then
    { id nobody && getent group nogroup; } >/dev/null 2>&1 || skip_all "running as root needs the user nobody and group nogroup"
    command -v setpriv >/dev/null 2>&1 || skip_all "running as root needs setpriv (util-linux)"
    DC_USER=nobody DC_GROUP=nogroup
  else
    DC_USER=$(id -un) DC_GROUP=$(id -gn)
  fi
}

# as_user CMD...: run CMD as the unprivileged user, with a clean environment
# holding the user's HOME and USER (as Dovecot gives its delivery processes).
as_user () {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$DC_USER" --regid="$DC_GROUP" --clear-groups \
      env -i PATH=/usr/bin:/bin HOME="$H" USER="$DC_USER" LOGNAME="$DC_USER" "$@"
  else
    env -i PATH=/usr/bin:/bin HOME="$H" USER="$DC_USER" LOGNAME="$DC_USER" "$@"
  fi
}
# dc_own: give the test's directory to that user (after writing into it).
dc_own () { [ "$(id -u)" != 0 ] || chown -R "$DC_USER:$DC_GROUP" "$TMP"; }

# dc_snippet PATH: the block doc/dovecot.md shows under <!-- snippet: PATH -->.
dc_snippet () {
  python3 "$top_srcdir/tests/tap.py" snippet "$DC_DOC" "$1"
}
# dc_install PATH DEST [MODE]: a snippet into the installed tree.
dc_install () {
  mkdir -p "$(dirname "$2")"
  dc_snippet "$1" | sed "s|/usr/local/|$INST/|g" > "$2" || return 1
  [ -z "${3:-}" ] || chmod "$3" "$2"
}

# dc_setup: $TMP, $H, $INST (unscatter, the plugin, every snippet), the
# messages under $M (fixtures copied: the user may not reach the tree).
dc_setup () {
  tmpdir
  chmod 755 "$TMP"
  H="$TMP/home" INST="$TMP/inst" M="$TMP/msgs"
  mkdir -p "$H" "$INST/bin" "$INST/plugins" "$TMP/run" "$TMP/state" "$M"
  cp "$UNSCATTER" "$INST/bin/unscatter"
  # The plugin directory: Pigeonhole's own plugins and the one built here.
  for _p in /usr/lib/dovecot/modules/sieve/*.so; do [ ! -f "$_p" ] || ln -s "$_p" "$INST/plugins/"; done
  [ ! -f "$DC_PLUGIN_BUILT" ] || cp "$DC_PLUGIN_BUILT" "$INST/plugins/"
  S="$INST/share/unscatter/dovecot" X="$INST/libexec/unscatter/sieve-execute" C="$INST/conf"
  for f in 90-unscatter.conf 95-unscatter-imapsieve.conf; do dc_install "sieve-ext/dovecot/$f" "$C/$f"; done
  for f in unscatter.sieve unscatter-sent.sieve; do dc_install "sieve-ext/dovecot/$f" "$S/$f"; done
  for f in 90-unscatter-execute.conf 95-unscatter-execute-imapsieve.conf; do dc_install "sieve-ext/execute/$f" "$C/$f"; done
  for f in unscatter-execute.sieve unscatter-sent-execute.sieve; do dc_install "sieve-ext/execute/$f" "$S/$f"; done
  for f in unscatter-check unscatter-record; do dc_install "sieve-ext/execute/$f" "$X/$f" 755; done
  cp -r "$FIXTURES/sent" "$FIXTURES/dsn" "$FIXTURES/autoreply" "$FIXTURES/challenge" \
        "$FIXTURES/virus" "$FIXTURES/ham" "$FIXTURES/arf" "$FIXTURES/batv" "$M/"
  chmod -R a+rX "$TMP"
  DC_LOG="$TMP/dovecot.log"
}

# dc_config INCLUDE...: $TMP/dovecot.conf, every path in $TMP, then the
# installed snippets named (e.g. 90-unscatter.conf), then $DC_EXTRA.
dc_config () {
  cat > "$TMP/dovecot.conf" <<EOF
# The test's own Dovecot: every path under $TMP.
protocols = lmtp
listen = 127.0.0.1
ssl = no
base_dir = $TMP/run
state_dir = $TMP/state
log_path = $DC_LOG
info_log_path = $DC_LOG
default_internal_user = $DC_USER
default_internal_group = $DC_GROUP
default_login_user = $DC_USER
first_valid_uid = 1
mail_location = maildir:~/Maildir
# The tests judge what is stored, not the disk: no fsync (a delivery then
# takes milliseconds, not tens of them, on a busy machine).
mail_fsync = never
passdb {
  driver = static
  args = nopassword
}
userdb {
  driver = static
  args = uid=$DC_USER gid=$DC_GROUP home=$H
}
service anvil {
  chroot =
}
# No address-space limit on the LMTP processes: an AddressSanitizer build of
# unscatter (the execute route's child) reserves terabytes of shadow memory.
default_vsz_limit = 0
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
# No address-space limit on the test's services: an AddressSanitizer build
# of unscatter, run by the execute route under lmtp, reserves terabytes of
# shadow memory and cannot start under Dovecot's default 256 MB vsz limit.
default_vsz_limit = 0
# Store what was sent: no Received or Delivered-To (Return-Path stays).
lmtp_add_received_header = no
lmtp_hdr_delivery_address = none
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_plugin_dir = $INST/plugins
}
EOF
  for _i in "$@"; do echo "!include $C/$_i" >> "$TMP/dovecot.conf"; done
  [ -z "${DC_EXTRA:-}" ] || printf '%s\n' "$DC_EXTRA" >> "$TMP/dovecot.conf"
  dc_own
}

# dc_record FILE...: add sent messages to the user's record (as the user).
dc_record () { as_user "$INST/bin/unscatter" record "$@" >/dev/null 2>&1; }

# dc_lda FILE [SENDER [ORIG-RCPT]]: deliver with dovecot-lda; sets $rc.
dc_lda () {
  as_user "$DC_LDA" -c "$TMP/dovecot.conf" -f "${2-}" -a "${3:-alice@example.org}" < "$1"
  rc=$?
}

# dc_where FILE: the folder the message FILE was stored in ("INBOX",
# "Backscatter", ...) when exactly one stored message is byte-identical to
# it (or to it after one leading "Return-Path: <...>" line, which LMTP
# adds; CRLF input compared with LF, as Dovecot stores it), else "none" or
# "several".
dc_where () {
  python3 - "$H/Maildir" "$1" <<'PY'
import os, re, sys
root, path = sys.argv[1:3]
want = open(path, "rb").read()
# Dovecot stores LF line endings (mail_save_crlf = no): CRLF input is
# stored with LF, else as it came.
want = want.replace(b"\r\n", b"\n")
found = []
for dirpath, dirs, files in os.walk(root):
    if os.path.basename(dirpath) not in ("new", "cur"):
        continue
    for f in files:
        data = open(os.path.join(dirpath, f), "rb").read()
        if data == want or re.sub(rb"\AReturn-Path: <[^>\n]*>\r?\n", b"", data, count=1) == want:
            folder = os.path.relpath(os.path.dirname(dirpath), root)
            found.append("INBOX" if folder == "." else folder.lstrip("."))
print(found[0] if len(found) == 1 else ("none" if not found else "several"))
PY
}

# dc_count: messages stored in every folder.
dc_count () { find "$H/Maildir" \( -path '*/new/*' -o -path '*/cur/*' \) -type f 2>/dev/null | grep -c . ; }

# dc_master_start / dc_master_stop: a dovecot master on $TMP/dovecot.conf
# (LMTP on the unix socket $TMP/run/lmtp), stopped when the test exits.
dc_master_start () {
  rm -f "$TMP/run/master.pid"
  trap 'dc_master_stop; rm -rf "$TMP"' EXIT
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$DC_USER" --regid="$DC_GROUP" --clear-groups dovecot -c "$TMP/dovecot.conf" || return 1
  else
    dovecot -c "$TMP/dovecot.conf" || return 1
  fi
  _i=0
  while [ ! -S "$TMP/run/lmtp" ] || [ ! -s "$TMP/run/master.pid" ]; do
    _i=$((_i + 1)); [ $_i -lt 100 ] || return 1; sleep 0.1
  done
  DC_MASTER=$(cat "$TMP/run/master.pid")
}
dc_master_stop () {
  [ -n "${DC_MASTER:-}" ] || return 0
  kill "$DC_MASTER" 2>/dev/null
  _i=0
  while kill -0 "$DC_MASTER" 2>/dev/null && [ $_i -lt 100 ]; do _i=$((_i + 1)); sleep 0.1; done
  DC_MASTER=
}
# dc_lmtp [--from S] [--to R] FILE...: deliver over LMTP (as the user).
dc_lmtp () { as_user python3 "$top_srcdir/tests/dovecot/lmtp-client.py" "$TMP/run/lmtp" "$@"; }

# dc_cases_setup: the deliveries both delivery paths make. $TMP/user.sieve
# (the user's script for the plugin route: bounce :kind / :verdict with
# several match types and a comparator), BATV keys and two tagged bounces
# (valid, forged), and $CASES, one line per message:
#   FILE ORIG-RCPT PLUGIN-FOLDER EXECUTE-FOLDER VERDICT KIND
dc_cases_setup () {
  cat > "$TMP/user.sieve" <<'EOF'
require ["vnd.unscatter", "fileinto", "mailbox", "regex"];
if bounce :verdict :is "unknown" { fileinto :create "Unknown"; stop; }
if bounce :kind :is ["challenge", "autoreply"] { fileinto :create "Auto"; stop; }
if bounce :kind :regex "^virus-" { fileinto :create "Virus"; stop; }
if bounce :verdict :comparator "i;octet" :contains "LEGIT" { fileinto :create "Never"; stop; }
if bounce :verdict :contains "legit" { fileinto :create "Bounces"; stop; }
if bounce { fileinto :create "OtherBounce"; stop; }
EOF
  ME=alice@example.org
  dc_own
  as_user "$INST/bin/unscatter" batv keygen >/dev/null || not_ok "batv keygen"
  cp -p "$H/.config/unscatter/batv-keys" "$TMP/batv-keys"
  valid=$(as_user "$INST/bin/unscatter" batv sign "$ME")
  # the first hash digit changed: prvs=K DDD [H]HHHHH
  forged=$(printf '%s\n' "$valid" | sed 's/^\(prvs=....\)0/\1X/; s/^\(prvs=....\)[1-9a-f]/\10/; s/^\(prvs=....\)X/\11/')
  case $valid in prvs=??????????=$ME) ;; *) not_ok "a BATV tag to test with: '$valid'"; done_testing ;; esac
  for t in valid forged; do
    eval "tag=\$$t"
    sed -e "s|@RCPT@|$tag|g" -e "s|@ORIG@|$tag|g" "$M/batv/dovecot-lmtp.eml.in" > "$M/batv-$t.eml"
  done
  chmod a+r "$M"/*.eml
  CASES="dsn/exim-user-unknown.eml $ME Bounces INBOX legitimate dsn
dsn/amazonses-forged.eml $ME Backscatter Backscatter backscatter dsn
dsn/unknown-no-evidence.eml $ME Unknown INBOX unknown dsn
autoreply/abwesenheitsnotiz.eml $ME Auto INBOX legitimate autoreply
autoreply/exchange-automatic-reply-forged.eml $ME Backscatter Backscatter backscatter autoreply
challenge/awaiting-approval-references.eml $ME Auto INBOX legitimate challenge
virus/mailscanner-clamav-macro.eml $ME Virus INBOX legitimate virus-notice
arf/fbl-abuse-own-mail.eml $ME Bounces INBOX legitimate feedback-report
ham/calendar-invitation.eml $ME INBOX INBOX not-bounce not-bounce
ham/crlf-line-endings.eml $ME INBOX INBOX not-bounce not-bounce
batv-valid.eml $valid Bounces INBOX legitimate dsn
batv-forged.eml $forged Backscatter Backscatter backscatter dsn"
}
# dc_route ROUTE: a fresh home and the configuration of ROUTE (plugin: the
# plugin's snippet and $TMP/user.sieve as the user's script; execute: the
# vnd.dovecot.execute snippet), an empty log.
dc_route () {
  fresh_home
  if [ "$1" = plugin ]; then
    dc_config 90-unscatter.conf
    cp "$TMP/user.sieve" "$H/.dovecot.sieve"
  else
    dc_config 90-unscatter-execute.conf
  fi
  : > "$DC_LOG"; dc_own
}

# dc_cases_run ROUTE VIA: every message of $CASES through ROUTE (plugin,
# execute) by VIA (lda: dovecot-lda -a ORIG-RCPT; lmtp: the running master,
# the original recipient as ORCPT). For each: dovecot-lda exit 0 or the
# LMTP 250, stored byte-identical in its folder, Dovecot's log naming the
# mailbox, through the plugin one verdict line with the verdict and kind,
# no error or warning in the log; then every message stored once.
dc_cases_run () {
  _route=$1 _via=$2 _n=0
  while read -r f rcpt pf ef verdict kind; do
    _n=$((_n + 1))
    want=$pf; [ "$_route" = plugin ] || want=$ef
    DC_LOG_FROM=$(wc -l < "$DC_LOG")
    if [ "$_via" = lda ]; then
      dc_lda "$M/$f" "" "$rcpt"
      is "$rc" 0 "$_route: $f: dovecot-lda exit 0"
    else
      # The MTA delivers to the user; a BATV-tagged original recipient
      # comes as ORCPT (RFC 3461), as Postfix's lmtp client passes it.
      is "$(dc_lmtp --orcpt "$rcpt" "$M/$f")" "$M/$f 250" "$_route: $f: LMTP 250"
      dc_wait_log "stored mail into mailbox '$want'|Error|Fatal|Panic" || true
    fi
    is "$(dc_where "$M/$f")" "$want" "$_route: $f: stored byte-identical in $want"
    _new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
    if printf '%s\n' "$_new" | grep -q "stored mail into mailbox '$want'"; then ok "$_route: $f: Dovecot logs the mailbox $want"
    else not_ok "$_route: $f: Dovecot logs the mailbox $want"; diag "$_new"; fi
    if [ "$_route" = plugin ]; then
      is "$(printf '%s\n' "$_new" | grep -c "$_via(.*Info: sieve: unscatter: verdict=$verdict kind=$kind id=.* action=")" 1 \
        "$_route: $f: one info line verdict=$verdict kind=$kind"
    fi
    if printf '%s\n' "$_new" | grep -q "Error\|Warning\|Fatal\|Panic"; then
      not_ok "$_route: $f: no error in the log"; diag "$_new"
    else ok "$_route: $f: no error in the log"; fi
  done <<EOF
$CASES
EOF
  is "$(dc_count)" "$_n" "$_route: $_n messages stored, each once"
}

# fresh_home: an empty home with the BATV keys and the sent fixtures recorded.
fresh_home () {
  rm -rf "$H"; mkdir -p "$H/.config/unscatter"
  cp -p "$TMP/batv-keys" "$H/.config/unscatter/batv-keys"; dc_own
  dc_record "$M"/sent/*.eml || not_ok "record the sent fixtures"
}

# dc_wait_log PATTERN: wait (up to 5 s) until Dovecot's log process has
# written a line matching PATTERN (grep -E) after line $DC_LOG_FROM.
dc_wait_log () {
  _i=0
  until tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG" | grep -Eq "$1"; do
    _i=$((_i + 1)); [ $_i -lt 50 ] || return 1; sleep 0.1
  done
}

# dc_soak N: N deliveries (rounded down to a multiple of 4: a forged bounce,
# a genuine bounce, an auto-reply, ordinary mail, repeated) in one LMTP
# connection, so in one LMTP process, to the running master. TAP: every
# reply 250, every message stored once in its folder, one verdict line per
# message and no error, the process's anonymous resident memory (RssAnon:
# heap, not the mapped index files, which grow with the mailbox) flat from
# a tenth of the run to the end (at most DC_SOAK_GROWTH_KB, default 1024).
dc_soak () {
  _r=$(( $1 / 4 )); [ "$_r" -ge 1 ] || _r=1
  _n=$((_r * 4)) _every=$(( _n / 10 )); [ "$_every" -ge 1 ] || _every=1
  _t0=$(date +%s)
  dc_lmtp --quiet --count "$_r" --rss-log "$DC_LOG" --rss-every "$_every" \
    "$M/dsn/amazonses-forged.eml" "$M/dsn/exim-user-unknown.eml" \
    "$M/autoreply/abwesenheitsnotiz.eml" "$M/ham/calendar-invitation.eml" > "$TMP/soak.out"
  _t1=$(date +%s)
  is "$(grep '^delivered' "$TMP/soak.out")" "delivered $_n failed 0" "soak: $_n LMTP deliveries in one connection, all 250"
  _rss_first=$(awk -v e="$_every" '$1 == "rss" && $2 == e {print $3}' "$TMP/soak.out")
  _rss_last=$(awk '$1 == "rss" {v = $3} END {print v}' "$TMP/soak.out")
  diag "soak: $_n deliveries in $((_t1 - _t0)) s; RssAnon (kB) at 1, every $_every: $(awk '$1 == "rss" {printf "%s ", $3}' "$TMP/soak.out")"
  if [ -n "$_rss_first" ] && [ -n "$_rss_last" ] && [ "$_rss_first" -gt 0 ] \
     && [ $((_rss_last - _rss_first)) -le "${DC_SOAK_GROWTH_KB:-1024}" ]; then
    ok "soak: LMTP process memory flat ($_rss_first kB after $_every, $_rss_last kB after $_n)"
  else
    not_ok "soak: LMTP process memory flat"; diag "$(cat "$TMP/soak.out")"
  fi
  DC_LOG_FROM=0
  dc_wait_log "x" || true
  _i=0
  while [ "$(grep -c 'stored mail into mailbox' "$DC_LOG")" -lt "$_n" ] && [ $_i -lt 100 ]; do _i=$((_i + 1)); sleep 0.1; done
  is "$(dc_count)" "$_n" "soak: $_n messages stored, each once"
  for _b in Backscatter Bounces Auto; do
    is "$(find "$H/Maildir/.$_b/new" -type f | grep -c .)" "$_r" "soak: $_r in $_b"
  done
  is "$(find "$H/Maildir/new" -type f | grep -c .)" "$_r" "soak: $_r in INBOX"
  is "$(grep -c 'Info: sieve: unscatter: verdict=' "$DC_LOG")" "$_n" "soak: one verdict line per message"
  is "$(grep -c 'Error\|Fatal\|Panic' "$DC_LOG")" 0 "soak: no error in the log"
  is "$(grep -c 'lmtp([0-9]*): Info: Connect from local' "$DC_LOG")" 1 "soak: one LMTP process served them all"
}
