// SQ capacity accounting: io_uring_get_sqe hands out exactly ring_entries
// slots before the kernel consumes any, then returns NULL without moving
// sqe_tail; sq_ready / sq_space_left agree; a submit frees the space again,
// including across the wrap of the free-running indices.
#include <liburing.h>

#include <gtest/gtest.h>

#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

class SqFull : public ::testing::TestWithParam<bt::RingShape> {};

// Reaps n CQEs and checks that user_data first..first+n-1 each came once.
void reap_range(io_uring &ring, std::uint64_t first, unsigned n)
{
    std::vector<int> seen(n, 0);
    for (unsigned i = 0; i < n; ++i) {
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring, &cqe), 0);
        ASSERT_GE(cqe.user_data, first);
        ASSERT_LT(cqe.user_data, first + n);
        EXPECT_EQ(cqe.res, 0);
        ++seen[cqe.user_data - first];
    }
    EXPECT_EQ(seen, std::vector<int>(n, 1));
}

TEST_P(SqFull, GetSqeReturnsNullAtExactlyRingEntries)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const unsigned n = ring.sq.ring_entries;
    ASSERT_EQ(n, 8u);
    EXPECT_EQ(io_uring_sq_space_left(&ring), n);
    EXPECT_EQ(io_uring_sq_ready(&ring), 0u);

    for (unsigned i = 0; i < n; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_EQ(sqe, bt::sqe_slot(ring, i)) << "slot " << i;
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
        EXPECT_EQ(io_uring_sq_ready(&ring), i + 1);
        EXPECT_EQ(io_uring_sq_space_left(&ring), n - i - 1);
    }

    // Full: NULL, repeatedly, and sqe_tail does not move.
    EXPECT_EQ(io_uring_get_sqe(&ring), nullptr);
    EXPECT_EQ(io_uring_get_sqe(&ring), nullptr);
    EXPECT_EQ(bt::indices(ring), (bt::RingIndices{0, n, 0, 0, 0, 0}));
    EXPECT_EQ(io_uring_sq_space_left(&ring), 0u);
    EXPECT_EQ(io_uring_sq_ready(&ring), n);

    ASSERT_EQ(io_uring_submit(&ring), int(n));
    EXPECT_EQ(ring.sq.sqe_head, n);
    EXPECT_EQ(*ring.sq.ktail, n);
    if (!(ring.flags & IORING_SETUP_SQPOLL)) {
        EXPECT_EQ(bt::indices(ring), (bt::RingIndices{n, n, n, n, 0, n}));
    }
    reap_range(ring, 0, n);
    ASSERT_TRUE(bt::wait_sq_consumed(ring));
    EXPECT_EQ(bt::indices(ring), (bt::RingIndices{n, n, n, n, n, n}));
    EXPECT_EQ(io_uring_sq_space_left(&ring), n);
    EXPECT_EQ(io_uring_sq_ready(&ring), 0u);
}

// After a partial batch is consumed, the next batch can fill the ring again
// starting mid-array, wrapping the slot index.
TEST_P(SqFull, RefillAcrossWrap)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const unsigned n = ring.sq.ring_entries;

    for (unsigned i = 0; i < 5; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, 1000 + i);
    }
    ASSERT_EQ(io_uring_submit(&ring), 5);
    reap_range(ring, 1000, 5);
    ASSERT_TRUE(bt::wait_sq_consumed(ring));
    EXPECT_EQ(bt::indices(ring), (bt::RingIndices{5, 5, 5, 5, 5, 5}));

    // Indices 5..12 map to slots 5,6,7,0,1,2,3,4.
    for (unsigned i = 5; i < 5 + n; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_EQ(sqe, bt::sqe_slot(ring, i)) << "index " << i;
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, 2000 + i);
    }
    EXPECT_EQ(io_uring_get_sqe(&ring), nullptr);
    EXPECT_EQ(io_uring_sq_space_left(&ring), 0u);
    EXPECT_EQ(ring.sq.sqe_tail, 5 + n);

    ASSERT_EQ(io_uring_submit(&ring), int(n));
    EXPECT_EQ(*ring.sq.ktail, 5 + n);
    reap_range(ring, 2005, n);
    ASSERT_TRUE(bt::wait_sq_consumed(ring));
    EXPECT_EQ(bt::indices(ring), (bt::RingIndices{5 + n, 5 + n, 5 + n, 5 + n, 5 + n, 5 + n}));
}

// Submitting with nothing prepared is a no-op that reports 0.
TEST_P(SqFull, EmptySubmitIsZero)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    EXPECT_EQ(io_uring_submit(&ring), 0);
    EXPECT_EQ(bt::indices(ring), (bt::RingIndices{0, 0, 0, 0, 0, 0}));
}

INSTANTIATE_TEST_SUITE_P(Shapes, SqFull, ::testing::ValuesIn(bt::io_ring_shapes()), bt::ShapeName());

} // namespace
