// Exported: io_uring_resize_rings.
#include "internal.h"

#include "ring/layout.h"
#include "ring/setup.h"

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
//
// The new regions can only be mapped after the register call: the kernel
// publishes them at the ring's fixed mmap offsets when it switches, and it
// refuses any address chosen by the caller (so no address space can be
// reserved beforehand). Everything that can be checked is therefore
// checked before the call, a failed mmap afterwards is retried once, and
// only if that fails too is the ring given up (see below).
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
            // The kernel has switched to the new rings but we could not map
            // them: the old mappings are retired, so SQEs queued from now on
            // would be dropped silently and no CQE would ever show up. Give
            // the ring up: without fd and registered index every later call
            // that reaches the kernel fails (-EBADF from io_uring_enter). The
            // old mappings stay, so the inline helpers keep touching valid
            // memory, and io_uring_queue_exit still unmaps them.
            ring::release_fds(ring);
        }
    }
    // As liburing does: the caller's flags are consumed by the call.
    p->flags = 0;
    return ret;
}
