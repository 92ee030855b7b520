#!/bin/sh
# The bounce corpus ($USC_CORPUS/bounces, judged by $USC_CORPUS/truth.jsonl):
# kind right for >= 99% of files, an original Message-ID of the truth found
# for >= 99% of the files that have one, and the same with CRLF line endings
# (where every result must also be identical to the LF run).
. "$top_srcdir/tests/lib.sh"
[ -d "${USC_CORPUS:-}/bounces" ] && [ -f "$USC_CORPUS/truth.jsonl" ] || skip_all "no corpus at ${USC_CORPUS:-(unset)}"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
tmpdir

cat >"$TMP/judge.py" <<'EOF'
import json, os, sys
truth_path, out_path, label = sys.argv[1], sys.argv[2], sys.argv[3]
truth = {}
for line in open(truth_path, encoding="utf-8"):
    if line.strip():
        t = json.loads(line)
        truth[t["file"]] = t
res = {}
for line in open(out_path, encoding="utf-8"):
    j = json.loads(line)
    res[os.path.basename(j["file"])] = j
n = kind_ok = id_n = id_ok = prim = 0
for f, t in sorted(truth.items()):
    n += 1
    r = res.get(f, {})
    k = r.get("kind")
    if k == t["kind"]:
        kind_ok += 1
    else:
        print("# %s: %s kind %s, truth %s %s" % (label, f, k, t["kind"], r.get("error", "")))
    if t.get("message_ids"):
        id_n += 1
        ours = (r.get("original") or {}).get("message_ids") or []
        if any(i in ours for i in t["message_ids"]):
            id_ok += 1
            if ours[0] == t.get("primary_id"):
                prim += 1
        else:
            print("# %s: %s ids %s, truth %s" % (label, f, ours[:3], t["message_ids"][:3]))
kp = 100.0 * kind_ok / n if n else 0
ip = 100.0 * id_ok / id_n if id_n else 100
print("# %s: kind right %d/%d = %.2f%%; original Message-ID found %d/%d = %.2f%% (primary first %d)"
      % (label, kind_ok, n, kp, id_ok, id_n, ip, prim))
print("%s %s %d" % ("ok" if kp >= 99.0 else "not-ok", "ok" if ip >= 99.0 else "not-ok", n))
EOF

cat >"$TMP/crlf.py" <<'EOF'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for f in sorted(os.listdir(src)):
    b = open(os.path.join(src, f), "rb").read()
    b = b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    open(os.path.join(dst, f), "wb").write(b)
EOF

cat >"$TMP/same.py" <<'EOF'
import json, os, sys
def load(p):
    d = {}
    for line in open(p, encoding="utf-8"):
        j = json.loads(line)
        f = os.path.basename(j.pop("file"))
        d[f] = j
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
diff = [f for f in sorted(a) if a[f] != b.get(f)]
for f in diff[:20]:
    print("# differs with CRLF: %s" % f)
print(len(diff))
EOF

# one process for all files, as the evaluation runs it
run_rc sh -c 'cd "$1/bounces" && "$2" check --json --db "$3/none.db" -- * > "$3/lf.jsonl"' sh "$USC_CORPUS" "$UNSCATTER" "$TMP"
is "$([ -s "$TMP/lf.jsonl" ] && echo yes)" yes "check --json over the corpus wrote results"
python3 "$TMP/judge.py" "$USC_CORPUS/truth.jsonl" "$TMP/lf.jsonl" LF >"$TMP/lf.judge"
grep '^#' "$TMP/lf.judge"
set -- $(tail -n 1 "$TMP/lf.judge")
is "$1" ok "kind right for >= 99% of the corpus"
is "$2" ok "an original Message-ID found for >= 99% of the files that have one"

mkdir "$TMP/crlf"
python3 "$TMP/crlf.py" "$USC_CORPUS/bounces" "$TMP/crlf"
run_rc sh -c 'cd "$1" && "$2" check --json --db "$3/none.db" -- * > "$3/crlf.jsonl"' sh "$TMP/crlf" "$UNSCATTER" "$TMP"
python3 "$TMP/judge.py" "$USC_CORPUS/truth.jsonl" "$TMP/crlf.jsonl" CRLF >"$TMP/crlf.judge"
grep '^#' "$TMP/crlf.judge"
set -- $(tail -n 1 "$TMP/crlf.judge")
is "$1" ok "CRLF: kind right for >= 99% of the corpus"
is "$2" ok "CRLF: an original Message-ID found for >= 99% of the files that have one"
python3 "$TMP/same.py" "$TMP/lf.jsonl" "$TMP/crlf.jsonl" >"$TMP/same.out"
grep '^#' "$TMP/same.out"
is "$(tail -n 1 "$TMP/same.out")" 0 "CRLF: every result identical to the LF run"
done_testing
