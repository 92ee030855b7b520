#!/bin/sh
# tests/soak.sh — mutation fuzzing of `unscatter check` (make soak; CI runs
# `make soak SOAK_SECONDS=60`).
#
# Seeds: fixtures/**/*.eml, the malformed set (tests/malformed-gen, files
# under 1 MB) and, when present, the corpus ($USC_CORPUS, default
# ../shared/corpus). Each round takes a seed, applies a few random mutations
# (bit flips, byte insertion and deletion, truncation, duplicated or spliced
# ranges, MIME-ish tokens: boundaries, Content-Type lines, CR/LF, encodings)
# and runs `check --json` on the result. A failure is a crash (killed by a
# signal), a hang (over 5 s), an exit code other than 0 or 1, or anything but
# exactly one JSON line with a verdict on stdout. Failing inputs are kept in
# soak-crashers/ under the build directory and their paths printed.
#
# Usage: tests/soak.sh BUILDDIR     (env: SOAK_SECONDS=300, SOAK_SEED, USC_CORPUS)
set -u
builddir=${1:-.}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "$builddir" && pwd)
UNSCATTER=${UNSCATTER:-$builddir/src/unscatter}
GEN=$builddir/tests/malformed-gen
SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_SEED=${SOAK_SEED:-$(date +%s)}
echo "soak: seed $SOAK_SEED (replay with SOAK_SEED=$SOAK_SEED)"
corpus=${USC_CORPUS:-$srcdir/../shared/corpus}
crashdir=$builddir/soak-crashers

if ! command -v python3 >/dev/null 2>&1; then
  echo "soak: python3 not found: skipped"
  exit 0
fi
[ -x "$UNSCATTER" ] || { echo "soak: $UNSCATTER not built" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/usc-soak.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/seeds" "$crashdir"
if [ -x "$GEN" ]; then
  "$GEN" "$work/mal" || echo "soak: malformed-gen failed; going on without it" >&2
fi
# an isolated home: no user config or record is read
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
unset UNSCATTER_DB ORIGINAL_RECIPIENT ORIG_RECIPIENT RECIPIENT SENDER 2>/dev/null || true

asan=no
if ldd "$UNSCATTER" 2>/dev/null | grep -q libasan || grep -q -a __asan_init "$UNSCATTER"; then
  asan=yes
fi

echo "soak: $SOAK_SECONDS s, seed $SOAK_SEED, binary $UNSCATTER (asan: $asan)"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$srcdir/tests${PYTHONPATH:+:$PYTHONPATH}" python3 - "$UNSCATTER" "$SOAK_SECONDS" "$SOAK_SEED" "$crashdir" "$work" "$asan" \
  "$srcdir/fixtures" "$work/mal" "$corpus" <<'PYEOF'
import json, os, random, resource, signal, subprocess, sys, time

unscatter, seconds, seed, crashdir, work, asan = sys.argv[1:7]
seed_dirs = sys.argv[7:]
seconds = float(seconds)
rng = random.Random(int(seed))

seeds = []
for d in seed_dirs:
    if not os.path.isdir(d):
        continue
    for root, _, files in os.walk(d):
        for f in sorted(files):
            if f.endswith(".expect") or f.endswith(".jsonl") or f.endswith(".md") or f == "LICENSE":
                continue
            p = os.path.join(root, f)
            try:
                if os.path.getsize(p) <= 1 << 20:
                    seeds.append(open(p, "rb").read())
            except OSError:
                pass
if not seeds:
    print("soak: no seed files found")
    sys.exit(1)

TOKENS = [
    b"\n", b"\r", b"\r\n", b"\n\n", b"--", b"--B\n", b"--B--\n", b"\n--",
    b"Content-Type: multipart/mixed; boundary=B\n",
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n",
    b"Content-Type: multipart/digest; boundary=B\n",
    b"Content-Type: message/rfc822\n\n", b"Content-Type: message/global\n",
    b"Content-Type: message/delivery-status\n\n", b"Content-Type: text/rfc822-headers\n\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"Message-ID: <", b">", b"=?utf-8?b?", b"?=", b"=\n", b"=3D", b"\x00", b"\xff\xfe",
    b"Status: 5.1.1\n", b"Final-Recipient: rfc822; ", b"Action: failed\n",
    b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n", b"Return-Path: <>\n",
    b"Auto-Submitted: auto-replied\n", b"prvs=", b"boundary=", b"charset=",
    b"\t", b" ", b":", b";", b"\"",
]

from soak_bound import CAP, insert   # tests/soak_bound.py: every input bounded

def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(9)
        del data[CAP:]                        # e.g. after a line-ending change
        n = len(data)
        if op == 0 and n:                     # flip bits
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(n)
                data[i] ^= 1 << rng.randrange(8)
        elif op == 1:                         # random bytes
            i = rng.randint(0, n)
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif op == 2 and n:                   # delete a range
            i = rng.randrange(n)
            del data[i:i + rng.randint(1, max(1, n // 8))]
        elif op == 3 and n:                   # truncate
            del data[rng.randrange(n):]
        elif op == 4 and n:                   # duplicate a range
            i = rng.randrange(n)
            j = min(n, i + rng.randint(1, 4096))
            k = rng.randint(0, n)
            insert(data, k, data[i:j], rng.randint(1, 50))
        elif op == 5:                         # MIME-ish tokens
            for _ in range(rng.randint(1, 6)):
                i = rng.randint(0, len(data))
                data[i:i] = rng.choice(TOKENS)
        elif op == 6:                         # splice another seed
            other = rng.choice(seeds)
            if other:
                i = rng.randrange(len(other))
                k = rng.randint(0, n)
                insert(data, k, other[i:i + rng.randint(1, 8192)])
        elif op == 7:                         # line endings
            data = bytearray(bytes(data).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r"])))
        elif op == 8 and n:                   # nest: repeat a header line many times
            i = rng.randrange(n)
            j = data.find(b"\n", i)
            if j > i:
                insert(data, j + 1, data[i:j + 1], rng.randint(2, 3000))
    return bytes(data[:CAP])

def limits():
    if asan != "yes":
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

counts = {"runs": 0, "exit0": 0, "exit1": 0, "errors": 0, "crash": 0, "hang": 0, "badexit": 0, "badout": 0}
kept = []
path = os.path.join(work, "input.eml")
start = time.monotonic()
slowest = (0.0, None)
while time.monotonic() - start < seconds:
    data = mutate(rng.choice(seeds))
    with open(path, "wb") as f:
        f.write(data)
    t0 = time.monotonic()
    problem = None
    try:
        p = subprocess.run([unscatter, "check", "--json", path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=5, preexec_fn=limits)
        rc = p.returncode
        dt = time.monotonic() - t0
        if dt > slowest[0]:
            slowest = (dt, counts["runs"])
        if rc < 0 or rc >= 128:
            problem = "crash"
        elif rc not in (0, 1):
            problem = "badexit"
        else:
            counts["exit%d" % rc] += 1
            # LF only: str.splitlines() would also split at U+0085 / U+2028,
            # which are valid inside JSON strings
            lines = p.stdout.decode("utf-8", "replace").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            try:
                if len(lines) != 1:
                    raise ValueError("%d lines" % len(lines))
                o = json.loads(lines[0])
                if o.get("verdict") not in ("not-bounce", "legitimate", "backscatter", "unknown"):
                    raise ValueError("no verdict")
                if o.get("error"):
                    counts["errors"] += 1
            except ValueError as e:
                problem = "badout"
    except subprocess.TimeoutExpired:
        problem = "hang"
        rc = None
    counts["runs"] += 1
    if problem:
        counts[problem] += 1
        out = os.path.join(crashdir, "%s-%s-%d.eml" % (problem, seed, counts["runs"]))
        with open(out, "wb") as f:
            f.write(data)
        kept.append(out)
        print("soak: %s (exit %s): %s" % (problem, rc, out), flush=True)

elapsed = time.monotonic() - start
print("soak: %d runs in %.0f s (%.0f/s), %d seeds; exit 0: %d, exit 1: %d (%d with an error); "
      "crashes: %d, hangs: %d, bad exit codes: %d, bad output: %d; slowest run %.2f s"
      % (counts["runs"], elapsed, counts["runs"] / max(elapsed, 0.001), len(seeds), counts["exit0"],
         counts["exit1"], counts["errors"], counts["crash"], counts["hang"], counts["badexit"],
         counts["badout"], slowest[0]))
if kept:
    print("soak: failing inputs kept:")
    for k in kept:
        print("  " + k)
    sys.exit(1)
sys.exit(0)
PYEOF
status=$?
rmdir "$crashdir" 2>/dev/null || true
exit $status
