// Exported: io_uring_peek_batch_cqe.
#include "internal.h"

#include "ring/protocol.h"

using namespace bareuring;

// liburing: io_uring_peek_batch_cqe. Fills cqes[] without consuming; on
// CQE_MIXED rings it steps over 32-byte CQEs and consumes filler entries
// found at the head.
BAREURING_API unsigned io_uring_peek_batch_cqe(struct io_uring *ring, struct io_uring_cqe **cqes,
                                               unsigned count) noexcept
{
    bool flushed = false;
    if (!ring || !cqes)
        return 0;

    for (;;) {
        // Acquire pairs with the kernel's tail release.
        const unsigned tail = io_uring_smp_load_acquire(ring->cq.ktail);
        unsigned head = *ring->cq.khead;
        const unsigned shift = io_uring_cqe_shift(ring);
        unsigned n = 0;

        while (n < count && head != tail) {
            io_uring_cqe *cqe = &ring->cq.cqes[(head & ring->cq.ring_mask) << shift];
            const unsigned slots = io_uring_cqe_nr(cqe);
            if (cqe->flags & IORING_CQE_F_SKIP) {
                if (n)
                    break; // the caller consumes up to here first
                io_uring_cq_advance(ring, slots);
                head += slots;
                continue;
            }
            cqes[n++] = cqe;
            head += slots;
        }
        if (n || head != tail || flushed || !ring::cq_needs_flush(ring))
            return n;
        // Completions may be held in the kernel: let it post them, once.
        io_uring_get_events(ring);
        flushed = true;
    }
}
