#!/bin/sh
# The header-first screen changes nothing: `check --json` and `check
# --explain` print the same bytes with it (the default) and without it
# (UNSCATTER_SCREEN=0) over fixtures/, tests/heldout/, the corpus and
# Python's email test data (libpython3.11-testsuite), LF and CRLF.
. "$top_srcdir/tests/lib.sh"
tmpdir
mkdir -p "$TMP/crlf"
{
  find "$FIXTURES" "$top_srcdir/tests/heldout" -type f -name '*.eml'
  [ -d "$USC_CORPUS/bounces" ] && find "$USC_CORPUS/bounces" -type f
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -L libpython3.11-testsuite 2>/dev/null | grep '/test_email/data/msg_[0-9]*\.txt$'
  fi
} | sort > "$TMP/list"
i=0
while IFS= read -r f; do
  i=$((i + 1))
  sed 's/\r$//; s/$/\r/' "$f" > "$TMP/crlf/$i.eml"
  echo "$TMP/crlf/$i.eml" >> "$TMP/list.crlf"
done < "$TMP/list"
cat "$TMP/list.crlf" >> "$TMP/list"
n=$(grep -c . "$TMP/list")
"$UNSCATTER" record --db "$TMP/r.db" "$FIXTURES"/sent/*.eml >/dev/null 2>&1
for mode in --json --explain; do
  # shellcheck disable=SC2046
  UNSCATTER_SCREEN=0 "$UNSCATTER" check --db "$TMP/r.db" $mode $(cat "$TMP/list") > "$TMP/off" 2> "$TMP/off.err"
  rc0=$?
  # shellcheck disable=SC2046
  "$UNSCATTER" check --db "$TMP/r.db" $mode $(cat "$TMP/list") > "$TMP/on" 2> "$TMP/on.err"
  rc1=$?
  is "$rc1" "$rc0" "check $mode: the same exit code with and without the screen"
  if cmp -s "$TMP/off" "$TMP/on" && cmp -s "$TMP/off.err" "$TMP/on.err"; then
    ok "check $mode over $n messages: byte-identical with and without the screen"
  else
    not_ok "check $mode over $n messages: byte-identical with and without the screen"
    diff "$TMP/off" "$TMP/on" | head -10 | sed 's/^/# /'
  fi
done
is "$(grep -c . "$TMP/on.err" 2>/dev/null || true)" 0 "no errors"
done_testing
