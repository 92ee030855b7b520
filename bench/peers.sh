#!/bin/sh
# bench/peers.sh UNSCATTER — `make bench-peers`: unscatter beside Sisimai,
# Mail::DeliveryStatus::BounceParser, flufl.bounce and SpamAssassin's VBounce
# rules on the same files (bench/peers.py, bench/peers.pl). Installs nothing:
# a missing peer is named, with its Debian package, and left out.
usc=${1:-}
[ -n "$usc" ] || { echo "usage: sh bench/peers.sh /abs/path/to/unscatter" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/python3 ] || { echo "bench-peers: /usr/bin/python3 is missing (apt-get install python3)" >&2; exit 1; }
command -v perl >/dev/null 2>&1 || { echo "bench-peers: perl is missing" >&2; exit 1; }
exec /usr/bin/python3 "$here/peers.py" "$usc"
