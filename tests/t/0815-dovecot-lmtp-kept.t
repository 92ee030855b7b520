#!/bin/sh
# The plugin keeps the last user's library context (config, BATV keys, the
# SQLite record open) from one LMTP delivery to the next in the same
# process. Nothing of it may go stale: one LMTP process (process_limit = 1,
# its pid checked) takes a delivery after each change, each in its own LMTP
# connection, and must judge as a fresh process would:
#  - the original recorded by `unscatter record` (another process writing
#    into the open record): the bounce that was backscatter is legitimate;
#  - the record file replaced by one without it: backscatter again;
#  - the record removed: no record, the bounce is not judged backscatter;
#  - the BATV keys replaced (keygen --force): a tag signed with the new key
#    is valid, one with the old key forged;
#  - a config written (another action: the verdict line says so), broken
#    (not judged, kept, the error logged), removed again (as before).
# The folder, the verdict line, no error, all in one LMTP process. Then two
# users in turn through one LMTP process (only alice's record holds the
# original): each gets their own verdict.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require plugin master
dc_setup
dc_cases_setup
ME=alice@example.org
REC="$H/.local/share/unscatter/record.db"
GENUINE="$M/dsn/exim-user-unknown.eml"        # its original: sent/03-lisbon-booking.eml
ORIGINAL="$M/sent/03-lisbon-booking.eml"

# The sent fixtures but the original of $GENUINE.
record_all_but_original () {
  for f in "$M"/sent/*.eml; do [ "$f" = "$ORIGINAL" ] || dc_record "$f"; done
}
fresh_home
rm -f "$REC" "$REC-wal" "$REC-shm"
record_all_but_original
DC_EXTRA='service lmtp {
  process_limit = 1
}'
dc_config 90-unscatter.conf
: > "$DC_LOG"; dc_own
dc_master_start || { not_ok "dovecot master starts"; diag "$(cat "$DC_LOG")"; done_testing; }

n=0
# deliver NAME FILE ORCPT WANT-FOLDER LOG-PATTERN: one LMTP connection.
deliver () {
  n=$((n + 1))
  name=$1 file=$2 orcpt=$3 want=$4 pattern=$5
  DC_LOG_FROM=$(wc -l < "$DC_LOG")
  rm -rf "$H/Maildir"; dc_own
  is "$(dc_lmtp --orcpt "$orcpt" "$file")" "$file 250" "$name: LMTP 250"
  dc_wait_log "stored mail into mailbox|Error|Fatal|Panic" || true
  is "$(dc_where "$file")" "$want" "$name: stored byte-identical in $want"
  new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
  if printf '%s\n' "$new" | grep -Eq -- "$pattern"; then ok "$name: the log says so"
  else not_ok "$name: the log says so"; diag "want /$pattern/" "$new"; fi
  [ -z "${DC_ERROR_OK:-}" ] || return 0
  if printf '%s\n' "$new" | grep -q "Error\|Fatal\|Panic"; then
    not_ok "$name: no error in the log"; diag "$new"
  else ok "$name: no error in the log"; fi
}

deliver "original not recorded" "$GENUINE" "$ME" Backscatter "unscatter: verdict=backscatter kind=dsn"
dc_record "$ORIGINAL"
deliver "original recorded by another process" "$GENUINE" "$ME" INBOX "unscatter: verdict=legitimate kind=dsn"

# A new record file in the old one's place (as a restore from a backup).
mkdir -p "$TMP/other"; dc_own
as_user "$INST/bin/unscatter" record --db "$TMP/other/record.db" "$M/sent/01-lunch-thursday.eml" >/dev/null
[ -f "$TMP/other/record.db" ] || not_ok "a second record to put in place"
rm -f "$REC-wal" "$REC-shm"; mv "$TMP/other/record.db" "$REC"; dc_own
deliver "record replaced" "$GENUINE" "$ME" Backscatter "unscatter: verdict=backscatter kind=dsn"

rm -f "$REC" "$REC-wal" "$REC-shm"
deliver "record removed" "$GENUINE" "$ME" INBOX "unscatter: verdict=unknown kind=dsn"
record_all_but_original; dc_record "$ORIGINAL"

# BATV: the keys replaced; the new key's tag verifies, the old one's not.
deliver "BATV tag, first key" "$M/batv-valid.eml" "$valid" INBOX "unscatter: verdict=legitimate kind=dsn"
as_user "$INST/bin/unscatter" batv keygen --force >/dev/null || not_ok "batv keygen --force"
new_tag=$(as_user "$INST/bin/unscatter" batv sign "$ME")
[ "$new_tag" != "$valid" ] || not_ok "the new key signs differently"
sed -e "s|@RCPT@|$new_tag|g" -e "s|@ORIG@|$new_tag|g" "$M/batv/dovecot-lmtp.eml.in" > "$M/batv-new.eml"; dc_own
deliver "BATV keys replaced: the new key's tag" "$M/batv-new.eml" "$new_tag" INBOX "unscatter: verdict=legitimate kind=dsn"
deliver "BATV keys replaced: the old key's tag" "$M/batv-valid.eml" "$valid" Backscatter "unscatter: verdict=backscatter kind=dsn"

# The config: another action for backscatter (the log line's action=), a
# broken one (not judged, kept), none again.
deliver "no config" "$M/dsn/amazonses-forged.eml" "$ME" Backscatter "unscatter: verdict=backscatter kind=dsn id=.* action=file "
printf '[actions]\nbackscatter = discard\n' > "$H/.config/unscatter/config"; dc_own
deliver "config written" "$M/dsn/amazonses-forged.eml" "$ME" Backscatter "unscatter: verdict=backscatter kind=dsn id=.* action=discard "
printf '[actions]\nbackscatter = banana\n' > "$H/.config/unscatter/config"; dc_own
DC_ERROR_OK=1
deliver "config broken" "$M/dsn/amazonses-forged.eml" "$ME" INBOX "Error: sieve: unscatter: configuration: .*banana.*; message kept"
DC_ERROR_OK=
rm -f "$H/.config/unscatter/config"
deliver "config removed" "$M/dsn/amazonses-forged.eml" "$ME" Backscatter "unscatter: verdict=backscatter kind=dsn id=.* action=file "

is "$(grep -o 'lmtp([0-9]*): Info: Connect from local' "$DC_LOG" | sort -u | wc -l)" 1 "one LMTP process served all $n connections"
is "$(grep -c 'lmtp([0-9]*): Info: Connect from local' "$DC_LOG")" "$n" "$n LMTP connections"
dc_master_stop

# Two users in turn through one LMTP process: alice's record holds the
# original, bob's does not; the kept context goes from one to the other.
USERS="$TMP/users"
mkdir -p "$USERS"
for u in alice bob; do
  H="$USERS/$u"; mkdir -p "$H"; dc_own
  if [ $u = alice ]; then dc_record "$M"/sent/*.eml; else record_all_but_original; fi
done
dc_config 90-unscatter.conf
sed -i "s|^\\(  args = uid=.*\\) home=.*|\\1 home=$USERS/%n|" "$TMP/dovecot.conf"
grep -q "home=$USERS/%n" "$TMP/dovecot.conf" || not_ok "a home per user in the test's config"
: > "$DC_LOG"; dc_own
n=0
dc_master_start || { not_ok "dovecot master starts (two users)"; diag "$(cat "$DC_LOG")"; done_testing; }
for u in alice bob alice bob; do
  H="$USERS/$u"
  if [ $u = alice ]; then w=INBOX v=legitimate; else w=Backscatter v=backscatter; fi
  deliver_to () {
    n=$((n + 1))
    DC_LOG_FROM=$(wc -l < "$DC_LOG")
    rm -rf "$H/Maildir"; dc_own
    is "$(as_user python3 "$top_srcdir/tests/dovecot/lmtp-client.py" "$TMP/run/lmtp" --to "$u@example.org" "$GENUINE")" "$GENUINE 250" "$u ($n): LMTP 250"
    dc_wait_log "stored mail into mailbox|Error|Fatal|Panic" || true
    is "$(dc_where "$GENUINE")" "$w" "$u ($n): stored byte-identical in $w"
    new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
    if printf '%s\n' "$new" | grep -q "lmtp($u@example.org).*unscatter: verdict=$v kind=dsn"; then ok "$u ($n): verdict=$v"
    else not_ok "$u ($n): verdict=$v"; diag "$new"; fi
  }
  deliver_to
done
is "$(grep -o 'lmtp([0-9]*): Info: Connect from local' "$DC_LOG" | sort -u | wc -l)" 1 "two users: one LMTP process served all $n connections"
is "$(grep -c 'Error\|Fatal\|Panic' "$DC_LOG")" 0 "two users: no error in the log"
dc_master_stop
done_testing
