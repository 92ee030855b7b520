# unscatter (vnd.dovecot.execute): run before the user's own script
# (sieve_before). Only the exit status counts: never add :output.
require ["vnd.dovecot.execute", "fileinto", "mailbox"];
if execute :pipe "unscatter-check" {
  fileinto :create "Backscatter";
  stop;
}
