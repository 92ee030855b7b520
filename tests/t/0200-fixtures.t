#!/bin/sh
# Every fixtures/<class>/*.eml with a .expect (format in fixtures/README.md):
# `check --json` must report the expected kind, contain every message_id,
# recipient and status listed, and give the mta_family when one is given.
# The verdict is asserted after recording fixtures/sent/*.eml.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
tmpdir
ls "$FIXTURES"/*/*.expect >/dev/null 2>&1 || skip_all "no fixtures with .expect in $FIXTURES"

DB="$TMP/record.db"
run_rc "$UNSCATTER" record --db "$DB" "$FIXTURES"/sent/*.eml
is "$rc" 0 "record fixtures/sent/*.eml"
with_verdict=yes

: >"$TMP/files"
for e in "$FIXTURES"/*/*.expect; do
  m="${e%.expect}.eml"
  [ -f "$m" ] && printf '%s\n' "$m" >>"$TMP/files"
done
# one process for all of them (the file list has no white space)
run_rc sh -c '"$1" check --json --db "$2" $(cat "$3") >"$4"' sh "$UNSCATTER" "$DB" "$TMP/files" "$TMP/out.jsonl"
is "$([ -s "$TMP/out.jsonl" ] && echo yes)" yes "check --json over the fixtures wrote results"

cat >"$TMP/judge.py" <<'EOF'
import json, os, sys
out, with_verdict = sys.argv[1], sys.argv[2] == "yes"
res = {}
for line in open(out, encoding="utf-8"):
    j = json.loads(line)
    res[j["file"]] = j
for eml in sorted(res):
    exp = eml[:-4] + ".expect"
    name = os.path.relpath(eml, os.path.dirname(os.path.dirname(eml)))
    keys = []
    for line in open(exp, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        k, v = line.split(":", 1)
        keys.append((k.strip(), v.strip()))
    r = res[eml]
    orig = r.get("original") or {}
    for k, v in keys:
        if k == "kind":
            got = r.get("kind")
            good = got == v
        elif k == "verdict":
            if not with_verdict:
                continue
            got = r.get("verdict")
            good = got == v
        elif k == "message_id":
            got = orig.get("message_ids") or []
            good = v in got
        elif k == "recipient":
            got = orig.get("recipients") or []
            good = v.lower() in got
        elif k == "status":
            got = orig.get("status") or []
            good = v in got
        elif k == "mta_family":
            got = r.get("mta_family")
            good = got == v
        else:
            continue
        print("%s\t%s %s %s" % ("ok" if good else "not_ok", name, k, v))
        if not good:
            print("diag\t  got: %s" % json.dumps(got))
EOF
python3 "$TMP/judge.py" "$TMP/out.jsonl" "$with_verdict" >"$TMP/judged"
n=$(wc -l <"$TMP/files")
is "$(grep -c '^ok\|^not_ok' "$TMP/judged" | awk '$1 > 0 { print "yes" }')" yes "expectations checked for $n fixtures"
while IFS="$(printf '\t')" read -r what text; do
  case "$what" in
    ok) ok "$text" ;;
    not_ok) not_ok "$text" ;;
    diag) diag "$text" ;;
  esac
done <"$TMP/judged"
done_testing
