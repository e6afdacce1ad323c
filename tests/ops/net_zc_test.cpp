// Zero-copy sends: send_zc, send_zc_fixed, sendmsg_zc and sendmsg_zc_fixed.
// Each produces a result CQE flagged IORING_CQE_F_MORE and later a
// notification CQE (same user_data, IORING_CQE_F_NOTIF) once the kernel has
// let go of the buffer. Both are checked, and the peer reads the bytes.
#include "ops_support.h"

#include <sys/uio.h>

namespace {

class ZeroCopy : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_SEND_ZC);
        int c = -1, s = -1;
        ASSERT_TRUE(ops::tcp_pair(&c, &s));
        client_.reset(c);
        server_.reset(s);
    }

    // Reaps the result CQE and the notification of one zero-copy send with
    // user_data ud. Returns them as {result, notification}.
    void reap_pair(std::uint64_t ud, ops::Cqe *result, ops::Cqe *notif)
    {
        ops::Cqe first, second;
        ASSERT_EQ(ops::reap(ring(), &first), 0) << "result CQE";
        ASSERT_EQ(first.user_data, ud);
        *result = first;
        if (!(first.flags & IORING_CQE_F_MORE)) {
            // No notification follows (failure before anything was queued).
            *notif = ops::Cqe{};
            return;
        }
        ASSERT_EQ(ops::reap(ring(), &second), 0) << "notification CQE";
        EXPECT_EQ(second.user_data, ud) << "the notification carries the request's user_data";
        *notif = second;
    }

    void register_fixed(std::string *buf)
    {
        iovec iov{buf->data(), buf->size()};
        int ret = io_uring_register_buffers(ring(), &iov, 1);
        ASSERT_EQ(ret, 0) << std::strerror(-ret);
    }

    ops::ScopedFd client_, server_;
};

TEST_P(ZeroCopy, SendZcResultAndNotification)
{
    const std::string data = ops::pattern(3000, 6);
    OPS_SQE(sqe, ring());
    io_uring_prep_send_zc(sqe, client_.get(), data.data(), data.size(), 0, 0);
    io_uring_sqe_set_data64(sqe, 11);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(11, &res, &notif));
    ASSERT_EQ(res.res, 3000) << std::strerror(-res.res);
    EXPECT_TRUE(res.flags & IORING_CQE_F_MORE) << "a notification will follow";
    EXPECT_FALSE(res.flags & IORING_CQE_F_NOTIF);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    EXPECT_FALSE(notif.flags & IORING_CQE_F_MORE) << "the notification is the last CQE";
    EXPECT_EQ(notif.res, 0);
    EXPECT_EQ(ops::read_exact(server_.get(), data.size()), data);
}

TEST_P(ZeroCopy, SendZcReportUsageOnLoopback)
{
    const std::string data = ops::pattern(100, 2);
    OPS_SQE(sqe, ring());
    io_uring_prep_send_zc(sqe, client_.get(), data.data(), data.size(), 0, IORING_SEND_ZC_REPORT_USAGE);
    io_uring_sqe_set_data64(sqe, 12);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(12, &res, &notif));
    if (res.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_SEND_ZC_REPORT_USAGE";
    ASSERT_EQ(res.res, 100);
    ASSERT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    // Loopback cannot transmit from user pages, so the kernel reports a copy:
    // evidence that the zc_flags reached it.
    EXPECT_TRUE(static_cast<std::uint32_t>(notif.res) & IORING_NOTIF_USAGE_ZC_COPIED);
    EXPECT_EQ(ops::read_exact(server_.get(), 100), data);
}

TEST_P(ZeroCopy, SendZcToUdpAddress)
{
    int a = -1, b = -1;
    sockaddr_in aa, ba;
    ASSERT_TRUE(ops::udp_pair(&a, &b, &aa, &ba));
    ops::ScopedFd tx(a), rx(b);
    OPS_SQE(sqe, ring());
    io_uring_prep_send_zc(sqe, tx.get(), "zc-dgram", 8, 0, 0);
    io_uring_prep_send_set_addr(sqe, reinterpret_cast<sockaddr *>(&ba), sizeof ba);
    io_uring_sqe_set_data64(sqe, 13);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(13, &res, &notif));
    ASSERT_EQ(res.res, 8) << std::strerror(-res.res);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    char buf[16];
    EXPECT_EQ(::recv(rx.get(), buf, sizeof buf, 0), 8);
    EXPECT_EQ(std::string(buf, 8), "zc-dgram");
}

TEST_P(ZeroCopy, SendZcFixedFromRegisteredBuffer)
{
    std::string reg(8192, '\0');
    ASSERT_NO_FATAL_FAILURE(register_fixed(&reg));
    const std::string data = ops::pattern(2000, 8);
    std::memcpy(reg.data() + 500, data.data(), data.size());
    OPS_SQE(sqe, ring());
    io_uring_prep_send_zc_fixed(sqe, client_.get(), reg.data() + 500, data.size(), 0, 0, 0);
    io_uring_sqe_set_data64(sqe, 14);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(14, &res, &notif));
    ASSERT_EQ(res.res, 2000) << std::strerror(-res.res);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    EXPECT_EQ(ops::read_exact(server_.get(), data.size()), data);
}

TEST_P(ZeroCopy, SendmsgZcGathersIovecs)
{
    OPS_REQUIRE_OP(IORING_OP_SENDMSG_ZC);
    std::string a = "zero-", b = "copy-", c = "msg";
    iovec iov[3] = {{a.data(), a.size()}, {b.data(), b.size()}, {c.data(), c.size()}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = 3;
    OPS_SQE(sqe, ring());
    io_uring_prep_sendmsg_zc(sqe, client_.get(), &msg, 0);
    io_uring_sqe_set_data64(sqe, 15);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(15, &res, &notif));
    ASSERT_EQ(res.res, 13) << std::strerror(-res.res);
    EXPECT_TRUE(res.flags & IORING_CQE_F_MORE);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    EXPECT_EQ(ops::read_exact(server_.get(), 13), "zero-copy-msg");
}

TEST_P(ZeroCopy, SendmsgZcFixedFromRegisteredBuffer)
{
    OPS_REQUIRE_OP(IORING_OP_SENDMSG_ZC);
    std::string reg(8192, '\0');
    ASSERT_NO_FATAL_FAILURE(register_fixed(&reg));
    std::memcpy(reg.data() + 10, "fixed-", 6);
    std::memcpy(reg.data() + 7000, "vector", 6);
    iovec iov[2] = {{reg.data() + 10, 6}, {reg.data() + 7000, 6}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    OPS_SQE(sqe, ring());
    io_uring_prep_sendmsg_zc_fixed(sqe, client_.get(), &msg, 0, 0);
    io_uring_sqe_set_data64(sqe, 16);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe res, notif;
    ASSERT_NO_FATAL_FAILURE(reap_pair(16, &res, &notif));
    if (res.res == -EINVAL)
        GTEST_SKIP() << "kernel refuses registered buffers for SENDMSG_ZC";
    ASSERT_EQ(res.res, 12) << std::strerror(-res.res);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    EXPECT_EQ(ops::read_exact(server_.get(), 12), "fixed-vector");
}

TEST_P(ZeroCopy, RecvZcWithoutZcrxQueueIsRefused)
{
    OPS_REQUIRE_OP(IORING_OP_RECV_ZC);
    // Zero-copy receive needs a registered zcrx interface queue, i.e. a NIC
    // with header/data split; loopback has none, so only the refusal of a
    // request naming a queue that was never registered is checked here.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_rw(IORING_OP_RECV_ZC, sqe, server_.get(), nullptr, 0, 0);
        sqe->zcrx_ifq_idx = 0;
    });
    EXPECT_EQ(c.res, -EINVAL);
}

OPS_INSTANTIATE(ZeroCopy);

} // namespace
