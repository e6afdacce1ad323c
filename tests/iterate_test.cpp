// Reaping several CQEs at once: io_uring_for_each_cqe + io_uring_cq_advance,
// the 2.15 iterator (io_uring_cqe_iter_init/next), io_uring_peek_batch_cqe
// and io_uring_cq_ready. None of them consume; only cq_advance moves
// *cq.khead, by exactly the count given.
#include <liburing.h>

#include <gtest/gtest.h>

#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

class Iterate : public ::testing::TestWithParam<bt::RingShape> {
protected:
    // Queues n NOPs with user_data first.. and waits until all n CQEs are
    // in the CQ (io_uring_wait_cqe_nr does not consume).
    void produce(io_uring &ring, unsigned n, std::uint64_t first)
    {
        for (unsigned i = 0; i < n; ++i) {
            io_uring_sqe *sqe = io_uring_get_sqe(&ring);
            ASSERT_NE(sqe, nullptr);
            io_uring_prep_nop(sqe);
            io_uring_sqe_set_data64(sqe, first + i);
        }
        ASSERT_GE(io_uring_submit(&ring), 0);
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe_nr(&ring, &cqe, n), 0);
        ASSERT_EQ(io_uring_cq_ready(&ring), n);
        ASSERT_TRUE(bt::wait_sq_consumed(ring)); // SQPOLL: let *sq.khead settle
    }
};

// Three rounds of 7 on a 16-entry CQ: the third round wraps the CQ array.
TEST_P(Iterate, ForEachCqeVisitsReadyCqesInOrder)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    ASSERT_GE(ring.cq.ring_entries, 16u);

    unsigned base = 0;
    for (int round = 0; round < 3; ++round) {
        SCOPED_TRACE(testing::Message() << "round " << round);
        produce(ring, 7, 1000 + base);
        if (HasFatalFailure())
            return;
        const bt::RingIndices before = bt::indices(ring);

        unsigned head;
        io_uring_cqe *cqe;
        unsigned count = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            // head is the CQ index of the current CQE.
            EXPECT_EQ(head, base + count);
            EXPECT_EQ(cqe, bt::cqe_slot(ring, head));
            EXPECT_EQ(cqe->user_data, 1000u + base + count);
            EXPECT_EQ(cqe->res, 0);
            ++count;
        }
        EXPECT_EQ(count, 7u);
        EXPECT_EQ(bt::indices(ring), before) << "iterating must not consume";

        io_uring_cq_advance(&ring, count);
        base += count;
        EXPECT_EQ(*ring.cq.khead, base);
        EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
    }
}

TEST_P(Iterate, CqAdvanceByZeroAndPartially)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    produce(ring, 5, 0);
    if (HasFatalFailure())
        return;

    io_uring_cq_advance(&ring, 0);
    EXPECT_EQ(*ring.cq.khead, 0u);
    io_uring_cq_advance(&ring, 2);
    EXPECT_EQ(*ring.cq.khead, 2u);
    EXPECT_EQ(io_uring_cq_ready(&ring), 3u);

    // The next peek sees user_data 2: the first two are gone.
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
    EXPECT_EQ(cqe->user_data, 2u);
    io_uring_cq_advance(&ring, 3);
    EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
    EXPECT_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
}

// The value iterator behind io_uring_for_each_cqe: a snapshot of head/tail.
TEST_P(Iterate, CqeIterSnapshot)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    produce(ring, 4, 50);
    if (HasFatalFailure())
        return;
    io_uring_cq_advance(&ring, 1);

    io_uring_cqe_iter it = io_uring_cqe_iter_init(&ring);
    EXPECT_EQ(it.cqes, ring.cq.cqes);
    EXPECT_EQ(it.mask, ring.cq.ring_mask);
    EXPECT_EQ(it.shift, bt::has_cqe32(ring) ? 1u : 0u);
    EXPECT_EQ(it.head, 1u);
    EXPECT_EQ(it.tail, 4u);

    io_uring_cqe *cqe = nullptr;
    std::vector<std::uint64_t> uds;
    while (io_uring_cqe_iter_next(&it, &cqe))
        uds.push_back(cqe->user_data);
    EXPECT_EQ(uds, (std::vector<std::uint64_t>{51, 52, 53}));
    EXPECT_EQ(it.head, 4u);
    EXPECT_FALSE(io_uring_cqe_iter_next(&it, &cqe));
    EXPECT_EQ(*ring.cq.khead, 1u);
}

TEST_P(Iterate, PeekBatchCqeDoesNotConsume)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;

    io_uring_cqe *cqes[16] = {};
    EXPECT_EQ(io_uring_peek_batch_cqe(&ring, cqes, 16), 0u) << "empty ring";

    produce(ring, 6, 300);
    if (HasFatalFailure())
        return;

    // Fewer slots than ready: fills exactly `count`.
    EXPECT_EQ(io_uring_peek_batch_cqe(&ring, cqes, 4), 4u);
    for (unsigned i = 0; i < 4; ++i) {
        EXPECT_EQ(cqes[i], bt::cqe_slot(ring, i));
        EXPECT_EQ(cqes[i]->user_data, 300u + i);
    }
    EXPECT_EQ(*ring.cq.khead, 0u);

    // More slots than ready: returns what is there.
    EXPECT_EQ(io_uring_peek_batch_cqe(&ring, cqes, 16), 6u);
    for (unsigned i = 0; i < 6; ++i)
        EXPECT_EQ(cqes[i]->user_data, 300u + i);
    EXPECT_EQ(*ring.cq.khead, 0u);

    io_uring_cq_advance(&ring, 6);
    EXPECT_EQ(*ring.cq.khead, 6u);
    EXPECT_EQ(io_uring_peek_batch_cqe(&ring, cqes, 16), 0u);
}

INSTANTIATE_TEST_SUITE_P(Shapes, Iterate, ::testing::ValuesIn(bt::io_ring_shapes()), bt::ShapeName());

} // namespace
