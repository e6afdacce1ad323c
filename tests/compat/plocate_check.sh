#!/usr/bin/env bash
# plocate_check.sh OUR_LIB_DIR
#
# Debian's plocate reads its database through liburing. Index a generated
# tree into a private database with updatedb, then answer queries with our
# liburing.so.2 and compare every answer with what find(1) says.
set -euo pipefail
ours=$(cd "$1" && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/real_program_lib.sh"

require_tools plocate updatedb find strace
export LC_ALL=C

# The installed plocate is setgid (group plocate), so the loader would ignore
# LD_LIBRARY_PATH; a plain copy of the same binary is not.
cp "$(command -v plocate)" "$work/plocate"
plocate=$work/plocate

tree=$work/tree
for d in $(seq 1 25); do
    mkdir -p "$tree/dir$d/sub"
    for f in $(seq 1 40); do
        : > "$tree/dir$d/file_${d}_$f.txt"
        : > "$tree/dir$d/sub/deep_${d}_$f.dat"
    done
done
mkdir -p "$tree/odd names"
: > "$tree/odd names/with space.txt"
: > "$tree/odd names/MiXeD_CaSe.TXT"

updatedb --database-root "$tree" --output "$work/db" --require-visibility no \
    --prunepaths "" --prunenames "" --prunefs "" || fail "updatedb failed"

# query NAME PLOCATE_ARGS -- FIND_ARGS: same set of paths from both.
query() {
    local name=$1 pargs=() fargs=()
    shift
    while [[ $1 != -- ]]; do pargs+=("$1"); shift; done
    shift
    fargs=("$@")
    local rc=0
    with_ours "$plocate" -d "$work/db" "${pargs[@]}" | sort > "$work/plocate.out" || rc=$?
    find "$tree" -mindepth 1 "${fargs[@]}" | sort > "$work/find.out"
    if ! diff -u "$work/find.out" "$work/plocate.out" > "$work/diff.out"; then
        head -n 40 "$work/diff.out"
        fail "query $name: plocate (+) and find (-) disagree"
    fi
    # plocate exits 1 exactly when nothing matched.
    local want_rc=0
    [[ -s $work/find.out ]] || want_rc=1
    ((rc == want_rc)) || fail "query $name: plocate exited $rc, want $want_rc"
    echo "query $name: $(wc -l < "$work/find.out") paths agree"
}

query substring deep_7_ -- -path '*deep_7_*'
query all_dat .dat -- -path '*.dat*'
query two_terms file_1 _3.txt -- -path '*file_1*' -path '*_3.txt*'
query directory dir13/sub -- -path '*dir13/sub*'
query ignore_case -i mixed_case -- -ipath '*mixed_case*'
query space 'with space' -- -path '*with space*'
query regex --regex 'file_1[0-9]_3\.txt$' -- -regextype posix-extended -regex '.*file_1[0-9]_3\.txt'
query no_match no_such_name -- -path '*no_such_name*'

count=$(with_ours "$plocate" -d "$work/db" --count .txt)
want=$(find "$tree" -path '*.txt*' | wc -l)
[[ $count == "$want" ]] || fail "--count .txt said $count, find says $want"
echo "query count: $count"

assert_loads_ours "$plocate" -d "$work/db" deep_7_
assert_uring_syscalls "$plocate" -d "$work/db" .dat
echo "PASS"
