#!/bin/sh
# Bounces to BATV-tagged envelope recipients, as Postfix (X-Original-To /
# $ORIGINAL_RECIPIENT), Exim (Envelope-to / $RECIPIENT) and Dovecot LMTP
# (Delivered-To, sub-address form / --recipient) deliver them: a freshly
# signed tag makes the bounce legitimate; a forged, expired or too-far-ahead
# tag makes it backscatter, through check --json, filter and deliver.
# Templates: fixtures/batv/*.eml.in (see fixtures/batv/README.md).
. "$top_srcdir/tests/lib.sh"
tmpdir
B="$FIXTURES/batv"
ME=alice@example.org

run_rc "$UNSCATTER" batv keygen
[ "$rc" = 0 ] || { not_ok "batv keygen for the default keys file"; diag "$err"; done_testing; }

day=$(( $(date -u +%s) / 86400 ))
on_day () { date -u -d "@$(( ($day + $1) * 86400 + 43200 ))" +%F; }
sign () { "$UNSCATTER" batv sign --date "$(on_day "$1")" "$ME"; }
# prvs=KDDDHHHHHH=local@domain -> local+prvs=KDDDHHHHHH@domain
subaddr () { printf '%s\n' "$1" | sed 's/^prvs=\([0-9a-f]*\)=\(.*\)@\([^@]*\)$/\2+prvs=\1@\3/'; }
# change the first hash digit: prvs=K DDD [H]HHHHH
forge () { printf '%s\n' "$1" | sed 's/^\(prvs=....\)0/\1X/; s/^\(prvs=....\)[1-9a-f]/\10/; s/^\(prvs=....\)X/\11/'; }

valid=$(sign 0)
forged=$(forge "$valid")
expired=$(sign -30)
future=$(sign 30)
for t in "$valid" "$forged" "$expired" "$future"; do
  case $t in prvs=??????????=$ME) ;; *) not_ok "a tag to test with: '$t'"; done_testing ;; esac
done
[ "$forged" != "$valid" ] || { not_ok "forge changed the tag"; done_testing; }
diag "valid $valid, forged $forged, expired $expired, future $future"

# fill TEMPLATE RCPT ORIG > FILE
fill () { sed -e "s|@RCPT@|$2|g" -e "s|@ORIG@|$3|g" "$B/$1.eml.in"; }


json_verdict () { printf '%s\n' "$1" | sed -n 's/.*"verdict": "\([^"]*\)".*/\1/p'; }
json_kind () { printf '%s\n' "$1" | sed -n 's/.*"kind": "\([^"]*\)".*/\1/p'; }
json_batv () { printf '%s\n' "$1" | sed -n 's/.*"batv": \(null\|{[^}]*}\).*/\1/p'; }

# case NAME TEMPLATE RCPT-IN-HEADERS ORIG TAG-AS-SEEN VERDICT VALID REASON [env VAR=V | opt]
n=0
check_case () {
  name=$1 tpl=$2 hdr=$3 orig=$4 seen=$5 want=$6 valid_json=$7 reason=$8 how=${9:-headers}
  n=$((n + 1))
  f="$TMP/m$n.eml"
  fill "$tpl" "$hdr" "$orig" > "$f"
  case $how in
    headers) run_rc "$UNSCATTER" check --json "$f" ;;
    opt) run_rc "$UNSCATTER" check --json --recipient "$seen" "$f" ;;
    *=*) run_rc env "$how" "$UNSCATTER" check --json "$f" ;;
  esac
  is "$(json_verdict "$out")" "$want" "$name: verdict $want"
  is "$(json_kind "$out")" dsn "$name: kind dsn"
  is "$(json_batv "$out")" "{\"tag\": \"$seen\", \"valid\": $valid_json, \"reason\": \"$reason\"}" "$name: batv field"
  is "$rc" "$([ "$want" = backscatter ] && echo 0 || echo 1)" "$name: exit code"
}

for kind in valid forged expired future; do
  eval "tag=\$$kind"
  sub=$(subaddr "$tag")
  case $kind in
    valid) want=legitimate v=true reason=valid ;;
    forged) want=backscatter v=false reason="bad hash" ;;
    expired) want=backscatter v=false reason=expired ;;
    future) want=backscatter v=false reason="expiry too far ahead" ;;
  esac
  check_case "postfix X-Original-To, $kind tag" postfix-local "$tag" "$tag" "$tag" "$want" "$v" "$reason"
  check_case "postfix \$ORIGINAL_RECIPIENT, $kind tag" postfix-local "$ME" "$ME" "$tag" "$want" "$v" "$reason" \
    "ORIGINAL_RECIPIENT=$tag"
  check_case "exim Envelope-to, $kind tag" exim-envelope-to "$tag" "$tag" "$tag" "$want" "$v" "$reason"
  check_case "exim pipe \$RECIPIENT, $kind tag" exim-envelope-to "$ME" "$ME" "$tag" "$want" "$v" "$reason" \
    "RECIPIENT=$tag"
  check_case "dovecot LMTP Delivered-To, $kind sub-address tag" dovecot-lmtp "$sub" "$sub" "$sub" "$want" "$v" "$reason"
  check_case "dovecot --recipient, $kind tag" dovecot-lmtp "$ME" "$ME" "$tag" "$want" "$v" "$reason" opt
done

# Control: the same bounces without any tag carry no BATV verdict.
for tpl in postfix-local exim-envelope-to dovecot-lmtp; do
  fill "$tpl" "$ME" "$ME" > "$TMP/plain-$tpl.eml"
  run_rc "$UNSCATTER" check --json "$TMP/plain-$tpl.eml"
  is "$(json_batv "$out")" null "$tpl untagged: batv null"
  v=$(json_verdict "$out")
  if [ "$v" != legitimate ]; then ok "$tpl untagged: not legitimate ($v)"; else not_ok "$tpl untagged: not legitimate"; fi
done

# filter: the message comes back with X-Unscatter-Verdict added, otherwise unchanged.
strip_added () { awk '/^X-Unscatter-/ { skip = 1; next } skip && /^[ \t]/ { next } { skip = 0; print }' "$1"; }
for kind in valid forged; do
  eval "tag=\$$kind"
  [ $kind = valid ] && want=legitimate || want=backscatter
  fill postfix-local "$tag" "$tag" > "$TMP/f-$kind.eml"
  "$UNSCATTER" filter < "$TMP/f-$kind.eml" > "$TMP/f-$kind.out" 2> "$TMP/f-$kind.err"; rc=$?
  is "$rc" 0 "filter, $kind tag: exit 0"
  is "$(grep -c "^X-Unscatter-Verdict: $want" "$TMP/f-$kind.out")" 1 "filter, $kind tag: X-Unscatter-Verdict: $want"
  strip_added "$TMP/f-$kind.out" > "$TMP/f-$kind.stripped"
  if cmp -s "$TMP/f-$kind.stripped" "$TMP/f-$kind.eml"; then ok "filter, $kind tag: message otherwise unchanged"
  else not_ok "filter, $kind tag: message otherwise unchanged"; fi
done

# deliver: legitimate -> the inbox (new/), backscatter -> .Backscatter/new/
for kind in valid forged expired; do
  eval "tag=\$$kind"
  if [ $kind = valid ]; then want=legitimate dir=new; else want=backscatter dir=.Backscatter/new; fi
  fill exim-envelope-to "$tag" "$tag" > "$TMP/d-$kind.eml"
  M="$TMP/Maildir-$kind"
  mkdir -p "$M/new" "$M/cur" "$M/tmp"
  "$UNSCATTER" deliver --maildir "$M" < "$TMP/d-$kind.eml" > /dev/null 2> "$TMP/d-$kind.err"; rc=$?
  is "$rc" 0 "deliver, $kind tag: exit 0"
  is "$(cd "$M" && find . -type f \( -path '*/new/*' -o -path '*/cur/*' -o -path '*/tmp/*' \) | wc -l | tr -d ' ')" 1 \
    "deliver, $kind tag: exactly one message stored (in new/, cur/ or tmp/ of any folder)"
  stored=$(find "$M/$dir" -type f 2>/dev/null | head -n 1)
  if [ -n "$stored" ]; then ok "deliver, $kind tag: stored in $dir"; else not_ok "deliver, $kind tag: stored in $dir"; fi
  if [ -n "$stored" ] && grep -q "^X-Unscatter-Verdict: $want" "$stored"; then
    ok "deliver, $kind tag: stored copy says $want"
  else not_ok "deliver, $kind tag: stored copy says $want"; fi
done
done_testing
