// Legacy provided buffers: IORING_OP_PROVIDE_BUFFERS hands a group of
// buffers to the kernel, a recv with IOSQE_BUFFER_SELECT consumes one, and
// IORING_OP_REMOVE_BUFFERS takes the rest back. The buffer id in the CQE
// and the bytes in that buffer are checked.
#include "ops_support.h"

namespace {

class ProvidedBuffers : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_PROVIDE_BUFFERS);
        OPS_REQUIRE_OP(IORING_OP_REMOVE_BUFFERS);
        int sv[2];
        ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        a_.reset(sv[0]);
        b_.reset(sv[1]);
    }

    static constexpr int kBufLen = 32;
    static constexpr int kCount = 4;
    char mem_[kBufLen * kCount] = {};
    ops::ScopedFd a_, b_;
};

TEST_P(ProvidedBuffers, ProvideRecvRemove)
{
    // Buffers get ids 10..13 in group 2.
    ops::Cqe p = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_provide_buffers(sqe, mem_, kBufLen, kCount, 2, 10);
    });
    ASSERT_GE(p.res, 0) << std::strerror(-p.res);

    ASSERT_EQ(::write(a_.get(), "selected", 8), 8);
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_recv(sqe, b_.get(), nullptr, kBufLen, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
        io_uring_sqe_set_buf_group(sqe, 2);
    }, 2);
    ASSERT_EQ(r.res, 8) << std::strerror(-r.res);
    ASSERT_TRUE(r.has_buffer());
    const unsigned bid = r.buffer_id();
    ASSERT_GE(bid, 10u);
    ASSERT_LT(bid, 14u);
    EXPECT_EQ(std::string(mem_ + (bid - 10) * kBufLen, 8), "selected") << "data sits in the buffer the CQE names";

    // Three buffers are left; asking to remove up to 8 removes exactly those.
    ops::Cqe rm = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_remove_buffers(sqe, 8, 2); }, 3);
    EXPECT_EQ(rm.res, 3);

    // The group is now empty: a buffer-select recv finds nothing.
    ASSERT_EQ(::write(a_.get(), "x", 1), 1);
    ops::Cqe none = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_recv(sqe, b_.get(), nullptr, kBufLen, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
        io_uring_sqe_set_buf_group(sqe, 2);
    }, 4);
    EXPECT_EQ(none.res, -ENOBUFS);
}

TEST_P(ProvidedBuffers, RemoveFromUnknownGroupIsEnoent)
{
    ops::Cqe rm = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_remove_buffers(sqe, 1, 77); });
    EXPECT_EQ(rm.res, -ENOENT);
}

OPS_INSTANTIATE(ProvidedBuffers);

} // namespace
