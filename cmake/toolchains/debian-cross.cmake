# Shared part of the Debian cross toolchain files: the caller sets
# CMAKE_SYSTEM_NAME, CMAKE_SYSTEM_PROCESSOR and BAREURING_CROSS_TRIPLE.
#
# Debian installs the cross compilers as /usr/bin/<triple>-gcc and the
# target's headers and libraries under /usr/<triple>, which the compilers
# already search; the root path below only keeps find_* calls from picking
# up the build machine's libraries instead. Binutils (ar, nm, ...) are
# looked up under the same prefix.
set(CMAKE_C_COMPILER ${BAREURING_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${BAREURING_CROSS_TRIPLE}-g++)

set(CMAKE_FIND_ROOT_PATH /usr/${BAREURING_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
