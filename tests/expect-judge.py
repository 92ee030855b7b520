"""tests/expect-judge.py — judge `check --json` output against .expect files.

Usage: expect-judge.py OUT.jsonl WITH_VERDICT(yes|no) [KNOWN_MISSES]

Each result's file X.eml is judged against X.expect (format in
fixtures/README.md: kind, verdict, message_id, recipient, status,
mta_family lines). Prints one line per expectation, tab-separated:
"ok", "not_ok" or "todo" (a failed expectation of a file listed in
KNOWN_MISSES), then the text; "diag" lines say what was got. A listed file
whose expectations now all hold is a "not_ok" telling to take it off the
list, so the list never hides a regression nor outlives its miss.
KNOWN_MISSES: one "CLASS/NAME.eml  reason" a line, "#" comments.
Used by tests/t/0200-fixtures.t (fixtures/) and 0205-heldout.t
(tests/heldout/)."""
import json
import os
import sys


def expectations(path):
    keys = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        keys.append((k.strip(), v.strip()))
    return keys


def judge(r, k, v, with_verdict):
    """(good, got) for one expectation, or None when it is not judged."""
    orig = r.get("original") or {}
    if k == "kind":
        got = r.get("kind")
        return got == v, got
    if k == "verdict":
        if not with_verdict:
            return None
        got = r.get("verdict")
        return got == v, got
    if k == "message_id":
        got = orig.get("message_ids") or []
        return v in got, got
    if k == "recipient":
        got = orig.get("recipients") or []
        return v.lower() in got, got
    if k == "status":
        got = orig.get("status") or []
        return v in got, got
    if k == "mta_family":
        got = r.get("mta_family")
        return got == v, got
    return None


def main():
    out, with_verdict = sys.argv[1], sys.argv[2] == "yes"
    known = {}
    if len(sys.argv) > 3:
        for line in open(sys.argv[3], encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, why = line.partition(" ")
                known[name] = why.strip()
    res = {}
    for line in open(out, encoding="utf-8"):
        j = json.loads(line)
        res[j["file"]] = j
    seen = set()
    for eml in sorted(res):
        name = os.path.relpath(eml, os.path.dirname(os.path.dirname(eml)))
        seen.add(name)
        missed = False
        for k, v in expectations(eml[:-4] + ".expect"):
            j = judge(res[eml], k, v, with_verdict)
            if j is None:
                continue
            good, got = j
            text = "%s %s %s" % (name, k, v)
            if good:
                print("ok\t" + text)
            elif name in known:
                missed = True
                print("todo\t%s (known miss: %s)" % (text, known[name]))
            else:
                print("not_ok\t" + text)
                print("diag\t  got: %s" % json.dumps(got))
        if name in known and not missed:
            print("not_ok\t%s: listed as a known miss but every expectation holds now: "
                  "take it off the list" % name)
    for name in sorted(set(known) - seen):
        print("not_ok\t%s: listed as a known miss but not judged (no such file?)" % name)


main()
