#!/bin/sh
# LMTP through a real dovecot master (started by the test as an
# unprivileged user, LMTP on a unix socket in the test's directory, stopped
# at the end), through the plugin route and the vnd.dovecot.execute route of
# doc/dovecot.md: the same deliveries as 0800 (genuine and forged bounces,
# BATV, auto-replies, ordinary mail): the folder, the stored message
# byte-identical to what was sent (after the Return-Path line LMTP adds),
# the LMTP reply, the log line (the cases and their checks are
# tests/dovecot/lib.sh's, shared with 0800). Then a short soak:
# DC_SOAK_COUNT (default 300) deliveries in one LMTP process through the
# plugin, its resident size before and after (flat), every message stored
# once (`make soak-lmtp` runs 10,000).
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
  dc_route $route
  if ! dc_master_start; then
    not_ok "$route: dovecot master starts"; diag "$(cat "$DC_LOG")"; continue
  fi
  ok "$route: dovecot master starts (pid $DC_MASTER)"
  dc_cases_run $route lmtp
  dc_master_stop
done

# The soak: one LMTP connection, so one LMTP process, DC_SOAK_COUNT messages.
if [ -f "$DC_PLUGIN_BUILT" ]; then
  dc_route plugin
  dc_master_start || not_ok "soak: dovecot master starts"
  dc_soak "${DC_SOAK_COUNT:-300}"
  dc_master_stop
else
  skip "soak: the plugin was not built"
fi
done_testing
