#!/bin/sh
# The Sent folder read at delivery: deliver and filter import what was added
# to a Maildir user's Sent folder (new/ and cur/) before deciding, within
# [record] sent_folder_max_ms per delivery, resumed at the next one, with no
# `record` command ever run. A flag change is not an import; sent_folder =
# none does nothing; a Sent folder that is a symbolic link, a FIFO or an
# unreadable file inside it does not stop the delivery.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
setup_home
M="$HOME/Maildir"
export UNSCATTER_VERBOSE=1
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 (the program) not installed"

# newest: the file delivered last (inbox or .Backscatter), relative to $M.
newest () { (cd "$M" && ls -t new/* .Backscatter/new/* 2>/dev/null | head -n 1); }
deliver_one () {
  "$UNSCATTER" deliver --maildir "$M" < "$1" 2>"$TMP/err"
  rc=$?
  f=$(newest)
  v=$(verdict_of "$M/${f:-/dev/null}")
}
summary () { sed -n 's/^unscatter: [a-z]*: Sent folder: //p' "$TMP/err"; }

# 1. A bounce of a message dropped into .Sent/cur a moment before.
mkdir -p "$M/.Sent/cur" "$M/.Sent/new" "$M/.Sent/tmp"
deliver_one "$DFIX/ham.msg"
is "$rc" 0 "ham with an empty Sent folder: exit 0"
if [ -e "$DB" ]; then not_ok "an empty Sent folder creates no record"; else ok "an empty Sent folder creates no record"; fi
cp "$DFIX/sent-original.msg" "$M/.Sent/cur/1709540000.M1P1.laptop:2,S"
deliver_one "$DFIX/bounce-genuine.msg"
is "$rc" 0 "deliver: exit 0"
is "$v" "legitimate (dsn)" "deliver: the bounce of the message in .Sent/cur is legitimate, no record command run"
is "$(summary | cut -d, -f1-3)" "imported 1, already present 0, 0 skipped" "deliver: one message imported"
deliver_one "$DFIX/bounce-forged.msg"
is "$v" "backscatter (dsn)" "the forged bounce is backscatter once the record holds the folder"
is "$(summary | cut -d, -f1)" "imported 0" "a folder changed a moment ago is read again, nothing imported twice"

# 2. Flag changes and the move from new/ to cur/ are not imports.
mv "$M/.Sent/cur/1709540000.M1P1.laptop:2,S" "$M/.Sent/cur/1709540000.M1P1.laptop:2,RS"
cp "$DFIX/sent-other.msg" "$M/.Sent/new/1709540100.M2P1.laptop"
deliver_one "$DFIX/ham.msg"
is "$(summary | cut -d, -f1-2)" "imported 1, already present 0" "flag rename: the renamed file is not imported again, the new one is"
mv "$M/.Sent/new/1709540100.M2P1.laptop" "$M/.Sent/cur/1709540100.M2P1.laptop:2,S"
deliver_one "$DFIX/ham.msg"
is "$(summary | cut -d, -f1-2)" "imported 0, already present 0" "new/ -> cur/ move: not imported again"
is "$(sqlite3 "$DB" 'SELECT count(*) FROM sent')" 2 "two messages in the record"

# 3. filter reads ~/Maildir's Sent folder too (and --maildir DIR).
rm -rf "$XDG_DATA_HOME"
"$UNSCATTER" filter < "$DFIX/bounce-genuine.msg" > "$TMP/out" 2>"$TMP/err"
is "$?" 0 "filter: exit 0"
is "$(sed -n 's/^X-Unscatter-Verdict: //p' "$TMP/out" | head -n 1)" "legitimate (dsn)" "filter: legitimate from ~/Maildir/.Sent"
rm -rf "$XDG_DATA_HOME"
mkdir -p "$TMP/other/cur" "$TMP/other/new" "$TMP/other/.Sent Items/cur"
cp "$DFIX/sent-original.msg" "$TMP/other/.Sent Items/cur/1709540000.M9P9.phone:2,S"
mv "$M/.Sent" "$TMP/sent-away"
"$UNSCATTER" filter --maildir "$TMP/other" < "$DFIX/bounce-genuine.msg" > "$TMP/out" 2>"$TMP/err"
is "$(sed -n 's/^X-Unscatter-Verdict: //p' "$TMP/out" | head -n 1)" "legitimate (dsn)" "filter --maildir: '.Sent Items' found"
mv "$TMP/sent-away" "$M/.Sent"

# 4. sent_folder = none: nothing read, nothing created.
rm -rf "$XDG_DATA_HOME"
write_config '[record]' 'sent_folder = none'
deliver_one "$DFIX/bounce-genuine.msg"
is "$v" "unknown (dsn)" "sent_folder = none: the record stays empty (unknown)"
is "$(summary)" "" "sent_folder = none: no import"
if [ -e "$DB" ]; then not_ok "sent_folder = none: no record created"; else ok "sent_folder = none: no record created"; fi

# 5. A configured name, a symbolic link, a FIFO and a directory in cur/.
write_config '[record]' 'sent_folder = Gesendet'
mv "$M/.Sent" "$TMP/real-sent"
ln -s "$TMP/real-sent" "$M/.Gesendet"
mkfifo "$M/.Gesendet/cur/1709540200.M3P1.laptop:2,S"
mkdir "$M/.Gesendet/cur/1709540300.M4P1.laptop:2,S"
ln -s /dev/zero "$M/.Gesendet/cur/1709540400.M5P1.laptop:2,S"
deliver_one "$DFIX/bounce-genuine.msg"
is "$rc" 0 "a Sent folder that is a symbolic link, with a FIFO, a directory and a link to /dev/zero: exit 0"
is "$v" "legitimate (dsn)" "the linked folder is read (sent_folder = Gesendet)"
is "$(summary | cut -d, -f1-3)" "imported 2, already present 0, 3 skipped" "the FIFO, the directory and the link are skipped"
if [ "$(id -u)" != 0 ]; then
  rm -rf "$XDG_DATA_HOME"
  chmod 000 "$TMP/real-sent/cur"
  deliver_one "$DFIX/bounce-genuine.msg"
  is "$rc" 0 "an unreadable Sent folder: exit 0"
  chmod 700 "$TMP/real-sent/cur"
else
  skip "an unreadable folder: root reads everything"
fi
rm -f "$M/.Gesendet"

# 6. A record that is locked: the import gives up within the bound, the
# delivery goes on and decides as before.
write_config '[record]' 'busy_timeout = 1'
rm -rf "$XDG_DATA_HOME"
mkdir -p "$M/.Sent/cur" "$M/.Sent/new"
cp "$DFIX/sent-original.msg" "$M/.Sent/cur/1709540000.M1P1.laptop:2,S"
"$UNSCATTER" record "$DFIX/sent-other.msg" 2>/dev/null
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close(); time.sleep(3)' "$DB" "$TMP/locked" &
  lp=$!
  while [ ! -e "$TMP/locked" ]; do sleep 0.05; done
  deliver_one "$DFIX/ham.msg"
  is "$rc" 0 "record locked: ham still delivered (exit 0)"
  case $(cat "$TMP/err") in *"warning: Sent folder"*) ok "record locked: the import failure is a warning";; *) not_ok "record locked: the import failure is a warning"; diag "$(cat "$TMP/err")";; esac
  wait $lp
  deliver_one "$DFIX/bounce-genuine.msg"
  is "$v" "legitimate (dsn)" "lock gone: imported at the next delivery"
else
  skip "python3 absent: no lock holder"; skip "python3 absent"; skip "python3 absent"
fi
rm -rf "$M/.Sent"

# 7. 50,000 messages on first contact: every delivery within the bound (the
# importer's own clock, with a margin for a loaded machine: 2 s in all, while
# importing the whole folder at once takes several seconds, 131 deliveries'
# worth of 50 ms), all imported after enough deliveries; meanwhile a miss is
# "unknown". A sanitizer build runs several times slower: its step is 200 ms,
# so that the same folder still needs far fewer than the loop's 1,000 steps.
rm -rf "$XDG_DATA_HOME"
step_ms=50
if grep -q -a __asan_init "$UNSCATTER"; then step_ms=200; fi
write_config '[record]' "sent_folder_max_ms = $step_ms"
mkdir -p "$M/.Sent/cur" "$M/.Sent/new" "$M/.Sent/tmp"
awk -v d="$M/.Sent/cur" 'BEGIN {
  for (i = 0; i < 50000; i++) {
    f = sprintf("%s/17090%05d.M%dP1.laptop:2,S", d, i, i)
    printf "Message-ID: <bulk%d@alice-laptop.example.org>\nDate: Mon, 4 Mar 2024 08:15:12 +0100\nFrom: alice@example.org\nTo: r%d@example.net\nSubject: s %d\n\nbody\n", i, i, i > f
    close(f)
  }
}'
n=0 worst=0 over=0 wover=0 miss=""
: > "$TMP/walls"
while [ $n -lt 1000 ]; do
  n=$((n + 1))
  if [ $n = 2 ]; then
    deliver_one "$DFIX/bounce-forged.msg"; miss=$v
  else
    deliver_one "$DFIX/ham.msg"
  fi
  # the importer's own clocks: wall and processor time of the step
  wall=$(summary | sed -n 's/.* in \([0-9]*\)\.[0-9] ms .*/\1/p')
  cpu=$(summary | sed -n 's/.* (\([0-9]*\)\.[0-9] ms CPU).*/\1/p')
  [ -n "$wall" ] && echo "$wall" >> "$TMP/walls"
  [ -n "$wall" ] && [ "$wall" -gt 2000 ] && wover=$((wover + 1))
  [ -n "$cpu" ] && [ "$cpu" -gt "$worst" ] && worst=$cpu
  [ -n "$cpu" ] && [ "$cpu" -gt $((step_ms + 400)) ] && over=$((over + 1))
  case $(summary) in *unfinished*) ;; *) break ;; esac
done
median=$(sort -n "$TMP/walls" | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : 0) }')
diag "50,000 messages imported in $n deliveries; per step: the most processor time $worst ms, the median wall time $median ms"
is "$over" 0 "no delivery spent more than the bound ($step_ms ms + 400 ms margin) of processor time importing"
is "$wover" 0 "no delivery spent more than 2 s of wall time importing ($step_ms ms + a margin for a loaded machine)"
if [ "$median" -le $((step_ms + 400)) ]; then ok "the median step's wall time is within the bound's margin ($median ms)"; else not_ok "the median step's wall time is within the bound's margin ($median ms)"; fi
if [ $n -gt 5 ] && [ $n -lt 1000 ]; then ok "imported over several deliveries ($n)"; else not_ok "imported over several deliveries ($n)"; fi
is "$(sqlite3 "$DB" 'SELECT count(*) FROM sent')" 50000 "all 50,000 in the record"
is "$miss" "unknown (dsn)" "a miss while the folder is unfinished is unknown, not backscatter"
deliver_one "$DFIX/bounce-forged.msg"
is "$v" "backscatter (dsn)" "once finished, a miss is backscatter"
is "$(summary | sed 's/ in .*//')" "imported 0, already present 0, 0 skipped, 0 entries read" "the finished folder is not read again"

done_testing
