#!/bin/sh
# tests/compare-baseline.sh — the refactoring gate: record what `check --json`
# and `check --explain` say about every message we have, then, after a change
# that must not alter behaviour, say it again and compare byte for byte.
#
# Usage: sh tests/compare-baseline.sh record|compare UNSCATTER SRCDIR DIR
#   record   writes DIR/baseline/{lf,crlf}.{json,explain}
#   compare  writes DIR/current/... and diffs it against DIR/baseline
# (`make baseline` and `make compare-baseline` call it with DIR = the build
# directory's baseline.d, which is not in git.)
#
# Inputs: SRCDIR/fixtures/**/*.eml, SRCDIR/tests/heldout/**/*.eml and every
# file of $USC_CORPUS (default SRCDIR/../shared/corpus)/bounces, each as it is
# ("lf") and with every line ending turned into CRLF ("crlf").  Each input is
# copied under the SHA-256 of its content, so renaming a fixture does not
# change the output; the verdicts are given against a record of
# fixtures/sent/*.eml, so they are exercised too.
set -u
mode=${1:-}
usc=${2:-}
src=${3:-}
dir=${4:-}
if [ -z "$mode" ] || [ -z "$usc" ] || [ -z "$src" ] || [ -z "$dir" ]; then
	echo "usage: sh tests/compare-baseline.sh record|compare UNSCATTER SRCDIR DIR" >&2
	exit 2
fi
case $mode in
record) out="$dir/baseline" ;;
compare) out="$dir/current" ;;
*) echo "compare-baseline: unknown mode '$mode'" >&2; exit 2 ;;
esac
corpus=${USC_CORPUS:-$src/../shared/corpus}
work="$dir/work"
rm -rf "$work" "$out"
mkdir -p "$work/lf" "$work/crlf" "$work/home" "$out" || exit 1

# the inputs, by content
{
	find "$src/fixtures" "$src/tests/heldout" -type f -name '*.eml'
	[ -d "$corpus/bounces" ] && find "$corpus/bounces" -type f
} | sort | while IFS= read -r f; do
	h=$(sha256sum <"$f" | cut -c1-16)
	cp "$f" "$work/lf/$h.eml"
	sed 's/\r*$/\r/' "$f" >"$work/crlf/$h.eml"
done
n=$(ls "$work/lf" | wc -l)
[ -d "$corpus/bounces" ] || echo "compare-baseline: no corpus at $corpus (fixtures only)" >&2

export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config" LC_ALL=C.UTF-8
unset UNSCATTER_DB ORIGINAL_RECIPIENT ORIG_RECIPIENT RECIPIENT SENDER 2>/dev/null || true
db="$work/record.db"
"$usc" record --db "$db" "$src"/fixtures/sent/*.eml >/dev/null || exit 1

for v in lf crlf; do
	# relative names: the output does not depend on where DIR is
	(cd "$work/$v" && ls | sort >../list.$v)
	(cd "$work/$v" && xargs "$usc" check --json --db "$db" <../list.$v) >"$out/$v.json" 2>"$out/$v.json.err"
	(cd "$work/$v" && xargs "$usc" check --explain --db "$db" <../list.$v) >"$out/$v.explain" 2>"$out/$v.explain.err"
done
echo "compare-baseline: $mode: $n messages x {lf,crlf} x {--json,--explain} in $out"

[ "$mode" = record ] && exit 0
[ -d "$dir/baseline" ] || { echo "compare-baseline: no baseline in $dir/baseline (run the record step first)" >&2; exit 2; }
st=0
for f in lf.json crlf.json lf.explain crlf.explain lf.json.err crlf.json.err lf.explain.err crlf.explain.err; do
	if cmp -s "$dir/baseline/$f" "$out/$f"; then
		echo "  same: $f ($(wc -l <"$out/$f") lines)"
	else
		echo "  DIFFERENT: $f"
		diff "$dir/baseline/$f" "$out/$f" | head -20
		st=1
	fi
done
[ $st -eq 0 ] && echo "compare-baseline: byte-identical" || echo "compare-baseline: OUTPUT CHANGED"
exit $st
