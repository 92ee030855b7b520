# unscatter (Pigeonhole plugin): imapsieve script for the Sent folder.
require ["vnd.unscatter"];
unscatter_record;
