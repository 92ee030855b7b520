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
{
  find "$FIXTURES" "$top_srcdir/tests/heldout" -type f -name '*.eml'
  [ -d "$USC_CORPUS/bounces" ] && find "$USC_CORPUS/bounces" -type f
} | sort > "$TMP/list"
list_add_crlf
"$UNSCATTER" record --db "$TMP/r.db" "$FIXTURES"/sent/*.eml >/dev/null 2>&1
check_same_with UNSCATTER_COPY_FIELDS=all "with every field of the copies and with copy_fields"
done_testing
