#!/usr/bin/env bash
# Every UI string is translated into Finnish and Swedish, with the same printf
# conversions as its English key, and no stale entries remain.
exec python3 "$2/scripts/po-check.py" "$2"
