#!/usr/bin/env bash
# End-to-end checks of uring-cp, one case per invocation so that ctest lists
# and times each one:   check.sh /path/to/uring-cp CASE
# Exit 0 = pass, 77 = skipped (ctest SKIP_RETURN_CODE), anything else = fail.
set -euo pipefail

tool=$1
case_name=$2

work=$(mktemp -d "${TMPDIR:-/tmp}/uring-cp-check.XXXXXX")
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

die() { echo "FAIL [$case_name]: $*" >&2; exit 1; }

# copy_and_compare SIZE [uring-cp options...]: random SIZE-byte file with an
# unusual mode, copied, then compared byte for byte and mode for mode.
copy_and_compare() {
    local size=$1; shift
    head -c "$size" /dev/urandom > src
    chmod 640 src
    "$tool" "$@" src dst || die "uring-cp exited with $?"
    cmp src dst || die "content differs"
    [[ $(stat -c %s dst) == "$size" ]] || die "size $(stat -c %s dst), expected $size"
    [[ $(stat -c %a dst) == 640 ]] || die "mode $(stat -c %a dst), expected 640"
}

# expect_error EXIT_CODE PATTERN COMMAND...: the command must fail with that
# status and print one line matching PATTERN (a grep -E regex) on stderr.
expect_error() {
    local want=$1 pattern=$2; shift 2
    local status=0
    "$@" 2> err || status=$?
    [[ $status == "$want" ]] || die "exit status $status, expected $want; stderr: $(cat err)"
    grep -Eq -- "$pattern" err || die "stderr does not match '$pattern': $(cat err)"
}

case $case_name in
    size_0)      copy_and_compare 0 ;;
    size_1)      copy_and_compare 1 ;;
    size_4095)   copy_and_compare 4095 ;;
    size_4096)   copy_and_compare 4096 ;;
    size_4097)   copy_and_compare 4097 ;;
    size_64M)    copy_and_compare $((64 * 1024 * 1024)) ;;
    # Many more blocks than slots, a partial last block, slot reuse.
    small_blocks) copy_and_compare $((1024 * 1024 + 123)) -b 4K -q 3 ;;
    one_byte_blocks) copy_and_compare 4097 --block-size=1 --queue-depth 1 ;;
    # Queue depth far above the block count: only the needed slots exist.
    deep_queue)  copy_and_compare $((3 * 1024 * 1024 + 5)) -q 16384 -b 1M ;;

    overwrite)
        # An existing, longer DST is truncated and takes SRC's mode.
        head -c 100000 /dev/urandom > dst
        chmod 600 dst
        copy_and_compare 5000
        ;;

    missing_source)
        expect_error 1 "^uring-cp: $work/nope: No such file or directory$" "$tool" "$work/nope" dst
        ;;

    unreadable_source)
        head -c 10 /dev/urandom > src
        chmod 000 src
        if [[ $(id -u) == 0 ]]; then
            # root reads anything; run the tool as nobody instead.
            command -v setpriv > /dev/null || { echo "setpriv missing: skipped"; exit 77; }
            chmod 755 "$work"
            # A build tree under a private home directory is out of nobody's reach.
            setpriv --reuid=65534 --regid=65534 --clear-groups "$tool" --help > /dev/null 2>&1 ||
                { echo "nobody cannot run $tool: skipped"; exit 77; }
            expect_error 1 "^uring-cp: src: Permission denied$" \
                setpriv --reuid=65534 --regid=65534 --clear-groups "$tool" src "$work/dst"
        else
            expect_error 1 "^uring-cp: src: Permission denied$" "$tool" src dst
        fi
        [[ ! -e dst ]] || die "dst created although src could not be opened"
        ;;

    source_is_directory)
        mkdir adir
        expect_error 1 "^uring-cp: adir: Is a directory$" "$tool" adir dst
        ;;

    missing_destination_dir)
        head -c 10 /dev/urandom > src
        expect_error 1 "^uring-cp: no/such/dir/dst: No such file or directory$" "$tool" src no/such/dir/dst
        ;;

    same_file)
        head -c 1000 /dev/urandom > src
        cp src keep
        ln src alias
        expect_error 1 "^uring-cp: alias: source and destination are the same file$" "$tool" src alias
        cmp src keep || die "source damaged"
        ;;

    short_write)
        # RLIMIT_FSIZE makes the write that crosses 64 KiB short and the next
        # one fail with EFBIG (SIGXFSZ ignored so the error is reported).
        head -c $((1024 * 1024)) /dev/urandom > src
        expect_error 1 "^uring-cp: dst: File too large$" \
            bash -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' bash "$tool" -b 48K -q 4 src dst
        [[ $(stat -c %s dst) == 65536 ]] || die "dst has $(stat -c %s dst) bytes, expected 65536"
        cmp -n 65536 src dst || die "the 64 KiB that fit differ from src"
        ;;

    help)
        "$tool" --help > out || die "--help exited with $?"
        grep -q -- "--queue-depth" out || die "--help does not mention --queue-depth"
        ;;

    usage_errors)
        expect_error 2 "missing SRC or DST" "$tool" onlyone
        expect_error 2 "too many arguments" "$tool" a b c
        expect_error 2 "invalid block size '0'" "$tool" -b 0 a b
        expect_error 2 "invalid block size '12X'" "$tool" --block-size=12X a b
        expect_error 2 "invalid queue depth '0'" "$tool" -q 0 a b
        expect_error 2 "unknown option '--frobnicate'" "$tool" --frobnicate a b
        ;;

    *) die "unknown case" ;;
esac
echo "ok [$case_name]"
