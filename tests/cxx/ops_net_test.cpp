// Typed socket operations over loopback TCP: each test moves real bytes or
// connections and checks them on the other side.
#include "cxx_test_util.h"

#include <poll.h>

#include <array>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using cxx_test::make_ring;
using cxx_test::next_cqe;
using cxx_test::run1;

TEST(NetOps, Socket)
{
    static_assert(uring::socket::opcode == IORING_OP_SOCKET);
    uring::ring r = make_ring();
    uring::io_result s = run1(r, uring::socket{AF_INET, SOCK_DGRAM | SOCK_CLOEXEC});
    ASSERT_GE(s.res, 0) << s.error().message();
    uring::unique_fd sock(s.res);
    int type = 0;
    socklen_t len = sizeof type;
    ASSERT_EQ(::getsockopt(sock.get(), SOL_SOCKET, SO_TYPE, &type, &len), 0);
    EXPECT_EQ(type, SOCK_DGRAM);
    EXPECT_EQ(run1(r, uring::socket{12345, SOCK_STREAM}).res, -EAFNOSUPPORT);
}

TEST(NetOps, BindAndListen)
{
    uring::ring r = make_ring();
    CXX_SKIP_UNLESS_SUPPORTED(r, uring::bind);
    CXX_SKIP_UNLESS_SUPPORTED(r, uring::listen);
    uring::unique_fd sock(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(run1(r, uring::bind{sock, addr}).res, 0);
    EXPECT_EQ(run1(r, uring::listen{sock, 4}).res, 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(sock.get(), reinterpret_cast<sockaddr *>(&addr), &len), 0);
    EXPECT_NE(addr.sin_port, 0);
    uring::unique_fd client = cxx_test::connect_to(addr); // succeeds only if listening
    EXPECT_TRUE(client);
}

TEST(NetOps, ConnectAcceptSendRecv)
{
    static_assert(uring::connect::opcode == IORING_OP_CONNECT && uring::accept::opcode == IORING_OP_ACCEPT);
    static_assert(uring::send::opcode == IORING_OP_SEND && uring::recv::opcode == IORING_OP_RECV);
    uring::ring r = make_ring();
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    uring::unique_fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));

    sockaddr_in peer{};
    socklen_t peer_len = sizeof peer;
    r.prepare(uring::accept{listener, SOCK_CLOEXEC, reinterpret_cast<sockaddr *>(&peer), &peer_len},
              uring::user_data(1u));
    r.prepare(uring::connect{client, addr}, uring::user_data(2u));
    ASSERT_TRUE(r.submit());
    int accepted = -1, connected = -1;
    for (int i = 0; i < 2; ++i) {
        auto [ud, res] = next_cqe(r);
        (ud == 1 ? accepted : connected) = res.res;
    }
    ASSERT_GE(accepted, 0);
    EXPECT_EQ(connected, 0);
    uring::unique_fd server(accepted);
    EXPECT_EQ(peer.sin_family, AF_INET);
    EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

    EXPECT_EQ(run1(r, uring::send{client, std::string_view("ping")}).res, 4);
    std::array<char, 16> buf{};
    EXPECT_EQ(run1(r, uring::recv{server, buf}).res, 4);
    EXPECT_EQ(std::string_view(buf.data(), 4), "ping");
    EXPECT_EQ(run1(r, uring::send{server, std::string_view("pong!")}).res, 5);
    EXPECT_EQ(run1(r, uring::recv{client, buf}).res, 5);
    EXPECT_EQ(std::string_view(buf.data(), 5), "pong!");
}

TEST(NetOps, AcceptDirectIntoTheFileTable)
{
    uring::ring r = make_ring();
    ASSERT_TRUE(r.register_files_sparse(4));
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    uring::unique_fd client = cxx_test::connect_to(addr);
    uring::io_result a = run1(r, uring::accept_direct{listener});
    ASSERT_GE(a.res, 0) << a.error().message();
    uring::fixed_file conn(a.value());
    ASSERT_EQ(::send(client.get(), "via-slot", 8, 0), 8);
    std::array<char, 8> buf{};
    EXPECT_EQ(run1(r, uring::recv{conn, buf}).res, 8);
    EXPECT_EQ(std::string_view(buf.data(), 8), "via-slot");
    EXPECT_EQ(run1(r, uring::send{conn, std::string_view("back")}).res, 4);
    char back[4];
    EXPECT_EQ(::recv(client.get(), back, 4, MSG_WAITALL), 4);
    EXPECT_EQ(std::string_view(back, 4), "back");
}

TEST(NetOps, SendmsgRecvmsg)
{
    static_assert(uring::sendmsg::opcode == IORING_OP_SENDMSG && uring::recvmsg::opcode == IORING_OP_RECVMSG);
    uring::ring r = make_ring();
    auto p = cxx_test::make_tcp_pair();
    char h[] = "head:", b[] = "body";
    iovec out[] = {{h, 5}, {b, 4}};
    msghdr msg{};
    msg.msg_iov = out;
    msg.msg_iovlen = 2;
    EXPECT_EQ(run1(r, uring::sendmsg{p.a, &msg}).res, 9);
    // Initialised: the kernel fills them through io_uring, which valgrind
    // cannot see, so it would report comparing never-written bytes.
    char x[4]{}, y[8]{};
    iovec in[] = {{x, sizeof x}, {y, sizeof y}};
    msghdr rmsg{};
    rmsg.msg_iov = in;
    rmsg.msg_iovlen = 2;
    EXPECT_EQ(run1(r, uring::recvmsg{p.b, &rmsg}).res, 9);
    EXPECT_EQ(std::string(x, 4) + std::string(y, 5), "head:body");
}

TEST(NetOps, ShutdownEndsThePeersStream)
{
    static_assert(uring::shutdown::opcode == IORING_OP_SHUTDOWN);
    uring::ring r = make_ring();
    auto p = cxx_test::make_tcp_pair();
    EXPECT_EQ(run1(r, uring::shutdown{p.a, SHUT_WR}).res, 0);
    char c;
    EXPECT_EQ(::recv(p.b.get(), &c, 1, 0), 0); // EOF
}

TEST(NetOps, PollAddAndRemove)
{
    static_assert(uring::poll_add::opcode == IORING_OP_POLL_ADD);
    static_assert(uring::poll_remove::opcode == IORING_OP_POLL_REMOVE);
    uring::ring r = make_ring();
    auto p = cxx_test::make_tcp_pair();
    r.prepare(uring::with_data(uring::poll_add{p.b, POLLIN}, 10u));
    ASSERT_TRUE(r.submit());
    EXPECT_FALSE(r.peek().has_value()); // nothing to read yet
    ASSERT_EQ(::send(p.a.get(), "!", 1, 0), 1);
    auto [ud, res] = next_cqe(r);
    EXPECT_EQ(ud, 10u);
    EXPECT_TRUE(res.res & POLLIN);

    // A poll on an idle socket, removed by its user_data.
    auto q = cxx_test::make_tcp_pair();
    r.prepare(uring::with_data(uring::poll_add{q.b, POLLIN}, 11u));
    r.prepare(uring::with_data(uring::poll_remove{11}, 12u));
    ASSERT_TRUE(r.submit());
    int removed = 1, poll_res = 1;
    for (int i = 0; i < 2; ++i) {
        auto [u, rr] = next_cqe(r);
        (u == 11 ? poll_res : removed) = rr.res;
    }
    EXPECT_EQ(removed, 0);
    EXPECT_EQ(poll_res, -ECANCELED);
}

TEST(NetOps, PollMultishotReportsEveryReadiness)
{
    static_assert(uring::poll_multishot::opcode == IORING_OP_POLL_ADD && uring::multishot_v<uring::poll_multishot>);
    uring::ring r = make_ring();
    auto p = cxx_test::make_tcp_pair();
    io_uring_sqe *sqe = r.prepare(uring::with_data(uring::poll_multishot{p.b, POLLIN}, 20u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_TRUE(sqe->len & IORING_POLL_ADD_MULTI);
    ASSERT_TRUE(r.submit());
    char c;
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(::send(p.a.get(), "!", 1, 0), 1);
        auto [ud, res] = next_cqe(r);
        EXPECT_EQ(ud, 20u);
        EXPECT_TRUE(res.res & POLLIN);
        EXPECT_TRUE(res.more()); // still armed
        ASSERT_EQ(::recv(p.b.get(), &c, 1, 0), 1);
    }
    EXPECT_EQ(run1(r, uring::poll_remove{20}).res, 0);
    auto [ud, res] = next_cqe(r);
    EXPECT_EQ(ud, 20u);
    EXPECT_EQ(res.res, -ECANCELED);
    EXPECT_FALSE(res.more());
}

TEST(NetOps, MultishotOpsOnABareRing)
{
    uring::ring r = make_ring();
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    r.prepare(uring::with_data(uring::multishot_accept{listener}, 1u));
    ASSERT_TRUE(r.submit());
    uring::unique_fd c1 = cxx_test::connect_to(addr), c2 = cxx_test::connect_to(addr);
    uring::unique_fd s1, s2;
    for (uring::unique_fd *s : {&s1, &s2}) {
        auto [ud, res] = next_cqe(r);
        EXPECT_EQ(ud, 1u);
        EXPECT_TRUE(res.more()); // still armed
        ASSERT_GE(res.res, 0);
        s->reset(res.res);
    }

    auto br = uring::buffer_ring::create(r.native_handle(), 3, 4, 32);
    ASSERT_TRUE(br) << br.error().message();
    r.prepare(uring::with_data(uring::recv_multishot{s1, 3}, 2u));
    ASSERT_TRUE(r.submit());
    ASSERT_EQ(::send(c1.get(), "abc", 3, 0), 3);
    auto [ud, res] = next_cqe(r);
    EXPECT_EQ(ud, 2u);
    EXPECT_EQ(res.res, 3);
    EXPECT_TRUE(res.more());
    ASSERT_TRUE(res.buffer_id().has_value());
    uring::buffer_lease lease = br->lease(*res.buffer_id(), static_cast<std::size_t>(res.res));
    EXPECT_EQ(std::string_view(reinterpret_cast<const char *>(lease.data().data()), lease.size()), "abc");
    EXPECT_EQ(br->leased(), 1u);
    EXPECT_EQ(br->available(), 3);
    lease.reset();
    EXPECT_EQ(br->leased(), 0u);
    EXPECT_EQ(br->available(), 4);
}

} // namespace
