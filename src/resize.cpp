// Exported: io_uring_resize_rings.
#include "internal.h"

#include "ring/layout.h"

using namespace bareuring;

namespace {

// SQEs handed out by io_uring_get_sqe but not yet flushed live only in the
// old SQE array (the kernel copies just the entries below its tail). Carry
// them into the new array so a resize between get_sqe and submit loses
// nothing; entries that no longer fit are given back.
void carry_unflushed_sqes(const io_uring_sq &from, io_uring_sq *to, unsigned shift) noexcept
{
    const unsigned in_kernel = to->sqe_head - *to->khead;
    unsigned end = from.sqe_tail;
    if (end - from.sqe_head > to->ring_entries - in_kernel)
        end = from.sqe_head + (to->ring_entries - in_kernel);
    for (unsigned i = from.sqe_head; i != end; i++) // free-running indices
        __builtin_memcpy(&to->sqes[(i & to->ring_mask) << shift], &from.sqes[(i & from.ring_mask) << shift],
                         sizeof(io_uring_sqe) << shift);
    to->sqe_tail = end;
}

// The kernel has switched to the new rings but we could not map them: the
// old mappings the struct points at are retired (the kernel no longer reads
// or writes them), so every SQE queued from now on would be silently
// dropped and no completion would ever show up. Give the ring up instead:
// drop the registered index and close the fd, so that every later call that
// reaches the kernel fails with the kernel's answer for a closed ring
// (-EBADF from io_uring_enter). The old mappings stay in place, so the
// inline helpers (get_sqe, peek_cqe, cq_advance) keep touching valid memory,
// and io_uring_queue_exit still unmaps them.
void give_up_ring(io_uring *ring) noexcept
{
    if (ring->int_flags & kIntFlagRegRing) {
        // A failure here leaves the slot to the kernel, which drops it when
        // the thread exits; the struct forgets it either way.
        io_uring_rsrc_update up{};
        up.offset = static_cast<unsigned>(ring->enter_ring_fd);
        ring_register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
    }
    if (ring->ring_fd != -1)
        sys::close(ring->ring_fd);
    ring->ring_fd = -1;
    ring->enter_ring_fd = -1;
    ring->int_flags &= static_cast<__u8>(~(kIntFlagRegRing | kIntFlagRegRegRing));
}

} // namespace

// liburing: io_uring_resize_rings. The kernel builds new rings, moves the
// pending SQEs and CQEs into them and retires the old ones; we map the new
// regions, keep our private indices and unmap the old regions.
//
// The new regions can only be mapped after the register call: the kernel
// publishes them at the ring's fixed mmap offsets when it switches, and it
// refuses any address chosen by the caller (so no address space can be
// reserved beforehand). Everything that can be checked is therefore
// checked before the call, a failed mmap afterwards is retried once, and
// only if that fails too is the ring given up (give_up_ring).
BAREURING_API int io_uring_resize_rings(struct io_uring *ring, struct io_uring_params *p) noexcept
{
    if (!ring || !p)
        return -EFAULT;
    int ret = -EINVAL;
    if (!(ring->flags & IORING_SETUP_NO_MMAP)) {
        // Without a real fd (io_uring_close_ring_fd) the kernel would still
        // resize through the registered index, but the new rings could not
        // be mapped: refuse while the ring is intact.
        if (ring->ring_fd == -1) {
            p->flags = 0;
            return -EBADF;
        }
        __builtin_memset(&p->sq_off, 0, sizeof(p->sq_off));
        __builtin_memset(&p->cq_off, 0, sizeof(p->cq_off));
        ret = ring_register(ring, IORING_REGISTER_RESIZE_RINGS, p, 1);
    }
    if (ret >= 0) {
        // Lay the new regions out with the ring's own setup flags and
        // features (SQE128/CQE32 strides, NO_SQARRAY, single mmap).
        io_uring_params layout = *p;
        layout.flags = ring->flags;
        layout.features = ring->features;

        io_uring_sq sq{};
        io_uring_cq cq{};
        // A failed mmap leaves nothing mapped; a second attempt covers a
        // transient failure (a kernel allocation under memory pressure,
        // another thread releasing address space meanwhile).
        ret = ring::map_kernel_regions(ring->ring_fd, layout, &sq, &cq);
        if (ret)
            ret = ring::map_kernel_regions(ring->ring_fd, layout, &sq, &cq);
        if (!ret) {
            ring::point_into_rings(layout, &sq, &cq);
            sq.sqe_head = ring->sq.sqe_head;
            carry_unflushed_sqes(ring->sq, &sq, io_uring_sqe_shift(ring));
            ring::fill_identity_sq_array(&sq);
            ring::unmap_regions(&ring->sq, &ring->cq);
            ring->sq = sq;
            ring->cq = cq;
        } else {
            give_up_ring(ring);
        }
    }
    // As liburing does: the caller's flags are consumed by the call.
    p->flags = 0;
    return ret;
}
