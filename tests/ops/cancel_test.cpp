// IORING_OP_ASYNC_CANCEL in its matching modes: by user_data (cancel64 and
// the pointer form cancel), by file (cancel_fd, also on a fixed file), any
// request (IORING_ASYNC_CANCEL_ANY) and by opcode (IORING_ASYNC_CANCEL_OP).
// The targets are reads and polls on empty pipes, which never complete on
// their own; each test checks which of them were cancelled and which were
// left alone.
#include "ops_support.h"

#include <poll.h>

namespace {

class Cancel : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_ASYNC_CANCEL);
        for (auto *p : {&a_, &b_}) {
            int fds[2];
            ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
            p->rd.reset(fds[0]);
            p->wr.reset(fds[1]);
        }
    }

    struct Pipe {
        ops::ScopedFd rd, wr;
    };

    // Queues a read on fd that blocks until cancelled (or fed).
    void queue_read(int fd, std::uint64_t ud, bool fixed = false)
    {
        OPS_SQE(sqe, ring());
        io_uring_prep_read(sqe, fd, buf_, sizeof buf_, 0);
        if (fixed)
            io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
        io_uring_sqe_set_data64(sqe, ud);
    }

    void queue_poll(int fd, std::uint64_t ud)
    {
        OPS_SQE(sqe, ring());
        io_uring_prep_poll_add(sqe, fd, POLLIN);
        io_uring_sqe_set_data64(sqe, ud);
    }

    // Submits the queued requests and checks that none completed.
    void arm(unsigned n)
    {
        ASSERT_EQ(io_uring_submit(ring()), static_cast<int>(n));
        ASSERT_FALSE(ops::cqe_ready(ring())) << "targets must still be pending";
    }

    // Feeds pipe p so that a surviving read/poll on it completes; returns its CQE.
    ops::Cqe release(Pipe &p)
    {
        EXPECT_EQ(::write(p.wr.get(), "r", 1), 1);
        ops::Cqe c;
        EXPECT_EQ(ops::reap(ring(), &c), 0);
        return c;
    }

    Pipe a_, b_;
    char buf_[16];
};

TEST_P(Cancel, ByUserData64)
{
    queue_read(a_.rd.get(), 100);
    queue_read(b_.rd.get(), 101);
    ASSERT_NO_FATAL_FAILURE(arm(2));
    OPS_SQE(c, ring());
    io_uring_prep_cancel64(c, 100, 0);
    io_uring_sqe_set_data64(c, 1);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 0) << "one request found and cancelled";
    EXPECT_EQ(ops::by_data(cqes, 100).res, -ECANCELED);
    // The other read is untouched.
    ops::Cqe other = release(b_);
    EXPECT_EQ(other.user_data, 101u);
    EXPECT_EQ(other.res, 1);
}

TEST_P(Cancel, ByUserDataPointer)
{
    static int tag; // any stable address works as user_data
    OPS_SQE(r, ring());
    io_uring_prep_read(r, a_.rd.get(), buf_, sizeof buf_, 0);
    io_uring_sqe_set_data(r, &tag);
    ASSERT_NO_FATAL_FAILURE(arm(1));
    OPS_SQE(c, ring());
    io_uring_prep_cancel(c, &tag, 0);
    io_uring_sqe_set_data64(c, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 2).res, 0);
    ops::Cqe target = ops::by_data(cqes, reinterpret_cast<std::uintptr_t>(&tag));
    EXPECT_EQ(target.res, -ECANCELED);
}

TEST_P(Cancel, UnknownUserDataIsEnoent)
{
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_cancel64(sqe, 0x1234, 0); });
    EXPECT_EQ(c.res, -ENOENT);
}

TEST_P(Cancel, AllMatchingUserData)
{
    queue_read(a_.rd.get(), 200);
    queue_poll(a_.rd.get(), 200);
    queue_read(b_.rd.get(), 201);
    ASSERT_NO_FATAL_FAILURE(arm(3));
    OPS_SQE(c, ring());
    io_uring_prep_cancel64(c, 200, IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(c, 3);
    auto cqes = ops::submit_and_reap(ring(), 3);
    EXPECT_EQ(ops::by_data(cqes, 3).res, 2) << "with CANCEL_ALL, res counts the cancelled requests";
    for (const ops::Cqe &x : cqes) {
        if (x.user_data == 200) {
            EXPECT_EQ(x.res, -ECANCELED);
        }
    }
    EXPECT_EQ(release(b_).user_data, 201u);
}

TEST_P(Cancel, ByFd)
{
    queue_read(a_.rd.get(), 300);
    queue_read(a_.rd.get(), 301);
    queue_read(b_.rd.get(), 302);
    ASSERT_NO_FATAL_FAILURE(arm(3));
    OPS_SQE(c, ring());
    io_uring_prep_cancel_fd(c, a_.rd.get(), IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(c, 4);
    auto cqes = ops::submit_and_reap(ring(), 3);
    EXPECT_EQ(ops::by_data(cqes, 4).res, 2) << "both requests on pipe A";
    EXPECT_EQ(ops::by_data(cqes, 300).res, -ECANCELED);
    EXPECT_EQ(ops::by_data(cqes, 301).res, -ECANCELED);
    ops::Cqe other = release(b_);
    EXPECT_EQ(other.user_data, 302u) << "the request on pipe B was not matched";
}

TEST_P(Cancel, ByFixedFd)
{
    int files[2] = {a_.rd.get(), b_.rd.get()};
    ASSERT_EQ(io_uring_register_files(ring(), files, 2), 0);
    queue_read(0, 400, true);
    queue_read(1, 401, true);
    ASSERT_NO_FATAL_FAILURE(arm(2));
    OPS_SQE(c, ring());
    io_uring_prep_cancel_fd(c, 1, IORING_ASYNC_CANCEL_FD_FIXED);
    io_uring_sqe_set_data64(c, 5);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 5).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 401).res, -ECANCELED) << "slot 1 (pipe B) was the target";
    ops::Cqe other = release(a_);
    EXPECT_EQ(other.user_data, 400u);
}

TEST_P(Cancel, AnyCancelsEverything)
{
    queue_read(a_.rd.get(), 500);
    queue_poll(b_.rd.get(), 501);
    queue_read(b_.rd.get(), 502);
    ASSERT_NO_FATAL_FAILURE(arm(3));
    OPS_SQE(c, ring());
    io_uring_prep_cancel64(c, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(c, 6);
    auto cqes = ops::submit_and_reap(ring(), 4);
    EXPECT_EQ(ops::by_data(cqes, 6).res, 3);
    for (std::uint64_t ud : {500, 501, 502})
        EXPECT_EQ(ops::by_data(cqes, ud).res, -ECANCELED);
}

TEST_P(Cancel, ByOpcode)
{
    queue_read(a_.rd.get(), 600);
    queue_poll(a_.rd.get(), 601);
    ASSERT_NO_FATAL_FAILURE(arm(2));
    // No prep helper takes the opcode: it goes in len with CANCEL_OP.
    OPS_SQE(c, ring());
    io_uring_prep_cancel64(c, 0, IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL);
    c->len = IORING_OP_READ;
    io_uring_sqe_set_data64(c, 7);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe first;
    ASSERT_EQ(ops::reap(ring(), &first), 0);
    if (first.user_data == 7 && first.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_ASYNC_CANCEL_OP";
    ops::Cqe second;
    ASSERT_EQ(ops::reap(ring(), &second), 0);
    std::vector<ops::Cqe> cqes = {first, second};
    EXPECT_EQ(ops::by_data(cqes, 7).res, 1) << "only the read matches IORING_OP_READ";
    EXPECT_EQ(ops::by_data(cqes, 600).res, -ECANCELED);
    // The poll survives and fires when data arrives.
    ops::Cqe poll = release(a_);
    EXPECT_EQ(poll.user_data, 601u);
    EXPECT_TRUE(poll.res & POLLIN);
}

TEST_P(Cancel, ByFdAndOpcodeCombined)
{
    queue_poll(a_.rd.get(), 700);
    queue_poll(b_.rd.get(), 701);
    queue_read(b_.rd.get(), 702);
    ASSERT_NO_FATAL_FAILURE(arm(3));
    // Polls on pipe B only.
    OPS_SQE(c, ring());
    io_uring_prep_cancel_fd(c, b_.rd.get(), IORING_ASYNC_CANCEL_OP | IORING_ASYNC_CANCEL_ALL);
    c->len = IORING_OP_POLL_ADD;
    io_uring_sqe_set_data64(c, 8);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe first;
    ASSERT_EQ(ops::reap(ring(), &first), 0);
    if (first.user_data == 8 && first.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_ASYNC_CANCEL_OP";
    ops::Cqe second;
    ASSERT_EQ(ops::reap(ring(), &second), 0);
    std::vector<ops::Cqe> cqes = {first, second};
    EXPECT_EQ(ops::by_data(cqes, 8).res, 1);
    EXPECT_EQ(ops::by_data(cqes, 701).res, -ECANCELED);
    // The two survivors (poll on A, read on B) are still there.
    OPS_SQE(rest, ring());
    io_uring_prep_cancel64(rest, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(rest, 9);
    auto left = ops::submit_and_reap(ring(), 3);
    EXPECT_EQ(ops::by_data(left, 9).res, 2);
    EXPECT_EQ(ops::by_data(left, 700).res, -ECANCELED);
    EXPECT_EQ(ops::by_data(left, 702).res, -ECANCELED);
}

OPS_INSTANTIATE(Cancel);

} // namespace
