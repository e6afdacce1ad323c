// epoll through the ring: epoll_ctl (add, modify, delete) checked with the
// epoll_wait syscall, and IORING_OP_EPOLL_WAIT collecting events that plain
// writes make ready.
#include "ops_support.h"

#include <sys/epoll.h>

namespace {

class Epoll : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        epfd_.reset(::epoll_create1(EPOLL_CLOEXEC));
        ASSERT_GE(epfd_.get(), 0);
        int p[2];
        ASSERT_EQ(::pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
        rd_.reset(p[0]);
        wr_.reset(p[1]);
    }

    // Events ready right now according to the syscall (timeout 0).
    int sys_ready(epoll_event *ev, int max) { return ::epoll_wait(epfd_.get(), ev, max, 0); }

    ops::ScopedFd epfd_, rd_, wr_;
};

TEST_P(Epoll, CtlAddRegistersFd)
{
    OPS_REQUIRE_OP(IORING_OP_EPOLL_CTL);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 0xabcdef;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_epoll_ctl(sqe, epfd_.get(), rd_.get(), EPOLL_CTL_ADD, &ev);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    ASSERT_EQ(::write(wr_.get(), "e", 1), 1);
    epoll_event got[2];
    ASSERT_EQ(sys_ready(got, 2), 1) << "the pipe is now in the interest list";
    EXPECT_EQ(got[0].data.u64, 0xabcdefu);
    EXPECT_TRUE(got[0].events & EPOLLIN);

    ops::Cqe dup = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_epoll_ctl(sqe, epfd_.get(), rd_.get(), EPOLL_CTL_ADD, &ev);
    }, 2);
    EXPECT_EQ(dup.res, -EEXIST);
}

TEST_P(Epoll, CtlModAndDel)
{
    OPS_REQUIRE_OP(IORING_OP_EPOLL_CTL);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 1;
    ASSERT_EQ(::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, rd_.get(), &ev), 0);
    ASSERT_EQ(::write(wr_.get(), "m", 1), 1);

    epoll_event mod{};
    mod.events = EPOLLIN;
    mod.data.u64 = 2;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_epoll_ctl(sqe, epfd_.get(), rd_.get(), EPOLL_CTL_MOD, &mod);
    });
    ASSERT_EQ(c.res, 0);
    epoll_event got[2];
    ASSERT_EQ(sys_ready(got, 2), 1);
    EXPECT_EQ(got[0].data.u64, 2u) << "the new data came from the SQE's event";

    ops::Cqe d = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_epoll_ctl(sqe, epfd_.get(), rd_.get(), EPOLL_CTL_DEL, nullptr);
    }, 2);
    ASSERT_EQ(d.res, 0);
    EXPECT_EQ(sys_ready(got, 2), 0) << "deleted: no longer reported";
}

TEST_P(Epoll, WaitCollectsReadyEvents)
{
    OPS_REQUIRE_OP(IORING_OP_EPOLL_WAIT);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 0x5151;
    ASSERT_EQ(::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, rd_.get(), &ev), 0);

    epoll_event out[4] = {};
    OPS_SQE(sqe, ring());
    io_uring_prep_epoll_wait(sqe, epfd_.get(), out, 4, 0);
    io_uring_sqe_set_data64(sqe, 3);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    EXPECT_FALSE(ops::cqe_ready(ring())) << "nothing ready: the wait is pending";

    ASSERT_EQ(::write(wr_.get(), "w", 1), 1);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_EQ(c.user_data, 3u);
    ASSERT_EQ(c.res, 1) << "res is the number of events";
    EXPECT_EQ(out[0].data.u64, 0x5151u);
    EXPECT_TRUE(out[0].events & EPOLLIN);
}

TEST_P(Epoll, WaitReturnsAlreadyReadyAtOnce)
{
    OPS_REQUIRE_OP(IORING_OP_EPOLL_WAIT);
    int p2[2];
    ASSERT_EQ(::pipe2(p2, O_CLOEXEC | O_NONBLOCK), 0);
    ops::ScopedFd rd2(p2[0]), wr2(p2[1]);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 1;
    ASSERT_EQ(::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, rd_.get(), &ev), 0);
    ev.data.u64 = 2;
    ASSERT_EQ(::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, rd2.get(), &ev), 0);
    ASSERT_EQ(::write(wr_.get(), "a", 1), 1);
    ASSERT_EQ(::write(wr2.get(), "b", 1), 1);

    epoll_event out[1] = {};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_epoll_wait(sqe, epfd_.get(), out, 1, 0); });
    EXPECT_EQ(c.res, 1) << "maxevents (1) reached the kernel";
    EXPECT_TRUE(out[0].data.u64 == 1 || out[0].data.u64 == 2);
}

OPS_INSTANTIATE(Epoll);

} // namespace
