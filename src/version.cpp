// Run-time version of the library (as opposed to the headers' compile-time
// IO_URING_VERSION_* macros, which describe what the program was built with).
#include "internal.h"

// io_uring_major_version.
BAREURING_API int io_uring_major_version(void) noexcept
{
    return IO_URING_VERSION_MAJOR;
}

// io_uring_minor_version.
BAREURING_API int io_uring_minor_version(void) noexcept
{
    return IO_URING_VERSION_MINOR;
}

// io_uring_check_version: the sense is inverted, as in liburing: true means
// the requested (major, minor) is NEWER than this library, i.e. NOT
// available; false means the library is at least that version.
BAREURING_API bool io_uring_check_version(int major, int minor) noexcept
{
    return major > IO_URING_VERSION_MAJOR ||
           (major == IO_URING_VERSION_MAJOR && minor > IO_URING_VERSION_MINOR);
}
