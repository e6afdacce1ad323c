// SQPOLL idling and being woken, in a loop. The poller thread sleeps after
// sq_thread_idle ms without work and sets IORING_SQ_NEED_WAKEUP; the next
// io_uring_submit must see the flag and wake it (IORING_ENTER_SQ_WAKEUP).
// If the library missed the wakeup the NOP would never be consumed and
// the wait below would run into its (generous) guard timeout.
#include <liburing.h>

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>

#include "load_driver.h"
#include "submitted.h"

namespace {

// Waits (without asserting on time) until the poller has gone idle.
bool wait_until_idle(io_uring *ring)
{
    for (int i = 0; i < 20000; ++i) { // up to ~2 s; the idle time is 1 ms
        if (IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_NEED_WAKEUP)
            return true;
        ::usleep(100);
    }
    return false;
}

TEST(SqpollWakeup, IdleThreadIsWokenForEverySubmission)
{
    const unsigned rounds = static_cast<unsigned>(reliability::load_size(20, 200, 2000));
    io_uring ring;
    io_uring_params p{};
    p.flags = IORING_SETUP_SQPOLL;
    p.sq_thread_idle = 1;
    ASSERT_EQ(io_uring_queue_init_params(8, &ring, &p), 0);

    unsigned woken = 0, busy = 0;
    for (unsigned i = 0; i < rounds; ++i) {
        // Every other round goes idle first; the others submit while the
        // poller may still be spinning (no wakeup needed).
        if (i % 2 == 0) {
            if (wait_until_idle(&ring))
                ++woken;
        } else {
            ++busy;
        }
        io_uring_sqe *sqe = reliability::next_sqe(&ring);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
        ASSERT_TRUE(reliability::SubmittedOk(&ring, io_uring_submit(&ring), 1));
        io_uring_cqe *cqe = nullptr;
        __kernel_timespec guard{30, 0};
        ASSERT_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &guard), 0)
            << "round " << i << ": the NOP was never consumed (poller not woken?)";
        EXPECT_EQ(cqe->user_data, i);
        EXPECT_EQ(cqe->res, 0);
        io_uring_cqe_seen(&ring, cqe);
    }
    EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
    EXPECT_GT(woken, 0u) << "the poller never went idle, so the wakeup path was not exercised";
    std::printf("[sqpoll] %u rounds: %u submitted to an idle poller, %u to a busy one\n", rounds, woken, busy);
    io_uring_queue_exit(&ring);
}

// Several SQEs queued at once to an idle poller, then a batch while it is
// awake, many times over: every NOP completes once.
TEST(SqpollWakeup, BatchesAcrossIdlePeriods)
{
    const unsigned rounds = static_cast<unsigned>(reliability::load_size(10, 50, 500));
    io_uring ring;
    io_uring_params p{};
    p.flags = IORING_SETUP_SQPOLL;
    p.sq_thread_idle = 1;
    ASSERT_EQ(io_uring_queue_init_params(32, &ring, &p), 0);
    std::uint64_t id = 0;
    for (unsigned r = 0; r < rounds; ++r) {
        wait_until_idle(&ring);
        for (unsigned k = 0; k < 32; ++k) {
            io_uring_sqe *sqe = reliability::next_sqe(&ring);
            ASSERT_NE(sqe, nullptr);
            io_uring_prep_nop(sqe);
            io_uring_sqe_set_data64(sqe, id + k);
        }
        ASSERT_TRUE(reliability::SubmittedOk(&ring, io_uring_submit(&ring), 32));
        std::vector<bool> seen(32, false);
        for (unsigned k = 0; k < 32; ++k) {
            io_uring_cqe *cqe = nullptr;
            __kernel_timespec guard{30, 0};
            ASSERT_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &guard), 0) << "round " << r;
            ASSERT_GE(cqe->user_data, id);
            ASSERT_LT(cqe->user_data, id + 32);
            EXPECT_FALSE(seen[cqe->user_data - id]) << "completed twice";
            seen[cqe->user_data - id] = true;
            io_uring_cqe_seen(&ring, cqe);
        }
        id += 32;
    }
    io_uring_queue_exit(&ring);
}

} // namespace
