#!/usr/bin/env bash
# Quick start, step 2 (and what CI runs): build and run every test twice —
# build/ (Release, -Werror) and build-asan/ (Debug, ASan+UBSan, -Werror) —
# then print a summary. Exit status 0 only if every step passed.
# Runs from any directory. As root it installs missing Debian packages;
# otherwise it prints the apt-get command and stops.
set -euo pipefail

# Every package the build and the tests need, in one place.
#   g++ make cmake            the build
#   libgtest-dev              the test programs
#   libfmt-dev                the tools (tools/*)
#   clang                     header checks with a second compiler (tests/c)
#   pkg-config                building against the installed liburing.pc (tests/install)
#   python3                   export-table checks of the shared libraries (tests/compat)
#   liburing-dev              a client built against Debian's liburing, run on ours (tests/compat)
#   plocate qemu-utils strace unmodified Debian programs run on ours (tests/compat)
# Without python3, liburing-dev, plocate, qemu-utils or strace the matching
# compat tests are skipped (or not registered) rather than failing.
packages=(g++ make cmake libgtest-dev libfmt-dev clang pkg-config
    python3 liburing-dev plocate qemu-utils strace)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${BAREURING_JOBS:-$(nproc)}

# shellcheck source=tools/ensure-packages.sh
source "$root/tools/ensure-packages.sh"

summary=()
failed=0

# step LABEL COMMAND...: runs and times one step, records PASS/FAIL.
step() {
    local label=$1 t0=$SECONDS
    shift
    echo
    echo "==> $label"
    if "$@"; then
        summary+=("PASS  $label ($((SECONDS - t0))s)")
    else
        summary+=("FAIL  $label ($((SECONDS - t0))s)")
        failed=1
        return 1
    fi
}

# build_and_test DIR CMAKE_ARGS...: configure, build, ctest; later steps are
# skipped when an earlier one fails, but the other build still runs.
build_and_test() {
    local dir=$1
    shift
    step "configure $dir" cmake -S "$root" -B "$root/$dir" \
        -DBAREURING_TESTS=ON -DBAREURING_TOOLS=ON -DBAREURING_WERROR=ON "$@" || return 0
    step "build $dir" cmake --build "$root/$dir" -j "$jobs" || return 0
    step "ctest $dir" ctest --test-dir "$root/$dir" --output-on-failure -j "$jobs" --timeout 300 || return 0
}

start=$SECONDS
ensure_packages run.sh "${packages[@]}"

# build/: Release, as tools/demo.sh configures it, so the two commands share
# one tree. -O3 also shows the warnings that only the optimiser finds.
build_and_test build -DCMAKE_BUILD_TYPE=Release -DBAREURING_SANITIZE=OFF
# build-asan/: Debug (-O0). Sanitizers check everything at -O0, and the
# instrumented test programs compile several times faster than at -O2. That
# keeps the whole script within about 10 minutes on 2 cores.
build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DBAREURING_SANITIZE=ON

echo
echo "==> summary ($((SECONDS - start))s)"
printf '  %s\n' "${summary[@]}"
if ((failed)); then
    echo "FAILED"
    exit 1
fi
echo "ALL PASSED"
