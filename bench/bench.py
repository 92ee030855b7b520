#!/usr/bin/env python3
"""bench/bench.py UNSCATTER — the figures `make bench` prints.

  a. batch: `unscatter check --json --jobs 1` over the corpus's bounces,
     over a hard ordinary set (ham_files(): much of it made to look like
     bounces) and over typical ordinary mail (fixtures/typical: personal
     mail, newsletters, list mail, notifications), one process, several
     rounds, beside GMime's bare
     parse of the same files (bench/gmime-floor) and Sisimai
     (libsisimai-perl); `--jobs 2`'s speed-up over the bounces;
  b. one message per process, as at delivery: median / p95 wall and CPU
     time, page faults and peak RSS of `unscatter check` on a typical bounce
     and an ordinary message, beside bench/startup-floor (the same link,
     only g_mime_init);
  d. linearity: generated messages with 0 / 1,000 / 10,000 recipients,
     MIME parts, header fields and body lines (bench/linear.py): 10 times
     the input must cost at most 20 times as much (CPU time; instructions
     by callgrind when valgrind is installed);
  c. the sent-mail record: bytes per sent message, `deliver` and lookup
     times with records of 1,000 and 1,000,000 messages, Maildir import rate;
  e. payloads: for ordinary mail and bounces with attachments, check's time
     and the instructions spent in the payload sniffer (usc_sniff_payload,
     inclusive, by callgrind): none for ordinary mail.

Everything runs in a private temporary directory with its own HOME,
XDG_CONFIG_HOME, XDG_DATA_HOME and UNSCATTER_DB: the user's own record and
configuration are never touched. A part whose peer tool or command is
missing prints "skipped: ..." and the rest goes on. The exit status is 0
whatever the figures are (they are printed, not asserted); 2 only for a
usage error.

Environment: USC_CORPUS (default ../shared/corpus beside the source tree),
BENCH_QUICK=1 (smaller record and fewer runs, for CI), BENCH_RUNS (runs per
timed command, default 200), BENCH_RECORD_N (the big record, default
1000000, 100000 when quick), BENCH_IMPORT_N (Maildir import size, default
20000).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(os.environ.get("BENCH_RUNS", "50" if QUICK else "200"))
RECORD_N = int(os.environ.get("BENCH_RECORD_N", "100000" if QUICK else "1000000"))
IMPORT_N = int(os.environ.get("BENCH_IMPORT_N", "5000" if QUICK else "20000"))

rows = []  # (figure, measured, target, ok) ; ok is True/False/None (no target)


def loadavg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def say(*a):
    print(*a, flush=True)


def row(figure, measured, target="", ok=None):
    rows.append((figure, measured, target, ok))


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def pct(xs, p):
    s = sorted(xs)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def spawn_timed(argv, env, stdin_path=None, stdout_path=os.devnull):
    """Run argv once; returns (exit status, wall seconds, CPU seconds).
    posix_spawn + wait4: the time is what a delivery agent would wait, and
    the CPU time (user + system, from wait4) is this child's alone and, unlike
    the wall time, hardly depends on what else the machine is doing. (Its
    ru_maxrss is NOT usable: see spawn_rss.)"""
    fds = []
    try:
        fin = os.open(stdin_path or os.devnull, os.O_RDONLY)
        fout = os.open(stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        ferr = os.open(os.devnull, os.O_WRONLY)
        fds = [fin, fout, ferr]
        actions = [(os.POSIX_SPAWN_DUP2, fin, 0), (os.POSIX_SPAWN_DUP2, fout, 1),
                   (os.POSIX_SPAWN_DUP2, ferr, 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        t = time.perf_counter() - t0
    finally:
        for fd in fds:
            os.close(fd)
    rc = os.waitstatus_to_exitcode(status)
    global LAST_MINFLT
    LAST_MINFLT = ru.ru_minflt
    return rc, t, ru.ru_utime + ru.ru_stime


LAST_MINFLT = 0  # minor page faults of the last spawn_timed() child


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def spawn_rss(argv, env, stdin_path=None, stdout_path=os.devnull):
    """Peak RSS (KiB) of one run of argv, or None when it cannot be measured.
    Measured by GNU time (package `time`): the rusage of a child that this
    Python process spawns counts Python's own resident set (fork and vfork
    children inherit the parent's high-water mark), so it would be wrong."""
    if TIME is None:
        return None
    fd, out = tempfile.mkstemp(prefix="rss.")
    os.close(fd)
    try:
        rc, _, _ = spawn_timed([TIME, "-f", "%M", "-o", out] + argv, env, stdin_path, stdout_path)
        with open(out) as f:
            last = f.read().strip().splitlines()[-1:]
        return int(last[0]) if last and last[0].isdigit() else None
    except (OSError, ValueError):
        return None
    finally:
        os.unlink(out)


CPU_MS = {}  # id(times list) -> median CPU ms of the same runs
FAULTS = {}  # id(times list) -> median minor page faults of the same runs


def repeat_timed(argv, env, runs, stdin_path=None):
    """Wall times (ms) of @runs runs, peak RSS (MB, max over a few runs, or
    None) and the set of exit statuses. The median CPU time of the same runs
    is kept in CPU_MS[id(times)] (see cpu())."""
    times, cpus, faults, rcs = [], [], [], set()
    for _ in range(runs):
        rc, t, c = spawn_timed(argv, env, stdin_path)
        times.append(t * 1000.0)
        cpus.append(c * 1000.0)
        faults.append(LAST_MINFLT)
        rcs.add(rc)
    CPU_MS[id(times)] = median(cpus)
    FAULTS[id(times)] = median(faults)
    rss = [spawn_rss(argv, env, stdin_path) for _ in range(min(runs, 10))]
    rss = None if None in rss else max(rss) / 1024.0
    return times, rss, rcs


def cpu(times):
    return CPU_MS.get(id(times), float("nan"))


VALGRIND = shutil.which("valgrind")


def instructions(argv, env, stdin_path=None):
    """Instructions executed by one run (valgrind --tool=callgrind), or None.
    Unlike times, this count does not depend on the load of the machine."""
    if VALGRIND is None:
        return None
    fd, out = tempfile.mkstemp(prefix="cg.")
    os.close(fd)
    try:
        fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        p = subprocess.run([VALGRIND, "--tool=callgrind", "--callgrind-out-file=" + out] + argv,
                           env=env, stdin=fin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=120)
        if stdin_path:
            fin.close()
        for line in p.stderr.decode("utf-8", "replace").splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1].strip().replace(",", ""))
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    finally:
        os.unlink(out)
    return None


def minstr(n):
    return "n/a (no valgrind)" if n is None else "%.2f M" % (n / 1e6)


def mb(rss):
    return "n/a (install package time)" if rss is None else "%.1f MB" % rss


def run(argv, env, stdin_path=None, timeout=None):
    fin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        p = subprocess.run(argv, env=env, stdin=fin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    finally:
        if stdin_path:
            fin.close()
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- messages

DAY = 86400


def rfc2822(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))


def sent_message(i, now):
    """A headers-only sent message, as a mail client's Sent folder has it."""
    t = now - DAY - (i * 7919) % (170 * DAY)
    return ("From: Alice Example <alice@example.org>\n"
            "To: Friend %d <friend%d@example.net>\n"
            "Cc: team%d@example.com\n"
            "Subject: bench message %d\n"
            "Date: %s\n"
            "Message-ID: <%d.%08x.bench@mail.example.org>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "\n"
            "Hello %d.\n" % (i % 5000, i % 5000, i % 97, i, rfc2822(t), i,
                              (i * 2654435761) & 0xffffffff, i))


def sent_id(i):
    return "%d.%08x.bench@mail.example.org" % (i, (i * 2654435761) & 0xffffffff)


def write_mbox(path, n, now):
    with open(path, "w", buffering=1 << 20) as f:
        for i in range(n):
            f.write("From alice@example.org Thu Jan  1 00:00:00 2026\n")
            f.write(sent_message(i, now))
            f.write("\n")


def write_maildir(path, n, now):
    for sub in ("tmp", "new", "cur"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    cur = os.path.join(path, "cur")
    for i in range(n):
        with open(os.path.join(cur, "%d.M%dP1.bench:2,S" % (now, i)), "w") as f:
            f.write(sent_message(i, now))


def bounce(orig_id, now, rcpt="friend42@example.net"):
    """A Postfix-style RFC 3464 report returning the headers of @orig_id."""
    return ("Return-Path: <>\n"
            "Delivered-To: alice@example.org\n"
            "Received: by mx.example.org (Postfix) id 4ABC; %(date)s\n"
            "Date: %(date)s\n"
            "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            "To: alice@example.org\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"B0UND.1\"\n"
            "Message-Id: <20260101000000.4ABC@mx.example.net>\n"
            "\n"
            "This is a MIME-encapsulated message.\n"
            "\n"
            "--B0UND.1\n"
            "Content-Description: Notification\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "This is the mail system at host mx.example.net.\n"
            "\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n"
            "\n"
            "<%(rcpt)s>: host mail.example.net[192.0.2.25] said: 550 5.1.1\n"
            "    <%(rcpt)s>: Recipient address rejected: User unknown\n"
            "\n"
            "--B0UND.1\n"
            "Content-Description: Delivery report\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; mx.example.net\n"
            "X-Postfix-Queue-ID: 4ABC\n"
            "X-Postfix-Sender: rfc822; alice@example.org\n"
            "Arrival-Date: %(date)s\n"
            "\n"
            "Final-Recipient: rfc822; %(rcpt)s\n"
            "Original-Recipient: rfc822;%(rcpt)s\n"
            "Action: failed\n"
            "Status: 5.1.1\n"
            "Remote-MTA: dns; mail.example.net\n"
            "Diagnostic-Code: smtp; 550 5.1.1 <%(rcpt)s>: Recipient address\n"
            "    rejected: User unknown\n"
            "\n"
            "--B0UND.1\n"
            "Content-Description: Undelivered Message Headers\n"
            "Content-Type: text/rfc822-headers\n"
            "\n"
            "Return-Path: <alice@example.org>\n"
            "From: Alice Example <alice@example.org>\n"
            "To: <%(rcpt)s>\n"
            "Subject: hello\n"
            "Date: %(date)s\n"
            "Message-ID: <%(id)s>\n"
            "\n"
            "--B0UND.1--\n" % {"date": rfc2822(now - 600), "rcpt": rcpt, "id": orig_id})


# ---------------------------------------------------------------- the parts

def corpus_files():
    corpus = os.environ.get("USC_CORPUS") or os.path.join(TOP, "..", "shared", "corpus")
    d = os.path.join(corpus, "bounces")
    if os.path.isdir(d):
        files = sorted(os.path.join(d, f) for f in os.listdir(d)
                       if os.path.isfile(os.path.join(d, f)))
        if files:
            return "corpus " + os.path.normpath(d), files
    d = os.path.join(TOP, "fixtures", "dsn")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".eml")) \
        if os.path.isdir(d) else []
    return "fixtures/dsn (no corpus)", files


def ham_files():
    """Ordinary mail: Python's email test data (libpython3.x-testsuite, as in
    tests/t/0120-ham.t, without its three genuine bounces), fixtures/ham and
    the held-out ham sets."""
    files, labels = [], []
    try:
        out = subprocess.run(["dpkg", "-L", "libpython3.11-testsuite"], capture_output=True, text=True).stdout
        py = [l for l in out.splitlines() if "/test_email/data/msg_" in l and l.endswith(".txt")]
        py = [f for f in py if os.path.basename(f) not in ("msg_16.txt", "msg_25.txt", "msg_43.txt")]
        if py:
            files += sorted(py)
            labels.append("%d of Python's email test data" % len(py))
    except OSError:
        pass
    own = []
    for root, _, names in os.walk(os.path.join(TOP, "fixtures", "ham")):
        own += [os.path.join(root, n) for n in names if n.endswith(".eml")]
    for root, _, names in os.walk(os.path.join(TOP, "tests", "heldout")):
        if os.path.basename(root) == "ham":
            own += [os.path.join(root, n) for n in names if n.endswith(".eml")]
    if own:
        files += sorted(own)
        labels.append("%d of fixtures/ham and tests/heldout/*/ham" % len(own))
    return ", ".join(labels), files


def typical_files():
    """Ordinary mail as it usually comes (fixtures/typical): the set the
    screen is meant for, beside the hard one of ham_files()."""
    d = os.path.join(TOP, "fixtures", "typical")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".eml")) if os.path.isdir(d) else []
    return "%d of fixtures/typical" % len(files), files


FLOOR_RATE = {}


def batch_set(usc, env, work, name, label, files, with_jobs=False):
    """One batch: unscatter (one process), the GMime floor and Sisimai over
    the same private copy of @files. Returns unscatter's rate."""
    if not files:
        say("skipped: no %s messages" % name)
        return None
    d = os.path.join(work, "batch-" + name)
    os.makedirs(d)
    for i, f in enumerate(files):
        shutil.copyfile(f, os.path.join(d, "%04d.eml" % i))
    names = sorted(os.path.join(d, f) for f in os.listdir(d))
    n = len(names)
    say("input (%s): %d messages from %s" % (name, n, label))

    rounds = max(3, min(50, 20000 // max(1, n)))
    if QUICK:
        rounds = max(2, rounds // 4)
    argv = [usc, "check", "--json", "--jobs", "1"] + names * rounds
    out = os.path.join(work, "batch-%s.jsonl" % name)
    # best of three: the machine may be shared
    best = None
    for _ in range(1 if QUICK else 3):
        rc, t, c = spawn_timed(argv, env, stdout_path=out)
        if best is None or t < best[0]:
            best = (t, c)
    t, c = best
    rss = spawn_rss(argv, env)
    with open(out, "rb") as f:
        lines = f.read().count(b"\n")
    if lines != n * rounds:
        say("note: %d result lines for %d messages (exit %d)" % (lines, n * rounds, rc))
    usc_rate = n * rounds / t
    say("unscatter (%s): %d messages (%d rounds) in %.3f s (CPU %.3f s): %.0f msgs/s (%.0f by CPU), peak RSS %s"
        % (name, n * rounds, rounds, t, c, usc_rate, n * rounds / c if c > 0 else float("nan"),
           mb(None if rss is None else rss / 1024.0)))
    row("batch %s: unscatter" % name, "%.0f msgs/s" % usc_rate)

    floor = os.environ.get("USC_GMIME_FLOOR")
    floor_rate = None
    if floor and os.access(floor, os.X_OK):
        fbest, fcpu = None, None
        for _ in range(1 if QUICK else 3):
            fp = subprocess.run([floor, str(rounds)] + names, capture_output=True, text=True)
            f = fp.stdout.split()
            if fp.returncode == 0 and len(f) >= 2:
                r = int(f[0]) / float(f[1])
                fbest = r if fbest is None else max(fbest, r)
                if len(f) >= 3 and float(f[2]) > 0:
                    rc_ = int(f[0]) / float(f[2])
                    fcpu = rc_ if fcpu is None else max(fcpu, rc_)
        if fbest:
            floor_rate = FLOOR_RATE[name] = fbest
            say("GMime alone (%s: read + parse + free, nothing else): %.0f msgs/s (%s by CPU)"
                % (name, floor_rate, "%.0f" % fcpu if fcpu else "?"))
            row("batch %s: GMime parse alone (floor)" % name, "%.0f msgs/s" % floor_rate)
            target = 0.60 if name == "bounces" else 0.85
            share = usc_rate / floor_rate
            row("batch %s: unscatter / floor, wall" % name, "%.0f%%" % (100 * share),
                ">= %.0f%%" % (100 * target), share >= target)
            if fcpu and c > 0:
                cshare = (n * rounds / c) / fcpu
                row("batch %s: unscatter / floor, CPU" % name, "%.0f%%" % (100 * cshare),
                    ">= %.0f%%" % (100 * target), cshare >= target)
        # by instructions (callgrind): the figure a loaded machine does not
        # change; per message, start-up taken out (all files minus the first)
        if fbest and VALGRIND and not QUICK and len(names) > 1:
            ua = instructions([usc, "check", "--json", "--jobs", "1"] + names, env)
            u1 = instructions([usc, "check", "--json", "--jobs", "1"] + names[:1], env)
            fa = instructions([floor, "1"] + names, env)
            f1 = instructions([floor, "1"] + names[:1], env)
            if None not in (ua, u1, fa, f1) and ua > u1:
                per_u, per_f = (ua - u1) / (n - 1.0), (fa - f1) / (n - 1.0)
                ishare = per_f / per_u
                say("instructions per message (%s, callgrind, start-up excluded): unscatter %.0f, GMime alone %.0f"
                    % (name, per_u, per_f))
                row("batch %s: instructions/msg" % name, "%.2f M" % (per_u / 1e6))
                row("batch %s: floor instructions/msg" % name, "%.2f M" % (per_f / 1e6))
                row("batch %s: unscatter / floor, instr." % name, "%.0f%%" % (100 * ishare),
                    ">= %.0f%%" % (100 * target), ishare >= target)
    else:
        say("skipped: the GMime floor (make bench builds bench/gmime-floor)")

    if with_jobs:
        ncpu = os.cpu_count() or 1
        argv2 = [usc, "check", "--json", "--jobs", "2"] + names * rounds
        out2 = os.path.join(work, "batch-%s.j2.jsonl" % name)
        load0 = loadavg()
        best2, cpu2 = None, None
        for _ in range(1 if QUICK else 3):
            rc2, t2, c2 = spawn_timed(argv2, env, stdout_path=out2)
            if best2 is None or t2 < best2:
                best2, cpu2 = t2, c2
        load1 = loadavg()
        same = open(out, "rb").read() == open(out2, "rb").read()
        speed = t / best2
        # what sharing the work costs, whatever the load: processor time of
        # --jobs 2 (workers and parent) against --jobs 1's
        cratio = cpu2 / c if c > 0 and cpu2 else float("nan")
        say("check --jobs 2 (%s): %.3f s wall, %.2fx the --jobs 1 rate on %d CPUs, under a load of %s-%s "
            "(the wall figure means something only on idle CPUs); CPU %.3f s = %.2fx --jobs 1's; output %s"
            % (name, best2, speed, ncpu, load0, load1, cpu2 or float("nan"), cratio,
               "byte-identical" if same else "DIFFERENT"))
        row("batch %s: --jobs 2 speed-up (wall)" % name, "%.2fx at load %s" % (speed, load1),
            ">= 1.8x (2 idle CPUs)", speed >= 1.8 if ncpu >= 2 else None)
        row("batch %s: --jobs 2 / --jobs 1, CPU" % name, "%.2f" % cratio, "<= 1.11 (1.8x)",
            cratio <= 2 / 1.8 if cratio == cratio else None)
        row("batch %s: --jobs 2 output = --jobs 1" % name, "yes" if same else "NO", "identical", same)

    if shutil.which("perl") is None:
        say("skipped: Sisimai (no perl)")
        return usc_rate
    probe = subprocess.run(["perl", "-MSisimai", "-e", "1"], capture_output=True)
    if probe.returncode != 0:
        say("skipped: Sisimai (perl module not installed: apt-get install libsisimai-perl)")
        row("batch %s vs Sisimai" % name, "skipped", "", None)
        return usc_rate
    srounds = 2 if QUICK else 3
    p = subprocess.run(["perl", os.path.join(HERE, "sisimai.pl"), d, str(srounds)],
                       capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        say("skipped: Sisimai failed: %s" % p.stderr.strip()[:200])
        return usc_rate
    msgs, secs, scpu, found, ver = p.stdout.split()
    s_rate = int(msgs) / float(secs)
    say("Sisimai %s (%s): %s messages (%d rounds, in one perl process, module load not counted)"
        " in %.3f s (CPU %.3f s): %.0f msgs/s (%s results)"
        % (ver, name, msgs, srounds, float(secs), float(scpu), s_rate, found))
    ratio = usc_rate / s_rate
    cratio = (float(scpu) / int(msgs)) / (c / (n * rounds)) if c > 0 and float(scpu) > 0 else float("nan")
    say("ratio (%s): %.1fx by wall time, %.1fx by CPU time" % (name, ratio, cratio))
    row("batch %s: Sisimai %s" % (name, ver), "%.0f msgs/s" % s_rate)
    row("batch %s: unscatter vs Sisimai" % name, "%.1fx" % ratio, ">= 30x" if name == "bounces" else "",
        ratio >= 30 if name == "bounces" else None)
    if floor_rate:
        row("batch %s: GMime parse alone vs Sisimai" % name, "%.1fx" % (floor_rate / s_rate))
    return usc_rate


def bench_batch(usc, env, work):
    say("== a. batch: unscatter check --json (one process) vs the GMime floor and Sisimai")
    label, files = corpus_files()
    batch_set(usc, env, work, "bounces", label, files, with_jobs=True)
    label, files = ham_files()
    batch_set(usc, env, work, "ordinary", label, files)
    label, files = typical_files()
    batch_set(usc, env, work, "typical", label, files)


def pick_typical(work, now):
    """A typical bounce: a Postfix one from fixtures/ or the corpus, else ours."""
    for cand in (os.path.join(TOP, "fixtures", "dsn", "postfix-user-unknown.eml"),):
        if os.path.isfile(cand):
            return cand
    p = os.path.join(work, "typical.eml")
    with open(p, "w") as f:
        f.write(bounce("20260101.1@mail.example.org", now))
    return p


def bench_single(usc, env, work, now):
    say("== b. one message per process: unscatter check, beside the start-up floor")
    msg = pick_typical(work, now)
    say("message: %s (%d bytes), %d runs" % (os.path.relpath(msg, TOP) if msg.startswith(TOP) else msg,
                                             os.path.getsize(msg), RUNS))
    floor = os.environ.get("USC_STARTUP_FLOOR")
    fl = None
    if floor and os.access(floor, os.X_OK):
        ftimes, _, _ = repeat_timed([floor], env, RUNS)
        fl = (median(ftimes), cpu(ftimes), FAULTS[id(ftimes)])
        say("start-up floor (same link, only g_mime_init): median %.2f ms (CPU %.2f ms), %d page faults"
            % fl)
        row("start-up floor: median", "%.2f ms" % fl[0])
        row("start-up floor: median CPU", "%.2f ms" % fl[1])
        row("start-up floor: page faults", "%d" % fl[2])
    else:
        say("skipped: the start-up floor (make bench builds bench/startup-floor)")
    ham = os.path.join(TOP, "fixtures", "ham", "reply-in-reply-to.eml")
    cases = [([usc, "check", msg], "bounce, file argument", None), ([usc, "check"], "bounce, stdin", msg)]
    if os.path.isfile(ham):
        cases.append(([usc, "check", ham], "ordinary mail", None))
    for argv, how, stdin in cases:
        times, rss, rcs = repeat_timed(argv, env, RUNS, stdin_path=stdin)
        med, p95, flt = median(times), pct(times, 95), FAULTS[id(times)]
        say("check (%s): median %.2f ms (CPU %.2f ms), p95 %.2f ms, %d page faults, peak RSS %s, exit %s"
            % (how, med, cpu(times), p95, flt, mb(rss), ",".join(map(str, sorted(rcs)))))
        if how == "bounce, stdin":
            continue
        tag = "check %s" % ("bounce" if how.startswith("bounce") else "ordinary")
        row("%s, 1 msg/process: median" % tag, "%.2f ms" % med, "<= 5 ms", med <= 5)
        row("%s, 1 msg/process: median CPU" % tag, "%.2f ms" % cpu(times))
        if fl:
            row("%s: CPU over the floor" % tag, "+%.2f ms" % (cpu(times) - fl[1]), "<= +0.5 ms",
                cpu(times) - fl[1] <= 0.5)
            row("%s: page faults / floor's" % tag, "%d / %d = %.2fx" % (flt, fl[2], flt / max(1, fl[2])),
                "<= 1.5x", flt <= 1.5 * fl[2])
        if how.startswith("bounce"):
            row("check, 1 msg/process: p95", "%.2f ms" % p95)
            n = instructions(argv, env)
            ver = instructions([floor], env) if fl else instructions([usc, "--version"], env)
            say("check: %s instructions (callgrind), the start-up floor %s"
                % (minstr(n), minstr(ver)))
            row("check, 1 msg/process: instructions", minstr(n))
            if fl:
                row("start-up floor: instructions", minstr(ver))
            row("check, 1 msg/process: peak RSS", mb(rss), "<= 16 MB", None if rss is None else rss <= 16)


def bench_linear(usc, env, work):
    say("== d. linearity: 1,000 vs 10,000 recipients, parts, header fields, lines")
    sys.path.insert(0, HERE)
    import linear
    conf = os.path.join(work, "linear.conf")
    with open(conf, "w") as f:
        f.write(linear.CONFIG)
    sizes = (1000, 10000)
    for kind in linear.KINDS:
        res = {}
        for n in (0,) + sizes:
            p = os.path.join(work, "linear-%s-%d.eml" % (kind, n))
            with open(p, "w") as f:
                f.write(linear.GEN[kind](n))
            argv = [usc, "check", "--config", conf, p]
            cpus = []
            for _ in range(3 if QUICK else 5):
                _, _, c = spawn_timed(argv, env)
                cpus.append(c * 1000.0)
            res[n] = (min(cpus), instructions(argv, env) if not QUICK or n <= 1000 else None)
        base = res[0][0]
        a, b = res[1000][0] - base, res[10000][0] - base
        ok = b <= 2 * 10 * max(a, 0.05)
        say("%-10s 0: %.1f ms, 1,000: %.1f ms, 10,000: %.1f ms CPU (10,000 = %.1fx the 1,000 case, over the 0 case)"
            % (kind, res[0][0], res[1000][0], res[10000][0], b / a if a > 0 else float("nan")))
        row("linear in %s (time)" % kind, "%.1fx for 10x" % (b / a if a > 0 else float("nan")), "<= 20x", ok)
        i0, i1, i2 = res[0][1], res[1000][1], res[10000][1]
        if None not in (i0, i1, i2):
            r = (i2 - i0) / float(i1 - i0)
            say("%-10s instructions: %s / %s / %s (%.1fx for 10x)" % (kind, minstr(i0), minstr(i1), minstr(i2), r))
            row("linear in %s (instructions)" % kind, "%.1fx for 10x" % r, "<= 20x", r <= 20)


def record_works(usc, env, work, now):
    p = os.path.join(work, "probe.eml")
    with open(p, "w") as f:
        f.write(sent_message(0, now))
    db = os.path.join(work, "probe.db")
    rc, _, err = run([usc, "record", "--db", db, p], env)
    return rc == 0 and os.path.exists(db), err.strip()


def db_bytes(db):
    return sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))


def build_record(usc, env, work, n, now, name):
    mbox = os.path.join(work, name + ".mbox")
    db = os.path.join(work, name + ".db")
    t0 = time.perf_counter()
    write_mbox(mbox, n, now)
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    rc, _, err = run([usc, "record", "--db", db, "--mbox", mbox], env)
    t = time.perf_counter() - t0
    os.unlink(mbox)
    if rc != 0:
        say("record --mbox of %d messages failed (exit %d): %s" % (n, rc, err.strip()[:300]))
        return None, t
    say("record of %d: mbox written in %.1f s, imported in %.1f s (%.0f msgs/s), %d bytes"
        % (n, gen, t, n / t, db_bytes(db)))
    return db, t


def bench_record(usc, env, work, now):
    say("== c. the sent-mail record")
    ok, err = record_works(usc, env, work, now)
    if not ok:
        say("skipped: `unscatter record` does not work yet (%s)" % (err[:200] or "no record written"))
        row("record: bytes per message", "skipped", "<= 200", None)
        return

    small, _ = build_record(usc, env, work, 1000, now, "r1k")
    big, _ = build_record(usc, env, work, RECORD_N, now, "rbig")
    if small is None or big is None:
        row("record: bytes per message", "failed", "<= 200", False)
        return
    per = db_bytes(big) / float(RECORD_N)
    say("record bytes per message at %d: %.0f" % (RECORD_N, per))
    row("record bytes/message (%d)" % RECORD_N, "%.0f B" % per, "<= 200 B", per <= 200)

    # A bounce of a message in the record (legitimate) and of one that is not
    # (backscatter); IDs near the end of the import, the recipient unmailed.
    hit = os.path.join(work, "hit.eml")
    miss = os.path.join(work, "miss.eml")
    with open(hit, "w") as f:
        f.write(bounce(sent_id(999), now, rcpt="nobody1@example.net"))
    with open(miss, "w") as f:
        f.write(bounce("never.sent.%d@mail.example.org" % now, now, rcpt="nobody2@example.net"))

    lookups = {}
    for label, db in (("1e3", small), (("%.0e" % RECORD_N).replace("+0", "").replace("+", ""), big)):
        for kind, msg in (("found", hit), ("not found", miss)):
            rc, out, _ = run([usc, "check", "--db", db, msg], env)
            times, rss, rcs = repeat_timed([usc, "check", "--db", db, msg], env, RUNS)
            med = median(times)
            lookups[(label, kind)] = med
            say("check with record %s, ID %s: median %.2f ms (CPU %.2f ms), p95 %.2f ms, peak RSS %s: %s"
                % (label, kind, med, cpu(times), pct(times, 95), mb(rss), out.strip().split(": ", 1)[-1]))
    labels = sorted({k[0] for k in lookups}, key=lambda s: float(s))
    lo, hi = labels[0], labels[-1]
    for kind in ("found", "not found"):
        a, b = lookups[(lo, kind)], lookups[(hi, kind)]
        flat = b <= a * 1.5 + 0.5
        row("lookup (%s) %s -> %s" % (kind, lo, hi), "%.2f -> %.2f ms" % (a, b), "flat", flat)

    n1 = instructions([usc, "check", "--db", small, hit], env)
    n2 = instructions([usc, "check", "--db", big, hit], env)
    if n1 is not None and n2 is not None:
        say("check with record 1e3 / %d, ID found: %s / %s instructions" % (RECORD_N, minstr(n1), minstr(n2)))
        row("lookup instructions 1e3 -> %d" % RECORD_N, "%s -> %s" % (minstr(n1), minstr(n2)), "flat",
            n2 <= n1 * 1.2)

    # deliver with the big record: one process per message, into a Maildir.
    md = os.path.join(work, "Maildir")
    times, rss, rcs = repeat_timed([usc, "deliver", "--db", big, "--maildir", md], env, RUNS, stdin_path=miss)
    med = median(times)
    delivered = sum(len(os.listdir(os.path.join(md, s))) for s in ("new",) if os.path.isdir(os.path.join(md, s)))
    filed = 0
    for sub in (".Backscatter/new",):
        p = os.path.join(md, sub)
        if os.path.isdir(p):
            filed += len(os.listdir(p))
    say("deliver --maildir with record %d: median %.2f ms (CPU %.2f ms), p95 %.2f ms, peak RSS %s, exit %s;"
        " %d in new/, %d in .Backscatter/new/"
        % (RECORD_N, med, cpu(times), pct(times, 95), mb(rss), ",".join(map(str, sorted(rcs))), delivered, filed))
    if rcs == {0}:
        row("deliver, record %d: median" % RECORD_N, "%.2f ms" % med, "<= 5 ms", med <= 5)
        row("deliver, record %d: median CPU" % RECORD_N, "%.2f ms" % cpu(times))
        row("deliver, record %d: peak RSS" % RECORD_N, mb(rss), "<= 16 MB",
            None if rss is None else rss <= 16)
    else:
        _, _, err = run([usc, "deliver", "--db", big, "--maildir", md], env, stdin_path=miss)
        say("deliver failed: %s" % (err.strip()[:300] or "no message"))
        row("deliver, record %d: median" % RECORD_N, "exit %s" % sorted(rcs), "<= 5 ms", False)

    # Import from a Maildir.
    sent = os.path.join(work, "Sent")
    write_maildir(sent, IMPORT_N, now)
    db = os.path.join(work, "import.db")
    t0 = time.perf_counter()
    rc, _, err = run([usc, "record", "--db", db, "--maildir", sent], env)
    t = time.perf_counter() - t0
    if rc != 0:
        say("record --maildir failed (exit %d): %s" % (rc, err.strip()[:300]))
        row("import from Maildir", "failed", ">= 5000 msgs/s", False)
    else:
        rate = IMPORT_N / t
        say("record --maildir of %d messages: %.2f s, %.0f msgs/s" % (IMPORT_N, t, rate))
        row("import from Maildir (%d)" % IMPORT_N, "%.0f msgs/s" % rate, ">= 5000 msgs/s", rate >= 5000)
        t0 = time.perf_counter()
        rc, _, _ = run([usc, "record", "--db", db, "--maildir", sent], env)
        t = time.perf_counter() - t0
        say("the same Maildir again (nothing new): %.2f s, exit %d" % (t, rc))


def sniff_instructions(argv, env):
    """(total instructions, instructions inside usc_sniff_payload inclusive)
    of one run (callgrind + callgrind_annotate), or None."""
    annotate = shutil.which("callgrind_annotate")
    if VALGRIND is None or annotate is None:
        return None
    fd, out = tempfile.mkstemp(prefix="cg.")
    os.close(fd)
    try:
        subprocess.run([VALGRIND, "--tool=callgrind", "--callgrind-out-file=" + out] + argv, env=env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=300)
        p = subprocess.run([annotate, "--inclusive=yes", "--threshold=100", out], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=120)
        total, sniff = None, 0
        for line in p.stdout.decode("utf-8", "replace").splitlines():
            f = line.split()
            if not f or not f[0].replace(",", "").isdigit():
                continue
            n = int(f[0].replace(",", ""))
            if "PROGRAM TOTALS" in line:
                total = n
            elif line.rstrip().endswith(":usc_sniff_payload [" + argv[0] + "]") or ":usc_sniff_payload " in line:
                sniff = max(sniff, n)
        return None if total is None else (total, sniff)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    finally:
        os.unlink(out)


def bench_payload(usc, env, work):
    """e. payloads (issue 12 section 1): what sniffing the parts costs. An
    ordinary message never reaches the sniffer (its parts are set aside and
    dropped when the message is no bounce); a bounce pays for its parts."""
    say("== e. payloads: the sniffer's share of check, ordinary mail and bounces with attachments")
    cases = [("ordinary mail with a PDF", os.path.join(TOP, "fixtures", "ham", "pdf-attachment.eml")),
             ("ordinary mail, text", os.path.join(TOP, "fixtures", "ham", "reply-in-reply-to.eml")),
             ("bounce, no attachment", os.path.join(TOP, "fixtures", "dsn", "postfix-user-unknown.eml")),
             ("bounce returning a PDF", os.path.join(TOP, "fixtures", "payload", "own-pdf-legit.eml")),
             ("bounce returning an .xlsx", os.path.join(TOP, "fixtures", "payload", "own-spreadsheet-legit.eml")),
             ("bounce, zip holding an .exe", os.path.join(TOP, "fixtures", "payload", "zip-exe-forged.eml")),
             ("bounce, ISO image (43 KB)", os.path.join(TOP, "fixtures", "payload", "iso-no-evidence.eml")),
             ("bounce, binary message/rfc822", os.path.join(TOP, "fixtures", "payload", "binary-rfc822-forged.eml"))]
    runs = max(10, RUNS // 4)
    for label, path in cases:
        if not os.path.isfile(path):
            say("skipped: %s (%s missing)" % (label, path))
            continue
        argv = [usc, "check", path]
        times, _, _ = repeat_timed(argv, env, runs)
        ins = sniff_instructions(argv, env)
        if ins is None:
            share = "n/a (no valgrind)"
        else:
            share = "%s of %s instr. (%.2f%%)" % (minstr(ins[1]), minstr(ins[0]), 100.0 * ins[1] / max(1, ins[0]))
        say("%-32s median %.2f ms (CPU %.2f ms); in the sniffer: %s" % (label + ":", median(times), cpu(times), share))
        if label.startswith("ordinary"):
            row("payload sniffing, %s" % label, "n/a" if ins is None else minstr(ins[1]), "0 (none)",
                None if ins is None else ins[1] == 0)
        elif ins is not None and label != "bounce, no attachment":
            row("payload sniffing, %s" % label.replace("bounce, ", "").replace("bounce ", ""), "%s (%.1f%%)" % (minstr(ins[1]), 100.0 * ins[1] / max(1, ins[0])))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: bench.py /abs/path/to/unscatter\n")
        return 2
    usc = os.path.abspath(sys.argv[1])
    if not os.access(usc, os.X_OK):
        say("skipped: %s is not an executable" % usc)
        return 0
    work = tempfile.mkdtemp(prefix="unscatter-bench.")
    env = dict(os.environ)
    for k in ("ORIGINAL_RECIPIENT", "ORIG_RECIPIENT", "RECIPIENT", "SENDER", "UNSCATTER_NOW"):
        env.pop(k, None)
    env.update({"HOME": work, "XDG_CONFIG_HOME": os.path.join(work, "config"),
                "XDG_DATA_HOME": os.path.join(work, "data"),
                "UNSCATTER_DB": os.path.join(work, "data", "none.db"), "LC_ALL": "C.UTF-8"})
    now = int(time.time())
    say("unscatter bench: %s%s, %s, %d runs per timed command"
        % (usc, " (BENCH_QUICK)" if QUICK else "", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), RUNS))
    try:
        load = open("/proc/loadavg").read().split()[0]
        say("machine: %d CPUs, load %s" % (os.cpu_count() or 0, load))
    except OSError:
        pass
    try:
        for part in (lambda: bench_batch(usc, env, work),
                     lambda: bench_single(usc, env, work, now),
                     lambda: bench_linear(usc, env, work),
                     lambda: bench_record(usc, env, work, now),
                     lambda: bench_payload(usc, env, work)):
            try:
                part()
            except Exception as e:  # a broken part must not hide the others
                say("skipped: %s: %s" % (type(e).__name__, e))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    say("")
    say("%-40s %-22s %-16s %s" % ("figure", "measured", "target", "ok"))
    say("%-40s %-22s %-16s %s" % ("-" * 40, "-" * 22, "-" * 16, "----"))
    for fig, meas, tgt, ok in rows:
        say("%-40s %-22s %-16s %s" % (fig, meas, tgt, "" if ok is None else ("ok" if ok else "MISS")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
