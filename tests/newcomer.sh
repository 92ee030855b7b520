#!/bin/sh
# tests/newcomer.sh — a new user's first hour (make newcomer; .ci/run runs
# it): bootstrap a clean Debian 12 root (debootstrap --variant=minbase
# bookworm, from the apt mirror this machine is configured with), clone the
# repository into it, and run the README's two commands verbatim inside a
# chroot, as root: the first must exit 0 and end with exactly the output the
# README shows after it; the second (the test suite) must exit 0.
#
# Skipped (exit 0, with the reason) when not root, without debootstrap or
# chroot, without git, or when the mirror cannot be reached. A failure exits 1.
#
# Usage: tests/newcomer.sh [SRCDIR]
#   env: NEWCOMER_MIRROR (default: the first deb.debian.org-like URI in
#   /etc/apt/sources.list*), NEWCOMER_KEEP=1 (keep the root, for a look),
#   TMPDIR.
set -u
srcdir=$(cd "${1:-$(dirname "$0")/..}" && pwd)
skip () { echo "newcomer: skipped: $*"; exit 0; }
fail () { echo "newcomer: FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null 2>&1 || skip "debootstrap not installed"
command -v chroot >/dev/null 2>&1 || skip "chroot not found"
command -v git >/dev/null 2>&1 || skip "git not installed"
git -C "$srcdir" rev-parse HEAD >/dev/null 2>&1 || skip "$srcdir is not a git checkout (nothing to clone)"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed (reads the README)"

mirror=${NEWCOMER_MIRROR:-}
if [ -z "$mirror" ]; then
  # one-line "deb URI suite ..." or deb822 "URIs: URI"; not the security archive
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([a-z]*:\/\/[^ ]*\) .*/\2/p' -e 's/^URIs: *\([^ ]*\).*/\1/p' |
    grep -v security | head -1)
fi
[ -n "$mirror" ] || skip "no apt mirror found in /etc/apt/sources.list*"

work=$(mktemp -d "${TMPDIR:-/tmp}/usc-newcomer.XXXXXX")
root=$work/root
cleanup () {
  umount "$root/proc" 2>/dev/null
  if [ "${NEWCOMER_KEEP:-0}" = 1 ]; then echo "newcomer: root kept in $root"; else rm -rf --one-file-system "$work"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The README's two commands and the output shown after the first.
python3 - "$srcdir/README.md" "$work" <<'PY' || fail "README: cannot find its two commands and the sample output"
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
shown = re.search(r"<!-- first-command-output -->\s*\n```text\n(.*?)```", readme, re.S)
if len(blocks) < 2 or not shown:
    sys.exit(1)
for name, text in (("first", blocks[0]), ("second", blocks[1]), ("shown", shown.group(1))):
    open(sys.argv[2] + "/" + name, "w", encoding="utf-8").write(text)
PY

t0=$(date +%s)
echo "newcomer: debootstrap --variant=minbase bookworm from $mirror"
if ! debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1; then
  tail -5 "$work/debootstrap.log"
  if grep -qi "failed to download\|couldn't download\|unable to fetch\|Release signed by unknown\|Failed getting release" "$work/debootstrap.log"; then
    skip "the mirror $mirror cannot be reached"
  fi
  fail "debootstrap failed (log above)"
fi
t1=$(date +%s)
echo "newcomer: bootstrapped in $((t1 - t0)) s"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
mount -t proc proc "$root/proc" || fail "cannot mount /proc in the chroot"

# The clone a newcomer makes (the committed tree of the current branch).
git clone -q "$srcdir" "$root/root/unscatter" || fail "git clone"
echo "newcomer: cloned $(git -C "$root/root/unscatter" log -1 --format='%h %s')"

in_root () {  # in_root COMMAND-FILE LOG: the command, verbatim, in the source tree
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 /bin/sh -c "cd /root/unscatter && $(cat "$1")" > "$2" 2>&1
}

status=0
in_root "$work/first" "$work/first.log"
rc=$?
t2=$(date +%s)
echo "newcomer: first command: exit $rc in $((t2 - t1)) s"
n=$(wc -l < "$work/shown")
tail -n "$n" "$work/first.log" > "$work/first.tail"
if [ "$rc" != 0 ]; then
  tail -20 "$work/first.log"; status=1; echo "newcomer: FAILED: the first command exits $rc"
elif ! cmp -s "$work/first.tail" "$work/shown"; then
  diff -u "$work/shown" "$work/first.tail"; status=1; echo "newcomer: FAILED: the first command's output is not what the README shows"
else
  echo "newcomer: first command: output as the README shows ($n lines)"
fi

in_root "$work/second" "$work/second.log"
rc=$?
t3=$(date +%s)
echo "newcomer: second command: exit $rc in $((t3 - t2)) s; $(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$work/second.log" | tr -s ' ' | tr '\n' ' ')"
grep '^SKIP:' "$work/second.log" | sed 's/^/newcomer: /' | head -20
if [ "$rc" != 0 ]; then
  grep -E '^(FAIL|ERROR):' "$work/second.log" | head -20; status=1; echo "newcomer: FAILED: the second command exits $rc"
fi
echo "newcomer: $([ $status = 0 ] && echo passed || echo FAILED) in $((t3 - t0)) s"
exit $status
