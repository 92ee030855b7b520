#!/usr/bin/env python3
"""tests/report-check.py — helpers of tests/t/0620-report-html.t.

  report-check.py dom REPORT.json DOM.html
      compare the numbers the rendered page shows (Chromium's --dump-dom)
      with the JSON report; print each difference; exit 1 when any.
  report-check.py netlog NETLOG.json
      print the URL of every request the page made (URL_REQUEST_START_JOB
      events whose network isolation key or site-for-cookies is the file://
      page; Chromium's own background requests carry neither); exit 0.
"""
import html.parser
import json
import sys


class Dom(html.parser.HTMLParser):
    """Collects text by element id, the rows of the top tables and of the
    days table, the tags seen and the attributes that name a resource."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.tables = {}       # data-key -> [(count, name)]
        self.days = {}         # day -> backscatter shown
        self.tags = {}
        self.resources = []
        self._stack = []       # (tag, id, classes)
        self._table = None
        self._row = None
        self._cell = None
        self._day = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k in ("src", "href", "srcset", "data", "poster", "background", "action"):
            if k in a and a[k]:
                self.resources.append((tag, k, a[k]))
        if "style" in a and "url(" in a["style"]:
            self.resources.append((tag, "style", a["style"]))
        if tag == "table" and "top" in a.get("class", "").split():
            self._table = a.get("data-key")
            self.tables[self._table] = []
        if tag == "tr":
            self._row = []
            self._day = a.get("data-day")
        if tag == "td":
            self._cell = [a.get("class", ""), ""]
        self._stack.append((tag, a.get("id")))

    def handle_endtag(self, tag):
        while self._stack:
            t, _ = self._stack.pop()
            if t == tag:
                break
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(tuple(self._cell))
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._table and len(self._row) == 2:
                self.tables[self._table].append((int(self._row[0][1]), self._row[1][1]))
            if self._day:
                for cls, text in self._row:
                    if "bs-n" in cls.split():
                        self.days[self._day] = int(text)
            self._row = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        for _, i in self._stack:
            if i:
                self.by_id[i] = self.by_id.get(i, "") + data
        if self._cell is not None:
            self._cell[1] += data


def dom(report_path, dom_path):
    rep = json.load(open(report_path, encoding="utf-8"))
    d = Dom()
    d.feed(open(dom_path, encoding="utf-8").read())
    bad = []

    def same(what, shown, want):
        if shown != want:
            bad.append("%s: page shows %r, JSON says %r" % (what, shown, want))

    for k in ("bounces", "backscatter", "legitimate", "unknown", "not_bounce"):
        same(k, d.by_id.get("n-" + k, "").strip(), str(rep[k]))
    same("kept_total", d.by_id.get("n-kept", "").strip(), str(rep["kept_total"]))
    same("since", d.by_id.get("since", ""), rep["since"])
    same("until", d.by_id.get("until", ""), rep["until"])
    for key in ("top_servers", "top_reporting_mta", "top_mta", "top_countries", "forged_senders",
                "recipients", "kinds", "payloads"):
        if key not in rep:
            same(key + " (absent from JSON)", key in d.tables, False)
            continue
        want = [(x["count"], x["name"]) for x in rep[key]]
        same(key, d.tables.get(key, []), want)
    want_days = {k: v for k, v in rep["per_day"].items()
                 if any(x["day"] == k and x["backscatter"] + x["legitimate"] + x["unknown"] for x in rep["days"])}
    same("per_day", d.days, want_days)
    same("script elements", d.tags.get("script", 0), 0)
    same("resources named", d.resources, [])
    if d.tags.get("svg", 0) < 2:
        bad.append("fewer than 2 SVG charts")
    for b in bad:
        print(b)
    return 1 if bad else 0


def netlog(path):
    text = open(path, encoding="utf-8").read()
    try:
        log = json.loads(text)
    except ValueError:
        # A browser stopped early leaves the event list open.
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    c = log["constants"]
    source = {v: k for k, v in c["logSourceType"].items()}
    event = {v: k for k, v in c["logEventTypes"].items()}
    for e in log.get("events", []):
        if source.get(e["source"]["type"]) != "URL_REQUEST":
            continue
        if event.get(e["type"]) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        if "file://" in p.get("network_isolation_key", "") or "file://" in p.get("site_for_cookies", ""):
            print(p.get("url"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "dom":
        sys.exit(dom(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 3 and sys.argv[1] == "netlog":
        sys.exit(netlog(sys.argv[2]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
