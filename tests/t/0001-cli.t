#!/bin/sh
# The command's dispatch and usage errors.
. "$top_srcdir/tests/lib.sh"
tmpdir
run_rc "$UNSCATTER"
is "$rc" 2 "no command: usage, exit 2"
run_rc "$UNSCATTER" --help
is "$rc" 0 "--help exits 0"
run_rc "$UNSCATTER" frobnicate
is "$rc" 2 "unknown command: exit 2"
run_rc "$UNSCATTER" check --no-such-option
is "$rc" 2 "check: bad option: exit 2"
printf 'From: a@example.org\nTo: b@example.org\nSubject: hi\n\nhello\n' > "$TMP/ham.eml"
run_rc "$UNSCATTER" check "$TMP/ham.eml"
is "$rc" 1 "check: ordinary mail exits 1"
is "$out" "$TMP/ham.eml: not-bounce not-bounce deliver" "check: ordinary mail line"
run_rc "$UNSCATTER" check "$TMP/does-not-exist.eml"
is "$rc" 1 "check: missing file exits 1 (the mail is kept)"
done_testing
