#!/usr/bin/env python3
"""Score `unscatter check --json` output against the .expect files.

    score.py OUT.jsonl                  every result in OUT.jsonl
    score.py OUT.jsonl --round ROUND    only the files of one probe set
    score.py --list ROUND               print the files of a probe set

The rounds (which file came from which first-contact probe set) are the
table "Files by round" at the end of fixtures/HELDOUT.md; file names
there are relative to the top source directory."""
import json, os, sys, glob, collections

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rounds():
    """{round: [path relative to TOP, ...]} from HELDOUT.md's last table."""
    r = collections.OrderedDict()
    table = False
    for line in open(os.path.join(TOP, "fixtures", "HELDOUT.md"), encoding="utf-8"):
        if line.startswith("# "):
            table = line.strip() == "# Files by round"
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if table and len(cells) == 2 and cells[1].endswith(".eml"):
            r.setdefault(cells[0], []).append(cells[1])
    return r


args = sys.argv[1:]
if len(args) == 2 and args[0] == "--list":
    files = rounds().get(args[1])
    if not files:
        sys.exit("score.py: no round %r in fixtures/HELDOUT.md (known: %s)"
                 % (args[1], " ".join(rounds())))
    for f in files:
        print(os.path.relpath(os.path.join(TOP, f)))
    sys.exit(0)
if len(args) not in (1, 3) or (len(args) == 3 and args[1] != "--round"):
    sys.exit("usage: score.py OUT.jsonl [--round ROUND] | score.py --list ROUND")
out = args[0]
only = None
if len(args) == 3:
    only = set(os.path.realpath(os.path.join(TOP, f)) for f in rounds().get(args[2], []))
    if not only:
        sys.exit("score.py: no round %r in fixtures/HELDOUT.md" % args[2])
res = {}
for line in open(out, encoding="utf-8"):
    j = json.loads(line)
    if only is None or os.path.realpath(j["file"]) in only:
        res[j["file"]] = j
tot = collections.Counter(); good = collections.Counter(); misses = []
hamfp = 0; nham = 0
for eml in sorted(res):
    exp = eml[:-4] + ".expect"
    keys = []
    for line in open(exp, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line: continue
        k, v = line.split(":", 1); keys.append((k.strip(), v.strip()))
    r = res[eml]; orig = r.get("original") or {}
    name = os.path.relpath(eml, "fixtures")
    ek = dict(keys)
    if ek.get("kind") == "not-bounce":
        nham += 1
        if r.get("kind") != "not-bounce": hamfp += 1
    cat = {"kind":"kind","verdict":"verdict","message_id":"msgid","recipient":"rcpt","status":"status","mta_family":"family"}
    for k, v in keys:
        if k not in cat: continue
        if k == "kind":
            got = r.get("kind"); ok = got == v
            # any-bounce: bounce (of whatever kind) or not, right
            tot["any-bounce"] += 1
            good["any-bounce"] += (got not in (None, "not-bounce")) == (v != "not-bounce")
        elif k == "verdict": got = r.get("verdict"); ok = got == v
        elif k == "message_id": got = orig.get("message_ids") or []; ok = v in got
        elif k == "recipient": got = orig.get("recipients") or []; ok = v.lower() in got
        elif k == "status": got = orig.get("status") or []; ok = v in got
        elif k == "mta_family": got = r.get("mta_family"); ok = got == v
        tot[cat[k]] += 1; good[cat[k]] += ok
        if not ok: misses.append("%s %s=%s got %s" % (name, k, v, json.dumps(got)))
    # also report mta_family for files without expectation
    if "mta_family" not in ek and ek.get("kind") == "dsn":
        tot["family-null"] += 1
        if r.get("mta_family") is None: good["family-null"] += 1
        else: misses.append("%s (unknown MTA: null expected) got mta_family=%s" % (name, r.get("mta_family")))
for m in misses: print("MISS", m)
print("files: %d" % len(res))
for c in ["kind","any-bounce","msgid","rcpt","status","verdict","family","family-null"]:
    if tot[c]: print("%-11s %3d/%-3d %5.1f%%" % (c, good[c], tot[c], 100.0*good[c]/tot[c]))
print("ham false positives: %d/%d" % (hamfp, nham))
