#!/usr/bin/env bash
# Runs the file-copy example on generated files of awkward sizes and
# compares the copies with cmp.
set -euo pipefail
copy="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
for size in 0 1 4095 131072 1000003; do
    head -c "$size" /dev/urandom > "$dir/src.$size"
    "$copy" "$dir/src.$size" "$dir/dst.$size" 3 65536
    cmp "$dir/src.$size" "$dir/dst.$size"
done
# A missing source must fail cleanly.
if "$copy" "$dir/missing" "$dir/dst.missing" 2>/dev/null; then
    echo "copying a missing file succeeded" >&2
    exit 1
fi
echo "file copy: all sizes ok"
