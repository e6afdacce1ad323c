#!/usr/bin/env bash
# check-exports-nolibc.sh PYTHON CHECK_EXPORTS_PY LIBRARY VERSION_SCRIPT SONAME
#
# tests/compat/check_exports.py for a shared library built without libc
# (BAREURING_NOLIBC_SHARED=ON). Every check of that script applies (SONAME,
# version nodes, exactly the script's symbols) except its NEEDED rule: such a
# library must need nothing at all rather than exactly libc.so.6. So the one
# complaint allowed is an empty NEEDED list; nolibc.undefined checks the
# rest of that promise (no undefined dynamic symbol).
set -uo pipefail
(($# == 5)) || { echo "usage: $0 PYTHON CHECK_EXPORTS_PY LIBRARY VERSION_SCRIPT SONAME" >&2; exit 2; }
python=$1 script=$2
shift 2

out=$("$python" "$script" "$@")
status=$?
echo "$out"
# Complaints are "check_exports: <text>" lines; the last line is the summary.
complaints=$(sed '$d' <<< "$out" | grep '^check_exports: ' | grep -v '^check_exports: NEEDED is \[\], want only libc.so.6$')
needed_empty=$(grep -c '^check_exports: NEEDED is \[\], want only libc.so.6$' <<< "$out")
if ((status == 0)); then
    echo "check-exports-nolibc: FAIL: the library needs libc.so.6"
    exit 1
fi
if [[ -n $complaints || $needed_empty != 1 ]]; then
    echo "check-exports-nolibc: FAIL"
    exit 1
fi
echo "check-exports-nolibc: ok (no NEEDED entry, as a no-libc library should have)"
