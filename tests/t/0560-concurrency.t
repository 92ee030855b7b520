#!/bin/sh
# Concurrency: 32 processes at once, 1,000 `unscatter deliver` (500 ordinary
# messages, 250 genuine bounces, 250 backscatter) interleaved with 1,000
# `unscatter record` of sent messages, all on one Maildir and one record.
# Every message is delivered exactly once, to the right folder; every sent
# message is in the record; every process exits 0.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$TMP/Mail"
IN="$TMP/in"
mkdir -p "$IN"
N_HAM=500 N_BG=250 N_BF=250 N_SENT=1000 N_ORIG=100 P=32

# make TEMPLATE PREFIX COUNT 'FROM=TO{i}' ...: COUNT copies of TEMPLATE with
# each FROM replaced by TO, "{i}" in TO being the copy's number (and "{j}" the
# number modulo N_ORIG).
make () {
  _t=$1 _p=$2 _n=$3
  shift 3
  awk -v dir="$IN" -v p="$_p" -v n="$_n" -v mod="$N_ORIG" -v subs="$*" '
    { line[NR] = $0 }
    END {
      ns = split(subs, s, " ")
      for (i = 0; i < n; i++) {
        f = dir "/" p "-" i ".msg"
        for (k = 1; k <= NR; k++) {
          l = line[k]
          for (m = 1; m <= ns; m++) {
            eq = index(s[m], "=")
            from = substr(s[m], 1, eq - 1)
            to = substr(s[m], eq + 1)
            gsub(/\{i\}/, i, to)
            gsub(/\{j\}/, i % mod, to)
            at = index(l, from)
            if (at) l = substr(l, 1, at - 1) to substr(l, at + length(from))
          }
          print l > f
        }
        close(f)
      }
    }' "$_t"
}
make "$DFIX/sent-original.msg" orig "$N_ORIG" '20240304081203.GA1187@alice-laptop.example.org=conc-a-{i}@alice-laptop.example.org'
make "$DFIX/sent-other.msg" sent "$N_SENT" '20240305164055.GB2210@alice-laptop.example.org=conc-b-{i}@alice-laptop.example.org'
make "$DFIX/ham.msg" ham "$N_HAM" 'a1b2c3d4-0001@example.net=conc-ham-{i}@example.net'
make "$DFIX/bounce-genuine.msg" bg "$N_BG" '20240304081203.GA1187@alice-laptop.example.org=conc-a-{j}@alice-laptop.example.org' '20240304081208.9A0F2C1A0007@mx.example.net=conc-bg-{i}@mx.example.net'
make "$DFIX/bounce-forged.msg" bf "$N_BF" '000d01da6f71$8c3e1a40$a4ba4ec0$@example.org=conc-forged-{i}@example.org' '20240306024116.5E21C3B00F1@relay.example.com=conc-bf-{i}@relay.example.com'
make "$DFIX/bounce-genuine.msg" check "$N_SENT" '20240304081203.GA1187@alice-laptop.example.org=conc-b-{i}@alice-laptop.example.org'
is "$(ls "$IN" | wc -l | tr -d ' ')" $((N_ORIG + N_SENT + N_HAM + N_BG + N_BF + N_SENT)) "test messages made"

"$UNSCATTER" record "$IN"/orig-*.msg > /dev/null 2>"$TMP/err"
is "$?" 0 "the originals of the genuine bounces are recorded first"

# The jobs, deliveries and recordings interleaved.
awk -v a="$N_HAM" -v b="$N_BG" -v c="$N_BF" -v s="$N_SENT" -v dir="$IN" 'BEGIN {
  n = 0
  for (i = 0; i < a; i++) d[n++] = dir "/ham-" i ".msg"
  for (i = 0; i < b; i++) d[n++] = dir "/bg-" i ".msg"
  for (i = 0; i < c; i++) d[n++] = dir "/bf-" i ".msg"
  # spread the kinds: a fixed permutation (stride coprime with n)
  for (i = 0; i < n || i < s; i++) {
    if (i < n) print "d", d[(i * 7) % n]
    if (i < s) print "r", dir "/sent-" i ".msg"
  }
}' > "$TMP/jobs"
is "$(wc -l < "$TMP/jobs" | tr -d ' ')" $((N_HAM + N_BG + N_BF + N_SENT)) "$((N_HAM + N_BG + N_BF + N_SENT)) jobs"

export UNSCATTER M
FAILS="$TMP/failures"
: > "$FAILS"
export FAILS
t0=$(date +%s)
xargs -P "$P" -n 2 sh -c '
  case "$0" in
    d) "$UNSCATTER" deliver --maildir "$M" < "$1" 2>>"$FAILS.err" ;;
    r) "$UNSCATTER" record "$1" > /dev/null 2>>"$FAILS.err" ;;
  esac
  rc=$?
  [ "$rc" = 0 ] || echo "$0 $1 exit $rc" >> "$FAILS"
  exit 0' < "$TMP/jobs"
t1=$(date +%s)
diag "$((N_HAM + N_BG + N_BF + N_SENT)) processes, $P at a time: $((t1 - t0)) s"
is "$(wc -l < "$FAILS" | tr -d ' ')" 0 "every process exited 0"
[ -s "$FAILS" ] && diag "$(head -5 "$FAILS")" "$(head -5 "$FAILS.err" 2>/dev/null)"

is "$(ls "$M/new" | wc -l | tr -d ' ')" $((N_HAM + N_BG)) "inbox: $((N_HAM + N_BG)) files"
is "$(ls "$M/.Backscatter/new" 2>/dev/null | wc -l | tr -d ' ')" "$N_BF" ".Backscatter: $N_BF files"
is "$(cd "$M" && find . -path '*/tmp/*' -type f | wc -l | tr -d ' ')" 0 "nothing left in tmp/"
# Which messages, each exactly once.
ids () { cat "$@" 2>/dev/null | tr -d '\r' | grep -E '^Message-I[dD]: <conc-(ham|bg|bf)-' | sed 's/^[^<]*<//; s/>.*//' | sort; }
awk -v a="$N_HAM" -v b="$N_BG" 'BEGIN { for (i = 0; i < a; i++) print "conc-ham-" i "@example.net"; for (i = 0; i < b; i++) print "conc-bg-" i "@mx.example.net" }' | sort > "$TMP/want.inbox"
awk -v c="$N_BF" 'BEGIN { for (i = 0; i < c; i++) print "conc-bf-" i "@relay.example.com" }' | sort > "$TMP/want.bs"
find "$M/new" -type f > "$TMP/files.inbox"
ids $(cat "$TMP/files.inbox") > "$TMP/got.inbox"
same_bytes "$TMP/got.inbox" "$TMP/want.inbox" "inbox: every ordinary message and genuine bounce exactly once"
find "$M/.Backscatter/new" -type f > "$TMP/files.bs" 2>/dev/null
ids $(cat "$TMP/files.bs") > "$TMP/got.bs"
same_bytes "$TMP/got.bs" "$TMP/want.bs" ".Backscatter: every backscatter exactly once"

# Every recorded message is there: a bounce of each is legitimate.
"$UNSCATTER" check "$IN"/check-*.msg > "$TMP/check.out" 2>"$TMP/check.err"
is "$(grep -c ': legitimate dsn deliver$' "$TMP/check.out")" "$N_SENT" "record: all $N_SENT sent messages present"
done_testing
