#!/usr/bin/env bash
# The sanitizer jobs (issue 9): the whole test suite under ThreadSanitizer
# and under valgrind memcheck. Exit status 0 only if both found nothing.
#
#   tests/sanitize.sh            both jobs
#   tests/sanitize.sh tsan       build-rel-tsan/: everything built with
#                                -fsanitize=thread, then ctest
#   tests/sanitize.sh valgrind   build-rel/ (plain Release build): every test
#                                program run once under valgrind memcheck
#
# A memcheck error (invalid access, use of uninitialised memory) or a
# definite leak fails the program that has it, and the job.
#
# Environment: BAREURING_JOBS (default 2) parallel jobs; BAREURING_SKIP_BUILD=1
# reuses the build directories as they are; BAREURING_VALGRIND_DIR=DIR runs
# the valgrind job on another plain (uninstrumented) build, e.g. build/ after
# tests/run.sh, as .ci/run does; BAREURING_VALGRIND_PROGRAMS=REGEX
# runs only the programs whose file name matches; BAREURING_LOAD is
# set to "small" for valgrind (and left alone for TSan) so load tests stay
# quick; BAREURING_FUZZ_REPLAY_RUNS likewise.
#
# TSan is enabled through CMAKE_PROJECT_INCLUDE=tests/reliability/tsan.cmake,
# which adds the flags directory-wide exactly as BAREURING_SANITIZE does for
# ASan, so the drop-in shared libraries stay uninstrumented.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${BAREURING_JOBS:-2}
what=${1:-all}
failed=0
summary=()

note() { echo; echo "==> $*"; }

record() { # record LABEL STATUS
    if [[ $2 == 0 ]]; then summary+=("PASS  $1"); else summary+=("FAIL  $1"); failed=1; fi
}

run_tsan() {
    local dir=$root/build-rel-tsan
    note "TSan: configure + build ($dir)"
    # BAREURING_NOLIBC=OFF: tests/nolibc links the no-libc archive into a
    # -static program, which cannot carry the TSan runtime. With the libc
    # flavour as the main (instrumented) archive, the build makes a separate
    # uninstrumented no-libc copy for those tests, as it does for ASan.
    [[ ${BAREURING_SKIP_BUILD:-0} == 1 ]] || cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAREURING_WERROR=OFF \
        -DBAREURING_TESTS=ON -DBAREURING_SANITIZE=OFF -DBAREURING_NOLIBC=OFF \
        -DCMAKE_PROJECT_INCLUDE="$root/tests/reliability/tsan.cmake" > "$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; record "tsan build" 1; return; }
    if [[ ${BAREURING_SKIP_BUILD:-0} != 1 ]] && ! cmake --build "$dir" -j "$jobs" > "$dir.build.log" 2>&1; then
        tail -50 "$dir.build.log"
        record "tsan build" 1
        return
    fi
    note "TSan: ctest"
    # halt_on_error: a report fails the test that produced it.
    # install.consumers links the installed liburing.a into a plain C
    # program with the flags tests/install knows (BAREURING_SANITIZE's); the
    # TSan-instrumented archive would need -fsanitize=thread there.
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
        ctest --test-dir "$dir" -j "$jobs" --timeout 600 --output-on-failure -E '^install\.consumers$'
    record "tsan ctest" $?
}

# Prints "<workdir>\t<command...>" once per test program: gtest programs
# (ctest runs them once per test case) are run whole, once; other tests
# that run a program of the build tree are run as registered. Tests that
# run a compiler or a script (header checks, install checks) are skipped:
# they execute no library code of their own.
list_programs() {
    ctest --test-dir "$1" --show-only=json-v1 | python3 -c '
import json, os, sys
build = os.path.realpath(sys.argv[1])
seen = set()
for t in json.load(sys.stdin)["tests"]:
    cmd = t.get("command") or []
    if not cmd:
        continue
    exe = os.path.realpath(cmd[0])
    if not exe.startswith(build + "/") or not os.access(exe, os.X_OK):
        continue
    with open(exe, "rb") as f:
        if f.read(4) != b"\x7fELF":
            continue
    wd = next((p["value"] for p in t.get("properties", []) if p["name"] == "WORKING_DIRECTORY"), build)
    gtest = any(a.startswith("--gtest_filter") for a in cmd[1:])
    key = (exe,) if gtest else tuple(cmd)
    if key in seen:
        continue
    seen.add(key)
    print(wd + "\t" + " ".join([exe] if gtest else cmd))
' "$1"
}

# valgrind_one N WORKDIR COMMAND: one program under valgrind, log in
# $VG_LOGS/N.log; prints ok/FAIL and records failures in $VG_LOGS/failed.
# (Run by xargs through bash -c, hence exported.)
# shellcheck disable=SC2317
valgrind_one() {
    local n=$1 wd=$2 cmd=$3 log=$VG_LOGS/$1.log rc=0
    local name=${cmd%% *}
    name=${name##*/}
    # shellcheck disable=SC2086 # $VG_COMMAND and $cmd are word lists
    (cd "$wd" && $VG_COMMAND $cmd) > "$log" 2>&1 || rc=$?
    if ((rc == 0)); then
        echo "  ok    $name"
        return
    fi
    ((rc == 137)) && rc="killed after ${VG_LIMIT}s"
    echo "  FAIL  $name ($rc): $log"
    echo "$log" >> "$VG_LOGS/failed"
}
export -f valgrind_one

run_valgrind() {
    local dir=${BAREURING_VALGRIND_DIR:-$root/build-rel}
    command -v valgrind > /dev/null || { echo "valgrind not installed (apt-get install valgrind)"; record valgrind 1; return; }
    if [[ ${BAREURING_SKIP_BUILD:-0} != 1 ]]; then
        note "valgrind: configure + build ($dir)"
        cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBAREURING_SANITIZE=OFF -DBAREURING_TESTS=ON \
            > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; record "valgrind build" 1; return; }
        if ! cmake --build "$dir" -j "$jobs" > "$dir.build.log" 2>&1; then
            tail -50 "$dir.build.log"
            record "valgrind build" 1
            return
        fi
    fi

    # What valgrind cannot run (each entry is explained in the file): gtest
    # patterns go into GTEST_FILTER, "program:" lines drop whole programs.
    local list=$root/tests/reliability/valgrind-skip.txt skip skip_programs
    skip=$(grep -v -e '^#' -e '^[[:space:]]*$' -e '^program:' "$list" | paste -sd: -)
    skip_programs=$(sed -n 's/^program:[[:space:]]*//p' "$list")
    export GTEST_FILTER="-${skip}"

    export VG_LOGS=$dir/valgrind-logs
    rm -rf "$VG_LOGS" && mkdir -p "$VG_LOGS"
    local only=${BAREURING_VALGRIND_PROGRAMS:-.}
    list_programs "$dir" | while IFS=$'\t' read -r wd cmd; do
        local exe=${cmd%% *}
        grep -qx -F "${exe##*/}" <<< "$skip_programs" && continue
        grep -qE "$only" <<< "${exe##*/}" && printf '%s\t%s\n' "$wd" "$cmd"
    done > "$VG_LOGS/programs.txt"
    if [[ ! -s $VG_LOGS/programs.txt ]]; then
        echo "valgrind: no test program found in $dir (or none matches BAREURING_VALGRIND_PROGRAMS)"
        record "valgrind memcheck" 1
        return
    fi
    note "valgrind: $(wc -l < "$VG_LOGS/programs.txt") programs, $jobs at a time (logs in $VG_LOGS)"

    # Load tests and the fuzz replay shrink to valgrind-sized runs.
    export BAREURING_LOAD=small BAREURING_FUZZ_REPLAY_RUNS=${BAREURING_FUZZ_REPLAY_RUNS:-200}
    # Any memcheck error (invalid access, uninitialised value, definite
    # leak) fails the program through --error-exitcode. A program still
    # running after the limit is killed with SIGKILL (valgrind keeps other
    # signals blocked while a thread waits in io_uring_enter).
    export VG_LIMIT=${BAREURING_VALGRIND_TIMEOUT:-600}
    export VG_COMMAND="timeout -s KILL $VG_LIMIT valgrind -q --error-exitcode=99 --leak-check=full
        --show-leak-kinds=definite --errors-for-leak-kinds=definite --child-silent-after-fork=yes
        --trace-children=no --suppressions=$root/tests/reliability/valgrind.supp"
    awk -F'\t' '{ printf "%d\t%s\t%s\n", NR, $1, $2 }' "$VG_LOGS/programs.txt" |
        while IFS=$'\t' read -r n wd cmd; do printf '%s\0%s\0%s\0' "$n" "$wd" "$cmd"; done |
        xargs -0 -n 3 -P "$jobs" bash -c 'valgrind_one "$@"' _

    if [[ -e $VG_LOGS/failed ]]; then
        echo "failing programs' logs:"
        sed 's/^/  /' "$VG_LOGS/failed"
        record "valgrind memcheck" 1
    else
        record "valgrind memcheck" 0
    fi
}

case $what in
tsan) run_tsan ;;
valgrind) run_valgrind ;;
all) run_tsan; run_valgrind ;;
*) echo "usage: $0 [tsan|valgrind|all]" >&2; exit 2 ;;
esac

echo
echo "==> sanitizer summary"
printf '  %s\n' "${summary[@]}"
exit $failed
