#!/usr/bin/env bash
# qemu_check.sh OUR_LIB_DIR
#
# Debian's qemu-io and qemu-img, with the file driver's aio=io_uring, using
# our liburing.so.2: pattern writes read back with verification (qemu-io's
# read -P fails on any mismatch), and a raw -> qcow2 -> raw conversion
# checked by checksum.
set -euo pipefail
ours=$(cd "$1" && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/real_program_lib.sh"

require_tools qemu-img qemu-io strace sha256sum

# file.aio=io_uring on every file node; qemu refuses the option when it was
# built without liburing rather than falling back silently.
opts() { # opts FORMAT FILE
    echo "driver=$1,file.driver=file,file.filename=$2,file.aio=io_uring"
}

img=$work/patterns.raw
qemu-img create -q -f raw "$img" 16M

qemu_io() { # qemu_io COMMAND...: one qemu-io session on $img through io_uring
    local args=() c
    for c in "$@"; do args+=(-c "$c"); done
    with_ours qemu-io --image-opts "$(opts raw "$img")" "${args[@]}"
}

# Synchronous and asynchronous writes, overlapping, then every region read
# back against the pattern it must hold.
qemu_io 'write -P 0x5a 0 8M' 'write -P 0xa5 8M 8M' \
        'aio_write -P 0x11 1M 64k' 'aio_write -P 0x22 9M 512k' 'aio_flush' \
        'writev -P 0x33 12M 4k 8k 16k' 'flush' > "$work/write.out" || {
    cat "$work/write.out"
    fail "qemu-io writes failed"
}
qemu_io 'read -P 0x5a 0 1M' 'read -P 0x11 1M 64k' 'read -P 0x5a 1088k 6976k' \
        'read -P 0xa5 8M 1M' 'read -P 0x22 9M 512k' 'read -P 0xa5 9728k 2560k' \
        'readv -P 0x33 12M 16k 12k' 'aio_read -P 0xa5 12316k 3812k' 'aio_flush' \
        > "$work/read.out" || {
    cat "$work/read.out"
    fail "qemu-io verification failed"
}
if grep -q 'verification failed\|error' "$work/read.out"; then
    cat "$work/read.out"
    fail "qemu-io reported a mismatch"
fi
echo "qemu-io: $(grep -c '^read' "$work/read.out") pattern reads verified"

# A read that must fail verification, so a silent pass cannot happen.
if qemu_io 'read -P 0x5b 0 4k' > "$work/neg.out" 2>&1 && ! grep -q 'verification failed' "$work/neg.out"; then
    fail "qemu-io accepted a wrong pattern"
fi

# raw (random data, with a hole at the end) -> qcow2 -> raw, through io_uring.
src=$work/src.raw
head -c 6M /dev/urandom > "$src"
truncate -s 8M "$src"
qemu-img create -q -f qcow2 "$work/mid.qcow2" 8M
qemu-img create -q -f raw "$work/back.raw" 8M
with_ours qemu-img convert -n --image-opts --target-image-opts \
    "$(opts raw "$src")" "$(opts qcow2 "$work/mid.qcow2")" || fail "convert to qcow2 failed"
with_ours qemu-img convert -n --image-opts --target-image-opts \
    "$(opts qcow2 "$work/mid.qcow2")" "$(opts raw "$work/back.raw")" || fail "convert back failed"
a=$(sha256sum < "$src")
b=$(sha256sum < "$work/back.raw")
[[ $a == "$b" ]] || fail "raw -> qcow2 -> raw changed the data"
echo "qemu-img: raw -> qcow2 -> raw round trip, sha256 ${a%% *}"

assert_loads_ours qemu-io --image-opts "$(opts raw "$img")" -c 'read 0 4k'
assert_uring_syscalls qemu-img convert -n --image-opts --target-image-opts \
    "$(opts qcow2 "$work/mid.qcow2")" "$(opts raw "$work/back.raw")"
echo "PASS"
