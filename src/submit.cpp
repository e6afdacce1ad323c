// Exported submission: io_uring_submit and friends, and io_uring_get_sqe
// for binaries built against headers in which it was not inline.
#include "internal.h"

#include "ring/protocol.h"

using namespace bareuring;

namespace {

// Flushes the SQ and enters the kernel if the SQEs, a wait, or pending
// completions require it. Returns the number submitted or -errno.
// Inlined into each exported entry point: one call fewer per submit.
[[gnu::always_inline]] inline int submit(io_uring *ring, unsigned wait_nr, bool get_events) noexcept
{
    if (uring_unlikely(!ring))
        return -EFAULT;
    const unsigned submitted = ring::flush_sq(ring);
    const bool cq_enter = get_events || wait_nr || ring::cq_needs_enter(ring);
    unsigned flags = 0;

    if (!ring::sq_needs_enter(ring, submitted, &flags) && !cq_enter)
        return static_cast<int>(submitted);
    if (cq_enter)
        flags |= IORING_ENTER_GETEVENTS;
    return ring::enter(ring, submitted, wait_nr, flags, nullptr);
}

} // namespace

// liburing: io_uring_submit.
BAREURING_API int io_uring_submit(struct io_uring *ring) noexcept
{
    return submit(ring, 0, false);
}

// liburing: io_uring_submit_and_wait.
BAREURING_API int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr) noexcept
{
    return submit(ring, wait_nr, false);
}

// liburing: io_uring_submit_and_get_events — submit and always reap.
BAREURING_API int io_uring_submit_and_get_events(struct io_uring *ring) noexcept
{
    return submit(ring, 0, true);
}

// liburing: io_uring_get_events — run task work, flush overflowed CQEs.
BAREURING_API int io_uring_get_events(struct io_uring *ring) noexcept
{
    if (!ring)
        return -EFAULT;
    return ring::enter(ring, 0, 0, IORING_ENTER_GETEVENTS, nullptr);
}

// liburing: __io_uring_sqring_wait — block until the SQPOLL thread has
// consumed SQEs and freed slots.
BAREURING_API int __io_uring_sqring_wait(struct io_uring *ring) noexcept
{
    if (!ring)
        return -EFAULT;
    return ring::enter(ring, 0, 0, IORING_ENTER_SQ_WAIT, nullptr);
}

// liburing: io_uring_get_sqe (exported copy of the inline fast path).
BAREURING_API struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring) noexcept
{
    return ring ? _io_uring_get_sqe(ring) : nullptr;
}
