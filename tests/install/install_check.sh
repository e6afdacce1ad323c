#!/usr/bin/env bash
# install_check.sh BUILD_DIR CC [LINK_FLAGS]
#
# Installs BUILD_DIR into a scratch prefix and checks the result the way a
# user of liburing would meet it:
#   * the installed files and the .so symlink chain,
#   * pkg-config liburing / liburing-ffi: a C program built with their flags,
#     dynamically and statically, runs and reports the right library,
#   * find_package(bareuring) from a C-only CMake project: the same program
#     through bareuring::uring, -shared, -ffi, -ffi-shared.
# LINK_FLAGS is for the sanitizer build, whose liburing.a needs the
# sanitizer runtime at link time.
set -euo pipefail
build=$1
cc=$2
link_flags=${3:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$(cd "$work" && pwd -P)/prefix

fail() {
    echo "FAIL: $*"
    exit 1
}

cmake --install "$build" --prefix "$prefix" > "$work/install.log" || {
    cat "$work/install.log"
    fail "cmake --install failed"
}

# --- layout ---
for f in include/liburing.h include/liburing/io_uring.h include/liburing/compat.h \
         include/liburing/barrier.h include/liburing/io_uring_version.h \
         include/liburing/io_uring/query.h include/liburing/io_uring/bpf_filter.h \
         include/liburing/detail/sq.h include/liburing/detail/cq.h include/liburing/detail/prep.h \
         include/liburing/detail/prep_net.h include/liburing/detail/prep_process.h \
         lib/liburing.a lib/liburing.so.2.15 lib/liburing-ffi.a lib/liburing-ffi.so.2.15 \
         lib/pkgconfig/liburing.pc lib/pkgconfig/liburing-ffi.pc \
         lib/cmake/bareuring/bareuringConfig.cmake lib/cmake/bareuring/bareuringConfigVersion.cmake; do
    [[ -f $prefix/$f ]] || fail "not installed: $f"
done
for lib in liburing liburing-ffi; do
    [[ $(readlink "$prefix/lib/$lib.so") == "$lib.so.2" ]] || fail "$lib.so is not a link to $lib.so.2"
    [[ $(readlink "$prefix/lib/$lib.so.2") == "$lib.so.2.15" ]] || fail "$lib.so.2 is not a link to $lib.so.2.15"
done
echo "layout: ok ($(find "$prefix" -type f | wc -l) files)"

# expect PROGRAM MAPPED: runs PROGRAM; it must do its NOP, see version 2.15
# in both library and header, and have mapped MAPPED ("none" when static).
expect() {
    local program=$1 mapped=$2 out
    out=$("$program") || { echo "$out"; fail "$(basename "$program") failed"; }
    local want
    want=$(printf 'version: 2.15\nheader: 2.15\nnop: ok\nmapped: %s' "$mapped")
    if [[ $out != "$want" ]]; then
        diff <(echo "$want") <(echo "$out") || true
        fail "$(basename "$program") printed the wrong facts (diff: - want, + got)"
    fi
    echo "$(basename "$program"): ok, mapped $mapped"
}

# --- pkg-config ---
if command -v pkg-config > /dev/null; then
    export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
    for pc in liburing liburing-ffi; do
        [[ $(pkg-config --modversion $pc) == 2.15 ]] || fail "pkg-config $pc: version $(pkg-config --modversion $pc)"
    done
    # shellcheck disable=SC2046 # word splitting of pkg-config output is intended
    {
        $cc -o "$work/pc_shared" "$here/consumer/consumer.c" $(pkg-config --cflags --libs liburing) \
            -Wl,-rpath,"$prefix/lib" $link_flags
        $cc -o "$work/pc_static" "$here/consumer/consumer.c" $(pkg-config --cflags liburing) \
            $(pkg-config --libs-only-L liburing) -Wl,-Bstatic $(pkg-config --libs-only-l liburing) -Wl,-Bdynamic $link_flags
        $cc -o "$work/pc_ffi_shared" "$here/consumer/consumer_ffi.c" $(pkg-config --cflags --libs liburing-ffi) \
            -Wl,-rpath,"$prefix/lib" $link_flags
        $cc -o "$work/pc_ffi_static" "$here/consumer/consumer_ffi.c" $(pkg-config --cflags liburing-ffi) \
            $(pkg-config --libs-only-L liburing-ffi) -Wl,-Bstatic $(pkg-config --libs-only-l liburing-ffi) -Wl,-Bdynamic $link_flags
    } || fail "building through pkg-config failed"
    expect "$work/pc_shared" "$prefix/lib/liburing.so.2.15"
    expect "$work/pc_static" none
    expect "$work/pc_ffi_shared" "$prefix/lib/liburing-ffi.so.2.15"
    expect "$work/pc_ffi_static" none
else
    echo "pkg-config: not installed, skipped (Debian package pkg-config)"
fi

# --- find_package(bareuring) ---
cmake -S "$here/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_EXE_LINKER_FLAGS="$link_flags" > "$work/cmake.log" 2>&1 &&
    cmake --build "$work/cmake-build" >> "$work/cmake.log" 2>&1 || {
    cat "$work/cmake.log"
    fail "building through find_package(bareuring) failed"
}
expect "$work/cmake-build/cmake_shared" "$prefix/lib/liburing.so.2.15"
expect "$work/cmake-build/cmake_static" none
expect "$work/cmake-build/cmake_ffi_shared" "$prefix/lib/liburing-ffi.so.2.15"
expect "$work/cmake-build/cmake_ffi_static" none
echo "PASS"
