#!/bin/sh
# bench/run.sh — make bench. (being written)
echo "bench: nothing yet"
