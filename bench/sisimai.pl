#!/usr/bin/perl
# bench/sisimai.pl DIR ROUNDS — parse every message in DIR (a Maildir-like
# directory of one message per file) with Sisimai, ROUNDS times, in this one
# process. Prints "messages wall-seconds cpu-seconds results version" (module
# loading excluded: timed from the first parse to the last). Used by bench/bench.py beside `unscatter check`.
use strict;
use warnings;
use Time::HiRes qw(time);

my ($dir, $rounds) = @ARGV;
die "usage: sisimai.pl DIR ROUNDS\n" unless defined $dir && -d $dir;
$rounds ||= 1;
require Sisimai;
opendir (my $dh, $dir) or die "$dir: $!\n";
my $files = grep { -f "$dir/$_" } readdir $dh;
closedir $dh;
# Sisimai 5 renamed make() to rise(); use whichever this version has.
my $parse = Sisimai->can ('rise') || Sisimai->can ('make') or die "Sisimai has neither rise nor make\n";
my $found = 0;
my @c0 = times;
my $t0 = time;
for (1 .. $rounds) {
    my $v = $parse->('Sisimai', $dir) // [];
    $found += scalar @$v;
}
my $t = time - $t0;
my @c1 = times;
my $cpu = ($c1[0] - $c0[0]) + ($c1[1] - $c0[1]);
printf "%d %.6f %.6f %d %s\n", $files * $rounds, $t, $cpu, $found, Sisimai->version;
