#!/usr/bin/python3
"""bench/peers.py UNSCATTER — `make bench-peers`: unscatter beside its peers
on the same files in one run.

Peers: Sisimai (libsisimai-perl), Mail::DeliveryStatus::BounceParser
(libmail-deliverystatus-bounceparser-perl), flufl.bounce
(python3-flufl.bounce, in this process: run with Debian's /usr/bin/python3)
and SpamAssassin's VBounce rules alone (spamassassin; a minimal config that
loads only the VBounce plugin and 20_vbounce.cf, whitelist_bounce_relays
naming the test relay). A missing peer is reported and left out; nothing is
installed.

Sets: the shared corpus (USC_CORPUS, truth.jsonl) when present; the
project's bounce fixtures (fixtures/*/*.eml whose .expect says a kind other
than not-bounce); ham: fixtures/ham/*.eml and Python's email test data
(libpython3.11-testsuite) without its three genuine bounces (as
tests/t/0120-ham.t).

Per tool and set: bounces recognised, original Message-ID found (the
expected one, where the tool reports one), ham taken for a bounce, messages
per second in one process (the tool's parsing loop), and the median wall time
of one process per message (start-up included) over PEERS_SINGLE (default
20) files. Prints a Markdown table.
"""
import glob, json, os, statistics, subprocess, sys, tempfile, time, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SINGLE = int(os.environ.get("PEERS_SINGLE", "20"))
RELAY = "mail.example.org"   # the fixtures' own outgoing relay


def expect(path):
    e = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if ":" in line and not line.startswith("#"):
                    k, v = line.split(":", 1)
                    e[k.strip()] = v.strip()
    except OSError:
        pass
    return e


def sets():
    out = {}
    corpus = os.environ.get("USC_CORPUS") or os.path.join(TOP, "..", "shared", "corpus")
    truth = os.path.join(corpus, "truth.jsonl")
    if os.path.exists(truth):
        items = []
        with open(truth) as f:
            for line in f:
                t = json.loads(line)
                p = os.path.join(corpus, "bounces", t["file"])
                if os.path.exists(p):
                    items.append((p, t.get("kind") != "not-bounce", t.get("primary_id")))
        out["corpus"] = items
    else:
        print("corpus: %s not found: left out" % truth, file=sys.stderr)
    fx = []
    for p in sorted(glob.glob(os.path.join(TOP, "fixtures", "*", "*.eml"))):
        if "/ham/" in p:
            continue
        e = expect(p[:-4] + ".expect")
        if e.get("kind") and e["kind"] != "not-bounce":
            fx.append((p, True, e.get("message_id") or None))
    out["fixtures"] = fx
    ham = [(p, False, None) for p in sorted(glob.glob(os.path.join(TOP, "fixtures", "ham", "*.eml")))]
    r = subprocess.run(["dpkg", "-L", "libpython3.11-testsuite"], capture_output=True, text=True)
    py = [l for l in r.stdout.splitlines() if "/test_email/data/msg_" in l and l.endswith(".txt")]
    if not py:
        print("ham: libpython3.11-testsuite not installed: Python's email test data left out", file=sys.stderr)
    ham += [(p, False, None) for p in sorted(py)
            if os.path.basename(p) not in ("msg_16.txt", "msg_25.txt", "msg_43.txt")]
    out["ham"] = ham
    return out


def sa_dir(tmp):
    d = os.path.join(tmp, "sa")
    os.makedirs(d)
    shutil.copy("/usr/share/spamassassin/20_vbounce.cf", d)
    with open(os.path.join(d, "local.cf"), "w") as f:
        # the TLD list SpamAssassin refuses to start without (sa-update's
        # 20_aux_tlds.cf is not installed by the package) and the test relay
        f.write("util_rb_tld com net org edu gov mil int info biz example invalid test jp de uk fr ru cn br nl it es ca au cz pl se ch at be dk no fi hu gr\n"
                "util_rb_2tld co.uk co.jp ne.jp or.jp ac.uk com.au com.br\n"
                "whitelist_bounce_relays %s\n" % RELAY)
    return d


def tools(usc, tmp):
    t = {}
    t["unscatter"] = ("unscatter", lambda files: run_usc(usc, files))
    have_perl = lambda mod: subprocess.run(["perl", "-M" + mod, "-e1"], capture_output=True).returncode == 0
    for name, mod, pkg in (("sisimai", "Sisimai", "libsisimai-perl"),
                           ("bounceparser", "Mail::DeliveryStatus::BounceParser", "libmail-deliverystatus-bounceparser-perl"),
                           ("vbounce", "Mail::SpamAssassin", "spamassassin")):
        if not have_perl(mod) or (name == "vbounce" and not os.path.exists("/usr/share/spamassassin/20_vbounce.cf")):
            print("%s: missing (Debian: apt-get install %s): left out" % (name, pkg), file=sys.stderr)
            continue
        extra = [sa_dir(tmp)] if name == "vbounce" else []
        t[name] = (name, (lambda n, x: lambda files: run_perl(n, x, files))(name, extra))
    try:
        import flufl.bounce  # noqa
        t["flufl.bounce"] = ("flufl.bounce", run_flufl)
    except ImportError:
        print("flufl.bounce: missing (Debian: apt-get install python3-flufl.bounce; run with /usr/bin/python3): left out", file=sys.stderr)
    return t


def run_usc(usc, files):
    t0 = time.perf_counter()
    r = subprocess.run([usc, "check", "--json"] + files, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    res = {}
    for line in r.stdout.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        ids = (j.get("original") or {}).get("message_ids") or []
        res[j["file"]] = (j.get("kind") != "not-bounce", ids[0] if ids else None)
    return res, dt


def run_perl(name, extra, files):
    r = subprocess.run(["perl", os.path.join(HERE, "peers.pl"), name] + extra,
                       input="\n".join(files) + "\n", capture_output=True, text=True)
    res, dt = {}, None
    for line in r.stdout.splitlines():
        if line.startswith("#time "):
            dt = float(line.split()[1])
            continue
        f, b, i = line.split("\t")
        res[f] = (b == "1", None if i == "-" else i)
    if r.returncode != 0:
        print("%s: exit %d: %s" % (name, r.returncode, r.stderr[-300:]), file=sys.stderr)
    return res, dt


def run_flufl(files):
    import email
    import logging
    from flufl.bounce import scan_message
    logging.disable(logging.CRITICAL)   # its detectors log their own exceptions
    res = {}
    t0 = time.perf_counter()
    for f in files:
        with open(f, "rb") as h:
            m = email.message_from_binary_file(h)
        try:
            b = bool(scan_message(m))
        except Exception:
            b = False
        res[f] = (b, None)
    return res, time.perf_counter() - t0


def single_argv(name, usc, f, tmp):
    if name == "unscatter":
        return [usc, "check", f]
    if name == "flufl.bounce":
        return ["/usr/bin/python3", "-c", "import sys,email; from flufl.bounce import scan_message; "
                "print(bool(scan_message(email.message_from_binary_file(open(sys.argv[1],'rb')))))", f]
    extra = [os.path.join(tmp, "sa")] if name == "vbounce" else []
    return ["sh", "-c", 'echo "$1" | perl "$0" "$2" $3', os.path.join(HERE, "peers.pl"), f, name] + extra


def main():
    if len(sys.argv) != 2:
        print("usage: peers.py /abs/path/to/unscatter", file=sys.stderr)
        return 2
    usc = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="usc-peers.")
    env_home = os.path.join(tmp, "home")
    os.makedirs(env_home)
    os.environ.update(HOME=env_home, XDG_CONFIG_HOME=env_home + "/.config", XDG_DATA_HOME=env_home + "/.local/share",
                      UNSCATTER_DB=os.path.join(tmp, "record.db"))
    try:
        S = sets()
        T = tools(usc, tmp)
        print("| tool | set | messages | bounces recognised | Message-ID found | ham taken for a bounce | msg/s (batch) | ms/msg (one process each, median) |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, (label, fn) in T.items():
            for sname, items in S.items():
                if not items:
                    continue
                files = [p for p, _, _ in items]
                res, dt = fn(files)
                n = len(items)
                if sname == "ham":
                    fp = sum(1 for p, _, _ in items if res.get(p, (False, None))[0])
                    rec = idf = "—"
                    fps = "%d / %d" % (fp, n)
                else:
                    r_ = sum(1 for p, _, _ in items if res.get(p, (False, None))[0])
                    want = [(p, i) for p, _, i in items if i]
                    got = sum(1 for p, i in want if (res.get(p, (False, None))[1] or "").lower() == i.lower())
                    rec = "%d / %d" % (r_, n)
                    idf = ("%d / %d" % (got, len(want))) if name in ("unscatter", "sisimai", "bounceparser") else "n/a"
                    fps = "—"
                rate = ("%.0f" % (n / dt)) if dt else "?"
                walls = []
                for f in files[:SINGLE]:
                    t0 = time.perf_counter()
                    subprocess.run(single_argv(name, usc, f, tmp), capture_output=True)
                    walls.append(time.perf_counter() - t0)
                print("| %s | %s | %d | %s | %s | %s | %s | %.1f |" % (label, sname, n, rec, idf, fps, rate,
                                                                   1000 * statistics.median(walls)), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
