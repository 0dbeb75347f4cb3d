#!/usr/bin/env bash
# The layering rules of docs/architecture.md that a compiler does not check:
# - core/ includes no SDL, libcurl or libmicrohttpd;
# - SQL stays in store and storage modules: the kiosk's front end and kioskctl never
#   include the store's connection header (store_sql.h) or sqlite3.h, nor call store_db;
# - no circles among the files of core/ or of kiosk/ (layers_circles.py): a file that
#   uses another's functions (includes the header declaring them) sits above it.
# Each rule prints the offending lines and fails.
set -u
root="$2"
fail=0
bad=$(grep -nE '#include *[<"](SDL|curl/|microhttpd)' "$root"/core/*.[ch])
if [ -n "$bad" ]; then echo "core/ includes a front-end or network library:"; echo "$bad"; fail=1; fi
bad=$(grep -nE '#include *[<"](store_sql\.h|sqlite3\.h)|\bstore_db *\(' "$root"/kiosk/*.[ch] "$root"/tools/*.[ch])
if [ -n "$bad" ]; then echo "SQL outside the store modules:"; echo "$bad"; fail=1; fi
bad=$(python3 "$(dirname "$0")/layers_circles.py" "$root")
if [ -n "$bad" ]; then echo "Include circles:"; echo "$bad"; fail=1; fi
exit $fail
