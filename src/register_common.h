// Private helpers shared by the exported registration functions
// (src/register_*.cpp, probe.cpp, buf_ring.cpp, ring_fd.cpp, sync.cpp).
#pragma once

#include "internal.h"

namespace bareuring {

// liburing dereferences the ring pointer unconditionally; we answer a NULL
// ring with -EFAULT (the kernel's word for "bad address") instead of
// crashing.
inline constexpr int kNullRing = -EFAULT;

// io_uring_register on `ring` for the opcodes that take their argument
// straight from the caller: -EFAULT for a NULL ring, otherwise whatever the
// kernel says.
inline int register_on(const io_uring *ring, unsigned opcode, const void *arg, unsigned nr_args) noexcept
{
    if (ring == nullptr)
        return kNullRing;
    return ring_register(ring, opcode, arg, nr_args);
}

// The ring-less form: io_uring_register(-1, ...), used by the task-wide
// operations (sync msg, query, task bpf filters).
inline int register_without_ring(unsigned opcode, const void *arg, unsigned nr_args) noexcept
{
    return sys::io_uring_register(static_cast<unsigned>(-1), opcode, arg, nr_args);
}

// Pointers travel to the kernel as zero-extended 64-bit values.
inline std::uint64_t user_ptr(const void *p) noexcept
{
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p));
}

} // namespace bareuring
