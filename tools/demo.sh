#!/usr/bin/env bash
# Quick start, step 1: build bareuring (Release, in build/) and copy a 64 MiB
# random file with tools/uring-cp, checking the copy with cmp.
# Runs from any directory. Needs Debian/Ubuntu packages (listed below); as
# root it installs the missing ones, otherwise it prints the command to run.
set -euo pipefail

# Everything the demo needs. GoogleTest is not among them: the demo builds
# only the library and the tool.
packages=(g++ cmake make pkg-config libfmt-dev)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build"
jobs=$(nproc)
size_mib=64

# shellcheck source=tools/ensure-packages.sh
source "$root/tools/ensure-packages.sh"

ensure_packages demo "${packages[@]}"

echo "==> configuring and building uring-cp in $build"
# Tests off: they need GoogleTest and take longer; tests/run.sh turns them on.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DBAREURING_TOOLS=ON -DBAREURING_TESTS=OFF -DBAREURING_SANITIZE=OFF > /dev/null
cmake --build "$build" -j "$jobs" --target uring-cp
tool="$build/tools/uring-cp/uring-cp"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bareuring-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "==> writing $size_mib MiB of random data to $tmp/src"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$tmp/src"

echo "==> uring-cp $tmp/src $tmp/dst"
start=$(date +%s%N)
"$tool" "$tmp/src" "$tmp/dst"
end=$(date +%s%N)

cmp "$tmp/src" "$tmp/dst"
elapsed_us=$(((end - start) / 1000))
((elapsed_us > 0)) || elapsed_us=1
mib_per_s=$((size_mib * 1000000 / elapsed_us))
printf 'OK: %d MiB copied with io_uring in %d.%03d ms (%d MiB/s), cmp found no difference\n' \
    "$size_mib" $((elapsed_us / 1000)) $((elapsed_us % 1000)) "$mib_per_s"
