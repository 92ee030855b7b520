#!/usr/bin/perl
# big-seeds.pl DIR — large seeds (1-10 MB) for the message, filter and headers
# harnesses, the shapes where amplification lives (issue 10): a DSN with many
# text/rfc822-headers parts of tiny header lines, one with base64
# message/rfc822 parts, a long DSN body, and one header block of many fields.
use strict; use warnings; use MIME::Base64;
my $dir = shift or die "usage: big-seeds.pl DIR\n";
my $head = "Return-Path: <>\nFrom: MAILER-DAEMON\@mx.example.net\nTo: me\@example.org\n"
  . "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <big\@mx.example.net>\n"
  . "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
  . "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
  . "Final-Recipient: rfc822; a\@example.net\nAction: failed\nStatus: 5.1.1\n\n";
sub put { my ($name, $s) = @_; open my $f, '>', "$dir/$name" or die "$dir/$name: $!"; print $f $s; close $f; }
for my $mb (1, 3, 10) {
  my $target = $mb * 1024 * 1024;
  # many text/rfc822-headers parts full of tiny header lines
  my $s = $head; my $i = 0;
  while (length $s < $target) {
    $s .= "--B\nContent-Type: text/rfc822-headers\n\n";
    $s .= "X$_: y\n" for 1 .. 200;
    $s .= "Message-ID: <p" . $i++ . "\@example.org>\n\n";
  }
  put ("big-rfc822-headers-${mb}mb.eml", "$s--B--\n");
  # base64 message/rfc822 parts
  my $inner = "From: me\@example.org\nMessage-ID: <orig\@example.org>\n" . join ('', map { "H$_: v\n" } 1 .. 300) . "\nbody\n";
  my $part = "--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" . encode_base64 ($inner) . "\n";
  $s = $head; $s .= $part while length $s < $target;
  put ("big-rfc822-base64-${mb}mb.eml", "$s--B--\n");
}
# a long delivery-status part and one header block of many fields
my $s = $head; $s =~ s/\n\n\z/\n/; my $n = 0;
$s .= "\nFinal-Recipient: rfc822; r" . $n++ . "\@example.net\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no\n" while length $s < 3 * 1024 * 1024;
put ("big-dsn-recipients-3mb.eml", "$s\n--B--\n");
$s = "From: a\@example.org\n"; $s .= "X-F$_: " . ("v" x 40) . "\n" for 1 .. 30000;
put ("big-header-block-1mb.eml", "$s\nbody\n");
