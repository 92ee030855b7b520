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
trap '[ -n "$installed" ] && dpkg -r unscatter-dovecot unscatter-sieve unscatter >/dev/null 2>&1; rm -rf "$TMP"' EXIT

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
# The plugin and the libsieve runner, each its own binary package.
debs=$deb
for p in unscatter-dovecot unscatter-sieve; do
  d=$(ls "$TMP"/build/${p}_*.deb 2>/dev/null | head -1)
  [ -n "$d" ] && ok "builds ${p}_VERSION_ARCH.deb" || not_ok "builds ${p}_VERSION_ARCH.deb"
  [ -n "$d" ] && debs="$debs $d"
done

run_rc dpkg -i $debs
is "$rc" 0 "dpkg -i unscatter unscatter-dovecot unscatter-sieve"
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

# unscatter-dovecot: the plugin where Dovecot looks for Sieve plugins, and
# its snippets; the plugin-free route's files stay in unscatter.
[ -f /usr/lib/dovecot/modules/sieve/lib90_sieve_unscatter_plugin.so ] && ok "unscatter-dovecot: the plugin in Dovecot's sieve module directory" || not_ok "unscatter-dovecot: the plugin in Dovecot's sieve module directory"
is "$(dpkg -S /usr/share/unscatter/dovecot/90-unscatter.conf 2>/dev/null | cut -d: -f1)" unscatter-dovecot "unscatter-dovecot: the plugin's config snippet"
is "$(dpkg -S /usr/libexec/unscatter/sieve-execute/unscatter-check 2>/dev/null | cut -d: -f1)" unscatter "unscatter: the execute route's wrapper"
if command -v sievec >/dev/null 2>&1; then
  printf 'require ["vnd.unscatter", "fileinto"];\nif backscatter { fileinto "Backscatter"; }\n' > "$TMP/t.sieve"
  printf 'plugin {\n  sieve_plugins = sieve_unscatter\n  sieve_global_extensions = +vnd.unscatter\n}\n' > "$TMP/sievec.conf"
  run_rc sievec -c "$TMP/sievec.conf" "$TMP/t.sieve" "$TMP/t.svbin"
  if [ "$rc" = 0 ]; then ok "sievec compiles a vnd.unscatter script with the packaged plugin"
  else not_ok "sievec compiles a vnd.unscatter script with the packaged plugin"; diag "$err"; fi
else
  skip "sievec not installed (dovecot-sieve): the packaged plugin's script"
fi
# unscatter-sieve: the runner files a forged bounce by its script.
printf 'require "fileinto";\nif header :is "X-Unscatter-Verdict" "backscatter" { fileinto "Backscatter"; }\n' > "$TMP/u.sieve"
run_rc sh -c '/usr/bin/unscatter-sieve --db "$1" --maildir "$2" "$3" < "$4"' sh "$TMP/record.db" "$TMP/Maildir" "$TMP/u.sieve" "$F/bounce-forged.msg"
is "$rc" 0 "/usr/bin/unscatter-sieve: exit 0"
is "$(ls "$TMP/Maildir/.Backscatter/new" 2>/dev/null | wc -l | tr -d ' ')" 1 "/usr/bin/unscatter-sieve: the forged bounce filed in Backscatter"
[ -f /usr/share/man/man1/unscatter-sieve.1.gz ] && ok "unscatter-sieve(1) installed" || not_ok "unscatter-sieve(1) installed"

run_rc dpkg -r unscatter-dovecot unscatter-sieve unscatter
is "$rc" 0 "dpkg -r unscatter-dovecot unscatter-sieve unscatter"
[ "$rc" = 0 ] && installed=
[ -e /usr/bin/unscatter ] && not_ok "removed: /usr/bin/unscatter is gone" || ok "removed: /usr/bin/unscatter is gone"
done_testing
