#!/usr/bin/env bash
# tests/nolibc/size-report.sh [WORKDIR]
#
# Prints, as markdown tables, the code size of bareuring's liburing.a next
# to Debian's (liburing-dev, /usr/lib/x86_64-linux-gnu/liburing.a), and of
# one NOP program (tests/nolibc/nop.c) linked -static -O2 against each. These
# are the tables in docs/embedding.md. x86_64 only (that is where Debian's
# archive is). Sizes are `size -t` (Berkeley: text includes rodata and
# .eh_frame).
#
# Builds bareuring's library four ways in WORKDIR (default:
# build-nolibc-size in the source tree, reused), all RelWithDebInfo (-O2,
# Debian's level) unless noted: the default options (no libc, cold code at
# -Oz), the libc archive (BAREURING_NOLIBC=OFF), everything at -O2
# (BAREURING_COLD_FOR_SIZE=OFF, the state before the size work of issue 10),
# and MinSizeRel (-Os, cold code -Oz). About a minute on 2 cores.
# The second table compares only the functions both archives export
# (common_functions.py).
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

# build NAME BUILD_TYPE CMAKE_ARGS...: library-only build, prints the
# archive path. BAREURING_NOLIBC is always given with its type, so a reused
# WORKDIR from before it was a STRING option keeps what is asked here.
build() {
    local dir=$work/$1 type=$2
    shift 2
    cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DBAREURING_TESTS=OFF \
        -DBAREURING_TOOLS=OFF "$@" > "$dir.log" 2>&1 &&
        cmake --build "$dir" -j "$jobs" --target uring >> "$dir.log" 2>&1 ||
        { cat "$dir.log" >&2; exit 1; }
    echo "$dir/src/liburing.a"
}

dflt=(-DBAREURING_NOLIBC:STRING=AUTO -DBAREURING_COLD_FOR_SIZE=ON)
o2_nolibc=$(build o2-nolibc RelWithDebInfo "${dflt[@]}")
o2_libc=$(build o2-libc RelWithDebInfo -DBAREURING_NOLIBC:STRING=OFF -DBAREURING_COLD_FOR_SIZE=ON)
o2_flat=$(build o2-flat RelWithDebInfo -DBAREURING_NOLIBC:STRING=AUTO -DBAREURING_COLD_FOR_SIZE=OFF)
os_nolibc=$(build os-nolibc MinSizeRel "${dflt[@]}")

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

# eh_frame FILE: bytes of .eh_frame in FILE (archive members summed), which
# `size -t` counts as text. bareuring is compiled without unwind tables.
eh_frame() {
    size -A "$1" | awk '$1 == ".eh_frame" { n += $2 } END { print n + 0 }'
}

deb="Debian liburing $debian_version"
ours="bareuring -O2, cold code -Oz"
inc=$root/include
gc=-Wl,--gc-sections
echo "| x86_64, gcc $("$cc" -dumpfullversion) | text | data | bss | total | functions / over floor |"
echo "|---|---:|---:|---:|---:|---:|"
row "\`liburing.a\`, $deb" "$debian" functions
row "\`liburing.a\`, $ours, no libc (default)" "$o2_nolibc" functions
row "\`liburing.a\`, $ours, libc" "$o2_libc" functions
row "\`liburing.a\`, bareuring -O2 throughout, no libc" "$o2_flat" functions
row "\`liburing.a\`, bareuring -Os, cold code -Oz, no libc" "$os_nolibc" functions
row "static NOP program, $deb" "$(static_nop debian "$debian" "")" "$work/floor"
row "static NOP program, $ours, no libc" "$(static_nop o2-nolibc "$o2_nolibc" "$inc")" "$work/floor"
row "static NOP program, $ours, libc" "$(static_nop o2-libc "$o2_libc" "$inc")" "$work/floor"
row "static NOP program, bareuring -O2 throughout, no libc" "$(static_nop o2-flat "$o2_flat" "$inc")" "$work/floor"
row "static NOP program, bareuring -Os, cold code -Oz, no libc" "$(static_nop os-nolibc "$os_nolibc" "$inc")" "$work/floor"
row "static NOP program --gc-sections, $deb" "$(static_nop debian-gc "$debian" "" $gc)" "$work/floor-gc"
row "static NOP program --gc-sections, $ours, no libc" "$(static_nop o2-nolibc-gc "$o2_nolibc" "$inc" $gc)" "$work/floor-gc"
row "static NOP program --gc-sections, bareuring -Os, cold code -Oz, no libc" "$(static_nop os-nolibc-gc "$os_nolibc" "$inc" $gc)" "$work/floor-gc"
row "glibc floor: static \`int main(void) { return 0; }\`" "$work/floor"
row "freestanding NOP + probe program, no libc at all, $ours" "$(freestanding o2 "$o2_nolibc")"
row "freestanding NOP + probe program, no libc at all, bareuring -Os, cold code -Oz" "$(freestanding os "$os_nolibc")"
echo
echo "Of Debian's \`liburing.a\` text, $(eh_frame "$debian") bytes are \`.eh_frame\` (unwind tables); bareuring's archives have none."

# The functions both archives export, like for like.
echo
echo "| x86_64: the functions both \`liburing.a\` export | functions | their own code | with what they call in the archive |"
echo "|---|---:|---:|---:|"
python3 "$here/common_functions.py" "$debian" "$o2_nolibc" "$o2_flat" "$os_nolibc" |
    while IFS=$'\t' read -r file count own reached; do
        case $file in
        "$debian") label="Debian liburing $debian_version" ;;
        "$o2_nolibc") label="$ours (default)" ;;
        "$o2_flat") label="bareuring -O2 throughout" ;;
        "$os_nolibc") label="bareuring -Os, cold code -Oz" ;;
        esac
        printf '| %s | %s | %s | %s |\n' "$label" "$count" "$own" "$reached"
    done
