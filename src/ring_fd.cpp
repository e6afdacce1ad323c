// Registered ring fd: the ring registers its own fd in the task's ring-fd
// table, so io_uring_enter (and, with IORING_FEAT_REG_REG_RING,
// io_uring_register) can name the ring by index and skip the fd lookup.
//
// State kept in struct io_uring (values are ABI, see internal.h):
//   registered:   enter_ring_fd = slot index, int_flags |= REG_RING, plus
//                 REG_REG_RING when the kernel has IORING_FEAT_REG_REG_RING;
//   unregistered: enter_ring_fd = ring_fd, both bits clear.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_ring_fd: returns 1 (slots registered) or -errno;
// -EEXIST when this ring is already registered.
BAREURING_API int io_uring_register_ring_fd(struct io_uring *ring) noexcept
{
    if (ring == nullptr)
        return kNullRing;
    if (ring->int_flags & kIntFlagRegRing)
        return -EEXIST;

    io_uring_rsrc_update up{};
    up.offset = static_cast<__u32>(-1); // let the kernel pick a free slot
    up.data = static_cast<__u64>(ring->ring_fd);
    int ret = ring_register(ring, IORING_REGISTER_RING_FDS, &up, 1);
    if (ret == 1) {
        ring->enter_ring_fd = static_cast<int>(up.offset);
        ring->int_flags |= kIntFlagRegRing;
        if (ring->features & IORING_FEAT_REG_REG_RING)
            ring->int_flags |= kIntFlagRegRegRing;
    }
    return ret;
}

// io_uring_unregister_ring_fd: returns 1 or -errno; -EINVAL when the ring
// is not registered. Afterwards io_uring_enter goes through ring_fd again
// (which is -1 if io_uring_close_ring_fd ran: the ring is then unusable,
// as with liburing).
BAREURING_API int io_uring_unregister_ring_fd(struct io_uring *ring) noexcept
{
    if (ring == nullptr)
        return kNullRing;
    if (!(ring->int_flags & kIntFlagRegRing))
        return -EINVAL;

    io_uring_rsrc_update up{};
    up.offset = static_cast<__u32>(ring->enter_ring_fd);
    int ret = ring_register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
    if (ret == 1) {
        ring->enter_ring_fd = ring->ring_fd;
        ring->int_flags &= static_cast<__u8>(~(kIntFlagRegRing | kIntFlagRegRegRing));
    }
    return ret;
}

// io_uring_close_ring_fd: drops the real fd once the registered index can
// do everything (enter and register). Returns 1, or -EOPNOTSUPP (kernel
// without REG_REG_RING), -EINVAL (not registered), -EBADF (already closed).
BAREURING_API int io_uring_close_ring_fd(struct io_uring *ring) noexcept
{
    if (ring == nullptr)
        return kNullRing;
    if (!(ring->features & IORING_FEAT_REG_REG_RING))
        return -EOPNOTSUPP;
    if (!(ring->int_flags & kIntFlagRegRing))
        return -EINVAL;
    if (ring->ring_fd == -1)
        return -EBADF;

    sys::close(ring->ring_fd);
    ring->ring_fd = -1;
    return 1;
}
