#!/usr/bin/env python3
"""lmtp-client.py SOCKET [--from ADDR] [--to ADDR] [--orcpt ADDR] FILE... -- deliver each
FILE (as read, LF or CRLF) in its own transaction over one LMTP connection
(RFC 2033) on the unix socket SOCKET; print "FILE CODE" per message (the
reply to the end of DATA, one recipient). --count N repeats the list N times
(the soak); --quiet prints only a summary "delivered N failed M";
--cpu-log LOG prints the LMTP process's CPU time (total, user, system) and
minor page faults per delivery after the first (the process found as for
--rss-log); --rss-log LOG --rss-every K print "rss N KB" (the anonymous resident
memory, RssAnon, of the serving LMTP process, its pid taken from Dovecot's
"lmtp(PID): Info: Connect from local" line in LOG) after the first delivery
and every K deliveries; --times FILE each transaction's wall time.
Exit 0 when every message got a 2xx reply."""
import argparse, os, re, socket, sys, time

def lmtp_pid(log):
    for _ in range(100):
        pids = re.findall(r"lmtp\((\d+)\): Info: Connect from local", open(log, errors="replace").read())
        if pids:
            return int(pids[-1])
        time.sleep(0.05)
    raise SystemExit("lmtp-client: no LMTP process in %s" % log)

def cpu_times(pid):
    """(user, system) CPU time of @pid with its children it has waited for
    (the execute route's programs), in seconds, and its minor page faults
    with theirs."""
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    tck = os.sysconf("SC_CLK_TCK")
    return ((int(fields[11]) + int(fields[13])) / tck, (int(fields[12]) + int(fields[14])) / tck,
            int(fields[7]) + int(fields[8]))

def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return -1

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("--from", dest="sender", default="")
    ap.add_argument("--to", dest="rcpt", default="alice@example.org")
    ap.add_argument("--orcpt", help="the original recipient (RFC 3461 ORCPT), as an MTA passes a BATV-tagged one")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--times", help="write each transaction's wall time (seconds, MAIL FROM to the reply to DATA) to this file, one a line")
    ap.add_argument("--rss-log")
    ap.add_argument("--cpu-log", help="print the serving LMTP process's CPU time (with its children's) per delivery after the first, its pid found as for --rss-log in this log")
    ap.add_argument("--rss-every", type=int, default=0)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    s = socket.socket(socket.AF_UNIX)
    s.connect(a.socket)
    f = s.makefile("rwb")

    def reply():
        lines = []
        while True:
            line = f.readline()
            if not line:
                raise SystemExit("lmtp-client: connection closed")
            lines.append(line.rstrip(b"\r\n").decode("ascii", "replace"))
            if line[3:4] != b"-":
                return lines

    def cmd(c):
        f.write(c.encode() + b"\r\n")
        f.flush()
        return reply()

    def want(lines, code, what):
        if not lines[-1].startswith(code):
            raise SystemExit("lmtp-client: %s: %s" % (what, " / ".join(lines)))

    want(reply(), "220", "greeting")
    want(cmd("LHLO lmtp-client.test"), "250", "LHLO")
    bodies = []
    for name in a.files:
        with open(name, "rb") as fh:
            data = fh.read()
        lines = data.replace(b"\r\n", b"\n").split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        out = bytearray()
        for line in lines:
            if line.startswith(b"."):
                out += b"."
            out += line + b"\r\n"
        bodies.append((name, bytes(out) + b".\r\n"))
    # xtext (RFC 3461 section 4): "+", "=" and anything outside ! .. ~ as +XX
    orcpt = ""
    if a.orcpt:
        orcpt = " ORCPT=rfc822;" + "".join(
            c if 33 <= ord(c) <= 126 and c not in "+=" else "+%02X" % ord(c) for c in a.orcpt)
    ok = bad = 0
    pid = None
    times = open(a.times, "w") if a.times else None
    for _ in range(a.count):
        for name, body in bodies:
            t0 = time.perf_counter()
            want(cmd("MAIL FROM:<%s>" % a.sender), "250", "MAIL")
            want(cmd("RCPT TO:<%s>%s" % (a.rcpt, orcpt)), "250", "RCPT")
            want(cmd("DATA"), "354", "DATA")
            f.write(body)
            f.flush()
            r = reply()[-1]
            if times:
                times.write("%.6f\n" % (time.perf_counter() - t0))
            if r.startswith("2"):
                ok += 1
            else:
                bad += 1
            if not a.quiet:
                print("%s %s" % (name, r[:3]))
            n = ok + bad
            if a.cpu_log and n == 1:
                cpu_pid = lmtp_pid(a.cpu_log)
                cpu0 = cpu_times(cpu_pid)
            if a.rss_log and a.rss_every and (n == 1 or n % a.rss_every == 0):
                if pid is None:
                    pid = lmtp_pid(a.rss_log)
                print("rss %d %d" % (n, rss_kb(pid)), flush=True)
    if times:
        times.close()
    if a.cpu_log and ok + bad > 1:
        cpu1, k = cpu_times(cpu_pid), ok + bad - 1
        user, system = (cpu1[0] - cpu0[0]) * 1000 / k, (cpu1[1] - cpu0[1]) * 1000 / k
        print("cpu_ms_per_delivery %.3f" % (user + system))
        print("user_ms_per_delivery %.3f\nsys_ms_per_delivery %.3f" % (user, system))
        print("minflt_per_delivery %.2f" % ((cpu1[2] - cpu0[2]) / k))
    cmd("QUIT")
    if a.quiet:
        print("delivered %d failed %d" % (ok, bad))
    return 0 if bad == 0 else 1

if __name__ == "__main__":
    sys.exit(main())
