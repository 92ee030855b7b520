#!/bin/sh
# The header copies of a returned original (text/rfc822-headers parts,
# inline copies) are parsed with only the fields the analysis reads
# (copy_fields in src/usc-bounce-copy.c, a list kept by hand). Every reader
# of parts->returned must find its field there: `check --json` and `check
# --explain` print the same bytes with every field kept
# (UNSCATTER_COPY_FIELDS=all) as with the list, over fixtures/,
# tests/heldout/ and the corpus, LF and CRLF. A new reader of a field the
# list lacks shows up here as a difference.
. "$top_srcdir/tests/lib.sh"
tmpdir
mkdir -p "$TMP/crlf"
{
  find "$FIXTURES" "$top_srcdir/tests/heldout" -type f -name '*.eml'
  [ -d "$USC_CORPUS/bounces" ] && find "$USC_CORPUS/bounces" -type f
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
  UNSCATTER_COPY_FIELDS=all "$UNSCATTER" check --db "$TMP/r.db" $mode $(cat "$TMP/list") > "$TMP/all" 2> "$TMP/all.err"
  rc0=$?
  # shellcheck disable=SC2046
  "$UNSCATTER" check --db "$TMP/r.db" $mode $(cat "$TMP/list") > "$TMP/kept" 2> "$TMP/kept.err"
  rc1=$?
  is "$rc1" "$rc0" "check $mode: the same exit code with every field of the copies and with copy_fields"
  if cmp -s "$TMP/all" "$TMP/kept" && cmp -s "$TMP/all.err" "$TMP/kept.err"; then
    ok "check $mode over $n messages: byte-identical with every field of the copies and with copy_fields"
  else
    not_ok "check $mode over $n messages: byte-identical with every field of the copies and with copy_fields"
    diff "$TMP/all" "$TMP/kept" | head -10 | sed 's/^/# /'
  fi
done
is "$(grep -c . "$TMP/kept.err" 2>/dev/null || true)" 0 "no errors"
done_testing
