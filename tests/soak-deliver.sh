#!/bin/sh
# tests/soak-deliver.sh — mutation fuzzing of the delivery path: `unscatter
# deliver` and `unscatter filter` (make soak; CI runs `make soak
# SOAK_SECONDS=60`, which gives this script half of the time).
#
# Seeds: fixtures/**/*.eml and *.msg and, when present, the corpus
# ($USC_CORPUS, default ../shared/corpus), files under 1 MB, sorted. Each case
# takes a seed and applies a few mutations (bit flips, truncation, NULs, bare
# CRs, CRLF changes, long lines, deep multipart nesting, duplicated header
# blocks and header lines, damaged MIME boundaries, an mbox "From " line in
# front, spliced seeds), then, with a sent-mail record present (the fixtures'
# sent messages) and one of three configurations (the default; backscatter
# discarded and unknown filed in a named folder; small [limits]):
#
#  deliver  `unscatter deliver --maildir M` must exit 0 (75 with a healthy
#           Maildir would defer the message forever: counted as a failure).
#           On 0, exactly one new file in M (none when the verdict's action
#           is discard), in new/ or the configured folder's new/ as the
#           verdict's action says, nothing in tmp/ or cur/; its content is
#           the input without a leading mbox "From " line, with exactly the
#           two header fields X-Unscatter-Verdict and X-Unscatter-Reason at
#           the top in the message's own line ending — or the input (without
#           the "From " line) unchanged when the message was not judged
#           (unparsable, over a limit: cmd-deliver.c), which it then says on
#           stderr ("delivered to the inbox unfiltered").
#  filter   `unscatter filter` exits 0 with stdout == the input with the same
#           two fields inserted after any "From " line (or unchanged), or
#           non-zero (procmail then keeps the original: any output goes; but
#           where deliver managed, a non-zero filter is counted as a failure,
#           since the signal handlers turn a crash into 75). When
#           both exit 0 the stored file must equal filter's output without the
#           "From " line: both paths must judge the message alike.
#
# A crash (signal), a hang (over 20 s), any other exit code or content is a
# failure; failing inputs are kept in soak-deliver-crashers/ under the build
# directory (or $SOAK_CRASHDIR) with their paths printed, and the exit status
# is 1.
#
# Usage: tests/soak-deliver.sh BUILDDIR
#   env: SOAK_SECONDS=300, SOAK_SEED (default: the time), SOAK_CASES (run
#   exactly that many cases instead of a time budget), USC_CORPUS,
#   SOAK_CRASHDIR.
set -u
builddir=${1:-.}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "$builddir" && pwd)
UNSCATTER=${UNSCATTER:-$builddir/src/unscatter}
SOAK_SECONDS=${SOAK_SECONDS:-300}
SOAK_SEED=${SOAK_SEED:-$(date +%s)}
echo "soak-deliver: seed $SOAK_SEED (replay with SOAK_SEED=$SOAK_SEED)"
SOAK_CASES=${SOAK_CASES:-0}
corpus=${USC_CORPUS:-$srcdir/../shared/corpus}
crashdir=${SOAK_CRASHDIR:-$builddir/soak-deliver-crashers}

if ! command -v python3 >/dev/null 2>&1; then
  echo "soak-deliver: python3 not found: skipped"
  exit 0
fi
[ -x "$UNSCATTER" ] || { echo "soak-deliver: $UNSCATTER not built" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/usc-soakd.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$crashdir"
# an isolated home: no user config or record is read
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/unscatter"
unset UNSCATTER_DB ORIGINAL_RECIPIENT ORIG_RECIPIENT RECIPIENT SENDER 2>/dev/null || true

# The sent-mail record: the fixtures' sent messages.
set --
for f in "$srcdir"/fixtures/deliver/sent-*.msg "$srcdir"/fixtures/sent/*.eml; do
  [ -f "$f" ] && set -- "$@" "$f"
done
if ! "$UNSCATTER" record "$@" >/dev/null 2>"$work/record.err"; then
  echo "soak-deliver: unscatter record failed: $(cat "$work/record.err")" >&2
  exit 2
fi

asan=no
if ldd "$UNSCATTER" 2>/dev/null | grep -q libasan || grep -q -a __asan_init "$UNSCATTER"; then
  asan=yes
fi

[ "$SOAK_CASES" -gt 0 ] && budget="$SOAK_CASES cases" || budget="$SOAK_SECONDS s"
echo "soak-deliver: $budget, seed $SOAK_SEED, binary $UNSCATTER (asan: $asan)"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$srcdir/tests${PYTHONPATH:+:$PYTHONPATH}" python3 - "$UNSCATTER" "$SOAK_SECONDS" "$SOAK_CASES" "$SOAK_SEED" "$crashdir" "$work" "$asan" \
  "$srcdir/fixtures" "$corpus" <<'PYEOF'
import os, random, re, resource, shutil, subprocess, sys, time

unscatter, seconds, ncases, seed, crashdir, work, asan = sys.argv[1:8]
seed_dirs = sys.argv[8:]
seconds = float(seconds)
ncases = int(ncases)
rng = random.Random(int(seed))

seeds = []
for d in seed_dirs:
    if not os.path.isdir(d):
        continue
    for root, dirs, files in sorted(os.walk(d)):
        dirs.sort()
        for f in sorted(files):
            if not (f.endswith(".eml") or f.endswith(".msg")):
                continue
            p = os.path.join(root, f)
            try:
                if os.path.getsize(p) <= 1 << 20:
                    seeds.append(open(p, "rb").read())
            except OSError:
                pass
if not seeds:
    print("soak-deliver: no seed files found")
    sys.exit(1)

# ---- configurations: (name, config text, action per verdict, folder) ----
CONFIGS = [
    ("default", "",
     {"not-bounce": "deliver", "legitimate": "deliver", "backscatter": "file", "unknown": "deliver"},
     "Backscatter"),
    ("discard", "[actions]\nbackscatter = discard\nunknown = file\nfolder = Junk.Bounces\n",
     {"not-bounce": "deliver", "legitimate": "deliver", "backscatter": "discard", "unknown": "file"},
     "Junk.Bounces"),
    ("limits", "[limits]\nmax_bytes = 8192\nmax_header_bytes = 2048\nmax_headers = 40\nmax_depth = 3\n"
               "max_parts = 20\n",
     {"not-bounce": "deliver", "legitimate": "deliver", "backscatter": "file", "unknown": "deliver"},
     "Backscatter"),
]
for name, text, _, _ in CONFIGS:
    with open(os.path.join(work, "config-" + name), "w") as f:
        f.write(text)

TOKENS = [
    b"\n", b"\r", b"\r\n", b"\n\n", b"\x00", b"\x00\x00\x00\x00", b"--", b"\n--",
    b"Content-Type: multipart/mixed; boundary=B\n",
    b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n",
    b"Content-Type: message/rfc822\n\n", b"Content-Type: message/delivery-status\n\n",
    b"Content-Transfer-Encoding: base64\n", b"Content-Transfer-Encoding: quoted-printable\n",
    b"Message-ID: <", b">", b"=?utf-8?b?", b"?=", b"=\n", b"\xff\xfe", b"\r\r\r",
    b"Status: 5.1.1\n", b"Final-Recipient: rfc822; ", b"Action: failed\n",
    b"Return-Path: <>\n", b"Auto-Submitted: auto-replied\n", b"prvs=", b"\t", b" ", b":",
    b"X-Unscatter-Verdict: not-bounce (not-bounce)\n", b"X-Unscatter-Reason: forged\n",
]
FROM_LINES = [b"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n", b"From alice@example.org  Sat Jan  3 01:05:34 1996\r\n",
              b"From x\r", b"From ", b"From \n", b"From MAILER-DAEMON"]

def header_end(data):
    for sep in (b"\n\n", b"\r\n\r\n", b"\r\r"):
        i = data.find(sep)
        if i >= 0:
            return i + len(sep) // 2
    return len(data)

def nest(depth):
    out = bytearray(b"Subject: nested\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n")
    for d in range(1, depth):
        out += b"--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n" % (d - 1, d)
    out += b"--b%d\nContent-Type: message/rfc822\n\nMessage-ID: <x@y>\n\nbody\n" % (depth - 1)
    return bytes(out)

from soak_bound import CAP, insert   # tests/soak_bound.py: every input bounded

def mutate(data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(14)
        del data[CAP:]                        # e.g. after a line-ending change
        n = len(data)
        if op == 0 and n:                     # flip bits
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(n)
                data[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:                   # truncate
            del data[rng.randrange(n):]
        elif op == 2:                         # NULs, CRs, tokens
            for _ in range(rng.randint(1, 6)):
                i = rng.randint(0, len(data))
                data[i:i] = rng.choice(TOKENS)
        elif op == 3:                         # a long line
            i = rng.randint(0, n)
            insert(data, i, rng.choice([b"x", b"A=", b"\xc3\xa9", b" "]), rng.randint(1000, 300000))
        elif op == 4:                         # deep nesting
            i = rng.choice([0, header_end(data), rng.randint(0, n)])
            data[i:i] = nest(rng.randint(2, 400))
        elif op == 5:                         # duplicate the header block
            h = header_end(data)
            insert(data, 0, data[:h], rng.randint(1, 20))
        elif op == 6 and n:                   # repeat a header line
            i = rng.randrange(min(n, header_end(data) + 1))
            j = data.find(b"\n", i)
            if j > i:
                insert(data, j + 1, data[i:j + 1], rng.randint(2, 3000))
        elif op == 7:                         # damage boundaries
            for m in list(re.finditer(rb'boundary="?([^";\r\n]+)', bytes(data)))[:3]:
                b = m.group(1)
                how = rng.randrange(4)
                if how == 0:
                    data = bytearray(bytes(data).replace(b"--" + b + b"--", b"--" + b[:-1] + b"--"))
                elif how == 1:
                    data = bytearray(bytes(data).replace(b"--" + b, b"--" + b + b"\x00", 1))
                elif how == 2:
                    data = bytearray(bytes(data).replace(b"--" + b + b"--", b""))
                else:
                    data = bytearray(bytes(data).replace(b, b"", 1))
        elif op == 8:                         # line endings
            data = bytearray(bytes(data).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\r", b"\r\r\n"])))
        elif op == 9:                         # mbox From line in front
            data[0:0] = rng.choice(FROM_LINES)
        elif op == 10 and n:                  # delete a range
            i = rng.randrange(n)
            del data[i:i + rng.randint(1, max(1, n // 8))]
        elif op == 11:                        # splice another seed
            other = rng.choice(seeds)
            if other:
                i = rng.randrange(len(other))
                k = rng.randint(0, n)
                insert(data, k, other[i:i + rng.randint(1, 8192)])
        elif op == 12:                        # random bytes
            i = rng.randint(0, n)
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif op == 13 and rng.random() < 0.1: # degenerate inputs
            data = bytearray(rng.choice([b"", b"\n", b"\r\n", b"\x00", b"From \n", b"From x\n\n", b":\n\n",
                                         b"Subject: only a header", b"\n\nbody"]))
    return bytes(data[:CAP])

def fields_offset(data):
    """usc_message_fields_offset(): after the From line and any lines that
    begin with a blank before the first field (they would continue ours)."""
    at = mbox_from_end(data)
    while at < len(data) and data[at:at + 1] in (b" ", b"\t"):
        while at < len(data) and data[at:at + 1] not in (b"\n", b"\r"):
            at += 1
        if data[at:at + 1] == b"\r":
            at += 1
        if data[at:at + 1] == b"\n":
            at += 1
    return at

def mbox_from_end(data):
    """usc_mbox_from_end() of usc-mbox.c."""
    if len(data) < 5 or data[:5] != b"From ":
        return 0
    for i in range(5, len(data)):
        if data[i:i + 1] == b"\n":
            return i + 1
        if data[i:i + 1] == b"\r":
            return i + 2 if data[i + 1:i + 2] == b"\n" else i + 1
    return len(data)

VALUE = rb"[\x20-\x7e\t]*"
def added_fields(prefix):
    """The verdict when @prefix is exactly the two added header fields (with
    folded continuation lines, one line ending throughout), else None."""
    for eol in (b"\r\n", b"\n", b"\r"):
        e = re.escape(eol)
        rx = (rb"X-Unscatter-Verdict: (" + VALUE + rb")" + e + rb"(?:[ \t]" + VALUE + e + rb")*"
              + rb"X-Unscatter-Reason: " + VALUE + e + rb"(?:[ \t]" + VALUE + e + rb")*")
        m = re.fullmatch(rx, prefix)
        if m:
            return m.group(1).decode().split(" ")[0]
    return None

def limits():
    if asan != "yes":
        resource.setrlimit(resource.RLIMIT_AS, (768 << 20, 768 << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

def run(args, inp):
    with open(inp, "rb") as f:
        try:
            p = subprocess.run(args, stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=20, preexec_fn=limits)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return None, b"", b""

def listing(m):
    out = []
    for root, _, files in os.walk(m):
        for f in files:
            out.append(os.path.relpath(os.path.join(root, f), m))
    return sorted(out)

def check_case(data, cfg):
    """Returns a list of problems (empty when all is well) and the outcome."""
    name, _, actions, folder = cfg
    conf = os.path.join(work, "config-" + name)
    inp = os.path.join(work, "input.msg")
    with open(inp, "wb") as f:
        f.write(data)
    m = os.path.join(work, "Maildir")
    shutil.rmtree(m, ignore_errors=True)
    problems = []
    fe = mbox_from_end(data)
    at = fields_offset(data)
    lead = data[fe:at]      # stored before the added fields
    body = data[at:]        # stored after them

    rc, _, err = run([unscatter, "deliver", "--config", conf, "--maildir", m], inp)
    files = [f for f in listing(m) if f != os.path.join("." + folder, "maildirfolder")] if os.path.isdir(m) else []
    stored = None
    outcome = "deliver rc %s" % rc
    if rc is None:
        problems.append("deliver: hang")
    elif rc not in (0, 75):
        problems.append("deliver: exit %d%s" % (rc, " (signal)" if rc < 0 else ""))
    elif rc == 75:
        problems.append("deliver: deferred (75) with a healthy Maildir: %s" % err.decode("utf-8", "replace").strip()[:200])
        if files:
            problems.append("deliver: 75 but stored %s" % files)
    else:
        bad = [f for f in files if os.path.basename(os.path.dirname(f)) != "new"]
        if bad:
            problems.append("deliver: files outside new/: %s" % bad)
        newf = [f for f in files if os.path.basename(os.path.dirname(f)) == "new"]
        if len(newf) > 1:
            problems.append("deliver: %d copies stored: %s" % (len(newf), newf))
        elif len(newf) == 0:
            stored = "discarded"
        else:
            where = os.path.dirname(os.path.dirname(newf[0]))
            content = open(os.path.join(m, newf[0]), "rb").read()
            if content == lead + body:
                stored = "unchanged"
                if b"delivered to the inbox unfiltered" not in err:
                    problems.append("deliver: stored unchanged without saying so on stderr")
                if where != "":
                    problems.append("deliver: unjudged message filed in %s" % where)
            elif (not content.startswith(lead) or not content.endswith(body)
                  or added_fields(content[len(lead):len(content) - len(body)]) is None):
                problems.append("deliver: stored content is not the input plus the two fields")
            else:
                verdict = added_fields(content[len(lead):len(content) - len(body)])
                stored = content
                act = actions.get(verdict)
                if act is None:
                    problems.append("deliver: unknown verdict %r" % verdict)
                elif act == "discard":
                    problems.append("deliver: verdict %s is discarded, yet stored" % verdict)
                elif act == "file" and where != "." + folder:
                    problems.append("deliver: verdict %s stored in %r, not .%s" % (verdict, where, folder))
                elif act == "deliver" and where != "":
                    problems.append("deliver: verdict %s stored in %r, not the inbox" % (verdict, where))
                outcome = "deliver %s -> %s" % (verdict, where or "inbox")

    rc2, out, err2 = run([unscatter, "filter", "--config", conf], inp)
    if rc2 is None:
        problems.append("filter: hang")
    elif rc2 < 0:
        problems.append("filter: killed by signal %d" % -rc2)
    elif rc2 != 0 and rc == 0:
        # allowed for procmail, but with a healthy set-up where deliver
        # managed, it hides a crash (the handlers turn it into 75)
        problems.append("filter: exit %d where deliver succeeded: %s" % (
            rc2, err2.decode("utf-8", "replace").strip()[:200]))
    elif rc2 == 0:
        if out == data:
            if stored not in (None, "unchanged"):
                problems.append("filter passed it on unchanged, deliver judged it")
        elif not (out[:at] == data[:at] and out.endswith(body)
                  and added_fields(out[at:len(out) - len(body)]) is not None):
            problems.append("filter: output is not the input plus the two fields")
        elif stored == "unchanged":
            problems.append("filter judged it, deliver stored it unchanged")
        elif isinstance(stored, bytes) and stored != out[fe:]:
            problems.append("filter and deliver disagree: %r vs %r" % (
                out[at:len(out) - len(body)][:200], stored[len(lead):len(stored) - len(body)][:200]))
        elif stored == "discarded" and actions.get(added_fields(out[at:len(out) - len(body)])) != "discard":
            problems.append("deliver stored nothing for verdict %s" % added_fields(out[at:len(out) - len(body)]))
    if stored in ("unchanged", "discarded"):
        outcome = "deliver " + stored
    return problems, outcome

counts = {"cases": 0, "failed": 0}
outcomes = {}
kept = []
start = time.monotonic()
while (ncases and counts["cases"] < ncases) or (not ncases and time.monotonic() - start < seconds):
    data = mutate(rng.choice(seeds))
    cfg = CONFIGS[counts["cases"] % len(CONFIGS)]
    problems, outcome = check_case(data, cfg)
    counts["cases"] += 1
    key = outcome.split(" ->")[0]
    outcomes[key] = outcomes.get(key, 0) + 1
    if problems:
        counts["failed"] += 1
        out = os.path.join(crashdir, "deliver-%s-%d-%s.msg" % (seed, counts["cases"], cfg[0]))
        with open(out, "wb") as f:
            f.write(data)
        kept.append(out)
        print("soak-deliver: FAIL case %d (config %s): %s: %s" % (counts["cases"], cfg[0], out,
              "; ".join(problems)), flush=True)

elapsed = time.monotonic() - start
print("soak-deliver: %d cases in %.0f s, %d seeds; failed: %d; outcomes: %s"
      % (counts["cases"], elapsed, len(seeds), counts["failed"],
         ", ".join("%s: %d" % kv for kv in sorted(outcomes.items()))))
if kept:
    print("soak-deliver: failing inputs kept:")
    for k in kept:
        print("  " + k)
    sys.exit(1)
sys.exit(0)
PYEOF
status=$?
rmdir "$crashdir" 2>/dev/null || true
exit $status
