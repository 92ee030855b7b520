#!/bin/sh
# imapsieve records what is saved to Sent, through Dovecot's imap binary in
# pre-authenticated mode (stdin/stdout, no daemon), with the snippets of
# doc/dovecot.md: the plugin's unscatter_record and the plugin-free
# execute :pipe "unscatter-record". An APPEND to Sent and a COPY into Sent
# record the message's Message-ID: a bounce of it delivered afterwards
# (dovecot-lda, the plugin route) is legitimate; an APPEND to another folder
# records nothing: a bounce of that message is backscatter.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/dovecot/lib.sh"
dc_require imap execute
dc_setup
ME=alice@example.org
S="$M/sent"
REC="$H/.local/share/unscatter/record.db"

for route in plugin execute; do
  if [ $route = plugin ] && [ ! -f "$DC_PLUGIN_BUILT" ]; then
    skip "plugin route: the plugin was not built (configure found no dovecot-dev)"
    continue
  fi
  rm -rf "$H"; mkdir -p "$H"; dc_own
  if [ $route = plugin ]; then
    dc_config 90-unscatter.conf 95-unscatter-imapsieve.conf
  else
    dc_config 90-unscatter-execute.conf 95-unscatter-execute-imapsieve.conf
  fi
  : > "$DC_LOG"; dc_own
  out=$(as_user python3 "$top_srcdir/tests/dovecot/imap-session.py" "$DC_IMAP" "$TMP/dovecot.conf" \
          create:Sent create:Drafts \
          "append:Sent:$S/03-lisbon-booking.eml" \
          "append:INBOX:$S/01-lunch-thursday.eml" "copy:INBOX:Sent" \
          "append:Drafts:$S/02-q1-figures.eml" 2>&1)
  rc=$?
  is "$rc" 0 "$route: IMAP session: every command OK"; [ "$rc" = 0 ] || diag "$out" "$(cat "$DC_LOG")"
  # Run outside a master, imap logs on its standard error.
  if printf '%s\n' "$out" | grep -q "Error\|Fatal\|Panic"; then not_ok "$route: no error in the log"; diag "$out"
  else ok "$route: no error in the log"; fi
  if [ $route = plugin ]; then
    is "$(printf '%s\n' "$out" | grep -c "^imap($DC_USER).*: Info: sieve: unscatter_record: recorded in $REC\$")" 2 "$route: two messages recorded (log)"
  fi
  entries=$(as_user "$INST/bin/unscatter" stats 2>/dev/null | sed -n 's/^entries //p')
  is "$entries" 2 "$route: the record holds the APPEND and the COPY into Sent, not the APPEND to Drafts"

  # Bounces of the three, delivered afterwards through the plugin route.
  if [ -f "$DC_PLUGIN_BUILT" ]; then
    dc_config 90-unscatter.conf
    for c in "dsn/exim-user-unknown.eml legitimate APPEND-to-Sent INBOX" \
             "dsn/postfix-user-unknown.eml legitimate COPY-into-Sent INBOX" \
             "dsn/sendmail-user-unknown.eml backscatter APPEND-to-Drafts Backscatter"; do
      set -- $c
      DC_LOG_FROM=$(wc -l < "$DC_LOG")
      dc_lda "$M/$1" "" "$ME"
      new=$(tail -n +"$((DC_LOG_FROM + 1))" "$DC_LOG")
      if [ "$rc" = 0 ] && printf '%s\n' "$new" | grep -q "Info: sieve: unscatter: verdict=$2 kind=dsn"; then
        ok "$route: bounce of the message of the $3: $2"
      else not_ok "$route: bounce of the message of the $3: $2"; diag "exit $rc" "$new"; fi
      is "$(dc_where "$M/$1")" "$4" "$route: bounce of the $3 stored in $4"
    done
  fi
done
done_testing
