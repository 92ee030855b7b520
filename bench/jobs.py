#!/usr/bin/env python3
"""bench/jobs.py UNSCATTER [ROUNDS] [RUNS] — what `check --jobs 2` gives over
`check --jobs 1` on the same batch: the corpus's bounces (../shared/corpus/
bounces, or fixtures/ when there is no corpus) repeated ROUNDS times
(default 10), each mode run RUNS times (default 5), the two modes in turn so
that a change of load hits both alike.

Printed: per mode the wall time (least and median), the processor time of
the whole run (user + system of the process and its workers, from wait4's
rusage; median and least), and the voluntary and involuntary context
switches (median); then the wall speed-up (least against least, median
against median), the processor time of --jobs 2 over --jobs 1's (what
sharing the work costs: at 1.11 or more, 1.8x on two cores cannot be
reached), whether the two outputs are byte-identical, and the load average
before and after. The wall speed-up means something only on idle CPUs (the
target of issue 11: 1.8x on two cores); the processor time and the context
switches do not depend on the load as much. Figures only: exit 0 (1 when the
outputs differ)."""

import glob
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def inputs():
    corpus = os.path.join(os.path.dirname(TOP), "shared", "corpus", "bounces")
    files = sorted(glob.glob(os.path.join(corpus, "*")))
    if not files:
        files = sorted(glob.glob(os.path.join(TOP, "fixtures", "*", "*.eml")))
    return files


def run(argv, env, out_path):
    fout = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fnull = os.open(os.devnull, os.O_WRONLY)
    try:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env,
                             file_actions=[(os.POSIX_SPAWN_DUP2, fout, 1), (os.POSIX_SPAWN_DUP2, fnull, 2)])
        _, _, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(fout)
        os.close(fnull)
    # wait4's rusage counts the workers too: the process waited for them
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_nvcsw, ru.ru_nivcsw


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    usc = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    files = inputs()
    if not files:
        print("no input messages")
        return 0
    work = tempfile.mkdtemp(prefix="usc-jobs.")
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "LC_ALL": "C.UTF-8",
           "XDG_CONFIG_HOME": os.path.join(work, "config"), "XDG_DATA_HOME": os.path.join(work, "data"),
           "UNSCATTER_DB": os.path.join(work, "none.db")}
    res = {1: [], 2: []}
    load0 = open("/proc/loadavg").read().split()[:3]
    for _ in range(runs):
        for j in (1, 2):
            argv = [usc, "check", "--json", "--jobs", str(j)] + files * rounds
            res[j].append(run(argv, env, os.path.join(work, "out%d" % j)))
    load1 = open("/proc/loadavg").read().split()[:3]
    with open(os.path.join(work, "out1"), "rb") as a, open(os.path.join(work, "out2"), "rb") as b:
        same = a.read() == b.read()
    shutil.rmtree(work, ignore_errors=True)

    n = len(files) * rounds
    print("check --json over %d messages (%d files x %d rounds), %d runs each, load %s -> %s"
          % (n, len(files), rounds, runs, " ".join(load0), " ".join(load1)))
    med = statistics.median
    for j in (1, 2):
        v = res[j]
        print("--jobs %d: wall %.3f s least, %.3f s median; CPU %.3f s median, %.3f s least; "
              "context switches %d voluntary, %d involuntary"
              % (j, min(r[0] for r in v), med([r[0] for r in v]), med([r[1] for r in v]),
                 min(r[1] for r in v), med([r[2] for r in v]), med([r[3] for r in v])))
    w1, w2 = min(r[0] for r in res[1]), min(r[0] for r in res[2])
    m1, m2 = med([r[0] for r in res[1]]), med([r[0] for r in res[2]])
    c1, c2 = med([r[1] for r in res[1]]), med([r[1] for r in res[2]])
    print("--jobs 2 speed-up (wall): %.2fx least against least, %.2fx median against median "
          "(target 1.8x on 2 idle CPUs; %d CPUs here)" % (w1 / w2, m1 / m2, os.cpu_count() or 1))
    print("--jobs 2 / --jobs 1, CPU (median): %.3f (1.8x needs <= 1.11)" % (c2 / c1))
    print("outputs %s" % ("byte-identical" if same else "DIFFERENT"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
