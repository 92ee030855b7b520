#!/bin/sh
# Interoperability with the real Exim: for many random addresses, secrets and
# key numbers, `exim4 -be '${prvs{ADDR}{KEY}{K}}'` must equal
# `unscatter batv sign --date TODAY`, Exim's ${prvscheck} must accept
# unscatter's tags (and reject tampered ones), and unscatter must accept
# Exim's. Exim uses the real clock, so "today" (UTC) is used on our side too.
# All expressions go to one `exim4 -be` per batch (one per line on stdin).
# USC_EXIM_CASES (default 250) and USC_SEED change the run.
. "$top_srcdir/tests/lib.sh"
tmpdir

EXIM=
for c in exim4 exim /usr/sbin/exim4 /usr/sbin/exim; do
  if command -v "$c" >/dev/null 2>&1; then EXIM=$(command -v "$c"); break; fi
done
[ -n "$EXIM" ] || skip_all "exim4 is not installed (Debian: exim4-daemon-light)"

# exim -be needs no daemon; it reads the system configuration, or else an empty one.
EXIM_ARGS=
probe=$(printf '%s\n' 'p:${prvs{a@b.example}{k}{1}}' | "$EXIM" -be 2>/dev/null)
case $probe in *p:prvs=1*) ;; *)
  : > "$TMP/exim.conf"
  EXIM_ARGS="-C $TMP/exim.conf"
  # shellcheck disable=SC2086
  probe=$(printf '%s\n' 'p:${prvs{a@b.example}{k}{1}}' | "$EXIM" $EXIM_ARGS -be 2>&1)
  case $probe in *p:prvs=1*) ;; *) skip_all "exim -be does not run here: $probe" ;; esac ;;
esac

N=${USC_EXIM_CASES:-250}
TAB=$(printf '\t')
SEED=${USC_SEED:-$(( $(date +%s) % 100000 + $$ ))}
diag "$("$EXIM" -bV 2>/dev/null | head -n 1)" "seed $SEED, $N cases (USC_SEED=$SEED reproduces them)"

# run_exim INFILE OUTFILE: expand every line; keep "ID:result" lines.
run_exim () {
  # shellcheck disable=SC2086
  "$EXIM" $EXIM_ARGS -be < "$1" 2>&1 | sed -n 's/^> //p' | grep -E '^[A-Za-z0-9_]+:' > "$2"
}
# lookup ID FILE: the result for ID
lookup () { sed -n "s/^$1://p" "$2" | head -n 1; }
# tamper TAG KEEP: sets $tampered to TAG with the character after its first
# KEEP characters changed (0 -> 1, anything else -> 0); builtins only.
tamper () {
  _rest=$1 _pre= _i=0
  while [ $_i -lt "$2" ]; do _pre=$_pre${_rest%"${_rest#?}"}; _rest=${_rest#?}; _i=$((_i + 1)); done
  _c=${_rest%"${_rest#?}"}; _rest=${_rest#?}
  if [ "$_c" = 0 ]; then _c=1; else _c=0; fi
  tampered=$_pre$_c$_rest
}

# Random cases: id, key number, whether to pass --key-number, secret, address.
# No $ { } \ (Exim expansion syntax) and no blanks; secrets 1-64 bytes.
awk -v seed="$SEED" -v n="$N" 'BEGIN {
  srand(seed);
  lc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  lp = lc "._-+=!#%&*/?^|~'"'"'";
  dc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
  kc = lp "\"()<>[],;:@";
  for (i = 1; i <= n; i++) {
    l = ""; m = 1 + int(rand() * 24);
    for (j = 0; j < m; j++) l = l substr(j ? lp : lc, 1 + int(rand() * length(j ? lp : lc)), 1);
    d = ""; labels = 1 + int(rand() * 3);
    for (k = 0; k < labels; k++) {
      m = 1 + int(rand() * 12); s = substr(lc, 1 + int(rand() * length(lc)), 1);
      for (j = 1; j < m; j++) s = s substr(dc, 1 + int(rand() * length(dc)), 1);
      d = d s ".";
    }
    d = d substr("orgnetcomdeukio", 1 + 3 * int(rand() * 5), 3);
    sec = ""; m = (i % 17 == 0) ? 64 : 1 + int(rand() * 64);
    for (j = 0; j < m; j++) sec = sec substr(kc, 1 + int(rand() * length(kc)), 1);
    printf "c%d\t%d\t%d\t%s\t%s@%s\n", i, int(rand() * 10), int(rand() * 2), sec, l, d;
  }
}' > "$TMP/cases"
is "$(wc -l < "$TMP/cases" | tr -d ' ')" "$N" "generated $N random cases"

attempt=0
while :; do
  attempt=$((attempt + 1))
  TODAY=$(date -u +%F)
  : > "$TMP/sign.in"; : > "$TMP/ours"; : > "$TMP/check.in"
  sign_fail=0
  mkdir -p "$TMP/k"
  umask 077   # the keys files are created 0600
  while IFS="$TAB" read -r id kn use sec addr; do
    printf '%s:%s\n' "$kn" "$sec" > "$TMP/k/$id"
    if [ "$use" = 1 ]; then
      tag=$("$UNSCATTER" batv sign --keys "$TMP/k/$id" --key-number "$kn" --date "$TODAY" "$addr") || sign_fail=$((sign_fail + 1))
    else
      tag=$("$UNSCATTER" batv sign --keys "$TMP/k/$id" --date "$TODAY" "$addr") || sign_fail=$((sign_fail + 1))
    fi
    printf '%s:%s\n' "$id" "$tag" >> "$TMP/ours"
    printf '%s:${prvs{%s}{%s}{%s}}\n' "$id" "$addr" "$sec" "$kn" >> "$TMP/sign.in"
    # Exim's check of our tag, and of the tag with its first hash digit changed
    tamper "$tag" 9   # prvs=K DDD [H]HHHHH
    check='${if eq{$prvscheck_result}{1}{valid}{invalid}}'
    printf '%sok:${prvscheck{%s}{%s}{%s}}\n' "$id" "$tag" "$sec" "$check" >> "$TMP/check.in"
    printf '%sbad:${prvscheck{%s}{%s}{%s}}\n' "$id" "$tampered" "$sec" "$check" >> "$TMP/check.in"
  done < "$TMP/cases"
  run_exim "$TMP/sign.in" "$TMP/exim"
  run_exim "$TMP/check.in" "$TMP/checked"
  [ "$(date -u +%F)" = "$TODAY" ] && break
  [ $attempt -ge 2 ] && break
  diag "the UTC day changed during the run: once more"
done

is "$sign_fail" 0 "unscatter signed all $N addresses"
is "$(wc -l < "$TMP/exim" | tr -d ' ')" "$N" "exim expanded all $N \${prvs} expressions"

# ID <tab> ours <tab> exim's, in one pass
awk -F: 'NR == FNR { id[FNR] = $1; sub(/^[^:]*:/, ""); o[FNR] = $0; next } { k = $1; sub(/^[^:]*:/, ""); e[k] = $0 }
         END { for (i = 1; i in o; i++) printf "%s\t%s\t%s\n", id[i], o[i], e[id[i]] }' "$TMP/ours" "$TMP/exim" > "$TMP/pairs"
equal=0 differ=0
while IFS="$TAB" read -r id tag e; do
  if [ "$e" = "$tag" ]; then equal=$((equal + 1)); else
    differ=$((differ + 1))
    [ $differ -le 5 ] && diag "$id: exim '$e' unscatter '$tag' ($(grep "^$id	" "$TMP/cases"))"
  fi
done < "$TMP/pairs"
is "$equal/$differ" "$N/0" "\${prvs} of exim equals unscatter batv sign for all $N addresses (key numbers 0-9, secrets 1-64 bytes)"

acc=$(grep -c '^c[0-9]*ok:valid$' "$TMP/checked")
rej=$(grep -c '^c[0-9]*bad:invalid$' "$TMP/checked")
is "$acc" "$N" "exim \${prvscheck} accepts all $N unscatter tags"
is "$rej" "$N" "exim \${prvscheck} rejects all $N tampered unscatter tags"

# The other way: unscatter verifies Exim's tags, and rejects them tampered.
vok=0 vbad=0
while IFS="$TAB" read -r id tag e; do
  "$UNSCATTER" batv verify --keys "$TMP/k/$id" --date "$TODAY" "$e" >/dev/null 2>&1 && vok=$((vok + 1))
  tamper "$e" 14   # prvs=K DDD HHHHH[H]
  "$UNSCATTER" batv verify --keys "$TMP/k/$id" --date "$TODAY" "$tampered" >/dev/null 2>&1 || vbad=$((vbad + 1))
done < "$TMP/pairs"
is "$vok" "$N" "unscatter batv verify accepts all $N exim tags"
is "$vbad" "$N" "unscatter batv verify rejects all $N exim tags with the last hash digit changed"

# Expiry against Exim's clock: tags unscatter signed on other days. Exim
# compares days mod 1000 with a special case near the wrap, so the
# comparison is only made away from it.
day=$(( $(date -u +%s) / 86400 ))
mod=$((day % 1000))
if [ $mod -lt 12 ] || [ $mod -gt 988 ]; then
  ok "# SKIP expiry against exim: today is too close to exim's mod-1000 wrap ($mod)"
else
  printf '1:s3cret\n' > "$TMP/kx"; chmod 600 "$TMP/kx"
  : > "$TMP/exp.in"
  # name:offset — a tag signed on day today+offset expires on today+offset+7
  cases="m8:-8 m7:-7 m3:-3 p0:0 p1:1"
  for c in $cases; do
    off=${c#*:}
    dte=$(date -u -d "@$(( (day + off) * 86400 + 43200 ))" +%F)
    "$UNSCATTER" batv sign --keys "$TMP/kx" --date "$dte" exp@example.org > "$TMP/exp.${c%%:*}"
    printf 'o%s:${prvscheck{%s}{s3cret}{${if eq{$prvscheck_result}{1}{valid}{invalid}}}}\n' \
      "${c%%:*}" "$(cat "$TMP/exp.${c%%:*}")" >> "$TMP/exp.in"
  done
  run_exim "$TMP/exp.in" "$TMP/exp.out"
  for c in $cases; do
    off=${c#*:}
    if [ "$off" -lt -7 ]; then want=invalid wrc=1; else want=valid wrc=0; fi
    is "$(lookup "o${c%%:*}" "$TMP/exp.out")" "$want" "exim on a tag unscatter signed $off days from today: $want"
    run_rc "$UNSCATTER" batv verify --keys "$TMP/kx" "$(cat "$TMP/exp.${c%%:*}")"
    is "$rc" "$wrc" "unscatter agrees: $want"
  done
fi
done_testing
