// Linked SQEs (IOSQE_IO_LINK): a failing head cancels the rest of the chain,
// a linked timeout cancels a request that cannot complete, a successful chain
// runs in order, and a linked timeout is itself cancelled when its request
// finishes first. The flags byte of each linked SQE is checked exactly.
#include <liburing.h>

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "support/ring_shapes.h"
#include "support/ring_view.h"
#include "support/temp_dir.h"

namespace bt = bareuring_test;

namespace {

class Link : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(io_uring_queue_init(8, &ring_, 0), 0);
        live_ = true;
    }
    void TearDown() override
    {
        if (live_)
            io_uring_queue_exit(&ring_);
    }
    // Reaps n CQEs; returns res by user_data (each user_data at most once).
    std::map<std::uint64_t, int> reap(unsigned n)
    {
        std::map<std::uint64_t, int> out;
        for (unsigned i = 0; i < n; ++i) {
            io_uring_cqe cqe;
            const int ret = bt::wait_one(&ring_, &cqe);
            EXPECT_EQ(ret, 0);
            if (ret != 0)
                break;
            EXPECT_EQ(out.count(cqe.user_data), 0u) << "duplicate user_data " << cqe.user_data;
            out[cqe.user_data] = cqe.res;
        }
        return out;
    }
    void submit_expect(int n)
    {
        const unsigned tail = ring_.sq.sqe_tail;
        ASSERT_EQ(io_uring_submit(&ring_), n);
        EXPECT_EQ(ring_.sq.sqe_head, tail);
        EXPECT_EQ(*ring_.sq.ktail, tail);
        EXPECT_EQ(*ring_.sq.khead, tail);
    }
    io_uring ring_;
    bool live_ = false;
};

__kernel_timespec ms(long n)
{
    __kernel_timespec ts;
    ts.tv_sec = n / 1000;
    ts.tv_nsec = (n % 1000) * 1000000L;
    return ts;
}

// A read on a bad fd fails with -EBADF; the NOP linked after it never runs.
TEST_F(Link, FailingHeadCancelsLinkedRequest)
{
    char buf[8];
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, -1, buf, sizeof buf, 0);
    io_uring_sqe_set_data64(sqe, 1);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    io_uring_sqe want = bt::rw_sqe(IORING_OP_READ, -1, bt::ptr_u64(buf), sizeof buf, 0, 1);
    want.flags = IOSQE_IO_LINK;
    EXPECT_TRUE(bt::SqeEquals(sqe, want));

    sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 2);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_NOP, -1, 0, 0, 0, 2)));

    submit_expect(2);
    auto res = reap(2);
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[1], -EBADF);
    EXPECT_EQ(res[2], -ECANCELED);
}

// A longer chain: everything after the failure is cancelled, and a request
// outside the chain is unaffected.
TEST_F(Link, CancellationRunsToTheEndOfTheChainOnly)
{
    char buf[8];
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, -1, buf, sizeof buf, 0);
    io_uring_sqe_set_data64(sqe, 1);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    for (std::uint64_t ud = 2; ud <= 3; ++ud) {
        sqe = io_uring_get_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, ud);
        // The last one (3) ends the chain: no IO_LINK.
        if (ud == 2)
            io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    }
    sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 4);

    submit_expect(4);
    auto res = reap(4);
    ASSERT_EQ(res.size(), 4u);
    EXPECT_EQ(res[1], -EBADF);
    EXPECT_EQ(res[2], -ECANCELED);
    EXPECT_EQ(res[3], -ECANCELED);
    EXPECT_EQ(res[4], 0);
}

// A read on an empty pipe blocks forever; the linked timeout cancels it.
TEST_F(Link, LinkTimeoutCancelsBlockingPipeRead)
{
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    bt::ScopedFd rd(fds[0]), wr(fds[1]);
    char buf[16];
    __kernel_timespec ts = ms(20);

    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, rd.get(), buf, sizeof buf, 0);
    io_uring_sqe_set_data64(sqe, 10);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);

    sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_link_timeout(sqe, &ts, 0);
    io_uring_sqe_set_data64(sqe, 11);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_LINK_TIMEOUT, -1, bt::ptr_u64(&ts), 1, 0, 11)));

    submit_expect(2);
    auto res = reap(2);
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[10], -ECANCELED);
    EXPECT_EQ(res[11], -ETIME);
}

// When the request finishes first, its linked timeout is cancelled instead.
TEST_F(Link, LinkTimeoutCancelledWhenRequestCompletes)
{
    __kernel_timespec ts = ms(60000);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 20);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_link_timeout(sqe, &ts, 0);
    io_uring_sqe_set_data64(sqe, 21);

    submit_expect(2);
    auto res = reap(2);
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[20], 0);
    EXPECT_EQ(res[21], -ECANCELED);
}

// write -> read linked on a file: the read starts only after the write, so it
// sees the data.
TEST_F(Link, SuccessfulChainRunsInOrder)
{
    bt::TempDir dir;
    ASSERT_TRUE(dir.ok());
    bt::ScopedFd fd(dir.create("chain"));
    ASSERT_GE(fd.get(), 0);
    const char msg[] = "linked write then read";
    char back[sizeof msg] = {};

    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_write(sqe, fd.get(), msg, sizeof msg, 0);
    io_uring_sqe_set_data64(sqe, 30);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    io_uring_sqe want = bt::rw_sqe(IORING_OP_WRITE, fd.get(), bt::ptr_u64(msg), sizeof msg, 0, 30);
    want.flags = IOSQE_IO_LINK;
    EXPECT_TRUE(bt::SqeEquals(sqe, want));

    sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, fd.get(), back, sizeof back, 0);
    io_uring_sqe_set_data64(sqe, 31);

    submit_expect(2);
    // Linked requests complete in chain order.
    io_uring_cqe first, second;
    ASSERT_EQ(bt::wait_one(&ring_, &first), 0);
    ASSERT_EQ(bt::wait_one(&ring_, &second), 0);
    EXPECT_EQ(first.user_data, 30u);
    EXPECT_EQ(first.res, int(sizeof msg));
    EXPECT_EQ(second.user_data, 31u);
    EXPECT_EQ(second.res, int(sizeof msg));
    EXPECT_STREQ(back, msg);
}

} // namespace
