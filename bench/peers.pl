#!/usr/bin/perl
# bench/peers.pl TOOL [SA-CONFIG-DIR] < FILE-LIST — the Perl peers of
# `make bench-peers` (bench/peers.py): for each file named on stdin, one line
# "FILE<TAB>BOUNCE(0|1)<TAB>MESSAGE-ID or -", then "#time SECONDS" (the
# parsing loop only, module loading excluded). TOOL is
#   sisimai       Sisimai (libsisimai-perl): a bounce when it returns a result
#   bounceparser  Mail::DeliveryStatus::BounceParser: is_bounce
#   vbounce       SpamAssassin with only the VBounce plugin and rules
#                 (SA-CONFIG-DIR holds that minimal config): a bounce when
#                 ANY_BOUNCE_MESSAGE or one of its sub-rules hits
use strict;
use warnings;
use Time::HiRes qw(time);

my ($tool, $sadir) = @ARGV;
die "usage: peers.pl sisimai|bounceparser|vbounce [SA-CONFIG-DIR] < LIST\n" unless $tool;
my @files = map { chomp; $_ } grep { /\S/ } <STDIN>;
sub slurp { my $f = shift; open my $h, '<:raw', $f or return ''; local $/; my $s = <$h>; return $s // ''; }
sub clean { my $s = shift // ''; $s =~ s/^\s*<//; $s =~ s/>\s*$//; $s =~ s/[\t\r\n]//g; return length $s ? $s : '-'; }
my $one;
if ($tool eq 'sisimai') {
    require Sisimai;
    my $parse = Sisimai->can ('rise') || Sisimai->can ('make');
    $one = sub {
        my $data = slurp (shift);
        $data = "From MAILER-DAEMON Thu Jan  1 00:00:00 2024\n$data" unless $data =~ /^From /;
        my $v = eval { $parse->('Sisimai', \$data) } // [];
        return (0, '-') unless @$v;
        return (1, clean ($v->[0]->messageid));
    };
} elsif ($tool eq 'bounceparser') {
    require Mail::DeliveryStatus::BounceParser;
    $one = sub {
        my $data = slurp (shift);
        my $b = eval { Mail::DeliveryStatus::BounceParser->new ($data) };
        return (0, '-') unless $b && $b->is_bounce;
        my $id = eval { $b->orig_message_id } // eval { $b->orig_header->get ('Message-ID') };
        return (1, clean ($id));
    };
} elsif ($tool eq 'vbounce') {
    require Mail::SpamAssassin;
    my $sa = Mail::SpamAssassin->new ({
        rules_filename => $sadir, site_rules_filename => "$sadir/site", userprefs_filename => "$sadir/user_prefs",
        local_tests_only => 1, dont_copy_prefs => 1, home_dir_for_helpers => $sadir,
        pre_config_text => "loadplugin Mail::SpamAssassin::Plugin::Check\nloadplugin Mail::SpamAssassin::Plugin::VBounce\n" });
    $sa->compile_now (0);
    $one = sub {
        my $data = slurp (shift);
        my $m = $sa->parse ($data);
        my $st = $sa->check ($m);
        my $hits = $st->get_names_of_tests_hit;
        $st->finish; $m->finish;
        return ($hits =~ /\b(?:ANY_BOUNCE_MESSAGE|BOUNCE_MESSAGE|OOOBOUNCE_MESSAGE|CRBOUNCE_MESSAGE|VBOUNCE_MESSAGE|CHALLENGE_RESPONSE)\b/ ? 1 : 0, '-');
    };
} else {
    die "peers.pl: unknown tool $tool\n";
}
my $t0 = time;
for my $f (@files) {
    my ($b, $id) = $one->($f);
    print "$f\t$b\t$id\n";
}
printf "#time %.6f\n", time - $t0;
