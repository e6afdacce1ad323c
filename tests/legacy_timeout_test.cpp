// The wait-with-timeout path for kernels without IORING_FEAT_EXT_ARG
// (before 5.11): the library queues its own IORING_OP_TIMEOUT SQE with
// user_data LIBURING_UDATA_TIMEOUT and swallows its CQE. The running kernel
// has EXT_ARG, so the test clears the bit in ring.features — the one field
// the library consults to choose the path — and drives the old path on the
// real kernel.
#include <liburing.h>

#include <gtest/gtest.h>

#include <vector>

namespace {

class LegacyTimeout : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(io_uring_queue_init(8, &ring_, 0), 0);
        ASSERT_TRUE(ring_.features & IORING_FEAT_EXT_ARG);
        ring_.features &= ~IORING_FEAT_EXT_ARG;
    }
    void TearDown() override { io_uring_queue_exit(&ring_); }

    // Everything still visible in the CQ, consumed.
    std::vector<__u64> drain()
    {
        std::vector<__u64> seen;
        io_uring_cqe *cqe;
        while (io_uring_peek_cqe(&ring_, &cqe) == 0) {
            seen.push_back(cqe->user_data);
            io_uring_cqe_seen(&ring_, cqe);
        }
        return seen;
    }

    io_uring ring_{};
};

TEST_F(LegacyTimeout, EmptyRingTimesOutWithEtimeAndHidesTheTimeoutCqe)
{
    __kernel_timespec ts{0, 20 * 1000 * 1000};
    io_uring_cqe *cqe = reinterpret_cast<io_uring_cqe *>(0x1);
    const unsigned tail_before = ring_.sq.sqe_tail;

    EXPECT_EQ(io_uring_wait_cqe_timeout(&ring_, &cqe, &ts), -ETIME);
    EXPECT_EQ(cqe, nullptr);
    // The library used one SQE for its timeout...
    EXPECT_EQ(ring_.sq.sqe_tail, tail_before + 1);
    EXPECT_EQ(ring_.sq.sqe_head, ring_.sq.sqe_tail);
    // ...and consumed its completion: the application sees nothing.
    EXPECT_EQ(io_uring_cq_ready(&ring_), 0u);
    EXPECT_TRUE(drain().empty());
}

TEST_F(LegacyTimeout, CompletionArrivingFirstIsReturnedAndTheTimeoutStaysHidden)
{
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 42);

    __kernel_timespec ts{5, 0};
    io_uring_cqe *cqe = nullptr;
    // The NOP is flushed together with the internal timeout SQE.
    const int ret = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    ASSERT_GE(ret, 0);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 42u);
    EXPECT_EQ(cqe->res, 0);
    io_uring_cqe_seen(&ring_, cqe);

    // The timeout (count 1) is satisfied by the NOP and completes too; its
    // CQE must never surface.
    __kernel_timespec short_ts{0, 20 * 1000 * 1000};
    EXPECT_EQ(io_uring_wait_cqe_timeout(&ring_, &cqe, &short_ts), -ETIME);
    for (__u64 ud : drain())
        EXPECT_NE(ud, LIBURING_UDATA_TIMEOUT);
}

TEST_F(LegacyTimeout, FullSqIsSubmittedToMakeRoomForTheTimeout)
{
    for (unsigned i = 0; i < ring_.sq.ring_entries; i++) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
    }
    ASSERT_EQ(io_uring_get_sqe(&ring_), nullptr);

    __kernel_timespec ts{5, 0};
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqes(&ring_, &cqe, 1, &ts, nullptr), 0);
    ASSERT_NE(cqe, nullptr);
    // All queued NOPs went to the kernel and complete.
    std::vector<__u64> seen = drain();
    EXPECT_EQ(seen.size(), ring_.sq.ring_entries);
    for (__u64 ud : seen)
        EXPECT_LT(ud, ring_.sq.ring_entries);
}

} // namespace
