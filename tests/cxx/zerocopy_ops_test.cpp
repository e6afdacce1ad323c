// Zero-copy sends over loopback TCP: send_zc, send_zc_fixed, sendmsg_zc,
// sendmsg_zc_fixed. Each posts a result CQE (flagged MORE) and then a
// notification (F_NOTIF); through the event loop, co_await must yield the
// result and resume only after the notification, also inside a chain, on
// cancellation and when the awaiting coroutine is destroyed.
#include "cxx_test_util.h"

#include <sys/uio.h>

#include <array>
#include <coroutine>
#include <cstring>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

std::vector<char> pattern(std::size_t n)
{
    std::vector<char> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<char>('a' + i % 26);
    return v;
}

struct send_outcome {
    uring::io_result result;
    std::size_t in_flight_after = ~std::size_t{0};
};

// Wraps loop.run(op)'s awaiter and notes, at the moment the coroutine
// resumes (before the awaiter is destroyed, which would otherwise wait for a
// missing notification by itself), how many requests are still in flight.
template <class Inner>
struct resume_probe {
    Inner inner;
    uring::event_loop *loop;

    bool await_ready() const noexcept { return inner.await_ready(); }
    bool await_suspend(std::coroutine_handle<> h) noexcept { return inner.await_suspend(h); }
    send_outcome await_resume() noexcept
    {
        uring::io_result r = inner.await_resume();
        return {r, loop->in_flight()};
    }
};

// (Built by a function: GCC 12 destroys the members of a brace-initialised
// aggregate temporary in a co_await expression twice.)
template <class Op>
resume_probe<uring::op_awaiter<Op>> run_probed(uring::event_loop &loop, Op op, std::stop_token stop = {})
{
    return {loop.run(std::move(op), std::move(stop)), &loop};
}

// co_awaits a zero-copy op whose buffer lives in the coroutine frame.
template <class MakeOp>
uring::task<send_outcome> send_from_frame(uring::event_loop &loop, std::size_t n, MakeOp make)
{
    std::vector<char> payload = pattern(n); // freed when the coroutine ends
    send_outcome out = co_await run_probed(loop, make(payload));
    co_return out;
}

TEST(ZeroCopyOps, SendZcYieldsTheResultOnlyAfterTheNotification)
{
    static_assert(uring::send_zc::opcode == IORING_OP_SEND_ZC);
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc);
    constexpr std::size_t n = 32 * 1024;
    uring::fd sock = p.a.borrow();
    send_outcome o = loop.block_on(send_from_frame(loop, n, [sock](std::vector<char> &buf) {
        return uring::send_zc{sock, buf};
    }));
    // The send's own result, not the notification's (whose res is 0) ...
    EXPECT_EQ(o.result.res, static_cast<int>(n)) << o.result.error().message();
    EXPECT_TRUE(o.result.more());
    EXPECT_FALSE(o.result.flags & IORING_CQE_F_NOTIF);
    // ... and the notification had been consumed when the coroutine resumed.
    EXPECT_EQ(o.in_flight_after, 0u);
    std::vector<char> expect = pattern(n);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), n), std::string(expect.begin(), expect.end()));
}

TEST(ZeroCopyOps, RingSeesTheResultThenTheNotification)
{
    uring::ring r = make_ring();
    CXX_SKIP_UNLESS_SUPPORTED(r, uring::send_zc);
    auto p = cxx_test::make_tcp_pair();
    std::string_view data = "zero-copy on a bare ring";
    ASSERT_NE(r.prepare(uring::send_zc{p.a, data, MSG_NOSIGNAL, IORING_SEND_ZC_REPORT_USAGE}, uring::user_data(9u)),
              nullptr);
    ASSERT_TRUE(r.submit());
    auto [ud1, first] = cxx_test::next_cqe(r);
    EXPECT_EQ(ud1, 9u);
    EXPECT_EQ(first.res, static_cast<int>(data.size()));
    EXPECT_TRUE(first.more());
    EXPECT_FALSE(first.flags & IORING_CQE_F_NOTIF);
    auto [ud2, notif] = cxx_test::next_cqe(r);
    EXPECT_EQ(ud2, 9u);
    EXPECT_TRUE(notif.flags & IORING_CQE_F_NOTIF);
    EXPECT_FALSE(notif.more());
    // REPORT_USAGE: res is 0 or the "copied" bit, nothing else.
    EXPECT_EQ(static_cast<std::uint32_t>(notif.res) & ~IORING_NOTIF_USAGE_ZC_COPIED, 0u);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), data.size()), data);
}

TEST(ZeroCopyOps, SendZcOnAFixedFile)
{
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc);
    int fds[] = {p.a.get()};
    ASSERT_TRUE(loop.get_ring().register_files(fds));
    std::string_view data = "through slot 0";
    uring::io_result r = cxx_test::await1(loop, uring::send_zc{uring::fixed_file{0}, data});
    EXPECT_EQ(r.res, static_cast<int>(data.size())) << r.error().message();
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), data.size()), data);
}

TEST(ZeroCopyOps, SendZcFixedFromARegisteredBuffer)
{
    static_assert(uring::send_zc_fixed::opcode == IORING_OP_SEND_ZC);
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc_fixed);
    std::vector<char> registered = pattern(8192);
    iovec iov{registered.data(), registered.size()};
    auto reg = loop.get_ring().register_buffers(std::span<const iovec>(&iov, 1));
    ASSERT_TRUE(reg) << reg.error().message();
    // A slice from the middle of registered buffer 0.
    std::span<const char> slice = std::span<const char>(registered).subspan(1000, 3000);
    uring::io_result r = cxx_test::await1(loop, uring::send_zc_fixed{p.a, slice, 0});
    EXPECT_EQ(r.res, 3000) << r.error().message();
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), 3000), std::string(slice.begin(), slice.end()));
    // A buffer index that is not registered fails (and posts one CQE).
    uring::io_result bad = cxx_test::await1(loop, uring::send_zc_fixed{p.a, slice, 5});
    EXPECT_EQ(bad.res, -EFAULT);
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(ZeroCopyOps, SendmsgZcGathersItsIovecs)
{
    static_assert(uring::sendmsg_zc::opcode == IORING_OP_SENDMSG_ZC);
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::sendmsg_zc);
    uring::fd sock = p.a.borrow();
    auto t = [](uring::event_loop &l, uring::fd s) -> uring::task<send_outcome> {
        char head[] = "head:", body[] = "zero-copy body";
        iovec iov[] = {{head, 5}, {body, 14}};
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = 2;
        send_outcome out = co_await run_probed(l, uring::sendmsg_zc{s, &msg});
        co_return out;
    };
    send_outcome o = loop.block_on(t(loop, sock));
    EXPECT_EQ(o.result.res, 19) << o.result.error().message();
    EXPECT_EQ(o.in_flight_after, 0u);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), 19), "head:zero-copy body");
}

TEST(ZeroCopyOps, SendmsgZcFixedFromARegisteredBuffer)
{
    static_assert(uring::sendmsg_zc_fixed::opcode == IORING_OP_SENDMSG_ZC);
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::sendmsg_zc_fixed);
    std::vector<char> registered = pattern(4096);
    iovec reg_iov{registered.data(), registered.size()};
    ASSERT_TRUE(loop.get_ring().register_buffers(std::span<const iovec>(&reg_iov, 1)));
    // Two pieces of registered buffer 0, sent in reverse order.
    iovec iov[] = {{registered.data() + 100, 10}, {registered.data() + 10, 5}};
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    uring::io_result r = cxx_test::await1(loop, uring::sendmsg_zc_fixed{p.a, &msg, 0});
    if (r.res == -EINVAL)
        GTEST_SKIP() << "SENDMSG_ZC with IORING_RECVSEND_FIXED_BUF answers EINVAL: this kernel lacks vectored "
                        "registered-buffer sends (Linux 6.15)";
    EXPECT_EQ(r.res, 15) << r.error().message();
    EXPECT_EQ(loop.in_flight(), 0u);
    std::string expect = std::string(registered.data() + 100, 10) + std::string(registered.data() + 10, 5);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), 15), expect);
}

TEST(ZeroCopyOps, SendZcInsideAChain)
{
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc);
    auto t = [](uring::event_loop &l, uring::fd s) -> uring::task<std::array<uring::io_result, 3>> {
        std::string first = "first|", second = "second";
        std::array<uring::io_result, 3> out =
            co_await l.run_chain(uring::send_zc{s, std::string_view(first)},
                                 uring::send_zc{s, std::string_view(second)}, uring::nop{});
        EXPECT_EQ(l.in_flight(), 0u); // both notifications came before resuming
        co_return out;
    };
    std::array<uring::io_result, 3> res = loop.block_on(t(loop, p.a.borrow()));
    EXPECT_EQ(res[0].res, 6);
    EXPECT_EQ(res[1].res, 6);
    EXPECT_EQ(res[2].res, 0);
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), 12), "first|second");
}

TEST(ZeroCopyOps, StopTokenCancelsABlockedSendZc)
{
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    std::size_t queued = cxx_test::stall_tcp(p.a.get(), p.b.get());
    ASSERT_GT(queued, 0u);
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc);
    std::stop_source stop;
    send_outcome o{};
    loop.spawn([](uring::event_loop &l, uring::fd s, std::stop_token st, send_outcome &out) -> uring::task<void> {
        std::vector<char> payload = pattern(256 * 1024);
        out = co_await run_probed(l, uring::send_zc{s, payload}, st);
    }(loop, p.a.borrow(), stop.get_token(), o));
    loop.spawn([](uring::event_loop &l, std::stop_source &src) -> uring::task<void> {
        co_await l.sleep_for(20ms);
        src.request_stop();
    }(loop, stop));
    loop.run();
    EXPECT_EQ(o.result.res, -ECANCELED);
    EXPECT_EQ(o.in_flight_after, 0u);
    EXPECT_EQ(loop.in_flight(), 0u);
    // Only the bytes queued before are there: the cancelled send sent none.
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), queued), std::string(queued, 'f'));
    char extra;
    EXPECT_LT(cxx_test::read_now(p.b.get(), &extra, 1), 1);
}

TEST(ZeroCopyOps, DestroyingASuspendedSendZcWaitsForItsLastCqe)
{
    cxx_test::watchdog wd;
    auto p = cxx_test::make_tcp_pair();
    std::size_t queued = cxx_test::stall_tcp(p.a.get(), p.b.get());
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::send_zc);
    {
        uring::task<send_outcome> t = send_from_frame(loop, 256 * 1024, [&p](std::vector<char> &buf) {
            return uring::send_zc{p.a, buf};
        });
        t.handle().resume(); // up to the co_await
        loop.poll();         // submitted: it waits for room in the socket
        EXPECT_EQ(loop.in_flight(), 1u);
    } // cancel, then wait for the result and the notification
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(loop.get_ring().cq_ready(), 0u); // no stray notification left behind
    EXPECT_EQ(cxx_test::read_exactly(p.b.get(), queued), std::string(queued, 'f'));
    // The loop carries on.
    EXPECT_EQ(cxx_test::await1(loop, uring::nop{}).res, 0);
}

} // namespace
