#!/usr/bin/env bash
# tests/cross/check.sh [ARCH...]   (ARCH: aarch64, riscv64; default both)
#
# Cross-builds the libraries (no tests, no tools) without libc, archives and
# shared libraries alike (BAREURING_NOLIBC=ON, BAREURING_NOLIBC_SHARED=ON),
# with -Werror, for each ARCH with Debian's cross compilers
# (cmake/toolchains/<ARCH>-linux-gnu.cmake), then checks every library with
# the target's binutils: the archives leave only libgcc helpers undefined,
# the shared objects have no NEEDED entry (tests/nolibc/check-undefined.sh),
# and everything is an ELF file for ARCH. Exit status 0 only if all passed.
#
# Build directories: build-cross-<ARCH> under BAREURING_CROSS_DIR (default:
# the source tree), reused, so a second run is incremental. Jobs:
# BAREURING_JOBS (default 2).
# Needs: apt-get install g++-aarch64-linux-gnu g++-riscv64-linux-gnu
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jobs=${BAREURING_JOBS:-2}
cross_dir=${BAREURING_CROSS_DIR:-$root}
arches=("$@")
((${#arches[@]})) || arches=(aarch64 riscv64)

declare -A elf_machine=([aarch64]=AArch64 [riscv64]=RISC-V)

failed=0
for arch in "${arches[@]}"; do
    triple=$arch-linux-gnu
    toolchain=$root/cmake/toolchains/$triple.cmake
    build=$cross_dir/build-cross-$arch
    t0=$SECONDS
    echo "==> $arch"
    if [[ ! -f $toolchain || -z ${elf_machine[$arch]:-} ]]; then
        echo "check.sh: unknown architecture $arch" >&2
        failed=1
        continue
    fi
    if ! command -v "$triple-g++" > /dev/null; then
        echo "check.sh: $triple-g++ missing (apt-get install g++-$triple)" >&2
        failed=1
        continue
    fi
    mkdir -p "$build"
    if ! cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAREURING_NOLIBC:STRING=ON -DBAREURING_NOLIBC_SHARED=ON \
            -DBAREURING_TESTS=OFF -DBAREURING_TOOLS=OFF -DBAREURING_WERROR=ON > "$build/configure.log" 2>&1; then
        tail -20 "$build/configure.log"
        echo "FAIL  $arch: configure ($((SECONDS - t0))s)"
        failed=1
        continue
    fi
    if ! cmake --build "$build" -j "$jobs"; then
        echo "FAIL  $arch: build ($((SECONDS - t0))s)"
        failed=1
        continue
    fi

    libs=("$build/src/liburing.a" "$build/src/liburing-ffi.a" "$build/src/liburing_fault.a"
          "$build/src/liburing.so.2" "$build/src/liburing-ffi.so.2")
    ok=1
    for f in "${libs[@]}"; do
        case $f in
        *.a) obj=$(mktemp -d) && (cd "$obj" && "$triple-ar" x "$f") && probe=$(ls "$obj"/*.o | head -1) ;;
        *) obj= probe=$f ;;
        esac
        machine=$("$triple-readelf" -h "$probe" | awk -F: '/Machine:/ { gsub(/^ +/, "", $2); print $2 }')
        [[ -n $obj ]] && rm -rf "$obj"
        if [[ $machine != "${elf_machine[$arch]}" ]]; then
            echo "$f: machine '$machine', want '${elf_machine[$arch]}'"
            ok=0
        fi
    done
    "$root/tests/nolibc/check-undefined.sh" --cc "$triple-gcc" --nm "$triple-nm" \
        --readelf "$triple-readelf" "${libs[@]}" || ok=0
    if ((ok)); then
        echo "PASS  $arch ($((SECONDS - t0))s)"
    else
        echo "FAIL  $arch ($((SECONDS - t0))s)"
        failed=1
    fi
done
exit $failed
