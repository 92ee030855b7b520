# tests/t/report.sh — helpers of the report tests (tests/t/0610-0640), sourced
# after lib.sh and deliver.sh.

# fill_record: deliver fixtures on three days (UNSCATTER_NOW: 2024-03-06,
# -07, -08, UTC) into the Maildir $M with the user's sent mail recorded:
# one genuine bounce, ordinary mail, and backscatter of three kinds (one
# virus notice carrying an executable), one with a hostile Reporting-MTA
# (HTML, an escape sequence, invalid UTF-8).
fill_record () {
  record_sent "$DFIX/sent-original.msg" "$DFIX/sent-other.msg" || return 1
  sed 's/^Reporting-MTA: dns; relay.example.com$/Reporting-MTA: dns; <b>evil<\/b>\&\x1b[31m\xff/' \
    "$DFIX/bounce-forged.msg" > "$TMP/hostile.msg"
  _st=0
  for _m in "1709719200 $DFIX/bounce-genuine.msg" "1709719201 $DFIX/bounce-forged.msg" \
            "1709719202 $DFIX/ham.msg" "1709719203 $FIXTURES/dsn/amazonses-forged.eml" \
            "1709805600 $DFIX/bounce-forged.msg" "1709805601 $FIXTURES/dsn/courier-forged.eml" \
            "1709805602 $FIXTURES/virus/amavis-eicar-forged.eml" \
            "1709805603 $FIXTURES/autoreply/exchange-automatic-reply-forged.eml" \
            "1709805604 $FIXTURES/virus/virus-alert-exe-payload.eml" \
            "1709892000 $DFIX/bounce-forged.msg" "1709892001 $TMP/hostile.msg"; do
    UNSCATTER_NOW=${_m%% *} "$UNSCATTER" deliver --maildir "$M" < "${_m#* }" 2>>"$TMP/deliver.err" || _st=1
  done
  return $_st
}
