#!/bin/sh
# The header-first screen changes nothing: `check --json` and `check
# --explain` print the same bytes with it (the default) and without it
# (UNSCATTER_SCREEN=0) over fixtures/, tests/heldout/, the corpus and
# Python's email test data (libpython3.11-testsuite), LF and CRLF.
. "$top_srcdir/tests/lib.sh"
tmpdir
{
  find "$FIXTURES" "$top_srcdir/tests/heldout" -type f -name '*.eml'
  [ -d "$USC_CORPUS/bounces" ] && find "$USC_CORPUS/bounces" -type f
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -L libpython3.11-testsuite 2>/dev/null | grep '/test_email/data/msg_[0-9]*\.txt$'
  fi
} | sort > "$TMP/list"
list_add_crlf
"$UNSCATTER" record --db "$TMP/r.db" "$FIXTURES"/sent/*.eml >/dev/null 2>&1
check_same_with UNSCATTER_SCREEN=0 "with and without the screen"
done_testing
