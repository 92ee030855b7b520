#!/bin/sh
# The held-out probe rounds (tests/heldout/<class>/*.eml with a .expect,
# fixtures/HELDOUT.md): each expectation is judged as 0200 judges fixtures/,
# after recording fixtures/sent/*.eml, so that what a round gained after
# its first contact cannot be lost unseen. The misses HELDOUT.md records as
# still open are listed in tests/heldout/known-misses: their failed
# expectations are TODO points; a listed message that passes fails the
# test until it is taken off the list.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
tmpdir
expect_check "$top_srcdir/tests/heldout" "$top_srcdir/tests/heldout/known-misses"
done_testing
