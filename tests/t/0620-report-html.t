#!/bin/sh
# unscatter report --html: the page rendered in headless Chromium (Debian's
# chromium) with networking disabled — a screenshot taken, the page text read
# back through the DOM (--dump-dom) and its numbers compared with the JSON
# report, and Chromium's net log showing that the page made no request. A
# control page that does load two resources proves that the net-log check
# sees page requests. Skipped when chromium or python3 is absent.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/t/deliver.sh"
. "$top_srcdir/tests/t/report.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip_all "chromium not installed (Debian package chromium)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
CHECK="$top_srcdir/tests/report-check.py"
setup_home
M="$TMP/Mail"
fill_record
is "$?" 0 "fixtures delivered"
"$UNSCATTER" report --since 3 --until 2024-03-08 --json > "$TMP/report.json"
is "$?" 0 "report --json: exit 0"
"$UNSCATTER" report --since 3 --until 2024-03-08 --html "$TMP/report.html"
is "$?" 0 "report --html: exit 0"

# browse PAGE NAME ARGS...: run Chromium on file://PAGE with no network (a
# proxy on the discard port, every host name unresolvable, background
# services off), its own profile, a net log in $TMP/NAME.netlog.
browse () {
  _page=$1 _name=$2
  shift 2
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --no-default-browser-check --disable-extensions --disable-sync --disable-default-apps \
    --disable-background-networking --disable-component-update --disable-breakpad \
    --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
    --user-data-dir="$TMP/profile-$_name" --log-net-log="$TMP/$_name.netlog" \
    "$@" "file://$_page" 2>>"$TMP/chromium.err"
}

browse "$TMP/report.html" dom --dump-dom > "$TMP/dom.html"
is "$?" 0 "chromium --dump-dom: exit 0"
case $(cat "$TMP/dom.html") in *'id="n-backscatter"'*) ok "the DOM holds the report" ;; *) not_ok "the DOM holds the report"; sed 's/^/# /' "$TMP/chromium.err" | tail -5 ;; esac
run_rc python3 "$CHECK" dom "$TMP/report.json" "$TMP/dom.html"
is "$rc" 0 "the numbers on the page equal the JSON (totals, days, every top list, kept)"
[ -z "$out" ] || diag "$out"
case $(cat "$TMP/dom.html") in *'&lt;b&gt;evil&lt;/b&gt;&amp;'*) ok "a hostile Reporting-MTA is shown as text" ;; *) not_ok "a hostile Reporting-MTA is shown as text" ;; esac
run_rc python3 "$CHECK" netlog "$TMP/dom.netlog"
is "$rc:$out" "0:" "the page made no request (net log)"

browse "$TMP/report.html" shot --screenshot="$TMP/shot.png" --window-size=1000,2400 --hide-scrollbars
is "$?" 0 "chromium --screenshot: exit 0"
is "$(head -c 8 "$TMP/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "the screenshot is a PNG"
[ "$(wc -c < "$TMP/shot.png" 2>/dev/null || echo 0)" -gt 10000 ] && ok "the screenshot is not blank-small" || not_ok "the screenshot is not blank-small"
run_rc python3 "$CHECK" netlog "$TMP/shot.netlog"
is "$rc:$out" "0:" "the page made no request while rendered for the screenshot"
# Printing: the print style sheet lays the page out without error.
browse "$TMP/report.html" pdf --print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer
is "$(head -c 5 "$TMP/report.pdf" 2>/dev/null)" "%PDF-" "printed to PDF"

# The control: a page that loads an image and a style sheet from the net.
cat > "$TMP/control.html" <<'END'
<!DOCTYPE html><html><head><link rel="stylesheet" href="https://style.example.invalid/a.css"></head>
<body><p>control</p><img src="http://img.example.invalid/x.png" alt=""></body></html>
END
browse "$TMP/control.html" control --dump-dom > /dev/null
run_rc python3 "$CHECK" netlog "$TMP/control.netlog"
is "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" "http://img.example.invalid/x.png https://style.example.invalid/a.css " "control: the net-log check sees a page's requests"
done_testing
