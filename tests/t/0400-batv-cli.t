#!/bin/sh
# `unscatter batv sign|verify|keygen`: Exim's vectors, exit codes, expiry
# edges through --date and $UNSCATTER_NOW, the keys file's safety rules,
# default paths, usage errors.
. "$top_srcdir/tests/lib.sh"
tmpdir
K="$TMP/keys"
printf '# test keys\n1:secret\n0:secret\n' > "$K"
chmod 600 "$K"

# --- Exim 4.96's output on 2024-01-01, secret "secret" ---
run_rc "$UNSCATTER" batv sign --keys "$K" --date 2024-01-01 user@example.com
is "$rc" 0 "sign exits 0"
is "$out" "prvs=173025a701=user@example.com" "sign K=1 (the first key) = Exim's tag"
run_rc "$UNSCATTER" batv sign --keys "$K" --key-number 0 --date 2024-01-01 user@example.com
is "$out" "prvs=0730576ed6=user@example.com" "sign --key-number 0 = Exim's tag"
# $UNSCATTER_NOW (2024-01-01 23:59:59 UTC) stands in for the clock
run_rc env UNSCATTER_NOW=1704153599 "$UNSCATTER" batv sign --keys "$K" user@example.com
is "$out" "prvs=173025a701=user@example.com" "sign with UNSCATTER_NOW on the same day"

# --- verify: exit 0 valid, 1 otherwise, the reason on stdout ---
T=prvs=173025a701=user@example.com
for d in 01 05 08; do
  run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-$d "$T"
  is "$rc:$out" "0:$T: valid (key 1, address user@example.com)" "verify on 2024-01-$d (day $((${d#0} - 1))): valid"
done
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2023-12-31 "$T"
is "$rc" 0 "verify the day before signing (expiry 8 days ahead): valid"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-09 "$T"
is "$rc:$out" "1:$T: invalid: expired" "verify on day 8: expired, exit 1"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2023-12-30 "$T"
is "$rc:$out" "1:$T: invalid: expiry too far ahead" "verify 2 days before signing: too far ahead"
# 2026-09-19 is day 20715: Exim compares 730 >= 715 and accepts this stale tag
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2026-09-19 "$T"
is "$rc:$out" "1:$T: invalid: expiry too far ahead" "a 993-day-old tag stays invalid after the mod-1000 wrap"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 prvs=173025a702=user@example.com
is "$rc:$out" "1:prvs=173025a702=user@example.com: invalid: bad hash" "tampered hash: bad hash"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 PRVS=173025A701=user@example.com
is "$rc" 0 "upper-case marker and hex: valid"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 user+prvs=173025a701@example.com
is "$rc:$out" "0:user+prvs=173025a701@example.com: valid (key 1, address user@example.com)" "sub-address form: valid"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 prvs=573025a701=user@example.com
is "$rc:$out" "1:prvs=573025a701=user@example.com: invalid: unknown key number" "key number 5 not in the file"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 prvs=17302=user@example.com
is "$rc:$out" "1:prvs=17302=user@example.com: invalid: malformed tag" "malformed tag"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 user@example.com
is "$rc:$out" "1:user@example.com: no BATV tag" "untagged address: exit 1"
# round trip with today's clock
run_rc "$UNSCATTER" batv sign --keys "$K" --key-number 0 me@example.org
tag=$out
run_rc "$UNSCATTER" batv verify --keys "$K" "$tag"
is "$rc" 0 "sign today, verify today: valid ($tag)"

# --- sign refusals ---
run_rc "$UNSCATTER" batv sign --keys "$K" --key-number 7 user@example.com
is "$rc" 1 "sign with a key number not in the file: exit 1"
run_rc "$UNSCATTER" batv sign --keys "$K" not-an-address
is "$rc" 1 "sign an unqualified address: exit 1"
run_rc "$UNSCATTER" batv sign --keys "$K" "$T"
is "$rc" 1 "sign an already tagged address: exit 1"

# --- the keys file ---
chmod 640 "$K"
run_rc "$UNSCATTER" batv sign --keys "$K" user@example.com
is "$rc:$out" "1:" "keys file readable by the group: refused, nothing printed"
case $err in *"accessible by group or others"*"chmod 600"*) ok "the refusal says why and what to do" ;;
  *) not_ok "the refusal says why and what to do"; diag "$err" ;; esac
chmod 604 "$K"
run_rc "$UNSCATTER" batv verify --keys "$K" --date 2024-01-03 "$T"
is "$rc:$out" "1:" "keys file readable by others: verify refuses (exit 1, no verdict)"
chmod 600 "$K"
run_rc "$UNSCATTER" batv sign --keys "$TMP/nokeys" user@example.com
is "$rc" 1 "missing keys file: exit 1"
case $err in *"batv keygen"*) ok "missing keys file: the message suggests keygen" ;;
  *) not_ok "missing keys file: the message suggests keygen"; diag "$err" ;; esac
printf '1:secret\nthis is not a key\n' > "$TMP/badkeys"; chmod 600 "$TMP/badkeys"
run_rc "$UNSCATTER" batv sign --keys "$TMP/badkeys" user@example.com
is "$rc" 1 "syntax error in the keys file: exit 1"
case $err in *"badkeys:2:"*) ok "syntax error names file and line" ;;
  *) not_ok "syntax error names file and line"; diag "$err" ;; esac

# --- keygen ---
NK="$TMP/new/dir/keys"
run_rc "$UNSCATTER" batv keygen --keys "$NK"
is "$rc:$out" "0:$NK" "keygen creates the file (and its directory) and prints the path"
is "$(stat -c %a "$NK")" 600 "keygen: mode 0600"
line=$(grep -v '^#' "$NK")
case $line in 0:????????????????????????????????) ok "keygen: one line 0:<32 characters>" ;;
  *) not_ok "keygen: one line 0:<32 characters>"; diag "$line" ;; esac
secret=${line#0:}
is "$(printf %s "$secret" | tr -d 0-9a-f)" "" "keygen: the secret is lower-case hex"
run_rc "$UNSCATTER" batv keygen --keys "$NK"
is "$rc" 1 "keygen refuses to overwrite"
is "$(grep -v '^#' "$NK")" "$line" "the existing file is untouched"
run_rc "$UNSCATTER" batv keygen --keys "$NK" --force
is "$rc" 0 "keygen --force replaces it"
line2=$(grep -v '^#' "$NK")
if [ "$line2" != "$line" ]; then ok "the new secret differs"; else not_ok "the new secret differs"; fi
is "$(stat -c %a "$NK")" 600 "keygen --force: mode 0600"
run_rc "$UNSCATTER" batv sign --keys "$NK" u@example.org
case $out in prvs=0?????????=u@example.org) ok "the generated file signs with key 0" ;;
  *) not_ok "the generated file signs with key 0"; diag "$out" ;; esac
run_rc "$UNSCATTER" batv keygen --keys "$TMP/k5" --key-number 5
is "$(grep -c '^5:' "$TMP/k5")" 1 "keygen --key-number 5"
is "$(ls -a "$TMP" | grep -c batv-keys)" 0 "no temporary file is left behind"

# default path: $XDG_CONFIG_HOME/unscatter/batv-keys
run_rc "$UNSCATTER" batv keygen
is "$rc:$out" "0:$XDG_CONFIG_HOME/unscatter/batv-keys" "keygen without --keys: the XDG path"
run_rc "$UNSCATTER" batv sign a@example.org
is "$rc" 0 "sign without --keys uses it"
# [batv] keys in the config file
mkdir -p "$TMP/cfg"
printf '[batv]\nkeys=%s\n' "$K" > "$TMP/cfg/config"
run_rc "$UNSCATTER" batv sign --config "$TMP/cfg/config" --date 2024-01-01 user@example.com
is "$out" "prvs=173025a701=user@example.com" "the config's [batv] keys is used"

# --- usage errors: exit 2 ---
for args in "" "frob" "sign" "sign a@b c@d" "verify" "keygen extra" \
            "sign --key-number 10 a@b" "sign --key-number x a@b" "sign --date 2024-02-30 a@b" \
            "sign --date yesterday a@b" "verify --no-such-option a@b" "keygen --date 2024-01-01"; do
  # shellcheck disable=SC2086
  run_rc "$UNSCATTER" batv $args
  is "$rc" 2 "usage error: batv $args"
done
run_rc "$UNSCATTER" batv --help
is "$rc" 0 "batv --help exits 0"
done_testing
