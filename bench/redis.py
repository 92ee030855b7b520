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
     the server runs with hash-max-listpack-entries 128 (its default, for
     which the shards are sized; BENCH_REDIS_LISTPACK to change it);
  c. 32 concurrent deliveries from two simulated hosts (two configs, one
     server), at timeout_ms 200 (the default) and 1000: throughput, median
     and p95, exit 0 or 75 only, the deferred (75) delivered by retries
     (as the MTA's queue would), every message delivered exactly once into
     the right folder; the server's time per command (INFO commandstats).

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
LISTPACK = os.environ.get("BENCH_REDIS_LISTPACK", "128")  # the server's default, which the shards are sized for
CONC_N = int(os.environ.get("BENCH_REDIS_CONC", "320" if QUICK else "1600"))
# The concurrent run's timeout_ms values: the default and a loaded host's.
CONC_TIMEOUTS = [int(x) for x in os.environ.get("BENCH_REDIS_TIMEOUTS", "200,1000").split(",")]
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

    # c. 32 concurrent deliveries from two simulated hosts: each message its
    # own (a distinct original Message-ID, half recorded), so that every
    # delivered file can be told apart. Exit 75 is a deferral: retried, as
    # an MTA's queue would, until delivered; every message must land once.
    for tmo in CONC_TIMEOUTS:
        concurrent(usc, env, work, sock, pwfile, now, tmo)


def concurrent(usc, env, work, sock, pwfile, now, tmo):
    cfg_a = os.path.join(work, "hostA-%d.conf" % tmo)
    cfg_b = os.path.join(work, "hostB-%d.conf" % tmo)
    for c in (cfg_a, cfg_b):
        config(c, sock, "bench:{big}:", pwfile)
        with open(c, "a") as f:
            f.write("timeout_ms = %d\n" % tmo)
    md = os.path.join(work, "Maildir-conc-%d" % tmo)
    msgs = os.path.join(work, "conc-%d" % tmo)
    os.makedirs(msgs)
    jobs = []
    for i in range(CONC_N):
        # the even ones return a recorded message (legitimate), the odd ones
        # a message never sent (backscatter)
        oid = B.sent_id(RECORD_N - 1 - i) if i % 2 == 0 else "never.%d.%d@mail.example.org" % (tmo, i)
        path = os.path.join(msgs, "%d.eml" % i)
        with open(path, "w") as f:
            f.write(B.bounce(oid, now, rcpt="nobody%d@example.net" % i))
        jobs.append((i, [usc, "deliver", "--config", cfg_a if i % 4 < 2 else cfg_b, "--maildir", md], path))

    def one(job):
        i, argv, msg = job
        rc, t, _ = B.spawn_timed(argv, env, msg)
        return i, rc, t * 1000.0

    rcli(sock, "config", "resetstat")
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as ex:
        out = list(ex.map(one, jobs))
    wall = time.perf_counter() - t0
    load = open("/proc/loadavg").read().split()[0]
    stats = {}
    for line in rcli(sock, "info", "commandstats").splitlines():
        if line.startswith("cmdstat_"):
            name, kv = line[8:].split(":", 1)
            d = dict(x.split("=") for x in kv.split(","))
            stats[name] = (int(d["calls"]), float(d["usec_per_call"]))
    rcs = {}
    for _, rc, _ in out:
        rcs[rc] = rcs.get(rc, 0) + 1
    times = [t for _, _, t in out]
    deferred = [i for i, rc, _ in out if rc == 75]
    # The deferred ones again, one at a time (the MTA's retry), up to 5 times.
    rounds = 0
    while deferred and rounds < 5:
        rounds += 1
        deferred = [i for i, rc, _ in map(one, [jobs[i] for i in deferred]) if rc == 75]
    files = {}
    for sub in ("new", os.path.join(".Backscatter", "new")):
        d = os.path.join(md, sub)
        for name in os.listdir(d) if os.path.isdir(d) else []:
            with open(os.path.join(d, name), errors="replace") as f:
                text = f.read()
            m = text.split("Original-Recipient: rfc822;nobody", 1)
            i = int(m[1].split("@", 1)[0]) if len(m) > 1 else -1
            files.setdefault(i, []).append(sub)
    once = all(len(files.get(i, [])) == 1 for i in range(CONC_N)) and len(files) == CONC_N
    right = all(files.get(i, ["?"])[0] == ("new" if i % 2 == 0 else os.path.join(".Backscatter", "new"))
                for i in range(CONC_N))
    srv = ", ".join("%s %d x %.0f us" % (k, v[0], v[1]) for k, v in sorted(stats.items()))
    B.say("32 concurrent deliveries from 2 hosts, timeout_ms %d: %d messages in %.1f s (%.0f/s), median %.1f ms,"
          " p95 %.1f ms, exits %s (load %s); %d deferred retried in %d rounds; each delivered once: %s,"
          " in the right folder: %s; server: %s"
          % (tmo, CONC_N, wall, CONC_N / wall, B.median(times), B.pct(times, 95), rcs, load,
             rcs.get(75, 0), rounds, once, right, srv))
    B.row("32 conc., 2 hosts, %d ms: msgs/s, p95" % tmo, "%.0f/s, %.0f ms" % (CONC_N / wall, B.pct(times, 95)))
    B.row("32 conc., 2 hosts, %d ms: exit 0 / 75" % tmo, "%d / %d" % (rcs.get(0, 0), rcs.get(75, 0)),
          "0 or 75 only", set(rcs) <= {0, 75})
    B.row("32 conc., 2 hosts, %d ms: once each" % tmo, "%s" % (once and right and not deferred),
          "True", once and right and not deferred)


if __name__ == "__main__":
    sys.exit(main())
