// The libc build's allocator: calloc and free, so memory handed to the
// application may be released with plain free() (see memory.h).
#if !defined(BAREURING_NOLIBC)

#include "sys/memory.h"

#include <cstdlib>

namespace bareuring::sys {

void *alloc_zeroed(std::size_t n) noexcept
{
    return std::calloc(1, n);
}

void release(void *p) noexcept
{
    std::free(p);
}

} // namespace bareuring::sys

#endif // !BAREURING_NOLIBC
