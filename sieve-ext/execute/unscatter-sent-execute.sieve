# unscatter (vnd.dovecot.execute): imapsieve script for the Sent folder.
require ["vnd.dovecot.execute"];
execute :pipe "unscatter-record";
