#!/bin/sh
# Payloads (issue 12 section 1): every fixtures/payload/*.eml after recording
# fixtures/sent/*.eml. check --json must give the verdict of its .expect, a
# payload part with the expected found type, executable flag, reason and
# archive members, and the first reason naming what was found. A control copy
# with the payload replaced by harmless bytes must get the verdict the
# payload overrode (unknown, or legitimate by recipient), so the payload is
# what decided. deliver files the payload bounces into .Backscatter and the
# genuine bounces of the user's own PDF and spreadsheet into the inbox, with
# the payload named in X-Unscatter-Reason.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
P="$FIXTURES/payload"
ls "$P"/*.eml >/dev/null 2>&1 || skip_all "no fixtures in $P"
setup_home
run_rc "$UNSCATTER" record --db "$DB" "$FIXTURES"/sent/*.eml
is "$rc" 0 "record fixtures/sent/*.eml"

run_rc sh -c '"$1" check --json --db "$2" "$3"/*.eml > "$4"' sh "$UNSCATTER" "$DB" "$P" "$TMP/out.jsonl"
is "$(wc -l < "$TMP/out.jsonl" | tr -d ' ')" "$(ls "$P"/*.eml | wc -l | tr -d ' ')" "check --json: one line per fixture"

cat > "$TMP/judge.py" <<'EOF'
import json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    name = os.path.basename(j["file"])
    exp = {}
    for l in open(j["file"][:-4] + ".expect", encoding="utf-8"):
        l = l.strip()
        if l and not l.startswith("#") and ":" in l:
            k, v = l.split(":", 1)
            exp.setdefault(k.strip(), []).append(v.strip())
    parts = j["payload"]["parts"]
    # the part the fixture is about: the first executable one, else the first
    main = next((p for p in parts if p["executable"]), parts[0] if parts else None)
    def check(what, good, got):
        print("%s\t%s: %s" % ("ok" if good else "not_ok", name, what))
        if not good:
            print("diag\t  got: %s" % json.dumps(got))
    check("verdict %s" % exp["verdict"][0], j["verdict"] == exp["verdict"][0], j["verdict"])
    check("a payload part was listed", main is not None, parts)
    if main is None:
        continue
    for v in exp.get("payload_found", []):
        check("found type %s" % v, main["found_type"] == v, main["found_type"])
    for v in exp.get("payload_executable", []):
        check("executable %s" % v, main["executable"] == (v == "true"), main["executable"])
        check("payload.executable %s" % v, j["payload"]["executable"] == (v == "true"), j["payload"]["executable"])
    for v in exp.get("payload_why", []):
        check("why has '%s'" % v, v in (main["why"] or ""), main["why"])
    for v in exp.get("payload_member", []):
        names = [m["name"] for m in (main["members"] or [])]
        check("member %s listed" % v, v in names, names)
    for v in exp.get("reason", []):
        check("first reason has '%s'" % v, v in j["reasons"][0], j["reasons"])
    check("declared type and name given", main["declared_type"] is not None and "name" in main, main)
EOF
python3 "$TMP/judge.py" "$TMP/out.jsonl" > "$TMP/judged"
while IFS="$(printf '\t')" read -r what text; do
  case "$what" in
    ok) ok "$text" ;;
    not_ok) not_ok "$text" ;;
    diag) diag "$text" ;;
  esac
done < "$TMP/judged"

# Controls: the same bounce with the payload's bytes replaced by a short
# harmless text ("hello"), its name and type left as they are.
cat > "$TMP/defang.py" <<'EOF'
import base64, re, sys
src, name, dst = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(src, encoding="utf-8").read()
# the base64 body after the part whose filename is NAME, up to the boundary
i = text.index('filename="%s"' % name)
start = text.index("\n\n", i) + 2
end = text.index("\n--", start)
text = text[:start] + base64.b64encode(b"hello\n").decode() + text[end:]
open(dst, "w", encoding="utf-8").write(text)
EOF
control () {
  _f=$1 _name=$2 _want=$3
  python3 "$TMP/defang.py" "$P/$_f.eml" "$_name" "$TMP/$_f.control.eml"
  run_rc "$UNSCATTER" check --json --db "$DB" "$TMP/$_f.control.eml"
  _got=$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["verdict"])')
  is "$_got" "$_want" "$_f without its payload: $_want (the payload decided)"
}
control pe-behind-txt-no-evidence invoice.txt unknown
control iso-no-evidence order_details.iso unknown
control js-named-pdf-autoreply Statement_March.pdf unknown
control base64-split-after-pad readme.txt unknown
control macro-docx-recipient-mailed Invoice_0306.docx legitimate

# check's exit code: 0 for backscatter, 1 otherwise
run_rc "$UNSCATTER" check --db "$DB" "$P/iso-no-evidence.eml"
is "$rc" 0 "check: the ISO bounce is backscatter (exit 0)"
run_rc "$UNSCATTER" check --db "$DB" "$P/own-spreadsheet-legit.eml"
is "$rc" 1 "check: the bounce of the user's own spreadsheet is not (exit 1)"
run_rc "$UNSCATTER" check --explain --db "$DB" "$P/zip-exe-forged.eml"
case "$out" in
  *"payload:       Scan_0412.zip (declared application/zip): application/zip, executable: a zip archive holding Scan_0412.pdf.exe (a PE executable) [Scan_0412.pdf, Scan_0412.pdf.exe (executable)]"*)
    ok "check --explain: the payload line names the archive and its members" ;;
  *) not_ok "check --explain: the payload line names the archive and its members"; diag "$out" ;;
esac

# full_reason FILE: the X-Unscatter-Reason field's value, unfolded.
full_reason () {
  awk '/^X-Unscatter-Reason: / { s = 1; sub(/^X-Unscatter-Reason: /, ""); printf "%s", $0; next }
       s && /^[ \t]/ { sub(/^[ \t]+/, " "); printf "%s", $0; next }
       s { exit }' "$1"
}

# deliver: payloads filed, the user's own attachments in the inbox
M="$TMP/Mail"
for f in pe-behind-txt-no-evidence zip-exe-forged iso-no-evidence own-pdf-legit own-spreadsheet-legit; do
  _before=$(mail_list "$M" 2>/dev/null)
  "$UNSCATTER" deliver --db "$DB" --maildir "$M" < "$P/$f.eml" 2> "$TMP/err"
  is "$?" 0 "deliver $f: exit 0"
  _new=$(delivered "$_before" "$(mail_list "$M")")
  case $f in own-*) want=./new ;; *) want=./.Backscatter/new ;; esac
  is "${_new%/*}" "$want" "deliver $f: into $want"
  _file="$M/$_new"
  [ -f "$_file" ] || _file=/dev/null
  strip_added "$_file" > "$TMP/stripped"
  same_bytes "$TMP/stripped" "$P/$f.eml" "deliver $f: the message as received plus the two fields"
  case $f in
    own-*) is "$(verdict_of "$_file")" "legitimate (dsn)" "deliver $f: legitimate" ;;
    *)
      is "$(verdict_of "$_file")" "backscatter (dsn)" "deliver $f: backscatter"
      _reason=$(full_reason "$_file")
      case "$_reason" in
        "the bounce carries an executable payload ("*") and matches no sent mail"*) ok "deliver $f: the reason names the payload" ;;
        *) not_ok "deliver $f: the reason names the payload"; diag "$_reason" ;;
      esac ;;
  esac
done
done_testing
