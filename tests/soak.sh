#!/bin/sh
# tests/soak.sh — longer soak and fuzz runs (make soak). (being written)
echo "soak: nothing yet"
