#!/bin/sh
# README.md: the set-up snippets it shows are exactly the files under
# doc/snippets/ that the procmail, maildrop, ~/.forward, cron and mutt tests
# run; every snippet file is shown; the test command CI runs is the README's.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

python3 - "$top_srcdir" <<'PY'
import os, re, sys
top = sys.argv[1]
readme = open(os.path.join(top, "README.md"), encoding="utf-8").read()
n = 0
def ok(cond, name, *diag):
    global n
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name))
    if not cond:
        for d in diag:
            for line in str(d).splitlines():
                print("# " + line)
shown = set()
for m in re.finditer(r"<!-- snippet: (\S+) -->\s*\n```[^\n]*\n(.*?)```", readme, re.S):
    path, block = m.group(1), m.group(2)
    shown.add(path)
    f = os.path.join(top, path)
    ok(os.path.isfile(f), "README snippet %s exists" % path)
    if os.path.isfile(f):
        text = open(f, encoding="utf-8").read()
        ok(block == text, "README shows %s verbatim" % path, "README:\n" + block, "file:\n" + text)
sdir = os.path.join(top, "doc", "snippets")
for name in sorted(os.listdir(sdir)):
    ok("doc/snippets/" + name in shown, "doc/snippets/%s is shown in README" % name)
# The two commands that open the README.
blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
ok(len(blocks) >= 2, "README opens with two command blocks")
first, second = blocks[0].strip(), blocks[1].strip()
ok("\n" not in first and "apt-get install" in first and "check --explain fixtures/" in first,
   "first command: install, build, check --explain on a fixture", first)
sample = re.search(r"check --explain (\S+)", first)
ok(sample is not None and os.path.isfile(os.path.join(top, sample.group(1))), "the sample bounce exists")
ok("\n" not in second and "make" in second and "check" in second, "second command runs the tests", second)
ci = open(os.path.join(top, ".ci", "run"), encoding="utf-8").read()
ok(second in ci, ".ci/run runs the README's test command", second)
print("1..%d" % n)
PY
