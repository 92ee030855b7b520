#!/usr/bin/env python3
"""bench/redis-failure.py — what a delivery costs when the Redis record
fails (doc/record-redis.md, "Failures: measured"). Run by bench/redis.sh
after bench/redis.py; usage: python3 bench/redis-failure.py /abs/src/unscatter
/abs/fixtures/deliver.

For each failure, `unscatter deliver` of a genuine bounce (its original in
the record) is run RUNS times: the exit code (must be 75, nothing in the
Maildir) and the median and maximum wall time until the exit. Then the
server is healthy again and the same delivery must exit 0. The failures:
the server down (connection refused: unix socket, TCP), stopped (SIGSTOP:
the time-out must hold, default timeout_ms 200 and 1000), a wrong
password, a server out of memory (maxmemory with noeviction) and a
read-only replica (the lookups work: the delivery is judged and kept, the
decision count is refused, a warning; `record` is refused: exit 75), and
one still loading its data (LOADING, a large RDB file)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PW = "bench-failure-pw"
RUNS = int(os.environ.get("BENCH_RUNS_FAIL", "7"))


def say(*a):
    print(*a, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    def __init__(self, work, name, port=0, extra=()):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.sock = os.path.join(self.dir, "sock")
        self.port = port
        self.argv = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--unixsocket", self.sock,
                     "--unixsocketperm", "700", "--requirepass", PW, "--save", "", "--appendonly", "no",
                     "--dir", self.dir, "--logfile", os.path.join(self.dir, "log")] + list(extra)
        self.p = None

    def start(self, wait=True):
        self.p = subprocess.Popen(self.argv)
        if wait:
            for _ in range(200):
                if self.cli("ping") == "PONG":
                    return
                time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

    def cli(self, *a):
        return subprocess.run(["redis-cli", "-s", self.sock, "-a", PW, "--no-auth-warning"] + list(a),
                              capture_output=True, text=True).stdout.strip()

    def stop(self):
        if self.p:
            self.p.send_signal(signal.SIGCONT)
            self.p.terminate()
            self.p.wait()
            self.p = None


def main():
    usc, fix = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="usc-bench-fail.")
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_DATA_HOME=os.path.join(work, "data"), LC_ALL="C.UTF-8")
    env.pop("UNSCATTER_DB", None)
    pwfile = os.path.join(work, "pw")
    with open(pwfile, "w") as f:
        f.write(PW + "\n")
    os.chmod(pwfile, 0o600)
    wrong = os.path.join(work, "wrong")
    with open(wrong, "w") as f:
        f.write("not-the-password\n")
    os.chmod(wrong, 0o600)
    servers = []
    rows = []
    try:
        port = free_port()
        a = Server(work, "a", port, ["--enable-debug-command", "local"])
        servers.append(a)
        a.start()

        def conf(name, url, tmo=None, pw=pwfile):
            path = os.path.join(work, name + ".conf")
            with open(path, "w") as f:
                f.write("[record]\nbackend = redis\nurl = %s\npassword_file = %s\n" % (url, pw))
                if tmo:
                    f.write("timeout_ms = %d\n" % tmo)
            return path

        unix = conf("unix", "unix:" + a.sock)
        tcp = conf("tcp", "redis://127.0.0.1:%d/0" % port)
        r = subprocess.run([usc, "record", "--config", unix, os.path.join(fix, "sent-original.msg")],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            say("skipped: failure bench: record failed: " + r.stderr.strip())
            return 0
        md = os.path.join(work, "Maildir")

        def delivered():
            n = 0
            for sub in ("new", ".Backscatter/new"):
                d = os.path.join(md, sub)
                n += len(os.listdir(d)) if os.path.isdir(d) else 0
            return n

        def deliver(cfg):
            t0 = time.perf_counter()
            with open(os.path.join(fix, "bounce-genuine.msg")) as fin:
                p = subprocess.run([usc, "deliver", "--config", cfg, "--maildir", md], stdin=fin, env=env,
                                   capture_output=True, text=True)
            return p.returncode, (time.perf_counter() - t0) * 1000.0, p.stderr.strip()

        def record(cfg):
            t0 = time.perf_counter()
            p = subprocess.run([usc, "record", "--config", cfg, os.path.join(fix, "sent-other.msg")], env=env,
                               capture_output=True, text=True)
            return p.returncode, (time.perf_counter() - t0) * 1000.0, p.stderr.strip()

        def measure(what, cfg, expect=75, run=None):
            before = delivered()
            res = [(run or deliver)(cfg) for _ in range(RUNS)]
            rcs = sorted({x[0] for x in res})
            ts = sorted(x[1] for x in res)
            nothing = delivered() == before if expect == 75 or run else delivered() == before + RUNS
            err = res[0][2].replace(work, "...")[:140]
            ok = rcs == [expect] and nothing
            say("%-44s exit %s, median %6.1f ms, max %6.1f ms, delivered as expected: %s; %s"
                % (what, rcs, ts[len(ts) // 2], ts[-1], nothing, err))
            rows.append((what, rcs, ts[len(ts) // 2], ts[-1], ok))

        say("unscatter Redis failure bench: %s, %d runs each, load %s"
            % (usc, RUNS, open("/proc/loadavg").read().split()[0]))
        measure("healthy (unix socket)", unix, 0)
        measure("healthy (TCP 127.0.0.1)", tcp, 0)
        measure("wrong password", conf("wrong", "unix:" + a.sock, pw=wrong))
        a.stop()
        measure("server down: unix socket, refused", unix)
        measure("server down: TCP, refused", tcp)
        a.start()
        a.p.send_signal(signal.SIGSTOP)
        measure("server stopped (SIGSTOP), timeout_ms 200", unix)
        measure("server stopped (SIGSTOP), timeout_ms 1000", conf("t1000", "unix:" + a.sock, 1000))
        a.p.send_signal(signal.SIGCONT)
        measure("server continued (SIGCONT)", unix, 0)
        used = int([x for x in a.cli("info", "memory").splitlines() if x.startswith("used_memory:")][0].split(":")[1])
        a.cli("config", "set", "maxmemory-policy", "noeviction")
        a.cli("config", "set", "maxmemory", str(used // 2))
        # The lookups still work: the delivery is judged and kept, only the
        # decision is not counted (a warning); recording is refused.
        measure("out of memory (OOM): deliver", unix, 0)
        measure("out of memory (OOM): record", unix, 75, record)
        a.cli("config", "set", "maxmemory", "0")
        measure("memory back", unix, 0)
        # A read-only replica: the lookup works, counting is refused.
        b = Server(work, "b", free_port(), ["--replicaof", "127.0.0.1", str(port), "--masterauth", PW])
        servers.append(b)
        b.start()
        for _ in range(100):
            if "master_link_status:up" in b.cli("info", "replication"):
                break
            time.sleep(0.1)
        rep = conf("replica", "unix:" + b.sock)
        measure("a read-only replica (READONLY): deliver", rep, 0)
        measure("a read-only replica (READONLY): record", rep, 75, record)
        b.stop()
        # LOADING: a server restarted on a large RDB answers LOADING until it
        # has read it.
        a.cli("debug", "populate", "1500000", "pad", "100")
        a.cli("save")
        a.stop()
        a.argv[a.argv.index("--save") + 1] = "3600 1"
        a.start(wait=False)
        time.sleep(0.05)
        n_loading = 0
        t_end = time.time() + 30
        res = []
        while time.time() < t_end:
            rc, t, err = deliver(unix)
            if "LOADING" in err:
                n_loading += 1
                res.append((rc, t))
            elif rc == 0:
                break
        if res:
            rcs = sorted({x[0] for x in res})
            ts = sorted(x[1] for x in res)
            say("%-44s exit %s, median %6.1f ms, max %6.1f ms (%d deliveries while it loaded)"
                % ("server loading its data (LOADING)", rcs, ts[len(ts) // 2], ts[-1], n_loading))
            rows.append(("server loading its data (LOADING)", rcs, ts[len(ts) // 2], ts[-1], rcs == [75]))
        else:
            say("server loading its data (LOADING): the server loaded before a delivery saw it")
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    say("")
    say("%-44s %-8s %-10s %-10s %s" % ("failure", "exit", "median", "max", "ok"))
    for what, rcs, med, mx, ok in rows:
        say("%-44s %-8s %7.1f ms %7.1f ms %s" % (what, ",".join(map(str, rcs)), med, mx, "ok" if ok else "MISS"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
