#!/bin/sh
# The Sent folder read at delivery with the Redis record: two delivery
# "hosts" share the import state (P sentdir, P seen), so what one host read
# is not read again by the other; a flag change is not an import.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/redis/lib.sh"
redis_need home
redis_two_hosts a
mkdir -p "$M/.Sent/cur" "$M/.Sent/new"
export UNSCATTER_VERBOSE=1
P="unscatter:{$(id -un)}:"
summary () { sed -n 's/^unscatter: deliver: Sent folder: //p' "$TMP/err" | sed 's/ in .*//'; }

cp "$DFIX/sent-original.msg" "$M/.Sent/cur/1709540000.M1P1.laptop:2,S"
"$UNSCATTER" deliver --config "$TMP/hostA" --maildir "$M" < "$DFIX/bounce-genuine.msg" 2>"$TMP/err"
is "$?" 0 "host A: exit 0"
is "$(summary | cut -d, -f1-2)" "imported 1, already present 0" "host A imports the Sent folder into Redis"
f=$(ls "$M/new" | head -n 1)
is "$(verdict_of "$M/new/$f")" legitimate "host A: the bounce is legitimate"
is "$(rcli a scard "${P}seen")" 1 "one seen name in P seen"
is "$(rcli a hlen "${P}sentdir")" 2 "two directory states in P sentdir"
mv "$M/.Sent/cur/1709540000.M1P1.laptop:2,S" "$M/.Sent/cur/1709540000.M1P1.laptop:2,RS"
"$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$DFIX/ham.msg" 2>"$TMP/err"
is "$?" 0 "host B: exit 0"
is "$(summary | cut -d, -f1-2)" "imported 0, already present 0" "host B: the renamed file is not imported again"
"$UNSCATTER" deliver --config "$TMP/hostB" --maildir "$M" < "$DFIX/bounce-forged.msg" 2>"$TMP/err"
is "$(ls "$M/.Backscatter/new" | wc -l | tr -d ' ')" 1 "host B: the forged bounce is backscatter"
done_testing
