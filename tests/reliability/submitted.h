// What io_uring_submit may return after queueing `queued` new SQEs.
//
// Without SQPOLL it is exactly `queued`. With SQPOLL it is the number of
// SQEs the poller has not consumed yet, and the poller publishes its new SQ
// head only after processing a batch: an earlier SQE whose CQE is already
// out may still be counted. So the result is at least `queued` (nothing
// lost) and at most the SQ size. The same lag can make io_uring_get_sqe
// report a full SQ for a moment; see next_sqe().
#pragma once

#include <liburing.h>

#include <gtest/gtest.h>

namespace reliability {

inline ::testing::AssertionResult SubmittedOk(const io_uring *ring, int ret, unsigned queued)
{
    const bool sqpoll = ring->flags & IORING_SETUP_SQPOLL;
    if (sqpoll ? (ret >= static_cast<int>(queued) && ret <= static_cast<int>(ring->sq.ring_entries))
               : ret == static_cast<int>(queued))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "io_uring_submit returned " << ret << " after queueing " << queued
                                         << (sqpoll ? " (SQPOLL)" : "");
}

// io_uring_get_sqe, waiting for the SQPOLL poller to publish its head when
// the SQ looks full only because of that lag.
inline io_uring_sqe *next_sqe(io_uring *ring)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    for (int i = 0; !sqe && (ring->flags & IORING_SETUP_SQPOLL) && i < 100000; ++i) {
        io_uring_sqring_wait(ring);
        sqe = io_uring_get_sqe(ring);
    }
    return sqe;
}

} // namespace reliability
