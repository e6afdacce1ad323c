#!/usr/bin/env bash
# tests/nolibc/size-report.sh [WORKDIR]
#
# Prints, as a markdown table, the code size of bareuring's liburing.a next
# to Debian's (liburing-dev, /usr/lib/x86_64-linux-gnu/liburing.a), and of
# one NOP program (tests/nolibc/nop.c) linked -static -O2 against each. This
# is the table in docs/embedding.md. x86_64 only (that is where Debian's
# archive is). Sizes are `size -t` (Berkeley: text includes rodata).
#
# Builds bareuring's library three ways in WORKDIR (default:
# build-nolibc-size in the source tree, reused): -O2 (RelWithDebInfo, the
# default build type, and Debian's level) without and with libc, and -Os
# (MinSizeRel) without libc. Takes about a minute on 2 cores.
# Env: BAREURING_JOBS (default 2), DEBIAN_LIBURING (the archive to compare).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/tests/nolibc
work=${1:-$root/build-nolibc-size}
jobs=${BAREURING_JOBS:-2}
debian=${DEBIAN_LIBURING:-/usr/lib/x86_64-linux-gnu/liburing.a}
cc=${CC:-gcc}

[[ -f $debian ]] || { echo "size-report: $debian missing (apt-get install liburing-dev)" >&2; exit 1; }
debian_version=$(dpkg-query -W -f='${Version}' liburing-dev 2> /dev/null || echo '?')
mkdir -p "$work"

# build NAME BUILD_TYPE NOLIBC: library-only build, prints the archive path.
build() {
    local dir=$work/$1
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$2" -DBAREURING_NOLIBC="$3" \
        -DBAREURING_TESTS=OFF -DBAREURING_TOOLS=OFF > "$dir.log" 2>&1 &&
        cmake --build "$dir" -j "$jobs" --target uring >> "$dir.log" 2>&1 ||
        { cat "$dir.log" >&2; exit 1; }
    echo "$dir/src/liburing.a"
}

o2_nolibc=$(build o2-nolibc RelWithDebInfo ON)
o2_libc=$(build o2-libc RelWithDebInfo OFF)
os_nolibc=$(build os-nolibc MinSizeRel ON)

# sizes FILE: "text data bss" summed over the file (archive members too).
sizes() {
    size -t "$1" | tail -1 | awk '{ print $1, $2, $3 }'
}

# Global functions an archive defines, for scale: bareuring implements the
# 2.15 API, Debian's archive an older, smaller one.
functions() {
    nm -g --defined-only "$1" | awk '$2 == "T"' | wc -l
}

# static_nop NAME ARCHIVE INCLUDE_DIR [LDFLAGS]: the NOP program, static,
# -O2; run once to be sure it works.
static_nop() {
    local exe=$work/nop-$1
    "$cc" -static -O2 ${3:+-I"$3"} "$here/nop.c" "$2" ${4:-} -o "$exe"
    "$exe" || { echo "size-report: $exe failed" >&2; exit 1; }
    echo "$exe"
}

# freestanding NAME ARCHIVE: tests/nolibc/freestanding.c (NOP and probe),
# no libc at all, --gc-sections.
freestanding() {
    local exe=$work/freestanding-$1
    "$cc" -O2 -ffreestanding -fno-stack-protector -nostdlib -static -Wl,--gc-sections \
        -I"$root/include" "$here/freestanding.c" "$2" -lgcc -o "$exe"
    "$exe" || { echo "size-report: $exe failed" >&2; exit 1; }
    echo "$exe"
}

# The glibc floor: a static program that does nothing, linked both ways.
echo 'int main(void) { return 0; }' > "$work/floor.c"
"$cc" -static -O2 "$work/floor.c" -o "$work/floor"
"$cc" -static -O2 -Wl,--gc-sections "$work/floor.c" -o "$work/floor-gc"

total() {
    size "$1" | awk 'NR == 2 { print $1 + $2 + $3 }'
}

# row LABEL FILE [functions | FLOOR_FILE]: one table row. The last column
# holds the global functions an archive defines (for scale: bareuring has
# the 2.15 API, Debian's archive an older and smaller one), or the bytes a
# program has beyond FLOOR_FILE (the library, and what it pulls from libc).
row() {
    local t d b extra=""
    read -r t d b < <(sizes "$2")
    if [[ ${3:-} == functions ]]; then
        extra="$(functions "$2") functions"
    elif [[ -n ${3:-} ]]; then
        extra="+$(((t + d + b) - $(total "$3")))"
    fi
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$t" "$d" "$b" "$((t + d + b))" "$extra"
}

deb="Debian liburing $debian_version"
inc=$root/include
gc=-Wl,--gc-sections
echo "| x86_64, gcc $("$cc" -dumpfullversion) | text | data | bss | total | functions / over floor |"
echo "|---|---:|---:|---:|---:|---:|"
row "\`liburing.a\`, $deb" "$debian" functions
row "\`liburing.a\`, bareuring -O2, no libc" "$o2_nolibc" functions
row "\`liburing.a\`, bareuring -O2, libc" "$o2_libc" functions
row "\`liburing.a\`, bareuring -Os, no libc" "$os_nolibc" functions
row "static NOP program, $deb" "$(static_nop debian "$debian" "")" "$work/floor"
row "static NOP program, bareuring -O2, no libc" "$(static_nop o2-nolibc "$o2_nolibc" "$inc")" "$work/floor"
row "static NOP program, bareuring -O2, libc" "$(static_nop o2-libc "$o2_libc" "$inc")" "$work/floor"
row "static NOP program, bareuring -Os, no libc" "$(static_nop os-nolibc "$os_nolibc" "$inc")" "$work/floor"
row "static NOP program --gc-sections, $deb" "$(static_nop debian-gc "$debian" "" $gc)" "$work/floor-gc"
row "static NOP program --gc-sections, bareuring -O2, no libc" "$(static_nop o2-nolibc-gc "$o2_nolibc" "$inc" $gc)" "$work/floor-gc"
row "static NOP program --gc-sections, bareuring -Os, no libc" "$(static_nop os-nolibc-gc "$os_nolibc" "$inc" $gc)" "$work/floor-gc"
row "glibc floor: static \`int main(void) { return 0; }\`" "$work/floor"
row "freestanding NOP + probe program, no libc at all, bareuring -O2" "$(freestanding o2 "$o2_nolibc")"
row "freestanding NOP + probe program, no libc at all, bareuring -Os" "$(freestanding os "$os_nolibc")"
