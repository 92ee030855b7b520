#!/bin/sh
# dict.sh SRCDIR OUT [FILE...] — a libFuzzer dictionary of the markers the
# parser looks for, taken from its own tables: every C string literal of
# src/*.h, src/mta/*.def and src/lang/*.def (the per-language wording), or of
# the FILEs given (paths under SRCDIR: the parser of
# one harness, e.g. src/usc-received.c), plus the header field names every
# harness meets. One "..." entry per line, escaped as libFuzzer wants (\\,
# \" and \xNN for non-printable bytes).
set -eu
src=$1 out=$2
shift 2
if [ $# -gt 0 ]; then
  files=
  for f in "$@"; do files="$files $src/$f"; done
else
  files=$(ls "$src"/src/*.h "$src"/src/mta/*.def "$src"/src/lang/*.def 2>/dev/null || true)
fi
# shellcheck disable=SC2086
cat $files | perl -ne '
  while (/"((?:[^"\\\n]|\\.){2,120})"/g) {
    my $s = $1;
    $s =~ s/\\n/\n/g; $s =~ s/\\t/\t/g; $s =~ s/\\r/\r/g; $s =~ s/\\"/"/g; $s =~ s/\\\\/\\/g;
    next if $s =~ /%[sdu]/;           # format strings are no markers
    my $e = "";
    for my $c (split //, $s) {
      my $o = ord $c;
      if ($c eq "\\" || $c eq "\"") { $e .= "\\$c" }
      elsif ($o < 0x20 || $o > 0x7e) { $e .= sprintf "\\x%02X", $o }
      else { $e .= $c }
    }
    print "\"$e\"\n";
  }' | sort -u > "$out.tmp"
for f in Content-Type: multipart/report message/delivery-status message/rfc822 \
         text/rfc822-headers message/global-headers boundary= report-type= \
         Final-Recipient: Action: Status: Diagnostic-Code: Reporting-MTA: \
         Message-ID: In-Reply-To: References: Return-Path: Auto-Submitted: \
         Content-Transfer-Encoding: base64 quoted-printable prvs= "[actions]" "[limits]" "[record]" "[batv]"; do
  printf '"%s"\n' "$f"
done >> "$out.tmp"
sort -u "$out.tmp" > "$out"
rm -f "$out.tmp"
