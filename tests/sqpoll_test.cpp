// SQPOLL: the kernel's SQ thread consumes SQEs without io_uring_enter. When it
// has been idle for sq_thread_idle ms it sleeps and sets
// IORING_SQ_NEED_WAKEUP in *sq.kflags; io_uring_submit must then wake it
// (IORING_ENTER_SQ_WAKEUP) or the request would never be consumed.
#include <liburing.h>

#include <time.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

class SqPoll : public ::testing::Test {
protected:
    void SetUp() override
    {
        io_uring_params p;
        std::memset(&p, 0, sizeof p);
        p.flags = IORING_SETUP_SQPOLL;
        p.sq_thread_idle = 10; // ms
        const int ret = io_uring_queue_init_params(8, &ring_, &p);
        if (ret == -EPERM || ret == -EINVAL)
            GTEST_SKIP() << "SQPOLL refused: " << std::strerror(-ret);
        ASSERT_EQ(ret, 0) << std::strerror(-ret);
        live_ = true;
    }
    void TearDown() override
    {
        if (live_)
            io_uring_queue_exit(&ring_);
    }

    unsigned sq_flags() const { return __atomic_load_n(ring_.sq.kflags, __ATOMIC_ACQUIRE); }

    // Polls until the SQ thread has gone to sleep. The bound only protects
    // against a hang (about 10 s); nothing is asserted about how long it took.
    bool wait_for_need_wakeup() const
    {
        for (int i = 0; i < 10000; ++i) {
            if (sq_flags() & IORING_SQ_NEED_WAKEUP)
                return true;
            const timespec one_ms{0, 1000000};
            ::nanosleep(&one_ms, nullptr);
        }
        return false;
    }

    void nop_round_trip(std::uint64_t ud)
    {
        const unsigned i = ring_.sq.sqe_tail;
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, ud);
        ASSERT_EQ(io_uring_submit(&ring_), 1);
        EXPECT_EQ(ring_.sq.sqe_head, i + 1);
        EXPECT_EQ(*ring_.sq.ktail, i + 1);

        // A bounded wait: if submit failed to wake a sleeping SQ thread the
        // NOP would never be consumed, and a plain wait would hang.
        io_uring_cqe *cqe = nullptr;
        __kernel_timespec ts{10, 0};
        ASSERT_EQ(io_uring_wait_cqe_timeout(&ring_, &cqe, &ts), 0) << "SQ thread not woken?";
        EXPECT_EQ(cqe->user_data, ud);
        EXPECT_EQ(cqe->res, 0);
        io_uring_cqe_seen(&ring_, cqe);
        // The SQ thread publishes its head after posting the CQE.
        ASSERT_TRUE(bt::wait_sq_consumed(ring_));
        EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{i + 1, i + 1, i + 1, i + 1, i + 1, i + 1}));
    }

    io_uring ring_;
    bool live_ = false;
};

TEST_F(SqPoll, IdleThreadSetsNeedWakeupAndSubmitWakesIt)
{
    ASSERT_TRUE(ring_.flags & IORING_SETUP_SQPOLL);
    nop_round_trip(1); // the thread has run at least once
    for (std::uint64_t cycle = 0; cycle < 3; ++cycle) {
        SCOPED_TRACE(testing::Message() << "cycle " << cycle);
        ASSERT_TRUE(wait_for_need_wakeup()) << "SQ thread never went idle; kflags=0x" << std::hex << sq_flags();
        nop_round_trip(100 + cycle);
        if (HasFatalFailure())
            return;
    }
}

// Many more requests than SQ entries: when get_sqe finds the SQ full,
// io_uring_sqring_wait blocks until the SQ thread has made room.
TEST_F(SqPoll, SqringWaitMakesRoom)
{
    EXPECT_EQ(io_uring_sqring_wait(&ring_), 0) << "space available: returns at once";

    constexpr unsigned kTotal = 100;
    std::vector<int> seen(kTotal, 0);
    unsigned reaped = 0;
    for (unsigned i = 0; i < kTotal; ++i) {
        io_uring_sqe *sqe;
        while (!(sqe = io_uring_get_sqe(&ring_))) {
            ASSERT_GE(io_uring_submit(&ring_), 0);
            const int ret = io_uring_sqring_wait(&ring_);
            ASSERT_GE(ret, 0) << std::strerror(-ret);
        }
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
        // Keep the CQ drained so completions never overflow.
        io_uring_cqe *cqe;
        while (io_uring_peek_cqe(&ring_, &cqe) == 0) {
            ASSERT_LT(cqe->user_data, kTotal);
            ++seen[cqe->user_data];
            io_uring_cqe_seen(&ring_, cqe);
            ++reaped;
        }
    }
    ASSERT_GE(io_uring_submit(&ring_), 0);
    while (reaped < kTotal) {
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring_, &cqe), 0);
        ASSERT_LT(cqe.user_data, kTotal);
        ++seen[cqe.user_data];
        ++reaped;
    }
    EXPECT_EQ(seen, std::vector<int>(kTotal, 1));
    ASSERT_TRUE(bt::wait_sq_consumed(ring_));
    EXPECT_EQ(*ring_.sq.khead, kTotal);
}

// Without an enter, submit reports how many entries are pending in the ring.
TEST_F(SqPoll, SubmitCountsPendingEntries)
{
    for (unsigned i = 0; i < 3; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
    }
    const int ret = io_uring_submit(&ring_);
    // The SQ thread may already have taken some (then fewer are pending),
    // but at most the three just published.
    EXPECT_GE(ret, 0);
    EXPECT_LE(ret, 3);
    std::vector<int> seen(3, 0);
    for (int i = 0; i < 3; ++i) {
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring_, &cqe), 0);
        ASSERT_LT(cqe.user_data, 3u);
        ++seen[cqe.user_data];
    }
    EXPECT_EQ(seen, std::vector<int>(3, 1));
}

} // namespace
