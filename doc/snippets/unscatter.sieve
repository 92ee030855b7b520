# ~/.unscatter.sieve: the Sieve script unscatter-sieve runs (see ~/.forward).
# Bounces, auto-replies and challenges answering mail you never sent
# (backscatter) go to the folder Backscatter; everything else is kept.
require ["fileinto"];
if header :is "X-Unscatter-Verdict" "backscatter" {
  fileinto "Backscatter";
  stop;
}
