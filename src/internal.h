// Library-internal definitions shared by the exported C API (layer 3) and
// the ring layer (layer 2). Every src/*.cpp includes this first.
#pragma once

// Inside the library io_uring_get_sqe is the exported, non-inline function.
#define BAREURING_INTERNAL 1
#include <liburing.h>

#include <cstddef>
#include <cstdint>

#include "sys/kernel.h"

// C linkage + default visibility for the functions liburing exports. The
// library is compiled with -fvisibility=hidden, so everything else stays
// private to liburing.so.
#define BAREURING_API extern "C" __attribute__((visibility("default")))

namespace bareuring {

// struct io_uring::int_flags bits. Their values are ABI: binaries built
// against older liburing headers test some of them inline, and REG_RING and
// NO_IOWAIT are ORed straight into io_uring_enter's flags.
inline constexpr std::uint8_t kIntFlagRegRegRing = 0x01; // enter_ring_fd also valid for io_uring_register
inline constexpr std::uint8_t kIntFlagAppMem = 0x02;     // ring memory belongs to the application
inline constexpr std::uint8_t kIntFlagCqEnter = 0x04;    // IOPOLL without SQPOLL: reaping must enter
inline constexpr std::uint8_t kIntFlagRegRing = IORING_ENTER_REGISTERED_RING; // 0x10: enter_ring_fd is an index
inline constexpr std::uint8_t kIntFlagNoIowait = IORING_ENTER_NO_IOWAIT;     // 0x80: add NO_IOWAIT to every enter

static_assert(IORING_ENTER_REGISTERED_RING == 0x10 && IORING_ENTER_NO_IOWAIT == 0x80,
              "int_flags bits double as io_uring_enter flags");

// The enter flags every io_uring_enter on this ring must carry.
inline unsigned enter_flags_base(const io_uring *ring) noexcept
{
    return ring->int_flags & (kIntFlagRegRing | kIntFlagNoIowait);
}

// io_uring_register on this ring: through the registered index when the
// kernel allows registered rings for register (REG_REG_RING), otherwise
// through the real fd. Returns >= 0 or -errno.
inline int ring_register(const io_uring *ring, unsigned opcode, const void *arg, unsigned nr_args) noexcept
{
    if (ring->int_flags & kIntFlagRegRegRing)
        return sys::io_uring_register(static_cast<unsigned>(ring->enter_ring_fd),
                                      opcode | IORING_REGISTER_USE_REGISTERED_RING, arg, nr_args);
    return sys::io_uring_register(static_cast<unsigned>(ring->ring_fd), opcode, arg, nr_args);
}

// The kernel's sigset size for io_uring_enter: _NSIG / 8.
inline constexpr std::size_t kSigsetSize = 65 / 8;

// x86 (and every target we build) uses 4 KiB pages for ring sizing, as
// liburing does.
inline constexpr std::size_t kPageSize = 4096;

} // namespace bareuring
