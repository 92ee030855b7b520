#!/bin/sh
# dovecot-lda (Debian's Dovecot 2.3 / Pigeonhole 0.5), run standalone with
# the test's own configuration as an unprivileged user, through the two
# routes doc/dovecot.md sets up (its snippets, verbatim):
#  - the plugin: sieve_before files backscatter; the user's script tests
#    bounce :kind / :verdict with :is, :contains, :regex and a comparator;
#  - vnd.dovecot.execute: sieve_before pipes to unscatter check.
# Genuine bounces (their originals recorded first), forged bounces, a bounce
# to a valid and to a forged BATV tag, auto-replies, a challenge, a virus
# notice, a feedback report, ordinary mail: the folder each lands in, the
# stored message byte-identical to what was delivered, exit 0, the log line
# (the cases and their checks are tests/dovecot/lib.sh's, shared with 0810).
# Also: the extension's syntax, checked by sievec.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require execute
dc_setup

dc_cases_setup

for route in plugin execute; do
  if [ $route = plugin ] && [ ! -f "$DC_PLUGIN_BUILT" ]; then
    skip "plugin route: the plugin was not built (configure found no dovecot-dev)"
    continue
  fi
  dc_route $route
  dc_cases_run $route lda
done

# The extension's syntax, as sievec (with the plugin loaded) judges it.
if [ -f "$DC_PLUGIN_BUILT" ]; then
  dc_config 90-unscatter.conf
  n=0
  compiles () {  # WANT SCRIPT-BODY [MESSAGE]
    n=$((n + 1))
    printf 'require ["vnd.unscatter", "comparator-i;octet"];\n%s\n' "$2" > "$TMP/s$n.sieve"; dc_own
    out=$(as_user sievec -c "$TMP/dovecot.conf" "$TMP/s$n.sieve" "$TMP/s$n.svbin" 2>&1); rc=$?
    if [ "$1" = yes ]; then
      is "$rc" 0 "sievec accepts: $2"; [ "$rc" = 0 ] || diag "$out"
    else
      if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q -- "$3"; then ok "sievec refuses: $2 ($3)"
      else not_ok "sievec refuses: $2 ($3)"; diag "exit $rc" "$out"; fi
    fi
  }
  compiles yes 'if backscatter { stop; }'
  compiles yes 'if bounce { stop; }'
  compiles yes 'if bounce :kind "dsn" { stop; }'
  compiles yes 'if bounce :verdict :comparator "i;octet" :matches ["legit*", "unknown"] { stop; }'
  compiles yes 'if not bounce :kind :contains "-" { stop; }'
  compiles yes 'unscatter_record;'
  compiles no 'if bounce "dsn" { stop; }' 'key list only after :kind or :verdict'
  compiles no 'if bounce :kind :verdict "dsn" { stop; }' 'either :kind or :verdict'
  compiles no 'if bounce :kind { stop; }' 'requires a key list after :kind'
  compiles no 'if bounce :is { stop; }' 'comparator or match type only with :kind or :verdict'
  compiles no 'if bounce :kind "a" "b" { stop; }' 'one key list'
  compiles no 'if bounce :size "a" { stop; }' 'unknown tagged argument'
  compiles no 'if backscatter "x" { stop; }' 'positional argument'
  compiles no 'unscatter_record "x";' 'positional argument'
  printf 'if backscatter { stop; }\n' > "$TMP/noreq.sieve"; dc_own
  out=$(as_user sievec -c "$TMP/dovecot.conf" "$TMP/noreq.sieve" "$TMP/noreq.svbin" 2>&1); rc=$?
  if [ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q "unknown test 'backscatter'"; then ok "backscatter needs require vnd.unscatter"
  else not_ok "backscatter needs require vnd.unscatter"; diag "$out"; fi
else
  skip "sievec checks: the plugin was not built"
fi
done_testing
