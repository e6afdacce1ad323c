// Poll requests: one-shot poll_add, multishot poll, poll_remove and
// poll_update (events and user_data). Readiness is produced with plain
// writes to a pipe or socketpair; no CQE may appear before that.
#include "ops_support.h"

#include <poll.h>

namespace {

class Poll : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_POLL_ADD);
        int p[2];
        ASSERT_EQ(::pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
        rd_.reset(p[0]);
        wr_.reset(p[1]);
    }

    void submit_poll(int fd, unsigned mask, std::uint64_t ud, bool multishot = false)
    {
        OPS_SQE(sqe, ring());
        if (multishot)
            io_uring_prep_poll_multishot(sqe, fd, mask);
        else
            io_uring_prep_poll_add(sqe, fd, mask);
        io_uring_sqe_set_data64(sqe, ud);
        ASSERT_EQ(io_uring_submit(ring()), 1);
    }

    void drain()
    {
        char buf[64];
        while (::read(rd_.get(), buf, sizeof buf) > 0) {
        }
    }

    ops::ScopedFd rd_, wr_;
};

TEST_P(Poll, OneShotFiresOnReadiness)
{
    ASSERT_NO_FATAL_FAILURE(submit_poll(rd_.get(), POLLIN, 1));
    EXPECT_FALSE(ops::cqe_ready(ring())) << "nothing to read yet";
    ASSERT_EQ(::write(wr_.get(), "x", 1), 1);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_EQ(c.user_data, 1u);
    ASSERT_GT(c.res, 0) << std::strerror(-c.res);
    EXPECT_TRUE(c.res & POLLIN) << "res is the triggered mask";
    EXPECT_FALSE(c.more()) << "one-shot";
    // One-shot: further readiness posts nothing.
    ASSERT_EQ(::write(wr_.get(), "y", 1), 1);
    EXPECT_FALSE(ops::cqe_ready(ring()));
}

TEST_P(Poll, AlreadyReadyCompletesAtOnce)
{
    // POLLOUT on an empty pipe's write end is true from the start.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_poll_add(sqe, wr_.get(), POLLOUT); });
    ASSERT_GT(c.res, 0);
    EXPECT_TRUE(c.res & POLLOUT);
    EXPECT_FALSE(c.res & POLLIN) << "only requested events are reported";
}

TEST_P(Poll, HangupReported)
{
    ASSERT_NO_FATAL_FAILURE(submit_poll(rd_.get(), POLLIN, 2));
    wr_.reset();
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_TRUE(c.res & POLLHUP) << "POLLHUP is always reported";
}

TEST_P(Poll, MultishotFiresRepeatedlyUntilRemoved)
{
    OPS_REQUIRE_OP(IORING_OP_POLL_REMOVE);
    ASSERT_NO_FATAL_FAILURE(submit_poll(rd_.get(), POLLIN, 3, true));
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(::write(wr_.get(), "m", 1), 1);
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0) << "event " << i;
        EXPECT_EQ(c.user_data, 3u);
        EXPECT_TRUE(c.res & POLLIN);
        EXPECT_TRUE(c.more()) << "multishot stays armed";
        drain();
    }

    OPS_SQE(rm, ring());
    io_uring_prep_poll_remove(rm, 3);
    io_uring_sqe_set_data64(rm, 4);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 4).res, 0) << "remove found the poll";
    ops::Cqe last = ops::by_data(cqes, 3);
    EXPECT_EQ(last.res, -ECANCELED);
    EXPECT_FALSE(last.more());
    // Removed: new readiness posts nothing.
    ASSERT_EQ(::write(wr_.get(), "z", 1), 1);
    EXPECT_FALSE(ops::cqe_ready(ring()));
}

TEST_P(Poll, RemoveUnknownIsEnoent)
{
    OPS_REQUIRE_OP(IORING_OP_POLL_REMOVE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_poll_remove(sqe, 0xdead); });
    EXPECT_EQ(c.res, -ENOENT);
}

TEST_P(Poll, UpdateEventsRetargetsPoll)
{
    OPS_REQUIRE_OP(IORING_OP_POLL_REMOVE);
    // Wait for POLLIN on a socket that has no data; then switch to POLLOUT,
    // which is ready at once: the update must re-evaluate with the new mask.
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    ops::ScopedFd a(sv[0]), b(sv[1]);
    ASSERT_NO_FATAL_FAILURE(submit_poll(a.get(), POLLIN, 10));
    EXPECT_FALSE(ops::cqe_ready(ring()));

    OPS_SQE(up, ring());
    io_uring_prep_poll_update(up, 10, 0, POLLOUT, IORING_POLL_UPDATE_EVENTS);
    io_uring_sqe_set_data64(up, 11);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 11).res, 0);
    ops::Cqe fired = ops::by_data(cqes, 10);
    EXPECT_TRUE(fired.res & POLLOUT);
    EXPECT_FALSE(fired.res & POLLIN);
}

TEST_P(Poll, UpdateUserData)
{
    OPS_REQUIRE_OP(IORING_OP_POLL_REMOVE);
    ASSERT_NO_FATAL_FAILURE(submit_poll(rd_.get(), POLLIN, 20));
    ops::Cqe up = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_poll_update(sqe, 20, 21, 0, IORING_POLL_UPDATE_USER_DATA);
    }, 22);
    ASSERT_EQ(up.res, 0) << std::strerror(-up.res);
    ASSERT_EQ(::write(wr_.get(), "u", 1), 1);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_EQ(c.user_data, 21u) << "the poll now completes under its new user_data";
    EXPECT_TRUE(c.res & POLLIN);
}

TEST_P(Poll, UpdateUnknownIsEnoent)
{
    OPS_REQUIRE_OP(IORING_OP_POLL_REMOVE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_poll_update(sqe, 0xbeef, 0, POLLIN, IORING_POLL_UPDATE_EVENTS);
    });
    EXPECT_EQ(c.res, -ENOENT);
}

OPS_INSTANTIATE(Poll);

} // namespace
