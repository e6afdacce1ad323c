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

} // namespace

// liburing: io_uring_resize_rings. The kernel builds new rings, moves the
// pending SQEs and CQEs into them and retires the old ones; we map the new
// regions, keep our private indices and unmap the old regions.
BAREURING_API int io_uring_resize_rings(struct io_uring *ring, struct io_uring_params *p) noexcept
{
    if (!ring || !p)
        return -EINVAL;
    int ret = -EINVAL;
    if (!(ring->flags & IORING_SETUP_NO_MMAP)) {
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
        ret = ring::map_kernel_regions(ring->ring_fd, layout, &sq, &cq);
        if (!ret) {
            ring::point_into_rings(layout, &sq, &cq);
            sq.sqe_head = ring->sq.sqe_head;
            carry_unflushed_sqes(ring->sq, &sq, io_uring_sqe_shift(ring));
            ring::fill_identity_sq_array(&sq);
            ring::unmap_regions(&ring->sq, &ring->cq);
            ring->sq = sq;
            ring->cq = cq;
        }
    }
    // As liburing does: the caller's flags are consumed by the call.
    p->flags = 0;
    return ret;
}
