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
# todo TEXT: a failed test point that is a known miss (the TAP driver counts
# it as XFAIL, not as a failure)
todo () { _tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $* # TODO"; }
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

# expect_check DIR [KNOWN_MISSES]: record fixtures/sent/*.eml, run one
# `check --json` over every DIR/CLASS/NAME.eml that has a NAME.expect, and
# turn tests/expect-judge.py's judgement into test points (a known miss
# listed in KNOWN_MISSES is a TODO point; needs tmpdir and python3).
expect_check () {
  _dir=$1 _known=${2:-}
  ls "$_dir"/*/*.expect >/dev/null 2>&1 || skip_all "no messages with .expect in $_dir"
  run_rc "$UNSCATTER" record --db "$TMP/record.db" "$FIXTURES"/sent/*.eml
  is "$rc" 0 "record fixtures/sent/*.eml"
  : >"$TMP/files"
  for _e in "$_dir"/*/*.expect; do
    [ -f "${_e%.expect}.eml" ] && printf '%s\n' "${_e%.expect}.eml" >>"$TMP/files"
  done
  # one process for all of them (the file list has no white space)
  run_rc sh -c '"$1" check --json --db "$2" $(cat "$3") >"$4"' sh "$UNSCATTER" "$TMP/record.db" "$TMP/files" "$TMP/out.jsonl"
  is "$([ -s "$TMP/out.jsonl" ] && echo yes)" yes "check --json over $(wc -l <"$TMP/files") messages of $_dir wrote results"
  python3 "$top_srcdir/tests/expect-judge.py" "$TMP/out.jsonl" yes $_known >"$TMP/judged"
  is "$(grep -c '^ok' "$TMP/judged" | awk '$1 > 0 { print "yes" }')" yes "expectations checked"
  while IFS="$(printf '\t')" read -r _what _text; do
    case "$_what" in
      ok) ok "$_text" ;;
      not_ok) not_ok "$_text" ;;
      todo) todo "$_text" ;;
      diag) diag "$_text" ;;
    esac
  done <"$TMP/judged"
}

# list_add_crlf: append to $TMP/list a CRLF copy (in $TMP/crlf/) of every
# file it names; n = the number of files then listed.
list_add_crlf () {
  mkdir -p "$TMP/crlf"
  _i=0
  while IFS= read -r _f; do
    _i=$((_i + 1))
    sed 's/\r$//; s/$/\r/' "$_f" > "$TMP/crlf/$_i.eml"
    echo "$TMP/crlf/$_i.eml"
  done < "$TMP/list" > "$TMP/list.crlf"
  cat "$TMP/list.crlf" >> "$TMP/list"
  n=$(grep -c . "$TMP/list")
}

# check_same_with VAR=VALUE WHAT: `check --json` and `check --explain` over
# the files of $TMP/list (record $TMP/r.db) exit alike and print the same
# bytes with VAR=VALUE in the environment as without it, and the run without
# it prints no error; WHAT names the two ways in the test names ("with and
# without the screen").
check_same_with () {
  for _mode in --json --explain; do
    # shellcheck disable=SC2046
    env "$1" "$UNSCATTER" check --db "$TMP/r.db" $_mode $(cat "$TMP/list") > "$TMP/with" 2> "$TMP/with.err"
    _rc0=$?
    # shellcheck disable=SC2046
    "$UNSCATTER" check --db "$TMP/r.db" $_mode $(cat "$TMP/list") > "$TMP/without" 2> "$TMP/without.err"
    _rc1=$?
    is "$_rc1" "$_rc0" "check $_mode: the same exit code $2"
    if cmp -s "$TMP/with" "$TMP/without" && cmp -s "$TMP/with.err" "$TMP/without.err"; then
      ok "check $_mode over $n messages: byte-identical $2"
    else
      not_ok "check $_mode over $n messages: byte-identical $2"
      diff "$TMP/with" "$TMP/without" | head -10 | sed 's/^/# /'
    fi
  done
  is "$(grep -c . "$TMP/without.err" 2>/dev/null || true)" 0 "no errors"
}
