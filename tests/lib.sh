# tests/lib.sh — tiny TAP helpers for the shell tests (sourced by tests/t/*.t).
# Environment from Makefile.am: UNSCATTER, top_srcdir, top_builddir, FIXTURES, USC_CORPUS.
set -u
: "${UNSCATTER:?run through make check (UNSCATTER unset)}"
_tap_n=0
_tap_failed=0
plan () { echo "1..$1"; }
ok () { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
not_ok () { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }
skip_all () { echo "1..0 # SKIP $*"; exit 0; }
# skip REASON: a skipped test point; the automake TAP driver prints it on the
# console ("SKIP: tests/t/NNNN.t N # SKIP REASON"), not only in the .log.
skip () { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $*"; }
diag () { printf '# %s\n' "$@"; }
# is GOT EXPECTED NAME
is () { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3"; diag "got: '$1'" "expected: '$2'"; fi; }
# run_rc CMD...: sets $rc, $out (stdout), $err (stderr)
run_rc () {
  _o=$(mktemp) _e=$(mktemp)
  "$@" >"$_o" 2>"$_e"; rc=$?
  out=$(cat "$_o"); err=$(cat "$_e"); rm -f "$_o" "$_e"
}
done_testing () { echo "1..$_tap_n"; exit 0; }
tmpdir () { TMP=$(mktemp -d "${TMPDIR:-/tmp}/usc-test.XXXXXX"); trap 'rm -rf "$TMP"' EXIT; export HOME="$TMP/home" XDG_DATA_HOME="$TMP/home/.local/share" XDG_CONFIG_HOME="$TMP/home/.config"; mkdir -p "$HOME"; unset UNSCATTER_DB ORIGINAL_RECIPIENT ORIG_RECIPIENT RECIPIENT SENDER 2>/dev/null || true; }

# py_check [ARGS...] <<'PY' ... PY: run a check written in Python (the
# heredoc) as `python3 - top_srcdir UNSCATTER TMP ARGS...` in a fresh $TMP
# (tmpdir), with tests/tap.py importable (from tap import ok, done_testing,
# snippets); without python3 the whole test is skipped.
py_check () {
  command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
  tmpdir
  PYTHONPATH="$top_srcdir/tests${PYTHONPATH:+:$PYTHONPATH}" python3 - "$top_srcdir" "$UNSCATTER" "$TMP" "$@"
}
