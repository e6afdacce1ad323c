# Sourced by the real-program checks (plocate_check.sh, qemu_check.sh).
# They run unmodified Debian binaries with our liburing.so.2 put first on
# LD_LIBRARY_PATH, and must show that ours was really the one loaded and that
# io_uring was really used, not just that the program's output was right.
#
# Expects $ours (our library directory, absolute) and $work (scratch dir).

skip() {
    echo "SKIP: $*"
    exit 77
}

fail() {
    echo "FAIL: $*"
    exit 1
}

# require_tools TOOL...: skip the test (not fail) when a package is missing.
require_tools() {
    local t
    for t in "$@"; do
        command -v "$t" > /dev/null || skip "$t not installed (apt-get install the package that has it)"
    done
}

# with_ours CMD...: run CMD with our liburing first in the search path.
with_ours() {
    LD_LIBRARY_PATH="$ours${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"
}

# assert_loads_ours CMD...: the dynamic loader's own trace must show it
# initialising liburing.so.2 from our directory. (A set-id binary would
# ignore LD_LIBRARY_PATH silently; this is what catches that.)
assert_loads_ours() {
    rm -f "$work"/ld-debug.*
    LD_DEBUG=libs LD_DEBUG_OUTPUT="$work/ld-debug" with_ours "$@" > /dev/null 2>&1 || true
    if ! cat "$work"/ld-debug.* 2> /dev/null | grep -q "calling init: $ours/liburing.so.2\$"; then
        fail "$1 did not load $ours/liburing.so.2"
    fi
    echo "loader: $1 initialised $ours/liburing.so.2"
}

# assert_uring_syscalls CMD...: under strace, with our library, CMD must
# succeed and make at least one io_uring_setup and one io_uring_enter.
assert_uring_syscalls() {
    strace -o /dev/null true 2> /dev/null || skip "strace cannot trace here (no ptrace permission)"
    with_ours strace -f -qq -c -e trace=io_uring_setup,io_uring_enter -o "$work/strace.txt" "$@" \
        > "$work/strace.stdout" 2> "$work/strace.stderr" || {
        cat "$work/strace.stderr"
        fail "$1 failed under strace"
    }
    local setups enters
    setups=$(awk '$NF == "io_uring_setup" { print $4 }' "$work/strace.txt")
    enters=$(awk '$NF == "io_uring_enter" { print $4 }' "$work/strace.txt")
    echo "strace: $1 made ${setups:-0} io_uring_setup and ${enters:-0} io_uring_enter calls"
    ((${setups:-0} > 0 && ${enters:-0} > 0)) || fail "$1 did not use io_uring"
}
