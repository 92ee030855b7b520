#!/bin/sh
# LMTP through a real dovecot master (started by the test as an
# unprivileged user, LMTP on a unix socket in the test's directory, stopped
# at the end), through the plugin route and the vnd.dovecot.execute route of
# doc/dovecot.md: the same deliveries as 0800 (genuine and forged bounces,
# BATV, auto-replies, ordinary mail): the folder, the stored message
# byte-identical to what was sent (after the Return-Path line LMTP adds),
# the LMTP reply, the log line. Then a short soak: DC_SOAK_COUNT (default
# 300) deliveries in one LMTP process through the plugin, its resident size
# before and after (flat), every message stored once (`make soak-lmtp`
# runs 10,000).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require master execute
dc_setup
dc_cases_setup

for route in plugin execute; do
  if [ $route = plugin ] && [ ! -f "$DC_PLUGIN_BUILT" ]; then
    skip "plugin route: the plugin was not built (configure found no dovecot-dev)"
    continue
  fi
  fresh_home
  if [ $route = plugin ]; then
    dc_config 90-unscatter.conf
    cp "$TMP/user.sieve" "$H/.dovecot.sieve"; dc_own
  else
    dc_config 90-unscatter-execute.conf
  fi
  : > "$DC_LOG"; dc_own
  if ! dc_master_start; then
    not_ok "$route: dovecot master starts"; diag "$(cat "$DC_LOG")"; continue
  fi
  ok "$route: dovecot master starts (pid $DC_MASTER)"
  n=0
  while read -r f rcpt pf ef verdict kind; do
    n=$((n + 1))
    want=$pf; [ $route = plugin ] || want=$ef
    DC_LOG_FROM=$(wc -l < "$DC_LOG")
    # The MTA delivers to the user; a BATV-tagged original recipient comes
    # as ORCPT (RFC 3461), as Postfix's lmtp client passes it.
    reply=$(dc_lmtp --orcpt "$rcpt" "$M/$f")
    is "$reply" "$M/$f 250" "$route: $f: LMTP 250"
    dc_wait_log "stored mail into mailbox '$want'|Error|Fatal|Panic"
    is "$(dc_where "$M/$f")" "$want" "$route: $f: stored byte-identical in $want"
    new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
    if printf '%s\n' "$new" | grep -q "stored mail into mailbox '$want'"; then ok "$route: $f: Dovecot logs the mailbox $want"
    else not_ok "$route: $f: Dovecot logs the mailbox $want"; diag "$new"; fi
    if [ $route = plugin ]; then
      lines=$(printf '%s\n' "$new" | grep -c "lmtp(.*Info: sieve: unscatter: verdict=$verdict kind=$kind id=.* action=")
      is "$lines" 1 "$route: $f: one info line verdict=$verdict kind=$kind"
    fi
    if printf '%s\n' "$new" | grep -q "Error\|Warning\|Fatal\|Panic"; then
      not_ok "$route: $f: no error in the log"; diag "$new"
    else ok "$route: $f: no error in the log"; fi
  done <<EOF
$CASES
EOF
  is "$(dc_count)" "$n" "$route: $n messages stored, each once"
  dc_master_stop
done

# The soak: one LMTP connection, so one LMTP process, DC_SOAK_COUNT messages.
if [ -f "$DC_PLUGIN_BUILT" ]; then
  fresh_home
  dc_config 90-unscatter.conf
  cp "$TMP/user.sieve" "$H/.dovecot.sieve"
  : > "$DC_LOG"; dc_own
  dc_master_start || not_ok "soak: dovecot master starts"
  dc_soak "${DC_SOAK_COUNT:-300}"
  dc_master_stop
else
  skip "soak: the plugin was not built"
fi
done_testing
