// Multishot accept/recv/read as async generators: items in order, MORE
// followed, re-arming, ending (EOF, error, stop), and the return of every
// provided buffer, including when a stream is abandoned mid-way.
#include "cxx_test_util.h"

#include <array>
#include <cstring>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

std::string text(const uring::buffer_lease &l)
{
    return std::string(reinterpret_cast<const char *>(l.data().data()), l.size());
}

uring::task<void> send_later(uring::event_loop &loop, int fd, std::string data, std::chrono::milliseconds d)
{
    co_await loop.sleep_for(d);
    uring::io_result r = co_await loop.run(uring::send{uring::fd{fd}, std::string_view(data)});
    EXPECT_EQ(r.res, static_cast<int>(data.size()));
}

TEST(Multishot, AcceptStreamYieldsEveryConnection)
{
    cxx_test::watchdog wd;
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    uring::accept_stream conns(loop, listener, stop.get_token());
    EXPECT_FALSE(conns.armed()); // nothing happens before the first next()

    std::vector<uring::unique_fd> clients;
    auto t = [&]() -> uring::task<int> {
        int n = 0;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(cxx_test::connect_to(addr));
            std::optional<uring::unique_fd> c = co_await conns.next();
            if (!c || !c->valid())
                co_return -1;
            ++n;
            // One request serves every connection (IORING_CQE_F_MORE).
            EXPECT_TRUE(conns.armed());
            EXPECT_EQ(loop.in_flight(), 1u);
        }
        stop.request_stop();
        std::optional<uring::unique_fd> end = co_await conns.next();
        if (end)
            co_return -2;
        co_return n;
    };
    EXPECT_EQ(loop.block_on(t()), 3);
    EXPECT_TRUE(conns.ended());
    EXPECT_EQ(conns.error(), std::errc::operation_canceled);
    EXPECT_FALSE(conns.armed());
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Multishot, AbandonedAcceptStreamClosesConnectionsNobodyTook)
{
    cxx_test::watchdog wd;
    sockaddr_in addr;
    uring::unique_fd listener = cxx_test::make_listener(addr);
    uring::event_loop loop(make_ring());
    const int before = cxx_test::open_fd_count();
    std::vector<uring::unique_fd> clients;
    {
        uring::accept_stream conns(loop, listener);
        auto t = [&]() -> uring::task<void> {
            clients.push_back(cxx_test::connect_to(addr));
            std::optional<uring::unique_fd> first = co_await conns.next();
            EXPECT_TRUE(first.has_value());
            // Two more arrive while nobody asks for them ...
            clients.push_back(cxx_test::connect_to(addr));
            clients.push_back(cxx_test::connect_to(addr));
            co_await loop.sleep_for(20ms);
        };
        loop.block_on(t());
        EXPECT_EQ(cxx_test::open_fd_count(), before + 3 + 2); // clients + queued accepts
    } // ... and are closed with the stream.
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(cxx_test::open_fd_count(), before + 3);
}

TEST(Multishot, RecvStreamLeasesBuffersAndReturnsThem)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(7, 8, 64);
    ASSERT_TRUE(br) << br.error().message();
    uring::buffer_ring &buffers = **br;

    loop.spawn(send_later(loop, pair.b.get(), "first", 5ms));
    loop.spawn(send_later(loop, pair.b.get(), "second", 30ms));
    auto t = [&]() -> uring::task<std::vector<std::string>> {
        std::vector<std::string> got;
        uring::recv_stream chunks(loop, pair.a, buffers);
        std::optional<uring::buffer_lease> a = co_await chunks.next();
        if (!a)
            co_return got;
        got.push_back(text(*a));
        EXPECT_EQ(buffers.leased(), 1u);
        std::optional<uring::buffer_lease> b = co_await chunks.next();
        if (!b)
            co_return got;
        got.push_back(text(*b));
        EXPECT_EQ(buffers.leased(), 2u);
        EXPECT_NE(a->id(), b->id());
        a.reset();
        EXPECT_EQ(buffers.leased(), 1u);
        ::shutdown(pair.b.get(), SHUT_WR);
        std::optional<uring::buffer_lease> eof = co_await chunks.next();
        EXPECT_FALSE(eof.has_value());
        EXPECT_TRUE(chunks.ended());
        EXPECT_FALSE(chunks.error()); // EOF, not an error
        co_return got;
    };
    EXPECT_EQ(loop.block_on(t()), (std::vector<std::string>{"first", "second"}));
    EXPECT_EQ(buffers.leased(), 0u);
    EXPECT_EQ(buffers.available(), 8);
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Multishot, RecvStreamRearmsWhenTheKernelRunsOutOfBuffers)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(1, 2, 16); // 32 bytes of buffers in all
    ASSERT_TRUE(br);
    std::string sent;
    for (int i = 0; i < 100; ++i)
        sent += static_cast<char>('a' + i % 26);
    ASSERT_EQ(::send(pair.b.get(), sent.data(), sent.size(), 0), 100);
    ::shutdown(pair.b.get(), SHUT_WR);
    auto t = [&]() -> uring::task<std::string> {
        std::string got;
        uring::recv_stream chunks(loop, pair.a, **br);
        for (;;) {
            std::optional<uring::buffer_lease> c = co_await chunks.next();
            if (!c)
                break;
            got += text(*c); // the lease ends here, so buffers come back
        }
        EXPECT_FALSE(chunks.error()) << chunks.error().message();
        co_return got;
    };
    EXPECT_EQ(loop.block_on(t()), sent);
    EXPECT_EQ((*br)->available(), 2);
}

TEST(Multishot, RecvStreamEndsWithENOBUFSWhenEveryBufferIsHeld)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(1, 2, 8);
    ASSERT_TRUE(br);
    ASSERT_EQ(::send(pair.b.get(), "0123456789abcdefXYZ", 19, 0), 19);
    auto t = [&]() -> uring::task<std::error_code> {
        uring::recv_stream chunks(loop, pair.a, **br);
        std::optional<uring::buffer_lease> a = co_await chunks.next();
        std::optional<uring::buffer_lease> b = co_await chunks.next();
        EXPECT_TRUE(a && b);
        // Both buffers are held here, so the stream cannot go on.
        std::optional<uring::buffer_lease> c = co_await chunks.next();
        EXPECT_FALSE(c.has_value());
        co_return chunks.error();
    };
    EXPECT_EQ(loop.block_on(t()), std::errc::no_buffer_space);
    EXPECT_EQ((*br)->leased(), 0u);
    EXPECT_EQ((*br)->available(), 2);
    // The unread rest is still in the socket.
    char rest[8];
    EXPECT_EQ(cxx_test::read_now(pair.a.get(), rest, sizeof rest), 3);
}

TEST(Multishot, AbandonedRecvStreamReturnsEveryBuffer)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(2, 8, 32);
    ASSERT_TRUE(br);
    uring::buffer_ring &buffers = **br;
    std::optional<uring::buffer_lease> kept;
    {
        // A reader that takes one chunk, keeps it, and then sleeps while
        // more chunks queue up in its stream; it is destroyed mid-sleep.
        auto reader = [](uring::event_loop &l, uring::fd s, uring::buffer_ring &b,
                         std::optional<uring::buffer_lease> &keep) -> uring::task<void> {
            uring::recv_stream chunks(l, s, b);
            keep = co_await chunks.next();
            co_await l.sleep_for(10s);
            std::optional<uring::buffer_lease> never = co_await chunks.next();
            ADD_FAILURE() << "the reader was resumed";
        };
        uring::task<void> t = reader(loop, pair.a.borrow(), buffers, kept);
        t.handle().resume(); // armed, waiting for the first chunk
        ASSERT_EQ(::send(pair.b.get(), "one", 3, 0), 3);
        while (!kept)
            ASSERT_TRUE(loop.run_once());
        EXPECT_EQ(text(*kept), "one");
        for (const char *msg : {"two", "three"}) {
            ASSERT_GT(::send(pair.b.get(), msg, std::strlen(msg), 0), 0);
            std::this_thread::sleep_for(3ms);
        }
        loop.poll(); // the chunks land in the stream's queue
        EXPECT_LE(buffers.available(), 6); // "one" + at least one queued chunk
        EXPECT_EQ(buffers.leased(), 1u);
        EXPECT_EQ(loop.in_flight(), 2u); // the stream and the sleep
    } // the reader (and its stream) destroyed mid-stream
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(buffers.leased(), 1u);    // only ours
    EXPECT_EQ(buffers.available(), 7); // queued chunks went back
    EXPECT_EQ(text(*kept), "one");      // still readable (ASan checks)
    kept.reset();
    EXPECT_EQ(buffers.available(), 8);
}

TEST(Multishot, StopTokenEndsARecvStream)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    auto br = loop.make_buffer_ring(4, 4, 32);
    ASSERT_TRUE(br);
    std::stop_source stop;
    loop.spawn([](uring::event_loop &l, std::stop_source &s) -> uring::task<void> {
        co_await l.sleep_for(15ms);
        s.request_stop();
    }(loop, stop));
    auto t = [&]() -> uring::task<std::error_code> {
        uring::recv_stream chunks(loop, pair.a, **br, stop.get_token());
        std::optional<uring::buffer_lease> c = co_await chunks.next();
        EXPECT_FALSE(c.has_value());
        co_return chunks.error();
    };
    EXPECT_EQ(loop.block_on(t()), std::errc::operation_canceled);
    loop.run();
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Multishot, ReadStreamFromAPipe)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    if (!loop.get_ring().supports<uring::read_multishot>())
        GTEST_SKIP() << "IORING_OP_READ_MULTISHOT is not supported by this kernel";
    auto br = loop.make_buffer_ring(5, 4, 64);
    ASSERT_TRUE(br);
    auto p = cxx_test::make_pipe();
    auto writer = [](uring::event_loop &l, uring::unique_fd &w) -> uring::task<void> {
        for (std::string_view s : {"alpha", "beta", "gamma"}) {
            co_await l.sleep_for(5ms);
            co_await l.run(uring::write{w, s});
        }
        w.reset(); // EOF for the reader
    };
    loop.spawn(writer(loop, p.write_end));
    auto t = [&]() -> uring::task<std::string> {
        std::string got;
        uring::read_stream chunks(loop, p.read_end, **br);
        for (;;) {
            std::optional<uring::buffer_lease> c = co_await chunks.next();
            if (!c)
                break;
            got += text(*c) + ",";
        }
        EXPECT_FALSE(chunks.error()) << chunks.error().message();
        co_return got;
    };
    EXPECT_EQ(loop.block_on(t()), "alpha,beta,gamma,");
    EXPECT_EQ((*br)->available(), 4);
}

TEST(Multishot, LeaseMayOutliveItsBufferRing)
{
    cxx_test::watchdog wd;
    uring::ring r = make_ring();
    auto pair = cxx_test::make_tcp_pair();
    uring::buffer_lease lease;
    {
        auto br = uring::buffer_ring::create(r.native_handle(), 9, 2, 16);
        ASSERT_TRUE(br) << br.error().message();
        r.prepare(uring::recv_multishot{pair.a, 9});
        ASSERT_TRUE(r.submit());
        ASSERT_EQ(::send(pair.b.get(), "kept", 4, 0), 4);
        auto [ud, res] = cxx_test::next_cqe(r);
        ASSERT_EQ(res.res, 4);
        lease = br->lease(*res.buffer_id(), 4);
        EXPECT_EQ(cxx_test::run1(r, uring::cancel::any()).res, 1);
        cxx_test::next_cqe(r); // the recv's final CQE
    }
    // The buffer memory lives as long as the lease (ASan would object).
    EXPECT_EQ(text(lease), "kept");
    lease.reset();
    EXPECT_FALSE(lease);
}

} // namespace
