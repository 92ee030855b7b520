#!/bin/sh
# tests/dovecot/soak-lmtp.sh — `make soak-lmtp`: DC_SOAK_COUNT (default
# 10000) deliveries through the plugin in one Dovecot LMTP process (one
# connection), its anonymous resident memory sampled every tenth of the run
# (must stay flat: at most DC_SOAK_GROWTH_KB, default 1024, from the first
# tenth to the end), every message stored once in its folder. TAP output;
# exit 1 on any failure. tests/t/0810-dovecot-lmtp.t runs a short one.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require plugin master
dc_setup
dc_cases_setup
dc_route plugin
dc_master_start || { not_ok "dovecot master starts"; diag "$(cat "$DC_LOG")"; done_testing; }
dc_soak "${DC_SOAK_COUNT:-10000}"
dc_master_stop
echo "1..$_tap_n"
[ "$_tap_failed" = 0 ]
