#!/bin/sh
# Every fixtures/<class>/*.eml with a .expect (format in fixtures/README.md):
# `check --json` must report the expected kind, contain every message_id,
# recipient and status listed, and give the mta_family when one is given.
# The verdict is asserted after recording fixtures/sent/*.eml. (The
# held-out probe rounds are judged the same way by 0205-heldout.t.)
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
tmpdir
expect_check "$FIXTURES"
done_testing
