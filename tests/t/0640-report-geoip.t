#!/bin/sh
# unscatter report with a GeoIP database: a hand-written MaxMind DB
# (tests/mmdb-write.py: the fixtures' relay prefixes mapped to countries)
# named by [report] geoip gives the top countries of the first external
# relays, in text, JSON and HTML; a missing database only leaves the column
# out. Skipped when unscatter was built without libmaxminddb.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
. "$top_srcdir/tests/t/report.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
setup_home
M="$TMP/Mail"
python3 "$top_srcdir/tests/mmdb-write.py" "$TMP/country.mmdb" 203.0.113.0/24=FR 198.51.100.0/24=DE 2001:db8::/32=NL \
  || skip_all "could not write the test database"
write_config '[report]' "geoip = $TMP/country.mmdb"
fill_record
run_rc "$UNSCATTER" report --since 3 --until 2024-03-08 --json
case $out in *'"geoip": '*) ;; *) skip_all "unscatter built without libmaxminddb (configure found none)" ;; esac
is "$rc" 0 "report with a GeoIP database: exit 0"
is "$(printf '%s\n' "$out" | grep '"top_countries"')" ' "top_countries": [{"name": "FR", "count": 7}, {"name": "DE", "count": 2}],' "top countries of the first external relays"
run_rc "$UNSCATTER" report --since 3 --until 2024-03-08
case $out in *'Top countries (first external relay)
        7  FR
        2  DE
'*) ok "text: the countries section" ;; *) not_ok "text: the countries section"; diag "$out" ;; esac
"$UNSCATTER" report --since 3 --until 2024-03-08 --html "$TMP/r.html"
case $(cat "$TMP/r.html") in *'data-key="top_countries"><tr><th class="n">count</th><th>name</th></tr><tr><td class="n">7</td><td class="name">FR</td>'*) ok "HTML: the countries table" ;; *) not_ok "HTML: the countries table" ;; esac
# A database that is not there: no column, no error.
write_config '[report]' "geoip = $TMP/absent.mmdb"
run_rc "$UNSCATTER" report --since 3 --until 2024-03-08 --json
is "$rc" 0 "absent database: exit 0"
case $out in *top_countries*|*'"geoip"'*) not_ok "absent database: no countries" ;; *) ok "absent database: no countries" ;; esac
done_testing
