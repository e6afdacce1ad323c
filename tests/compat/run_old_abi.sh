#!/usr/bin/env bash
# run_old_abi.sh CLIENT OUR_LIB_DIR
#
# CLIENT was built against the system's liburing headers and linked to the
# system's liburing.so.2. Run it as is, then with OUR_LIB_DIR first on
# LD_LIBRARY_PATH so that the loader takes our liburing.so.2 instead. Both
# runs must succeed and print the same facts; each run reports (on stderr)
# the liburing it had mapped, which must be the system's and then ours.
set -euo pipefail
client=$1
ours=$(cd "$2" && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # run NAME [ENV...]: stdout to NAME.out, stderr to NAME.err
    local name=$1
    shift
    if ! env "$@" "$client" > "$work/$name.out" 2> "$work/$name.err"; then
        echo "FAIL: $name run exited non-zero"
        cat "$work/$name.err"
        exit 1
    fi
}

run system
run ours LD_LIBRARY_PATH="$ours${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

system_lib=$(sed -n 's/^loaded: //p' "$work/system.err")
our_lib=$(sed -n 's/^loaded: //p' "$work/ours.err")
echo "system run loaded: ${system_lib:-nothing}"
echo "our run loaded:    ${our_lib:-nothing}"
if [[ $our_lib != "$ours"/liburing.so.* ]]; then
    echo "FAIL: the second run did not load our liburing from $ours"
    exit 1
fi
if [[ -z $system_lib || $system_lib == "$ours"/* ]]; then
    echo "FAIL: the first run did not load the system liburing"
    exit 1
fi
if [[ $(tail -n 1 "$work/system.out") != done ]]; then
    echo "FAIL: the system run stopped early"
    cat "$work/system.out"
    exit 1
fi
if ! diff -u "$work/system.out" "$work/ours.out"; then
    echo "FAIL: our liburing.so.2 behaves differently (diff above: - system, + ours)"
    exit 1
fi
echo "PASS: $(wc -l < "$work/ours.out") facts identical"
