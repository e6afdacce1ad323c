// CQ overflow with IORING_FEAT_NODROP: ten times more NOPs than CQ entries are
// submitted in batches without reaping in between, so the kernel has to park
// completions in its overflow list (IORING_SQ_CQ_OVERFLOW). Reaping through
// the library must flush that list: every user_data is seen exactly once,
// in submission order, and nothing is reported dropped.
#include <liburing.h>

#include <gtest/gtest.h>

#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

constexpr unsigned kSqEntries = 8;  // CQ gets 16
constexpr unsigned kBatchesPerRound = 5; // 40 completions per round: 24 overflow

// Queues and submits one full SQ of NOPs with consecutive user_data.
void submit_batch(io_uring &ring, std::uint64_t &next_ud)
{
    for (unsigned i = 0; i < kSqEntries; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, next_ud++);
    }
    const unsigned tail = ring.sq.sqe_tail;
    ASSERT_EQ(io_uring_submit(&ring), int(kSqEntries));
    EXPECT_EQ(ring.sq.sqe_head, tail);
    EXPECT_EQ(*ring.sq.ktail, tail);
    EXPECT_EQ(*ring.sq.khead, tail);
}

TEST(CqOverflow, TenTimesCqEntriesNothingLostOrDuplicated)
{
    io_uring ring;
    BU_QUEUE_INIT(ring, kSqEntries, 0);
    bt::RingGuard guard(&ring);
    ASSERT_TRUE(ring.features & IORING_FEAT_NODROP);
    const unsigned cq_entries = ring.cq.ring_entries;
    ASSERT_EQ(cq_entries, 16u);

    const unsigned total = 10 * cq_entries;
    std::vector<int> seen(total, 0);
    std::vector<std::uint64_t> order;
    std::uint64_t next_ud = 0;
    bool saw_overflow = false;

    while (next_ud < total) {
        const std::uint64_t round_first = next_ud;
        for (unsigned b = 0; b < kBatchesPerRound && next_ud < total; ++b) {
            submit_batch(ring, next_ud);
            if (HasFatalFailure())
                return;
        }
        const unsigned produced = unsigned(next_ud - round_first);
        if (produced > cq_entries) {
            // The CQ is full and the rest waits in the kernel's overflow list.
            EXPECT_TRUE(io_uring_cq_has_overflow(&ring));
            EXPECT_TRUE(__atomic_load_n(ring.sq.kflags, __ATOMIC_RELAXED) & IORING_SQ_CQ_OVERFLOW);
            EXPECT_EQ(io_uring_cq_ready(&ring), cq_entries);
            saw_overflow = true;
        }
        for (unsigned i = 0; i < produced; ++i) {
            io_uring_cqe cqe;
            ASSERT_EQ(bt::wait_one(&ring, &cqe), 0) << "reaped " << i << " of " << produced;
            ASSERT_LT(cqe.user_data, total);
            EXPECT_EQ(cqe.res, 0);
            ++seen[cqe.user_data];
            order.push_back(cqe.user_data);
        }
        EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
        EXPECT_FALSE(io_uring_cq_has_overflow(&ring));
    }

    EXPECT_TRUE(saw_overflow);
    EXPECT_EQ(seen, std::vector<int>(total, 1));
    // The kernel preserves completion order through the overflow list.
    for (unsigned i = 0; i < order.size(); ++i)
        ASSERT_EQ(order[i], i) << "position " << i;
    EXPECT_EQ(*ring.cq.koverflow, 0u) << "NODROP: nothing may be dropped";
    EXPECT_EQ(*ring.cq.khead, total);
    EXPECT_EQ(*ring.cq.ktail, total);
}

// io_uring_peek_cqe must not report -EAGAIN while completions are parked in
// the overflow list: it enters the kernel to flush them.
TEST(CqOverflow, PeekFlushesOverflow)
{
    io_uring ring;
    BU_QUEUE_INIT(ring, kSqEntries, 0);
    bt::RingGuard guard(&ring);
    std::uint64_t next_ud = 0;
    for (unsigned b = 0; b < 3; ++b) {
        submit_batch(ring, next_ud);
        if (HasFatalFailure())
            return;
    }
    ASSERT_TRUE(io_uring_cq_has_overflow(&ring));

    for (std::uint64_t want = 0; want < next_ud; ++want) {
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_peek_cqe(&ring, &cqe), 0) << "user_data " << want;
        ASSERT_NE(cqe, nullptr);
        EXPECT_EQ(cqe->user_data, want);
        io_uring_cqe_seen(&ring, cqe);
    }
    io_uring_cqe *cqe = nullptr;
    EXPECT_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
    EXPECT_FALSE(io_uring_cq_has_overflow(&ring));
}

// io_uring_peek_batch_cqe flushes the overflow list when the CQ is empty.
TEST(CqOverflow, PeekBatchFlushesOverflow)
{
    io_uring ring;
    BU_QUEUE_INIT(ring, kSqEntries, 0);
    bt::RingGuard guard(&ring);
    std::uint64_t next_ud = 0;
    for (unsigned b = 0; b < 3; ++b) {
        submit_batch(ring, next_ud);
        if (HasFatalFailure())
            return;
    }
    ASSERT_TRUE(io_uring_cq_has_overflow(&ring));

    std::uint64_t want = 0;
    while (want < next_ud) {
        io_uring_cqe *cqes[32];
        const unsigned got = io_uring_peek_batch_cqe(&ring, cqes, 32);
        ASSERT_GT(got, 0u) << "stalled at user_data " << want;
        for (unsigned i = 0; i < got; ++i)
            EXPECT_EQ(cqes[i]->user_data, want++);
        io_uring_cq_advance(&ring, got);
    }
    EXPECT_EQ(want, next_ud);
    EXPECT_FALSE(io_uring_cq_has_overflow(&ring));
}

} // namespace
