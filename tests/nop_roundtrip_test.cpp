// The smallest complete round trip, byte by byte: get_sqe -> prep_nop ->
// set_data64 -> submit -> wait -> cqe_seen, on every ring shape that does
// I/O, for more than two laps of the SQ and CQ so index wrap-around is
// covered. After each step the SQE bytes and all six indices are asserted.
#include <liburing.h>

#include <gtest/gtest.h>

#include <cstring>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

class NopRoundTrip : public ::testing::TestWithParam<bt::RingShape> {};

TEST_P(NopRoundTrip, BytesAndIndicesEveryStep)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const bool sqpoll = ring.flags & IORING_SETUP_SQPOLL;
    const unsigned laps = 2 * ring.sq.ring_entries + 3;

    // Poison every slot so that we can see which bytes get_sqe writes.
    bt::poison_sqes(ring);
    unsigned char poison[128];
    std::memset(poison, bt::kStalePattern, sizeof poison);

    for (unsigned i = 0; i < laps; ++i) {
        SCOPED_TRACE(testing::Message() << "request " << i);
        const std::uint64_t ud = 0xC0FFEE0000000000ull | i;
        ASSERT_EQ(bt::indices(ring), (bt::RingIndices{i, i, i, i, i, i}));

        // get_sqe: the slot for index i, sqe_tail + 1, nothing published.
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_EQ(sqe, bt::sqe_slot(ring, i));
        EXPECT_EQ(bt::indices(ring), (bt::RingIndices{i, i + 1, i, i, i, i}));
        // Exactly eight fields zeroed; opcode/fd/off/addr/len/user_data stale.
        io_uring_sqe want = bt::stale_sqe_after_get();
        EXPECT_TRUE(bt::SqeEquals(sqe, want));
        if (bt::has_sqe128(ring)) {
            EXPECT_TRUE(bt::BytesEqual(reinterpret_cast<unsigned char *>(sqe) + 64, poison, 64))
                << "bytes 64..127 of a 128-byte SQE are never touched";
        }

        // prep_nop: opcode NOP, fd -1, addr/len/off 0; user_data still stale.
        io_uring_prep_nop(sqe);
        want.opcode = IORING_OP_NOP;
        want.fd = -1;
        want.addr = 0;
        want.len = 0;
        want.off = 0;
        EXPECT_TRUE(bt::SqeEquals(sqe, want));

        // set_data64: now every byte is determined.
        io_uring_sqe_set_data64(sqe, ud);
        EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_NOP, -1, 0, 0, 0, ud)));
        EXPECT_EQ(bt::indices(ring), (bt::RingIndices{i, i + 1, i, i, i, i}));

        ASSERT_EQ(io_uring_submit(&ring), 1);
        if (!sqpoll) {
            // The kernel consumed the SQE and completed the NOP inline.
            EXPECT_EQ(bt::indices(ring), (bt::RingIndices{i + 1, i + 1, i + 1, i + 1, i, i + 1}));
        } else {
            // Published; the SQ thread consumes it asynchronously.
            EXPECT_EQ(ring.sq.sqe_head, i + 1);
            EXPECT_EQ(ring.sq.sqe_tail, i + 1);
            EXPECT_EQ(*ring.sq.ktail, i + 1);
        }

        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
        ASSERT_NE(cqe, nullptr);
        EXPECT_EQ(cqe, bt::cqe_slot(ring, i));
        EXPECT_EQ(cqe->user_data, ud);
        EXPECT_EQ(cqe->res, 0);
        EXPECT_EQ(cqe->flags, 0u);
        if (bt::has_cqe32(ring)) {
            EXPECT_EQ(cqe->big_cqe[0], 0u);
            EXPECT_EQ(cqe->big_cqe[1], 0u);
        }
        // Waiting does not consume.
        ASSERT_TRUE(bt::wait_sq_consumed(ring));
        EXPECT_EQ(bt::indices(ring), (bt::RingIndices{i + 1, i + 1, i + 1, i + 1, i, i + 1}));

        io_uring_cqe_seen(&ring, cqe);
        EXPECT_EQ(bt::indices(ring), (bt::RingIndices{i + 1, i + 1, i + 1, i + 1, i + 1, i + 1}));

        // Re-poison the slot (the kernel is done with it) for the next lap.
        std::memset(sqe, bt::kStalePattern, bt::sqe_bytes(ring));
        if (HasFailure())
            return;
    }
}

// set_data / get_data carry a pointer through unchanged.
TEST_P(NopRoundTrip, PointerUserData)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 4);
    io_uring &ring = sr.ring;
    int token = 0;

    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data(sqe, &token);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_NOP, -1, 0, 0, 0, bt::ptr_u64(&token))));
    ASSERT_EQ(io_uring_submit(&ring), 1);

    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
    EXPECT_EQ(io_uring_cqe_get_data(cqe), &token);
    EXPECT_EQ(io_uring_cqe_get_data64(cqe), bt::ptr_u64(&token));
    io_uring_cqe_seen(&ring, cqe);
    EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
}

// sqe flags set after the prep land in byte 1 and nowhere else.
TEST_P(NopRoundTrip, SetFlagsWritesOnlyFlagsByte)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 4);
    io_uring &ring = sr.ring;

    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 7);
    io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
    io_uring_sqe want = bt::rw_sqe(IORING_OP_NOP, -1, 0, 0, 0, 7);
    want.flags = IOSQE_ASYNC;
    EXPECT_TRUE(bt::SqeEquals(sqe, want));
    ASSERT_EQ(io_uring_submit(&ring), 1);

    io_uring_cqe cqe;
    ASSERT_EQ(bt::wait_one(&ring, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 7u);
    EXPECT_EQ(cqe.res, 0);
}

INSTANTIATE_TEST_SUITE_P(Shapes, NopRoundTrip, ::testing::ValuesIn(bt::io_ring_shapes()), bt::ShapeName());

} // namespace
