#!/bin/sh
# Ordinary mail is never a bounce: the email test data shipped by Debian's
# libpython3.11-testsuite (skipped when the package is absent) and our own
# fixtures/ham/*.eml, as they are and with CRLF line endings, must each come
# out of `check --json` with kind "not-bounce" and verdict "not-bounce".
# Python's data also holds three genuine bounces, left out by name below.
. "$top_srcdir/tests/lib.sh"
tmpdir

mkdir -p "$TMP/crlf"
: > "$TMP/list"
pydata=
if command -v dpkg >/dev/null 2>&1; then
  pydata=$(dpkg -L libpython3.11-testsuite 2>/dev/null | grep '/test_email/data/msg_[0-9]*\.txt$' | head -n 1)
  pydata=${pydata%/*}
fi
# Genuine bounces in Python's email test data (not ordinary mail):
#   msg_16.txt  "Delivery Notification: Delivery has failed" from postmaster@ucla.edu (Sun SIMS DSN)
#   msg_25.txt  Sendmail multipart/report "Returned mail: Too many hops" from MAILER-DAEMON
#   msg_43.txt  anti-virus "Banned file: auto__mail.python.bat in mail from you" (multipart/report)
not_ham='msg_16.txt msg_25.txt msg_43.txt'
if [ -n "$pydata" ] && [ -d "$pydata" ]; then
  for f in "$pydata"/msg_*.txt; do
    case " $not_ham " in
    *" ${f##*/} "*) diag "left out (a genuine bounce): ${f##*/}" ;;
    *) echo "$f" >> "$TMP/list" ;;
    esac
  done
else
  skip "libpython3.11-testsuite not installed: Python's email test data"
fi
ls "$FIXTURES"/ham/*.eml >> "$TMP/list" 2>/dev/null
n=$(grep -c . "$TMP/list")
[ "$n" -gt 0 ] || skip_all "no ordinary mail to test"

# CRLF copies
while IFS= read -r f; do
  b=${f##*/}
  case "$f" in
  "$FIXTURES"/*) d=ham ;;
  *) d=py ;;
  esac
  sed 's/\r$//; s/$/\r/' "$f" > "$TMP/crlf/$d-$b"
  echo "$TMP/crlf/$d-$b" >> "$TMP/list.crlf"
done < "$TMP/list"
cat "$TMP/list.crlf" >> "$TMP/list"

# One process for all of them: one JSON line per file, in order.
# shellcheck disable=SC2046
run_rc "$UNSCATTER" check --json $(cat "$TMP/list")
is "$rc" 1 "check exits 1 (nothing is backscatter)"
printf '%s\n' "$out" > "$TMP/out"
is "$(grep -c . "$TMP/out")" "$(grep -c . "$TMP/list")" "one JSON line per message"

if command -v python3 >/dev/null 2>&1; then
  python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    print("%s\t%s\t%s\t%s" % (o.get("file"), o.get("kind"), o.get("verdict"), o.get("error") or ""))
' "$TMP/out" > "$TMP/kinds"
else
  sed 's/^{"file": "\([^"]*\)".*"verdict": "\([^"]*\)", "kind": "\{0,1\}\([^",]*\)"\{0,1\},.*/\1\t\3\t\2\t/' "$TMP/out" > "$TMP/kinds"
fi

offenders=0
tab=$(printf '\t')
while IFS="$tab" read -r file kind verdict error; do
  name=${file#"$TMP/crlf/"}
  name=${name#"$FIXTURES/"}
  name=${name#"$pydata/"}
  if [ "$kind" = not-bounce ] && [ "$verdict" = not-bounce ]; then
    ok "$name: not-bounce"
  else
    not_ok "$name: not-bounce"
    diag "kind=$kind verdict=$verdict${error:+ error=$error}"
    offenders=$((offenders + 1))
  fi
done < "$TMP/kinds"
is "$offenders" 0 "no ordinary message reported as a bounce ($n files, and their CRLF copies)"

done_testing
