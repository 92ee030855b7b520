#!/bin/sh
# doc/dovecot.md shows every Dovecot set-up file under sieve-ext/ (the
# configuration snippets, Sieve scripts and execute wrappers that make
# install puts in place) verbatim, each under a <!-- snippet: PATH -->
# marker, and no snippet that is not a shipped file; the Dovecot tests
# (0800-0830) run the page's copies; Makefile.am installs each.
. "$top_srcdir/tests/lib.sh"
py_check <<'PY'
import os, sys
from tap import ok, done_testing, snippets
top = sys.argv[1]
doc = open(os.path.join(top, "doc", "dovecot.md"), encoding="utf-8").read()
shown = dict(snippets(doc))
files = []
for d in ("sieve-ext/dovecot", "sieve-ext/execute"):
    for name in sorted(os.listdir(os.path.join(top, d))):
        if name.endswith((".conf", ".sieve")) or d.endswith("execute"):
            files.append(d + "/" + name)
ok(len(files) >= 10, "the set-up files are there (%d)" % len(files))
for f in files:
    text = open(os.path.join(top, f), encoding="utf-8").read()
    ok(f in shown, "doc/dovecot.md shows %s" % f)
    ok(shown.get(f) == text, "doc/dovecot.md shows %s verbatim" % f, "page:\n%s" % shown.get(f), "file:\n%s" % text)
for f in shown:
    ok(f in files, "the snippet %s is a shipped file" % f)
am = open(os.path.join(top, "Makefile.am"), encoding="utf-8").read()
for f in files:
    ok(f in am, "Makefile.am installs and distributes %s" % f)
for f in ("sieve-ext/execute/unscatter-check", "sieve-ext/execute/unscatter-record"):
    ok(os.access(os.path.join(top, f), os.X_OK), "%s is executable" % f)
done_testing()
PY
