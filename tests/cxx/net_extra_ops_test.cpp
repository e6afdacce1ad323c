// More socket operations on loopback: sendto over UDP, socket_direct and
// socket_direct_alloc (sockets straight into the registered file table),
// and multishot recvmsg, on a bare ring and as a recvmsg_stream whose
// received_message items expose the source address, control data and
// payload.
#include "cxx_test_util.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

sockaddr_in loopback_any_port()
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// A UDP socket bound to 127.0.0.1 on a free port; `addr` is its address.
uring::unique_fd bound_udp(sockaddr_in &addr)
{
    uring::unique_fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    addr = loopback_any_port();
    socklen_t len = sizeof addr;
    if (::bind(s.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::getsockname(s.get(), reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        ADD_FAILURE() << "UDP socket setup failed";
    return s;
}

std::string as_string(std::span<const std::byte> b)
{
    return std::string(reinterpret_cast<const char *>(b.data()), b.size());
}

// ---- sendto -------------------------------------------------------------

TEST(DatagramOps, SendtoReachesTheAddressedSocket)
{
    static_assert(uring::sendto::opcode == IORING_OP_SEND);
    cxx_test::watchdog wd;
    sockaddr_in rx_addr, tx_addr;
    uring::unique_fd rx = bound_udp(rx_addr), tx = bound_udp(tx_addr);
    uring::event_loop loop(make_ring());
    std::string_view msg = "datagram via sendto";
    uring::io_result r = cxx_test::await1(loop, uring::sendto{tx, msg, rx_addr});
    ASSERT_EQ(r.res, static_cast<int>(msg.size())) << r.error().message();

    std::array<char, 64> buf{};
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    ASSERT_EQ(::recvfrom(rx.get(), buf.data(), buf.size(), 0, reinterpret_cast<sockaddr *>(&from), &from_len),
              static_cast<ssize_t>(msg.size()));
    EXPECT_EQ(std::string_view(buf.data(), msg.size()), msg);
    EXPECT_EQ(from.sin_port, tx_addr.sin_port); // it came from tx

    // Without an address an unconnected UDP socket has nowhere to send.
    uring::io_result none = cxx_test::await1(loop, uring::send{tx, msg});
    EXPECT_EQ(none.res, -EDESTADDRREQ);
}

// ---- socket_direct ------------------------------------------------------

// Connects the fixed socket to a listener through the ring and checks the
// connection carries data both ways.
uring::task<std::string> talk_through(uring::event_loop &loop, uring::fixed_file sock, const sockaddr_in &addr,
                                      int listener)
{
    uring::io_result c = co_await loop.run(uring::connect{sock, addr});
    if (!c)
        co_return "connect: " + c.error().message();
    uring::unique_fd peer(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    uring::io_result s = co_await loop.run(uring::send{sock, std::string_view("hello")});
    if (s.res != 5)
        co_return "send: " + std::to_string(s.res);
    std::string got = cxx_test::read_exactly(peer.get(), 5);
    co_return got;
}

TEST(SocketDirect, IntoAChosenSlot)
{
    static_assert(uring::socket_direct::opcode == IORING_OP_SOCKET);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    ASSERT_TRUE(loop.get_ring().register_files_sparse(4));
    const int fds_before = cxx_test::open_fd_count();
    uring::io_result r = cxx_test::await1(loop, uring::socket_direct{AF_INET, SOCK_STREAM, 0, 2});
    ASSERT_EQ(r.res, 0) << r.error().message();
    EXPECT_EQ(cxx_test::open_fd_count(), fds_before); // no descriptor, only the slot
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    EXPECT_EQ(loop.block_on(talk_through(loop, uring::fixed_file{2}, addr, listener.get())), "hello");
    // The slot is taken now.
    EXPECT_EQ(cxx_test::await1(loop, uring::socket_direct{AF_INET, SOCK_STREAM, 0, 9}).res, -EINVAL);
}

TEST(SocketDirect, AllocPicksAFreeSlot)
{
    static_assert(uring::socket_direct_alloc::opcode == IORING_OP_SOCKET);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    ASSERT_TRUE(loop.get_ring().register_files_sparse(2));
    uring::io_result a = cxx_test::await1(loop, uring::socket_direct_alloc{AF_INET, SOCK_STREAM});
    uring::io_result b = cxx_test::await1(loop, uring::socket_direct_alloc{AF_INET, SOCK_STREAM});
    ASSERT_GE(a.res, 0) << a.error().message();
    ASSERT_GE(b.res, 0) << b.error().message();
    EXPECT_NE(a.res, b.res);
    EXPECT_LT(a.res, 2);
    EXPECT_LT(b.res, 2);
    // The table is full.
    EXPECT_EQ(cxx_test::await1(loop, uring::socket_direct_alloc{AF_INET, SOCK_STREAM}).res, -ENFILE);
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    EXPECT_EQ(loop.block_on(talk_through(loop, uring::fixed_file{b.value()}, addr, listener.get())), "hello");
}

// ---- multishot recvmsg --------------------------------------------------

TEST(RecvmsgMultishot, OnABareRing)
{
    static_assert(uring::recvmsg_multishot::opcode == IORING_OP_RECVMSG &&
                  uring::multishot_v<uring::recvmsg_multishot>);
    uring::ring r = make_ring();
    sockaddr_in rx_addr, tx_addr;
    uring::unique_fd rx = bound_udp(rx_addr), tx = bound_udp(tx_addr);
    auto br = uring::buffer_ring::create(r.native_handle(), 4, 4, 256);
    ASSERT_TRUE(br) << br.error().message();
    msghdr layout{};
    layout.msg_namelen = sizeof(sockaddr_in);
    io_uring_sqe *sqe = r.prepare(uring::with_data(uring::recvmsg_multishot{rx, &layout, 4}, 3u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_TRUE(sqe->ioprio & IORING_RECV_MULTISHOT);
    EXPECT_TRUE(sqe->flags & IOSQE_BUFFER_SELECT);
    ASSERT_TRUE(r.submit());
    for (std::string_view m : {"one", "two!"}) {
        ASSERT_EQ(::sendto(tx.get(), m.data(), m.size(), 0, reinterpret_cast<sockaddr *>(&rx_addr), sizeof rx_addr),
                  static_cast<ssize_t>(m.size()));
        auto [ud, res] = cxx_test::next_cqe(r);
        EXPECT_EQ(ud, 3u);
        ASSERT_GT(res.res, 0) << res.error().message();
        EXPECT_TRUE(res.more());
        ASSERT_TRUE(res.buffer_id().has_value());
        uring::received_message msg(br->lease(*res.buffer_id(), static_cast<std::size_t>(res.res)), layout);
        ASSERT_TRUE(msg.valid());
        EXPECT_EQ(as_string(msg.payload()), m);
        EXPECT_EQ(msg.payload_length(), m.size());
        EXPECT_FALSE(msg.truncated());
        sockaddr_in from{};
        ASSERT_TRUE(msg.name_as(from));
        EXPECT_EQ(msg.name_length(), sizeof(sockaddr_in));
        EXPECT_EQ(from.sin_port, tx_addr.sin_port);
        EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    }
    EXPECT_EQ(br->leased(), 0u); // each message gave its buffer back
    ASSERT_TRUE(r.prepare(uring::cancel::by_raw_data(3)));
    ASSERT_TRUE(r.submit());
    for (int i = 0; i < 2; ++i)
        (void)cxx_test::next_cqe(r);
}

struct datagram {
    std::string payload;
    sockaddr_in from{};
    bool truncated = false;
    std::uint32_t length = 0;
    int pktinfo_ifindex = -1;
    in_addr pktinfo_dst{};
};

TEST(RecvmsgStream, YieldsEachDatagramWithItsSource)
{
    cxx_test::watchdog wd;
    sockaddr_in rx_addr, tx1_addr, tx2_addr;
    uring::unique_fd rx = bound_udp(rx_addr), tx1 = bound_udp(tx1_addr), tx2 = bound_udp(tx2_addr);
    uring::event_loop loop(make_ring());
    // 16 (header) + 16 (sockaddr_in) + 32 payload bytes per buffer.
    auto br = loop.make_buffer_ring(5, 8, sizeof(io_uring_recvmsg_out) + sizeof(sockaddr_in) + 32);
    ASSERT_TRUE(br) << br.error().message();
    uring::buffer_ring &buffers = **br;
    auto send = [&](int from, std::string_view m) {
        ASSERT_EQ(::sendto(from, m.data(), m.size(), 0, reinterpret_cast<sockaddr *>(&rx_addr), sizeof rx_addr),
                  static_cast<ssize_t>(m.size()));
    };
    send(tx1.get(), "first");
    send(tx2.get(), "second");
    send(tx1.get(), std::string(50, 'L')); // larger than the 32-byte payload room

    auto t = [&]() -> uring::task<std::vector<datagram>> {
        std::vector<datagram> got;
        uring::recvmsg_stream stream(loop, rx, buffers, uring::recvmsg_layout{sizeof(sockaddr_in)});
        for (int i = 0; i < 3; ++i) {
            std::optional<uring::received_message> m = co_await stream.next();
            if (!m)
                break;
            datagram d;
            d.payload = as_string(m->payload());
            (void)m->name_as(d.from);
            d.truncated = m->truncated();
            d.length = m->payload_length();
            EXPECT_EQ(buffers.leased(), 1u); // the item holds its buffer
            got.push_back(d);
        }
        EXPECT_EQ(buffers.leased(), 0u);
        co_return got;
    };
    std::vector<datagram> got = loop.block_on(t());
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].payload, "first");
    EXPECT_EQ(got[0].from.sin_port, tx1_addr.sin_port);
    EXPECT_EQ(got[1].payload, "second");
    EXPECT_EQ(got[1].from.sin_port, tx2_addr.sin_port);
    EXPECT_EQ(got[2].payload, std::string(32, 'L'));
    EXPECT_TRUE(got[2].truncated); // MSG_TRUNC
    EXPECT_EQ(got[2].length, 32u);  // what recvmsg read
    EXPECT_EQ(loop.in_flight(), 0u); // the stream cancelled its request when it went
}

TEST(RecvmsgStream, MsgTruncReportsTheRealLength)
{
    cxx_test::watchdog wd;
    sockaddr_in rx_addr, tx_addr;
    uring::unique_fd rx = bound_udp(rx_addr), tx = bound_udp(tx_addr);
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(9, 2, sizeof(io_uring_recvmsg_out) + 8);
    ASSERT_TRUE(br) << br.error().message();
    std::string big(100, 'B');
    ASSERT_EQ(::sendto(tx.get(), big.data(), big.size(), 0, reinterpret_cast<sockaddr *>(&rx_addr), sizeof rx_addr),
              100);
    auto t = [&]() -> uring::task<datagram> {
        datagram d;
        // No name area, MSG_TRUNC: payloadlen is the datagram's length.
        uring::recvmsg_stream stream(loop, rx, **br, uring::recvmsg_layout{0, 0, MSG_TRUNC});
        std::optional<uring::received_message> m = co_await stream.next();
        if (!m)
            co_return d;
        EXPECT_TRUE(m->name().empty());
        d.payload = as_string(m->payload());
        d.truncated = m->truncated();
        d.length = m->payload_length();
        co_return d;
    };
    datagram d = loop.block_on(t());
    EXPECT_EQ(d.payload, std::string(8, 'B'));
    EXPECT_TRUE(d.truncated);
    EXPECT_EQ(d.length, 100u);
}

TEST(RecvmsgStream, ControlMessagesAreParsed)
{
    cxx_test::watchdog wd;
    sockaddr_in rx_addr, tx_addr;
    uring::unique_fd rx = bound_udp(rx_addr), tx = bound_udp(tx_addr);
    int one = 1;
    ASSERT_EQ(::setsockopt(rx.get(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one), 0);
    uring::event_loop loop(make_ring());
    constexpr socklen_t control = CMSG_SPACE(sizeof(in_pktinfo));
    auto br = loop.make_buffer_ring(6, 4, 256);
    ASSERT_TRUE(br) << br.error().message();
    ASSERT_EQ(::sendto(tx.get(), "pkt", 3, 0, reinterpret_cast<sockaddr *>(&rx_addr), sizeof rx_addr), 3);

    auto t = [&]() -> uring::task<datagram> {
        datagram d;
        uring::recvmsg_stream stream(loop, rx, **br, uring::recvmsg_layout{sizeof(sockaddr_in), control});
        std::optional<uring::received_message> m = co_await stream.next();
        if (!m)
            co_return d;
        d.payload = as_string(m->payload());
        EXPECT_EQ(m->control().size(), control);
        for (const cmsghdr *c = m->first_control_message(); c; c = m->next_control_message(c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                in_pktinfo info;
                std::memcpy(&info, CMSG_DATA(c), sizeof info);
                d.pktinfo_ifindex = info.ipi_ifindex;
                d.pktinfo_dst = info.ipi_addr;
            }
        }
        co_return d;
    };
    datagram d = loop.block_on(t());
    EXPECT_EQ(d.payload, "pkt");
    EXPECT_GT(d.pktinfo_ifindex, 0); // the loopback interface
    EXPECT_EQ(d.pktinfo_dst.s_addr, htonl(INADDR_LOOPBACK));
}

TEST(RecvmsgStream, TcpEofEndsTheStream)
{
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(7, 4, 128);
    ASSERT_TRUE(br) << br.error().message();
    ASSERT_EQ(::send(p.b.get(), "stream data", 11, 0), 11);
    ASSERT_EQ(::shutdown(p.b.get(), SHUT_WR), 0);
    auto t = [&]() -> uring::task<std::string> {
        std::string all;
        uring::recvmsg_stream stream(loop, p.a, **br, uring::recvmsg_layout{0});
        while (std::optional<uring::received_message> m = co_await stream.next())
            all += as_string(m->payload());
        EXPECT_TRUE(stream.ended());
        EXPECT_FALSE(stream.error()) << stream.error().message(); // EOF, not an error
        co_return all;
    };
    EXPECT_EQ(loop.block_on(t()), "stream data");
    EXPECT_EQ((*br)->leased(), 0u);
    EXPECT_EQ((*br)->available(), 4); // the EOF message's buffer went back too
}

TEST(RecvmsgStream, StopEndsTheStream)
{
    cxx_test::watchdog wd;
    sockaddr_in rx_addr;
    uring::unique_fd rx = bound_udp(rx_addr);
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(8, 4, 256);
    ASSERT_TRUE(br) << br.error().message();
    std::stop_source stop;
    loop.spawn([](uring::event_loop &l, std::stop_source &s) -> uring::task<void> {
        co_await l.sleep_for(10ms);
        s.request_stop();
    }(loop, stop));
    auto t = [&]() -> uring::task<bool> {
        uring::recvmsg_stream stream(loop, rx, **br, stop.get_token());
        std::optional<uring::received_message> m = co_await stream.next();
        EXPECT_EQ(stream.error(), std::errc::operation_canceled);
        co_return m.has_value();
    };
    EXPECT_FALSE(loop.block_on(t()));
    EXPECT_EQ(loop.in_flight(), 0u);
}

} // namespace
