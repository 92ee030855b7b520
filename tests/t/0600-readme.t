#!/bin/sh
# README.md: the set-up snippets it shows are exactly the files under
# doc/snippets/ that the procmail, maildrop, ~/.forward, cron and mutt tests
# run; every snippet file is shown; the test command CI runs is the README's.
. "$top_srcdir/tests/lib.sh"
py_check <<'PY'
import os, re, subprocess, sys
from tap import ok, done_testing, snippets
top, unscatter, tmp = sys.argv[1:4]
readme = open(os.path.join(top, "README.md"), encoding="utf-8").read()
shown = set()
for path, block in snippets(readme):
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
# The first command after the build, run verbatim (in a directory where
# src/unscatter is the binary under test and fixtures/ the source tree's):
# exit 0 and exactly the output the README shows.
build = "./bootstrap && ./configure && make && "
ok(build in first, "first command: builds, then demonstrates", first)
demo = first.split(build, 1)[-1]
ok("record" in demo and "check" in demo, "first command: records, then checks", demo)
pkgs = open(os.path.join(top, ".ci", "packages"), encoding="utf-8").read().split()
ok("$(cat .ci/packages)" in first, "first command installs .ci/packages")
mta = [p for p in pkgs if re.search(r"exim|postfix|sendmail|courier|opensmtpd|nullmailer|procmail|maildrop|dovecot", p)]
ok(not mta, ".ci/packages holds no mail server or delivery agent", " ".join(mta))
run = os.path.join(tmp, "demo")
os.makedirs(os.path.join(run, "src"))
os.symlink(unscatter, os.path.join(run, "src", "unscatter"))
os.symlink(os.path.join(top, "fixtures"), os.path.join(run, "fixtures"))
p = subprocess.run(["/bin/sh", "-c", demo], cwd=run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
got = p.stdout.decode("utf-8", "replace")
ok(p.returncode == 0, "first command: exit 0", "exit %d" % p.returncode, got)
shown = re.search(r"<!-- first-command-output -->\s*\n```text\n(.*?)```", readme, re.S)
ok(shown is not None, "README shows the first command's output")
ok(shown is not None and got == shown.group(1), "first command: prints what README shows", "got:\n" + got,
   "README:\n" + (shown.group(1) if shown else ""))
ok("backscatter" in got and "legitimate" in got, "first command: one backscatter, one legitimate")
ci = open(os.path.join(top, ".ci", "run"), encoding="utf-8").read()
ok(second in ci, ".ci/run runs the README's test command", second)
done_testing()
PY
