#!/usr/bin/env python3
"""bench/redis.py — the Redis record against the SQLite one (doc/benchmarks.md,
"The Redis record"). Run by bench/redis.sh from `make bench`.

  a. per-delivery median: `unscatter deliver` of a bounce whose original is
     in the record (legitimate) and of one whose original is not
     (backscatter), one process per message, with a record of RECORD_N
     entries for the user: SQLite file vs Redis on a unix socket
     (target: Redis within 1.2x of SQLite);
  b. Redis memory per entry (INFO memory used_memory, before and after the
     fill), for one user of RECORD_N entries and for USERS users of 1,000
     entries each (target <= 150 bytes), beside SQLite's bytes per entry;
     the server runs with hash-max-listpack-entries 512 (BENCH_REDIS_LISTPACK),
     as doc/record-redis.md recommends;
  c. 32 concurrent deliveries from two simulated hosts (two configs, one
     server): throughput, median and p95, every exit 0.

The records are filled through `unscatter record --import` of an export
written here (the keys hashed as usc-record.c does: the first 8 bytes of
SHA-256 of "m:" + the lower-cased Message-ID, "r:" + the address), so that a
million entries take a minute, not an hour of parsing messages.
BENCH_QUICK=1: smaller (100,000 entries, fewer runs).
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402  (the helpers of bench.py)

QUICK = os.environ.get("BENCH_QUICK") == "1"
RECORD_N = int(os.environ.get("BENCH_REDIS_N", "100000" if QUICK else "1000000"))
USERS = int(os.environ.get("BENCH_REDIS_USERS", "100" if QUICK else "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40" if QUICK else "200"))
LISTPACK = os.environ.get("BENCH_REDIS_LISTPACK", "512")  # doc/record-redis.md's recommendation
CONC_N = int(os.environ.get("BENCH_REDIS_CONC", "320" if QUICK else "1600"))
PW = "bench-redis-pw"
DAY = 86400


def key(ns, s):
    return int.from_bytes(hashlib.sha256((ns + ":" + s.lower()).encode()).digest()[:8], "big")


def write_export(path, n, now, offset=0):
    """An export of @n entries: the Message-IDs of bench.sent_id(), two
    recipients each, recorded over the last 170 days."""
    with open(path, "w", buffering=1 << 20) as f:
        f.write("# unscatter record export 1\n")
        f.write("since %d\n" % (now - 171 * DAY))
        for j in range(n):
            i = offset + j
            t = now - DAY - (i * 7919) % (170 * DAY)
            f.write("entry %016x %d %d %016x %016x\n" % (
                key("m", B.sent_id(i)), t, t,
                key("r", "friend%d@example.net" % (i % 5000)), key("r", "team%d@example.com" % (i % 97))))
        f.write("end %d\n" % n)


def rcli(sock, *args):
    return subprocess.run(["redis-cli", "-s", sock, "-a", PW, "--no-auth-warning"] + list(args),
                          capture_output=True, text=True).stdout.strip()


def used_memory(sock):
    for line in rcli(sock, "info", "memory").splitlines():
        if line.startswith("used_memory:"):
            return int(line.split(":")[1])
    return None


def config(path, sock, prefix, pwfile):
    with open(path, "w") as f:
        f.write("[record]\nbackend = redis\nurl = unix:%s\npassword_file = %s\nprefix = %s\n"
                % (sock, pwfile, prefix))


def run(argv, env, stdin=None):
    with open(stdin or os.devnull) as fin:
        p = subprocess.run(argv, env=env, stdin=fin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    usc = sys.argv[1]
    work = tempfile.mkdtemp(prefix="usc-bench-redis.")
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_DATA_HOME=os.path.join(work, "data"), LC_ALL="C.UTF-8")
    env.pop("UNSCATTER_DB", None)
    sock = os.path.join(work, "redis.sock")
    pwfile = os.path.join(work, "pw")
    with open(pwfile, "w") as f:
        f.write(PW + "\n")
    os.chmod(pwfile, 0o600)
    srv = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700",
                            "--requirepass", PW, "--save", "", "--appendonly", "no", "--dir", work,
                            "--hash-max-listpack-entries", LISTPACK,
                            "--logfile", os.path.join(work, "redis.log")])
    try:
        for _ in range(100):
            if rcli(sock, "ping") == "PONG":
                break
            time.sleep(0.1)
        else:
            B.say("skipped: redis-server did not start")
            return 0
        bench(usc, env, work, sock, pwfile)
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(work, ignore_errors=True)
    B.say("")
    B.say("%-40s %-22s %-16s %s" % ("figure", "measured", "target", "ok"))
    B.say("%-40s %-22s %-16s %s" % ("-" * 40, "-" * 22, "-" * 16, "----"))
    for fig, meas, tgt, ok in B.rows:
        B.say("%-40s %-22s %-16s %s" % (fig, meas, tgt, "" if ok is None else ("ok" if ok else "MISS")))
    return 0


def bench(usc, env, work, sock, pwfile):
    now = int(time.time())
    B.say("unscatter Redis bench: %s%s, redis-server %s (hash-max-listpack-entries %s), %d entries,"
          " %d runs per timed command"
          % (usc, " (BENCH_QUICK)" if QUICK else "", rcli(sock, "info", "server").split("redis_version:")[1].split()[0],
             LISTPACK, RECORD_N, RUNS))
    try:
        B.say("machine: %d CPUs, load %s" % (os.cpu_count() or 0, open("/proc/loadavg").read().split()[0]))
    except OSError:
        pass
    exp = os.path.join(work, "big.exp")
    write_export(exp, RECORD_N, now)
    db = os.path.join(work, "big.db")
    t0 = time.perf_counter()
    rc, _, err = run([usc, "record", "--db", db, "--import", exp], env)
    ts = time.perf_counter() - t0
    if rc != 0:
        B.say("SQLite import failed: %s" % err.strip()[:300])
        return
    sq_bytes = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s)) / RECORD_N
    cfg = os.path.join(work, "big.conf")
    config(cfg, sock, "bench:{big}:", pwfile)
    m0 = used_memory(sock)
    t0 = time.perf_counter()
    rc, _, err = run([usc, "record", "--config", cfg, "--import", exp], env)
    tr = time.perf_counter() - t0
    if rc != 0:
        B.say("Redis import failed: %s" % err.strip()[:300])
        return
    m1 = used_memory(sock)
    per_big = (m1 - m0) / RECORD_N
    os.unlink(exp)
    B.say("import of %d entries: SQLite %.1f s (%.0f/s), Redis %.1f s (%.0f/s)"
          % (RECORD_N, ts, RECORD_N / ts, tr, RECORD_N / tr))
    B.say("bytes per entry: SQLite file %.0f; Redis used_memory %.0f (one user of %d entries)"
          % (sq_bytes, per_big, RECORD_N))
    B.row("SQLite bytes/entry (%d, 2 rcpts)" % RECORD_N, "%.0f B" % sq_bytes)
    B.row("Redis bytes/entry, 1 user of %d" % RECORD_N, "%.0f B" % per_big, "<= 150 B", per_big <= 150)

    # Many users of 1,000 entries each: the shape of a shared server.
    small = os.path.join(work, "small.exp")
    write_export(small, 1000, now, offset=10 ** 7)
    m0 = used_memory(sock)
    for u in range(USERS):
        c = os.path.join(work, "u.conf")
        config(c, sock, "bench:{u%d}:" % u, pwfile)
        rc, _, err = run([usc, "record", "--config", c, "--import", small], env)
        if rc != 0:
            B.say("Redis import for user %d failed: %s" % (u, err.strip()[:200]))
            return
    m1 = used_memory(sock)
    per_small = (m1 - m0) / (USERS * 1000.0)
    B.say("Redis used_memory per entry, %d users of 1,000 entries: %.0f bytes" % (USERS, per_small))
    B.row("Redis bytes/entry, %d users x 1000" % USERS, "%.0f B" % per_small, "<= 150 B", per_small <= 150)

    # a. per-delivery median, SQLite vs Redis, found and not found.
    hit = os.path.join(work, "hit.eml")
    miss = os.path.join(work, "miss.eml")
    with open(hit, "w") as f:
        f.write(B.bounce(B.sent_id(RECORD_N - 7), now, rcpt="nobody1@example.net"))
    with open(miss, "w") as f:
        f.write(B.bounce("never.sent.%d@mail.example.org" % now, now, rcpt="nobody2@example.net"))
    res = {}
    for label, argv in (("sqlite", [usc, "deliver", "--db", db]), ("redis", [usc, "deliver", "--config", cfg])):
        for kind, msg in (("found", hit), ("not found", miss)):
            md = os.path.join(work, "Maildir-%s-%s" % (label, kind.replace(" ", "")))
            rc, out, err = run(argv + ["--maildir", md], env, msg)
            times, rss, rcs = B.repeat_timed(argv + ["--maildir", md], env, RUNS, stdin_path=msg)
            med = B.median(times)
            res[(label, kind)] = med
            res[(label, kind, "cpu")] = B.cpu(times)
            B.say("deliver, %s, ID %s: median %.2f ms (CPU %.2f ms), p95 %.2f ms, peak RSS %s, exit %s"
                  % (label, kind, med, B.cpu(times), B.pct(times, 95), B.mb(rss), ",".join(map(str, sorted(rcs)))))
            if rcs != {0}:
                B.say("  failed: %s" % err.strip()[:300])
    for kind in ("found", "not found"):
        a, b = res[("sqlite", kind)], res[("redis", kind)]
        B.row("deliver median, ID %s: SQLite/Redis" % kind, "%.2f / %.2f ms" % (a, b), "<= 1.2x", b <= a * 1.2)
        a, b = res[("sqlite", kind, "cpu")], res[("redis", kind, "cpu")]
        B.row("deliver median CPU, ID %s: SQLite/Redis" % kind, "%.2f / %.2f ms" % (a, b), "<= 1.2x", b <= a * 1.2)

    # c. 32 concurrent deliveries from two simulated hosts.
    cfg_a = os.path.join(work, "hostA.conf")
    cfg_b = os.path.join(work, "hostB.conf")
    config(cfg_a, sock, "bench:{big}:", pwfile)
    config(cfg_b, sock, "bench:{big}:", pwfile)
    md = os.path.join(work, "Maildir-conc")
    jobs = []
    for i in range(CONC_N):
        jobs.append(([usc, "deliver", "--config", cfg_a if i % 2 else cfg_b, "--maildir", md],
                     hit if i % 4 < 2 else miss))

    def one(job):
        argv, msg = job
        rc, t, _ = B.spawn_timed(argv, env, msg)
        return rc, t * 1000.0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as ex:
        out = list(ex.map(one, jobs))
    wall = time.perf_counter() - t0
    rcs = sorted({r for r, _ in out})
    times = [t for _, t in out]
    n_new = len(os.listdir(os.path.join(md, "new")))
    n_bs = len(os.listdir(os.path.join(md, ".Backscatter", "new")))
    B.say("32 concurrent deliveries from 2 hosts: %d messages in %.1f s (%.0f/s), median %.1f ms, p95 %.1f ms,"
          " exit %s; %d in new/, %d in .Backscatter/new/"
          % (CONC_N, wall, CONC_N / wall, B.median(times), B.pct(times, 95), rcs, n_new, n_bs))
    B.row("32 concurrent, 2 hosts: throughput", "%.0f msgs/s" % (CONC_N / wall))
    B.row("32 concurrent, 2 hosts: every exit 0", "%s" % rcs, "[0]", rcs == [0] and n_new + n_bs == CONC_N)


if __name__ == "__main__":
    sys.exit(main())
