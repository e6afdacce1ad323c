# Cross toolchain: Linux riscv64 (RV64GC, lp64d) with Debian's cross
# compilers (apt-get install g++-riscv64-linux-gnu). Library builds only:
# the tests and tools would have to run on the target. See
# tests/cross/check.sh.
#
#   cmake -S . -B build-cross-riscv64 \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/riscv64-linux-gnu.cmake \
#     -DBAREURING_TESTS=OFF -DBAREURING_TOOLS=OFF [-DBAREURING_NOLIBC_SHARED=ON]
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(BAREURING_CROSS_TRIPLE riscv64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
