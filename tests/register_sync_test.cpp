// Synchronous register-path operations: io_uring_register_sync_cancel
// (cancel and wait) and io_uring_register_sync_msg (MSG_RING without a
// source ring).
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <unistd.h>

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

TEST(SyncCancel, CancelsAPendingReadOnAnEmptyPipe)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    char buf[16];
    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, p[0], buf, sizeof buf, 0);
    sqe->user_data = 0xcafe;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    EXPECT_FALSE(bareuring_test::cqe_pending(ring.get())) << "nothing to read yet";

    io_uring_sync_cancel_reg reg{};
    reg.addr = 0xcafe;
    reg.fd = -1;
    reg.timeout.tv_sec = -1;
    reg.timeout.tv_nsec = -1;
    int ret = io_uring_register_sync_cancel(ring.get(), &reg);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_SYNC_CANCEL (6.0+)";
    ASSERT_EQ(ret, 0);
    // Synchronous: the CQE is already there when the call returns.
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe, 0), 0);
    EXPECT_EQ(cqe.user_data, 0xcafeu);
    EXPECT_EQ(cqe.res, -ECANCELED);

    // Nothing left to cancel.
    EXPECT_EQ(io_uring_register_sync_cancel(ring.get(), &reg), -ENOENT);

    // Cancel by fd (IORING_ASYNC_CANCEL_FD | ALL) with a finite timeout.
    for (int i = 0; i < 2; ++i) {
        sqe = io_uring_get_sqe(ring.get());
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_read(sqe, p[0], buf, sizeof buf, 0);
        sqe->user_data = 10 + i;
    }
    ASSERT_EQ(io_uring_submit(ring.get()), 2);
    io_uring_sync_cancel_reg by_fd{};
    by_fd.fd = p[0];
    by_fd.flags = IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL;
    by_fd.timeout.tv_sec = 1;
    // With CANCEL_ALL the kernel returns how many it cancelled.
    ASSERT_EQ(io_uring_register_sync_cancel(ring.get(), &by_fd), 2);
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe, 0), 0);
        EXPECT_EQ(cqe.res, -ECANCELED);
    }
    ::close(p[0]);
    ::close(p[1]);
}

TEST(SyncCancel, BadArguments)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    EXPECT_EQ(io_uring_register_sync_cancel(ring.get(), nullptr), -EINVAL);
    io_uring_sync_cancel_reg reg{};
    reg.pad[0] = 1; // reserved bytes must be zero
    EXPECT_EQ(io_uring_register_sync_cancel(ring.get(), &reg), -EINVAL);
    EXPECT_EQ(io_uring_register_sync_cancel(nullptr, &reg), -EFAULT);
}

TEST(SyncMsg, ArrivesOnTheTargetRing)
{
    TestRing target;
    ASSERT_EQ(target.init(), 0);
    io_uring_sqe sqe{};
    io_uring_prep_msg_ring(&sqe, target->ring_fd, 0x1234, 0xdeadbeef, 0);
    int ret = io_uring_register_sync_msg(&sqe);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_SEND_MSG_RING (6.13+)";
    ASSERT_EQ(ret, 0);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(target.get(), &cqe, 1000), 0);
    EXPECT_EQ(cqe.user_data, 0xdeadbeefu);
    EXPECT_EQ(cqe.res, 0x1234);

    // The CQE-flags form.
    io_uring_sqe sqe2{};
    io_uring_prep_msg_ring_cqe_flags(&sqe2, target->ring_fd, 7, 0x77, 0, IORING_CQE_F_MORE);
    ASSERT_EQ(io_uring_register_sync_msg(&sqe2), 0);
    ASSERT_EQ(bareuring_test::wait_one(target.get(), &cqe, 1000), 0);
    EXPECT_EQ(cqe.user_data, 0x77u);
    EXPECT_EQ(cqe.res, 7);
    EXPECT_TRUE(cqe.flags & IORING_CQE_F_MORE);
}

TEST(SyncMsg, BadArgumentsLeakNothing)
{
    TestRing target;
    ASSERT_EQ(target.init(), 0);
    const int fds = count_open_fds();
    io_uring_sqe probe_sqe{};
    io_uring_prep_msg_ring(&probe_sqe, target->ring_fd, 0, 0, 0);
    if (io_uring_register_sync_msg(&probe_sqe) == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_SEND_MSG_RING (6.13+)";
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(target.get(), &cqe, 1000), 0);

    EXPECT_EQ(io_uring_register_sync_msg(nullptr), -EINVAL);
    // Not a MSG_RING SQE.
    io_uring_sqe nop{};
    io_uring_prep_nop(&nop);
    EXPECT_EQ(io_uring_register_sync_msg(&nop), -EINVAL);
    // Target is not a ring.
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    io_uring_sqe bad{};
    io_uring_prep_msg_ring(&bad, p[0], 0, 0, 0);
    EXPECT_EQ(io_uring_register_sync_msg(&bad), -EBADFD);
    ::close(p[0]);
    ::close(p[1]);
    io_uring_prep_msg_ring(&bad, -1, 0, 0, 0);
    EXPECT_EQ(io_uring_register_sync_msg(&bad), -EBADF);
    EXPECT_FALSE(bareuring_test::cqe_pending(target.get()));
    EXPECT_EQ(count_open_fds(), fds);
}
