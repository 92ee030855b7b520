#!/usr/bin/env python3
"""bench/per-delivery.py UNSCATTER STARTUP_FLOOR [RUNS] — one process per
message, as at delivery: what `unscatter check` and `unscatter deliver`
cost beyond a process that links the same libraries and only initialises
GMime (bench/startup-floor).

Cases (each run RUNS times, default 200, interleaved round-robin so that a
change of load hits every case alike):
  floor           bench/startup-floor
  check-ordinary  check fixtures/typical/personal-reply-thunderbird.eml
  check-bounce-norec  check fixtures/dsn/postfix-user-unknown.eml, no
                  record (--db names a file that does not exist)
  check-bounce    the same, a record present (a lookup)
  deliver-bounce  deliver --maildir of the same bounce: the lookup, the
                  decision counted, the message filed
  deliver-ordinary deliver --maildir of the ordinary message
Each in a private HOME under DIR (default: a new directory in $TMPDIR; set
USC_PD_DIR to put the record elsewhere, e.g. on the home file system).

Printed per case: the median over the runs of CPU time (user + system,
from wait4's rusage of the child), of user and of system time apart, of
minor page faults, and of wall time, then each minus the floor's; the
least CPU time of the runs minus the floor's least (under load the least
is the steadier figure); the page faults over the floor's; and the load
(`/proc/loadavg`) before and after. The targets (issue 11): CPU within
the floor's + 0.5 ms, page faults within 1.5x the floor's. Figures only:
exit 0."""

import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def spawn(argv, env, stdin_path):
    fin = os.open(stdin_path or os.devnull, os.O_RDONLY)
    fout = os.open(os.devnull, os.O_WRONLY)
    try:
        acts = [(os.POSIX_SPAWN_DUP2, fin, 0), (os.POSIX_SPAWN_DUP2, fout, 1),
                (os.POSIX_SPAWN_DUP2, fout, 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=acts)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(fin)
        os.close(fout)
    return (os.waitstatus_to_exitcode(status), ru.ru_utime * 1e3, ru.ru_stime * 1e3,
            ru.ru_minflt, wall * 1e3)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    usc, floor = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    base = os.environ.get("USC_PD_DIR") or tempfile.mkdtemp(prefix="usc-pd.")
    work = os.path.join(base, "pd")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "LC_ALL": "C.UTF-8",
           "XDG_CONFIG_HOME": os.path.join(work, "config"),
           "XDG_DATA_HOME": os.path.join(work, "data")}
    sent = os.path.join(work, "sent.eml")
    with open(sent, "w") as f:
        f.write("From: me@example.org\nTo: a@example.net\nMessage-ID: <pd.1@example.org>\n"
                "Date: Thu, 03 Dec 2026 10:00:00 +0000\nSubject: hi\n\nhello\n")
    rc = spawn([usc, "record", sent], env, None)[0]
    if rc != 0:
        print("record failed: exit %d" % rc)
        return 1
    bounce = os.path.join(TOP, "fixtures", "dsn", "postfix-user-unknown.eml")
    ham = os.path.join(TOP, "fixtures", "typical", "personal-reply-thunderbird.eml")
    md = os.path.join(work, "Maildir")
    cases = [("floor", [floor], None),
             ("check-ordinary", [usc, "check", ham], None),
             ("check-bounce-norec", [usc, "check", "--db", os.path.join(work, "none.db"), bounce], None),
             ("check-bounce", [usc, "check", bounce], None),
             ("deliver-ordinary", [usc, "deliver", "--maildir", md], ham),
             ("deliver-bounce", [usc, "deliver", "--maildir", md], bounce)]
    res = {name: [] for name, _, _ in cases}
    rcs = {name: set() for name, _, _ in cases}
    load0 = open("/proc/loadavg").read().split()[:3]
    for i in range(runs):
        for name, argv, stdin in cases:
            r = spawn(argv, env, stdin)
            rcs[name].add(r[0])
            res[name].append(r[1:])
        if i % 50 == 49:  # keep the Maildir small
            for sub in ("new", ".Backscatter/new"):
                d = os.path.join(md, sub)
                for n in os.listdir(d) if os.path.isdir(d) else ():
                    os.unlink(os.path.join(d, n))
    load1 = open("/proc/loadavg").read().split()[:3]
    print("runs %d, record in %s, load %s -> %s" % (runs, work, " ".join(load0), " ".join(load1)))
    print("%-17s %7s %7s %7s %6s %7s   %8s %8s %6s %8s %6s" % ("case", "cpu ms", "user", "sys", "faults", "wall",
                                                             "cpu+", "wall+", "flt+", "mincpu+", "flt/f"))
    f = None
    for name, _, _ in cases:
        v = res[name]
        cpu = median([u + s for u, s, _, _ in v])
        usr = median([u for u, _, _, _ in v])
        sy = median([s for _, s, _, _ in v])
        flt = median([x for _, _, x, _ in v])
        wall = median([w for _, _, _, w in v])
        mincpu = min(u + s for u, s, _, _ in v)
        if f is None:
            f = (cpu, flt, wall, mincpu)
        print("%-17s %7.3f %7.3f %7.3f %6d %7.3f   %+8.3f %+8.3f %+6d %+8.3f %5.2fx  exit %s"
              % (name, cpu, usr, sy, flt, wall, cpu - f[0], wall - f[2], flt - f[1], mincpu - f[3],
                 flt / f[1] if f[1] else float("nan"), ",".join(map(str, sorted(rcs[name])))))
    if not os.environ.get("USC_PD_DIR"):
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
