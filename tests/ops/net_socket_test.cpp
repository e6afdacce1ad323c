// Socket lifecycle through the ring on loopback: socket (plain, direct,
// direct_alloc), bind, listen, connect, accept (plain, direct, multishot,
// multishot direct) and shutdown. Effects are checked with getsockopt,
// getsockname and by moving bytes over the resulting connections.
#include "ops_support.h"

namespace {

int sockopt_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof v;
    return ::getsockopt(fd, level, name, &v, &len) == 0 ? v : -1;
}

// Port of a socket's local address.
int local_port(int fd)
{
    sockaddr_in sa{};
    socklen_t len = sizeof sa;
    return ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len) == 0 ? ntohs(sa.sin_port) : -1;
}

// A connected client socket (plain syscalls) to *to, or -1.
int dial(const sockaddr_in &to)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

using NetSocket = ops::OpsTest;

TEST_P(NetSocket, SocketCreatesTcpSocket)
{
    OPS_REQUIRE_OP(IORING_OP_SOCKET);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_socket(sqe, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
    });
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_DOMAIN), AF_INET);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    EXPECT_TRUE(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC);
}

TEST_P(NetSocket, SocketUdp6)
{
    OPS_REQUIRE_OP(IORING_OP_SOCKET);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_socket(sqe, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, 0); });
    if (c.res == -EAFNOSUPPORT)
        GTEST_SKIP() << "no IPv6 in this kernel";
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_DOMAIN), AF_INET6);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
}

TEST_P(NetSocket, SocketDirectConnectsThroughSlot)
{
    OPS_REQUIRE_OP(IORING_OP_SOCKET);
    OPS_REQUIRE_OP(IORING_OP_CONNECT);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_socket_direct(sqe, AF_INET, SOCK_STREAM, 0, 2, 0);
    });
    ASSERT_EQ(c.res, 0) << "direct socket into a chosen slot reports 0: " << std::strerror(-c.res);

    ops::Cqe conn = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_connect(sqe, 2, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
        io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
    }, 2);
    ASSERT_EQ(conn.res, 0) << "the slot holds a TCP socket: " << std::strerror(-conn.res);
    ops::ScopedFd peer(::accept4(lfd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    EXPECT_GE(peer.get(), 0);
}

TEST_P(NetSocket, SocketDirectAllocReturnsSlot)
{
    OPS_REQUIRE_OP(IORING_OP_SOCKET);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    ops::Cqe a = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_socket_direct_alloc(sqe, AF_INET, SOCK_DGRAM, 0, 0);
    });
    ops::Cqe b = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_socket_direct_alloc(sqe, AF_INET, SOCK_DGRAM, 0, 0);
    }, 2);
    ASSERT_GE(a.res, 0) << std::strerror(-a.res);
    ASSERT_GE(b.res, 0) << std::strerror(-b.res);
    EXPECT_LT(a.res, 4);
    EXPECT_LT(b.res, 4);
    EXPECT_NE(a.res, b.res) << "each allocation takes a fresh slot";

    // Installing the slot as a process fd shows what it holds.
    if (!ops::op_supported(IORING_OP_FIXED_FD_INSTALL))
        return;
    ops::Cqe inst = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fixed_fd_install(sqe, a.res, 0); }, 3);
    ASSERT_GE(inst.res, 0) << std::strerror(-inst.res);
    ops::ScopedFd fd(inst.res);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
}

TEST_P(NetSocket, BindAssignsAddress)
{
    OPS_REQUIRE_OP(IORING_OP_BIND);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(fd.get(), 0);
    sockaddr_in sa = ops::loopback_any_port();
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_bind(sqe, fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    sockaddr_in got{};
    socklen_t len = sizeof got;
    ASSERT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&got), &len), 0);
    EXPECT_EQ(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    EXPECT_NE(got.sin_port, 0) << "port 0 was replaced by an ephemeral port";
}

TEST_P(NetSocket, BindTakenPortIsEaddrinuse)
{
    OPS_REQUIRE_OP(IORING_OP_BIND);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_bind(sqe, fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    });
    EXPECT_EQ(c.res, -EADDRINUSE) << "the address (with its port) reached the kernel";
}

TEST_P(NetSocket, ListenAcceptsConnections)
{
    OPS_REQUIRE_OP(IORING_OP_LISTEN);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in sa = ops::loopback_any_port();
    socklen_t len = sizeof sa;
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa), 0);
    ASSERT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&sa), &len), 0);
    ASSERT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_ACCEPTCONN), 0);

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_listen(sqe, fd.get(), 8); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(sockopt_int(fd.get(), SOL_SOCKET, SO_ACCEPTCONN), 1);
    ops::ScopedFd client(dial(sa));
    EXPECT_GE(client.get(), 0) << "a client can connect";
}

TEST_P(NetSocket, SocketBindListenChainedOnDirectSlot)
{
    OPS_REQUIRE_OP(IORING_OP_SOCKET);
    OPS_REQUIRE_OP(IORING_OP_BIND);
    OPS_REQUIRE_OP(IORING_OP_LISTEN);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 2), 0);
    // First find a free port with a throwaway socket, then let the ring build
    // a listener on it in one linked chain, entirely in the fixed table.
    sockaddr_in sa;
    {
        ops::ScopedFd probe_fd(ops::tcp_listener(&sa));
        ASSERT_GE(probe_fd.get(), 0);
    }
    OPS_SQE(s1, ring());
    io_uring_prep_socket_direct(s1, AF_INET, SOCK_STREAM, 0, 0, 0);
    io_uring_sqe_set_flags(s1, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(s1, 1);
    OPS_SQE(s2, ring());
    io_uring_prep_bind(s2, 0, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    io_uring_sqe_set_flags(s2, IOSQE_IO_LINK | IOSQE_FIXED_FILE);
    io_uring_sqe_set_data64(s2, 2);
    OPS_SQE(s3, ring());
    io_uring_prep_listen(s3, 0, 4);
    io_uring_sqe_set_flags(s3, IOSQE_FIXED_FILE);
    io_uring_sqe_set_data64(s3, 3);
    auto cqes = ops::submit_and_reap(ring(), 3);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 2).res, 0);
    ASSERT_EQ(ops::by_data(cqes, 3).res, 0);
    ops::ScopedFd client(dial(sa));
    EXPECT_GE(client.get(), 0) << "the direct listener accepts connections";
}

TEST_P(NetSocket, ConnectReachesListener)
{
    OPS_REQUIRE_OP(IORING_OP_CONNECT);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_connect(sqe, fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd peer(::accept4(lfd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(peer.get(), 0);
    ASSERT_EQ(::write(fd.get(), "hi", 2), 2);
    EXPECT_EQ(ops::read_exact(peer.get(), 2), "hi");
}

TEST_P(NetSocket, ConnectWithoutListenerIsRefused)
{
    OPS_REQUIRE_OP(IORING_OP_CONNECT);
    // Bound but not listening: nobody accepts on this port.
    ops::ScopedFd holder(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in sa = ops::loopback_any_port();
    socklen_t len = sizeof sa;
    ASSERT_EQ(::bind(holder.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa), 0);
    ASSERT_EQ(::getsockname(holder.get(), reinterpret_cast<sockaddr *>(&sa), &len), 0);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_connect(sqe, fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    });
    EXPECT_EQ(c.res, -ECONNREFUSED);
}

TEST_P(NetSocket, AcceptReturnsFdAndPeerAddress)
{
    OPS_REQUIRE_OP(IORING_OP_ACCEPT);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);
    sockaddr_in peer{};
    socklen_t peer_len = sizeof peer;
    // Armed before anyone connects: the accept waits (internally polled).
    OPS_SQE(sqe, ring());
    io_uring_prep_accept(sqe, lfd.get(), reinterpret_cast<sockaddr *>(&peer), &peer_len, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, 5);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::ScopedFd client(dial(sa));
    ASSERT_GE(client.get(), 0);

    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_EQ(c.user_data, 5u);
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd conn(c.res);
    EXPECT_EQ(peer_len, sizeof(sockaddr_in));
    EXPECT_EQ(ntohs(peer.sin_port), local_port(client.get())) << "addr/addrlen were filled";
    EXPECT_TRUE(::fcntl(conn.get(), F_GETFD) & FD_CLOEXEC) << "accept flags reached the kernel";
    ASSERT_EQ(::write(client.get(), "ping", 4), 4);
    EXPECT_EQ(ops::read_exact(conn.get(), 4), "ping");
}

TEST_P(NetSocket, AcceptDirectIntoSlot)
{
    OPS_REQUIRE_OP(IORING_OP_ACCEPT);
    OPS_REQUIRE_OP(IORING_OP_SEND);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ops::ScopedFd client(dial(sa));
    ASSERT_GE(client.get(), 0);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_accept_direct(sqe, lfd.get(), nullptr, nullptr, 0, 1);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    ops::Cqe s = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_send(sqe, 1, "slot1", 5, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
    }, 2);
    ASSERT_EQ(s.res, 5) << std::strerror(-s.res);
    EXPECT_EQ(ops::read_exact(client.get(), 5), "slot1");
}

TEST_P(NetSocket, MultishotAcceptPostsPerConnection)
{
    OPS_REQUIRE_OP(IORING_OP_ACCEPT);
    OPS_REQUIRE_OP(IORING_OP_ASYNC_CANCEL);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);
    OPS_SQE(sqe, ring());
    io_uring_prep_multishot_accept(sqe, lfd.get(), nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, 77);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    for (int i = 0; i < 3; ++i) {
        ops::ScopedFd client(dial(sa));
        ASSERT_GE(client.get(), 0);
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0) << "connection " << i;
        EXPECT_EQ(c.user_data, 77u);
        ASSERT_GE(c.res, 0) << std::strerror(-c.res);
        EXPECT_TRUE(c.more()) << "multishot accept stays armed";
        ops::ScopedFd conn(c.res);
        // Prove the fd is the server side of this client.
        ASSERT_EQ(::write(client.get(), "x", 1), 1);
        EXPECT_EQ(ops::read_exact(conn.get(), 1), "x");
    }

    OPS_SQE(cancel, ring());
    io_uring_prep_cancel64(cancel, 77, 0);
    io_uring_sqe_set_data64(cancel, 78);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 78).res, 0);
    ops::Cqe last = ops::by_data(cqes, 77);
    EXPECT_EQ(last.res, -ECANCELED);
    EXPECT_FALSE(last.more()) << "the terminating CQE drops F_MORE";
}

TEST_P(NetSocket, MultishotAcceptDirectAllocatesSlots)
{
    OPS_REQUIRE_OP(IORING_OP_ACCEPT);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    sockaddr_in sa;
    ops::ScopedFd lfd(ops::tcp_listener(&sa));
    ASSERT_GE(lfd.get(), 0);
    OPS_SQE(sqe, ring());
    io_uring_prep_multishot_accept_direct(sqe, lfd.get(), nullptr, nullptr, 0);
    io_uring_sqe_set_data64(sqe, 9);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    int slots[2];
    ops::ScopedFd clients[2];
    for (int i = 0; i < 2; ++i) {
        clients[i].reset(dial(sa));
        ASSERT_GE(clients[i].get(), 0);
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0);
        ASSERT_GE(c.res, 0) << std::strerror(-c.res);
        EXPECT_TRUE(c.more());
        EXPECT_LT(c.res, 4);
        slots[i] = c.res;
    }
    EXPECT_NE(slots[0], slots[1]);
    // The second slot is the connection of the second client.
    ops::Cqe s = ops::run(ring(), [&](io_uring_sqe *sq) {
        io_uring_prep_send(sq, slots[1], "two", 3, 0);
        io_uring_sqe_set_flags(sq, IOSQE_FIXED_FILE);
    }, 10);
    ASSERT_EQ(s.res, 3);
    EXPECT_EQ(ops::read_exact(clients[1].get(), 3), "two");
    // Disarm: the cancel and the accept's final CQE, in either order.
    OPS_SQE(cancel, ring());
    io_uring_prep_cancel64(cancel, 9, 0);
    io_uring_sqe_set_data64(cancel, 11);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 11).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 9).res, -ECANCELED);
}

TEST_P(NetSocket, ShutdownWriteGivesPeerEof)
{
    OPS_REQUIRE_OP(IORING_OP_SHUTDOWN);
    int c = -1, s = -1;
    ASSERT_TRUE(ops::tcp_pair(&c, &s));
    ops::ScopedFd client(c), server(s);
    ASSERT_EQ(::write(client.get(), "bye", 3), 3);
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_shutdown(sqe, client.get(), SHUT_WR); });
    ASSERT_EQ(r.res, 0) << std::strerror(-r.res);
    EXPECT_EQ(ops::read_exact(server.get(), 3), "bye");
    char buf[4];
    EXPECT_EQ(::read(server.get(), buf, sizeof buf), 0) << "EOF after the write side is shut";
    // The read side of the client is still open.
    ASSERT_EQ(::write(server.get(), "ok", 2), 2);
    EXPECT_EQ(ops::read_exact(client.get(), 2), "ok");
}

TEST_P(NetSocket, ShutdownNotConnectedIsEnotconn)
{
    OPS_REQUIRE_OP(IORING_OP_SHUTDOWN);
    ops::ScopedFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_shutdown(sqe, fd.get(), SHUT_RDWR); });
    EXPECT_EQ(r.res, -ENOTCONN);
}

OPS_INSTANTIATE(NetSocket);

} // namespace
