"""tests/soak_bound.py: the size bound shared by the soak mutators
(tests/soak.sh and tests/soak-deliver.sh import it through PYTHONPATH).

Every mutated input is bounded. The default [limits] max_bytes (64 MiB)
would be too much for a soak, so inputs stop at CAP = 6 MiB: beyond the
"limits" configuration's max_bytes and every parser limit, with a margin.
insert() never builds a larger buffer, so mutations compounded in one case
(duplicated header blocks, repeated lines: issue 7 saw 23 GB) cannot exhaust
memory; it consumes no random numbers, so a seed still replays.
"""

CAP = 6 << 20


def insert(data, k, chunk, times=1):
    """data[k:k] = chunk * times, with times cut so data stays under CAP."""
    if chunk:
        times = max(0, min(times, (CAP - len(data)) // len(chunk)))
        if times:
            data[k:k] = chunk * times
