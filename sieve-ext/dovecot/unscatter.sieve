# unscatter (Pigeonhole plugin): run before the user's own script (sieve_before).
require ["vnd.unscatter", "fileinto", "mailbox"];
if backscatter {
  fileinto :create "Backscatter";
  stop;
}
