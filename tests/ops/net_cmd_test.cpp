// Socket commands over IORING_OP_URING_CMD: SIOCINQ/SIOCOUTQ, getsockopt
// and setsockopt via io_uring_prep_cmd_sock, and getsockname/getpeername
// via io_uring_prep_cmd_getsockname. Values are compared with the
// equivalent plain syscalls.
#include "ops_support.h"

#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>

namespace {

class SockCmd : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_URING_CMD);
        int c = -1, s = -1;
        ASSERT_TRUE(ops::tcp_pair(&c, &s));
        client_.reset(c);
        server_.reset(s);
    }

    ops::Cqe cmd(int op, int fd, int level = 0, int optname = 0, void *optval = nullptr, int optlen = 0,
                 std::uint64_t ud = 1)
    {
        return ops::run(ring(), [&](io_uring_sqe *sqe) {
            io_uring_prep_cmd_sock(sqe, op, fd, level, optname, optval, optlen);
        }, ud);
    }

    ops::ScopedFd client_, server_;
};

TEST_P(SockCmd, SiocinqCountsUnreadBytes)
{
    ASSERT_EQ(::write(client_.get(), "12345", 5), 5);
    // Wait until the bytes are queued at the receiver (bounded poll).
    pollfd pfd{server_.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 5000), 1);
    ops::Cqe c = cmd(SOCKET_URING_OP_SIOCINQ, server_.get());
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel has no socket uring_cmd";
    EXPECT_EQ(c.res, 5);
    int sys = -1;
    ASSERT_EQ(::ioctl(server_.get(), SIOCINQ, &sys), 0);
    EXPECT_EQ(sys, 5);
}

TEST_P(SockCmd, SiocoutqMatchesIoctl)
{
    ops::Cqe c = cmd(SOCKET_URING_OP_SIOCOUTQ, client_.get());
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel has no socket uring_cmd";
    // Nothing was sent: the send queue is empty.
    EXPECT_EQ(c.res, 0);
}

TEST_P(SockCmd, GetsockoptReadsOption)
{
    int val = -1;
    ops::Cqe c = cmd(SOCKET_URING_OP_GETSOCKOPT, server_.get(), SOL_SOCKET, SO_TYPE, &val, sizeof val);
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel has no socket getsockopt command";
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(c.res, static_cast<int>(sizeof val)) << "res is the option length";
    EXPECT_EQ(val, SOCK_STREAM);

    // A second option, compared with the syscall's answer. (The kernel only
    // serves SOL_SOCKET options through this command.)
    int rcvbuf = -1, sys = -2;
    socklen_t len = sizeof sys;
    ASSERT_EQ(::getsockopt(server_.get(), SOL_SOCKET, SO_RCVBUF, &sys, &len), 0);
    ops::Cqe n = cmd(SOCKET_URING_OP_GETSOCKOPT, server_.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf, 2);
    ASSERT_GE(n.res, 0) << std::strerror(-n.res);
    EXPECT_EQ(rcvbuf, sys);
}

TEST_P(SockCmd, SetsockoptChangesOption)
{
    int on = 1;
    ops::Cqe c = cmd(SOCKET_URING_OP_SETSOCKOPT, client_.get(), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel has no socket setsockopt command";
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    int got = 0;
    socklen_t len = sizeof got;
    ASSERT_EQ(::getsockopt(client_.get(), SOL_SOCKET, SO_KEEPALIVE, &got, &len), 0);
    EXPECT_EQ(got, 1);

    int rcvbuf = 65536;
    ops::Cqe r = cmd(SOCKET_URING_OP_SETSOCKOPT, client_.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf, 2);
    ASSERT_EQ(r.res, 0);
    ASSERT_EQ(::getsockopt(client_.get(), SOL_SOCKET, SO_RCVBUF, &got, &len), 0);
    EXPECT_EQ(got, 2 * rcvbuf) << "Linux doubles SO_RCVBUF: the value reached the kernel";
}

TEST_P(SockCmd, GetsocknameAndPeername)
{
    sockaddr_in name{};
    socklen_t name_len = sizeof name;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_cmd_getsockname(sqe, server_.get(), reinterpret_cast<sockaddr *>(&name), &name_len, 0);
    });
    if (c.res == -EOPNOTSUPP || c.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks SOCKET_URING_OP_GETSOCKNAME (" << std::strerror(-c.res) << ")";
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    sockaddr_in sys{};
    socklen_t sys_len = sizeof sys;
    ASSERT_EQ(::getsockname(server_.get(), reinterpret_cast<sockaddr *>(&sys), &sys_len), 0);
    EXPECT_EQ(name_len, sys_len);
    EXPECT_EQ(name.sin_port, sys.sin_port);
    EXPECT_EQ(name.sin_addr.s_addr, sys.sin_addr.s_addr);

    sockaddr_in peer{};
    socklen_t peer_len = sizeof peer;
    ops::Cqe p = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_cmd_getsockname(sqe, server_.get(), reinterpret_cast<sockaddr *>(&peer), &peer_len, 1);
    }, 2);
    ASSERT_EQ(p.res, 0) << std::strerror(-p.res);
    sockaddr_in client_name{};
    socklen_t cl = sizeof client_name;
    ASSERT_EQ(::getsockname(client_.get(), reinterpret_cast<sockaddr *>(&client_name), &cl), 0);
    EXPECT_EQ(peer.sin_port, client_name.sin_port) << "peer=1 asks for the remote end";
}

TEST_P(SockCmd, CmdOnNonSocketFails)
{
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    ops::ScopedFd r(p[0]), w(p[1]);
    ops::Cqe c = cmd(SOCKET_URING_OP_SIOCINQ, r.get());
    EXPECT_EQ(c.res, -EOPNOTSUPP) << "a pipe has no ->uring_cmd";
}

OPS_INSTANTIATE(SockCmd);

} // namespace
