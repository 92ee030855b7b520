#!/bin/sh
# The Debian package, as an admin uses it: `dpkg-buildpackage -us -uc -b` in
# a copy of the source tree builds unscatter_VERSION_ARCH.deb (lintian clean
# at the default level, when lintian is installed); `dpkg -i` installs it on
# this machine; /usr/bin/unscatter judges a forged and a genuine bounce; the
# man pages are installed; `dpkg -r` removes it again.
# Slow (about 20 s) and it changes the machine: only with USC_SLOW_TESTS=1
# (.ci/run sets it), as root, and never when an unscatter package is already
# installed (it would be replaced, then removed).
. "$top_srcdir/tests/lib.sh"
[ "${USC_SLOW_TESTS:-0}" = 1 ] || skip_all "the Debian package test is slow and installs a package: set USC_SLOW_TESTS=1 to run it"
[ "$(id -u)" = 0 ] || skip_all "dpkg -i needs root"
command -v dpkg-buildpackage >/dev/null 2>&1 || skip_all "dpkg-buildpackage not installed (package dpkg-dev)"
command -v dh >/dev/null 2>&1 || skip_all "debhelper not installed"
[ -f "$top_srcdir/debian/control" ] || skip_all "no debian/ directory in $top_srcdir"
if dpkg-query -W -f '${Status}' unscatter 2>/dev/null | grep -q installed; then
  skip_all "an unscatter package is already installed here: not replacing it"
fi
tmpdir
installed=
trap '[ -n "$installed" ] && dpkg -r unscatter >/dev/null 2>&1; rm -rf "$TMP"' EXIT

# A copy of the source: the tracked files of a git checkout (no build
# products), or the whole tree of an unpacked tarball.
mkdir -p "$TMP/build/src"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$top_srcdir" && git ls-files | tar -cf - -T -) | tar -xf - -C "$TMP/build/src"
else
  cp -a "$top_srcdir/." "$TMP/build/src/"
  chmod -R u+w "$TMP/build/src"
fi
is "$?" 0 "a copy of the source tree"

(cd "$TMP/build/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) > "$TMP/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b"
[ "$rc" = 0 ] || diag "$(tail -20 "$TMP/build.log")"
deb=$(ls "$TMP"/build/unscatter_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] && ok "builds unscatter_VERSION_ARCH.deb" || not_ok "builds unscatter_VERSION_ARCH.deb"
if command -v lintian >/dev/null 2>&1; then
  out=$(lintian "$TMP"/build/*.changes 2>&1 | grep -v '^running with root privileges')
  is "$out" "" "lintian: no error, no warning"
else
  skip "lintian not installed"
fi
[ -n "$deb" ] || deb=/nonexistent.deb

run_rc dpkg -i "$deb"
is "$rc" 0 "dpkg -i"
[ "$rc" = 0 ] && installed=yes
[ "$rc" = 0 ] || diag "$err"
run_rc /usr/bin/unscatter --version
is "$rc:$out" "0:unscatter $(sed -n '1s/^unscatter (\([^)-]*\).*/\1/p' "$top_srcdir/debian/changelog")" "/usr/bin/unscatter --version: the packaged version"
[ -f /usr/share/man/man1/unscatter.1.gz ] && ok "unscatter(1) installed" || not_ok "unscatter(1) installed"
[ -f /usr/share/man/man5/unscatter.conf.5.gz ] && ok "unscatter.conf(5) installed" || not_ok "unscatter.conf(5) installed"

F=$FIXTURES/deliver
run_rc /usr/bin/unscatter --db "$TMP/record.db" record "$F/sent-original.msg"
is "$rc" 0 "/usr/bin/unscatter record: exit 0"
run_rc /usr/bin/unscatter --db "$TMP/record.db" check "$F/bounce-forged.msg"
is "$rc:$out" "0:$F/bounce-forged.msg: backscatter dsn file" "/usr/bin/unscatter check: a forged bounce is backscatter, exit 0"
run_rc /usr/bin/unscatter --db "$TMP/record.db" check "$F/bounce-genuine.msg"
is "$rc:$out" "1:$F/bounce-genuine.msg: legitimate dsn deliver" "/usr/bin/unscatter check: a genuine bounce is legitimate, exit 1"

run_rc dpkg -r unscatter
is "$rc" 0 "dpkg -r unscatter"
[ "$rc" = 0 ] && installed=
[ -e /usr/bin/unscatter ] && not_ok "removed: /usr/bin/unscatter is gone" || ok "removed: /usr/bin/unscatter is gone"
done_testing
