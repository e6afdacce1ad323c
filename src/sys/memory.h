// Heap memory for the few results the library hands to the application
// (today: io_uring_get_probe*'s probe).
//
// The libc build takes it from calloc/free, so a program may still release
// a probe with plain free() as old liburing callers do. The no-libc build
// (BAREURING_NOLIBC) maps it with mmap instead; such memory must go back
// through release(). Both give zeroed memory.
#pragma once

#include <cstddef>

namespace bareuring::sys {

// n zeroed bytes, aligned for any scalar type (16 bytes), or nullptr.
void *alloc_zeroed(std::size_t n) noexcept;

// Give back what alloc_zeroed returned; nullptr is ignored.
void release(void *p) noexcept;

} // namespace bareuring::sys
