// Timeouts: pure timers, completion-count timeouts, absolute deadlines,
// multishot timeouts, timeout_remove, timeout_update and link_timeout.
// Timers are short (milliseconds) or long (an hour) so that which one fires
// first is never a race; nothing here asserts on elapsed time.
#include "ops_support.h"

#include <poll.h>
#include <time.h>

namespace {

__kernel_timespec ms(long n)
{
    __kernel_timespec ts{};
    ts.tv_sec = n / 1000;
    ts.tv_nsec = (n % 1000) * 1000000L;
    return ts;
}

// Long enough never to expire during a test.
const __kernel_timespec kForever = {3600, 0};

class Timeout : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_TIMEOUT);
    }
};

TEST_P(Timeout, PureTimerExpiresWithEtime)
{
    __kernel_timespec ts = ms(5);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_timeout(sqe, &ts, 0, 0); });
    EXPECT_EQ(c.res, -ETIME);
}

TEST_P(Timeout, CountCompletesAfterOtherCqes)
{
    __kernel_timespec ts = kForever;
    OPS_SQE(t, ring());
    io_uring_prep_timeout(t, &ts, 2, 0);
    io_uring_sqe_set_data64(t, 1);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    for (std::uint64_t ud = 2; ud <= 3; ++ud) {
        OPS_SQE(n, ring());
        io_uring_prep_nop(n);
        io_uring_sqe_set_data64(n, ud);
    }
    auto cqes = ops::submit_and_reap(ring(), 3);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 0) << "count reached: res 0, not -ETIME";
    EXPECT_EQ(ops::by_data(cqes, 2).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 3).res, 0);
}

TEST_P(Timeout, AbsoluteDeadlineInThePast)
{
    timespec now;
    ASSERT_EQ(::clock_gettime(CLOCK_MONOTONIC, &now), 0);
    __kernel_timespec ts{};
    ts.tv_sec = now.tv_sec;
    ts.tv_nsec = now.tv_nsec;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_timeout(sqe, &ts, 0, IORING_TIMEOUT_ABS); });
    // Read as relative this would be "now" seconds away; as absolute it is due.
    EXPECT_EQ(c.res, -ETIME);
}

TEST_P(Timeout, BadFlagsRejected)
{
    __kernel_timespec ts = ms(1);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_timeout(sqe, &ts, 0, IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME);
    });
    EXPECT_EQ(c.res, -EINVAL) << "two clocks at once are refused: flags reach the kernel";
}

TEST_P(Timeout, MultishotFiresCountTimes)
{
    __kernel_timespec ts = ms(2);
    OPS_SQE(t, ring());
    io_uring_prep_timeout(t, &ts, 3, IORING_TIMEOUT_MULTISHOT);
    io_uring_sqe_set_data64(t, 7);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    for (int i = 0; i < 3; ++i) {
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0) << "shot " << i;
        if (i == 0 && c.res == -EINVAL)
            GTEST_SKIP() << "kernel lacks IORING_TIMEOUT_MULTISHOT";
        EXPECT_EQ(c.user_data, 7u);
        EXPECT_EQ(c.res, -ETIME);
        EXPECT_EQ(c.more(), i < 2) << "F_MORE on all but the last shot";
    }
}

TEST_P(Timeout, RemoveCancelsPendingTimeout)
{
    OPS_REQUIRE_OP(IORING_OP_TIMEOUT_REMOVE);
    __kernel_timespec ts = kForever;
    OPS_SQE(t, ring());
    io_uring_prep_timeout(t, &ts, 0, 0);
    io_uring_sqe_set_data64(t, 30);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    OPS_SQE(rm, ring());
    io_uring_prep_timeout_remove(rm, 30, 0);
    io_uring_sqe_set_data64(rm, 31);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 31).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 30).res, -ECANCELED);
}

TEST_P(Timeout, RemoveUnknownIsEnoent)
{
    OPS_REQUIRE_OP(IORING_OP_TIMEOUT_REMOVE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_timeout_remove(sqe, 0x5150, 0); });
    EXPECT_EQ(c.res, -ENOENT);
}

TEST_P(Timeout, UpdateShortensTimeout)
{
    OPS_REQUIRE_OP(IORING_OP_TIMEOUT_REMOVE);
    __kernel_timespec ts = kForever;
    OPS_SQE(t, ring());
    io_uring_prep_timeout(t, &ts, 0, 0);
    io_uring_sqe_set_data64(t, 40);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    // Without the update this would wait an hour and the reap would time out.
    __kernel_timespec soon = ms(1);
    OPS_SQE(up, ring());
    io_uring_prep_timeout_update(up, &soon, 40, 0);
    io_uring_sqe_set_data64(up, 41);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 41).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 40).res, -ETIME);
}

TEST_P(Timeout, LinkTimeoutCancelsStuckRequest)
{
    OPS_REQUIRE_OP(IORING_OP_LINK_TIMEOUT);
    OPS_REQUIRE_OP(IORING_OP_POLL_ADD);
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    ops::ScopedFd rd(p[0]), wr(p[1]);
    // A poll that never fires, bounded by a 5 ms linked timeout.
    OPS_SQE(poll, ring());
    io_uring_prep_poll_add(poll, rd.get(), POLLIN);
    io_uring_sqe_set_flags(poll, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(poll, 50);
    __kernel_timespec ts = ms(5);
    OPS_SQE(lt, ring());
    io_uring_prep_link_timeout(lt, &ts, 0);
    io_uring_sqe_set_data64(lt, 51);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 50).res, -ECANCELED);
    EXPECT_EQ(ops::by_data(cqes, 51).res, -ETIME);
}

TEST_P(Timeout, LinkTimeoutCancelledWhenRequestFinishes)
{
    OPS_REQUIRE_OP(IORING_OP_LINK_TIMEOUT);
    OPS_SQE(nop, ring());
    io_uring_prep_nop(nop);
    io_uring_sqe_set_flags(nop, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(nop, 60);
    __kernel_timespec ts = kForever;
    OPS_SQE(lt, ring());
    io_uring_prep_link_timeout(lt, &ts, 0);
    io_uring_sqe_set_data64(lt, 61);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 60).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 61).res, -ECANCELED) << "the request beat its timeout";
}

OPS_INSTANTIATE(Timeout);

} // namespace
