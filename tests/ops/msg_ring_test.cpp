// IORING_OP_MSG_RING between two rings: data messages (msg_ring,
// msg_ring_cqe_flags) and passing a direct descriptor (msg_ring_fd,
// msg_ring_fd_alloc). The sender is the parametrised ring; the receiver is
// a second ring of the same kind. The target's CQE and the usability of the
// passed file are checked.
#include "ops_support.h"

namespace {

class MsgRing : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_MSG_RING);
        int ret = target_.init(8, GetParam().flags);
        ASSERT_EQ(ret, 0) << std::strerror(-ret);
    }

    io_uring *target() { return target_.get(); }

    ops::Ring target_;
};

TEST_P(MsgRing, DataPostsCqeOnTarget)
{
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring(sqe, target_.fd(), 0x1234, 0xfeedface00ull, 0);
    });
    EXPECT_EQ(src.res, 0) << std::strerror(-src.res);
    ops::Cqe got;
    ASSERT_EQ(ops::reap(target(), &got), 0) << "the target ring receives a CQE";
    EXPECT_EQ(got.user_data, 0xfeedface00ull) << "data becomes user_data";
    EXPECT_EQ(got.res, 0x1234) << "len becomes res";
    EXPECT_EQ(got.flags, 0u);
    EXPECT_FALSE(ops::cqe_ready(ring())) << "the sender got exactly one CQE";
}

TEST_P(MsgRing, DataToSelf)
{
    // A ring may message itself: two CQEs, the send result and the message.
    OPS_SQE(sqe, ring());
    io_uring_prep_msg_ring(sqe, ring_obj().fd(), 7, 0x99, 0);
    io_uring_sqe_set_data64(sqe, 1);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 0x99).res, 7);
}

TEST_P(MsgRing, CqeFlagsArePassed)
{
    // Upper bits only (a fake buffer id without IORING_CQE_F_BUFFER), so no
    // flag with a kernel meaning is set.
    const unsigned flags = 0x00ab0000u;
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring_cqe_flags(sqe, target_.fd(), 55, 0x42, 0, flags);
    });
    if (src.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_MSG_RING_FLAGS_PASS";
    EXPECT_EQ(src.res, 0);
    ops::Cqe got;
    ASSERT_EQ(ops::reap(target(), &got), 0);
    EXPECT_EQ(got.user_data, 0x42u);
    EXPECT_EQ(got.res, 55);
    EXPECT_EQ(got.flags, flags);
}

TEST_P(MsgRing, NotARingIsEbadfd)
{
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    ops::ScopedFd r(p[0]), w(p[1]);
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_msg_ring(sqe, r.get(), 1, 2, 0); });
    EXPECT_EQ(src.res, -EBADFD);
}

class MsgRingFd : public MsgRing {
protected:
    void SetUp() override
    {
        MsgRing::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        int p[2];
        ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
        rd_.reset(p[0]);
        wr_.reset(p[1]);
        // The sender owns the pipe's write end in its slot 0.
        int files[1] = {wr_.get()};
        ASSERT_EQ(io_uring_register_files(ring(), files, 1), 0);
        ASSERT_EQ(io_uring_register_files_sparse(target(), 4), 0);
    }

    // Writes through the target's fixed slot and reads it back from the pipe.
    void expect_slot_is_pipe(int slot)
    {
        ops::Cqe w = ops::run(target(), [&](io_uring_sqe *sqe) {
            io_uring_prep_write(sqe, slot, "passed", 6, 0);
            io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
        }, 900);
        ASSERT_EQ(w.res, 6) << std::strerror(-w.res);
        EXPECT_EQ(ops::read_exact(rd_.get(), 6), "passed");
    }

    ops::ScopedFd rd_, wr_;
};

TEST_P(MsgRingFd, FdIntoChosenSlot)
{
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring_fd(sqe, target_.fd(), 0, 2, 0x77, 0);
    });
    ASSERT_EQ(src.res, 0) << std::strerror(-src.res);
    ops::Cqe got;
    ASSERT_EQ(ops::reap(target(), &got), 0);
    EXPECT_EQ(got.user_data, 0x77u);
    EXPECT_EQ(got.res, 0) << "a chosen slot reports 0";
    ASSERT_NO_FATAL_FAILURE(expect_slot_is_pipe(2));
}

TEST_P(MsgRingFd, FdAllocReportsSlot)
{
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring_fd_alloc(sqe, target_.fd(), 0, 0x78, 0);
    });
    ASSERT_EQ(src.res, 0) << std::strerror(-src.res);
    ops::Cqe got;
    ASSERT_EQ(ops::reap(target(), &got), 0);
    EXPECT_EQ(got.user_data, 0x78u);
    ASSERT_GE(got.res, 0) << std::strerror(-got.res);
    ASSERT_LT(got.res, 4);
    ASSERT_NO_FATAL_FAILURE(expect_slot_is_pipe(got.res));
}

TEST_P(MsgRingFd, CqeSkipSuppressesTargetCqe)
{
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring_fd(sqe, target_.fd(), 0, 1, 0x79, IORING_MSG_RING_CQE_SKIP);
    });
    ASSERT_EQ(src.res, 0) << std::strerror(-src.res);
    // The fd arrived (the slot works) although no CQE announced it.
    ASSERT_NO_FATAL_FAILURE(expect_slot_is_pipe(1));
    EXPECT_FALSE(ops::cqe_ready(target())) << "IORING_MSG_RING_CQE_SKIP reached the kernel";
}

TEST_P(MsgRingFd, EmptySourceSlotIsEbadf)
{
    // The sender's table has a single slot, so source slot 5 does not exist:
    // the source index reached the kernel.
    ops::Cqe src = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_msg_ring_fd(sqe, target_.fd(), 5, 0, 0x7a, 0);
    });
    EXPECT_EQ(src.res, -EBADF);
    EXPECT_FALSE(ops::cqe_ready(target())) << "nothing was delivered";
}

OPS_INSTANTIATE(MsgRing);
OPS_INSTANTIATE(MsgRingFd);

} // namespace
