#!/bin/sh
# src/mta/<family>.def (doc/hacking.md, "Adding an MTA"): every file is in
# the tarball (Makefile.am MTA_DEFS), holds only its own family's signature
# rows, is #included by every list of the tables (src/usc-tables-*.h)
# whose rows it holds (a row outside its list would be dropped without a
# word), names in its header the product, the versions seen and at least
# one fixture; and
# `check --json` gives each named fixture that family.
. "$top_srcdir/tests/lib.sh"
py_check <<'PY'
import glob, json, os, re, subprocess, sys
from tap import ok, done_testing
top, unscatter, tmp = sys.argv[1:4]

defs = sorted(glob.glob(os.path.join(top, "src", "mta", "*.def")))
ok(len(defs) >= 20, "src/mta holds the MTA files (%d)" % len(defs))

am = open(os.path.join(top, "Makefile.am"), encoding="utf-8").read()
m = re.search(r"^MTA_DEFS =((?:.*\\\n)*.*)$", am, re.M)
listed = set(m.group(1).replace("\\\n", " ").split()) if m else set()
ok(bool(listed), "Makefile.am has MTA_DEFS")

# the lists of the tables (src/usc-tables-*.h, included by
# src/usc-bounce-tables.h): macro -> the .def files it #includes
tables = ""
for tp in [os.path.join(top, "src", "usc-bounce-tables.h")] + sorted(glob.glob(os.path.join(top, "src", "usc-tables-*.h"))):
    tables += open(tp, encoding="utf-8").read()
lists = {}
for lm in re.finditer(r"#define (USC_MTA_[A-Z_]+)\(.*?\n(.*?)#include \"mta/end.h\"", tables, re.S):
    lists.setdefault(lm.group(1), []).extend(re.findall(r'#include "mta/([a-z0-9_-]+)\.def"', lm.group(2)))
for macro in ("USC_MTA_SIGNATURE", "USC_MTA_SIGNATURE_LAST", "USC_MTA_MARKER", "USC_MTA_SEPARATOR",
              "USC_MTA_REPORTING_HOST"):
    ok(macro in lists, "the tables assemble %s rows" % macro)
    if macro in lists:
        dup = sorted(set(f for f in lists[macro] if lists[macro].count(f) > 1))
        ok(not dup, "%s: each file listed once" % macro, dup)

for path in defs:
    name = os.path.basename(path)[:-4]
    rel = "src/mta/%s.def" % name
    text = open(path, encoding="utf-8").read()
    ok(rel in listed, "%s is in MTA_DEFS (the tarball)" % rel)
    head = text.split("*/", 1)[0]
    ok(re.match(r"/\* src/mta/%s\.def — family \"%s\"\.\n \*\n \* Product: \S" % (re.escape(name), re.escape(name)), head) is not None,
       "%s: header names the product and the family" % rel, head.split("\n", 1)[0])
    ok(" * Versions seen: " in head, "%s: header says the versions seen" % rel)
    used = set(re.findall(r"^(USC_MTA_[A-Z_]+) \(", text, re.M))
    for macro in sorted(used):
        ok(name in lists.get(macro, []), "%s: its %s rows are assembled (listed in src/usc-tables-*.h)" % (rel, macro))
    fams = set(re.findall(r'^USC_MTA_SIGNATURE(?:_LAST)? \("([^"]+)"', text, re.M))
    ok(fams == {name}, "%s: signature rows of family \"%s\" only" % (rel, name), sorted(fams))
    fixtures = re.findall(r"^ \* Fixture: (\S+)$", head, re.M)
    ok(len(fixtures) >= 1, "%s: names at least one fixture" % rel)
    for f in fixtures:
        fp = os.path.join(top, f)
        if not os.path.isfile(fp):
            ok(False, "%s: fixture %s exists" % (rel, f))
            continue
        r = subprocess.run([unscatter, "check", "--json", "--db", os.path.join(tmp, "db.sqlite"), fp],
                           capture_output=True, text=True)
        fam = None
        try:
            fam = json.loads(r.stdout.splitlines()[0]).get("mta_family")
        except (ValueError, IndexError):
            pass
        ok(fam == name, "%s: check --json gives %s the family \"%s\"" % (rel, f, name), "got: %r" % fam, r.stderr)

for macro, files in sorted(lists.items()):
    for f in files:
        ok(os.path.isfile(os.path.join(top, "src", "mta", f + ".def")), "%s list: src/mta/%s.def exists" % (macro, f))
done_testing()
PY
