// Cloning one ring's registered-buffer table into another
// (IORING_REGISTER_CLONE_BUFFERS, issued on the destination ring).
#include "register_common.h"

using namespace bareuring;

// __io_uring_clone_buffers_offset: the general form. The source ring is named
// by its registered index only when IORING_REGISTER_SRC_REGISTERED was asked
// for AND that index is usable for register calls (REG_REG_RING); otherwise
// by its real fd, with the flag dropped so the kernel does not misread it.
BAREURING_API int __io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
                                                  unsigned int dst_off, unsigned int src_off,
                                                  unsigned int nr, unsigned int flags) noexcept
{
    if (dst == nullptr || src == nullptr)
        return kNullRing;
    struct io_uring_clone_buffers arg{};
    if ((flags & IORING_REGISTER_SRC_REGISTERED) && (src->int_flags & kIntFlagRegRegRing)) {
        arg.src_fd = static_cast<__u32>(src->enter_ring_fd);
    } else {
        arg.src_fd = static_cast<__u32>(src->ring_fd);
        flags &= ~static_cast<unsigned>(IORING_REGISTER_SRC_REGISTERED);
    }
    arg.flags = flags;
    arg.src_off = src_off;
    arg.dst_off = dst_off;
    arg.nr = nr;
    return ring_register(dst, IORING_REGISTER_CLONE_BUFFERS, &arg, 1);
}

// io_uring_clone_buffers_offset: as above, preferring the source's
// registered index when it has one.
BAREURING_API int io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
                                                unsigned int dst_off, unsigned int src_off,
                                                unsigned int nr, unsigned int flags) noexcept
{
    return __io_uring_clone_buffers_offset(dst, src, dst_off, src_off, nr,
                                           flags | IORING_REGISTER_SRC_REGISTERED);
}

// __io_uring_clone_buffers: the whole table (offsets 0, nr 0 = all), flags
// exactly as given.
BAREURING_API int __io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src,
                                           unsigned int flags) noexcept
{
    return __io_uring_clone_buffers_offset(dst, src, 0, 0, 0, flags);
}

// io_uring_clone_buffers: the whole table, through the source's registered
// index when possible.
BAREURING_API int io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src) noexcept
{
    return __io_uring_clone_buffers_offset(dst, src, 0, 0, 0, IORING_REGISTER_SRC_REGISTERED);
}
