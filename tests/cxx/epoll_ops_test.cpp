// epoll through the ring: epoll_ctl adds, modifies and removes interest
// (checked with plain epoll_wait), and epoll_wait reports ready descriptors
// to a coroutine.
#include "cxx_test_util.h"

#include <sys/epoll.h>

#include <array>
#include <stop_token>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

// Events ready on ep right now, with plain epoll_wait(2).
int ready_now(int ep, std::array<epoll_event, 4> &out)
{
    return ::epoll_wait(ep, out.data(), static_cast<int>(out.size()), 0);
}

TEST(EpollOps, CtlAddModifyDelete)
{
    static_assert(uring::epoll_ctl::opcode == IORING_OP_EPOLL_CTL && uring::embeds_kernel_data_v<uring::epoll_ctl>);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::epoll_ctl);
    uring::unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    ASSERT_TRUE(ep);
    auto pipe = cxx_test::make_pipe();
    ASSERT_EQ(::write(pipe.write_end.get(), "x", 1), 1); // readable from now on

    uring::io_result add = cxx_test::await1(
        loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_ADD, EPOLLIN, 0xfeed});
    ASSERT_EQ(add.res, 0) << add.error().message();
    std::array<epoll_event, 4> ev{};
    ASSERT_EQ(ready_now(ep.get(), ev), 1);
    EXPECT_TRUE(ev[0].events & EPOLLIN);
    EXPECT_EQ(ev[0].data.u64, 0xfeedu);

    // Adding the same descriptor twice is refused, as epoll_ctl(2) does.
    EXPECT_EQ(cxx_test::await1(loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_ADD, EPOLLIN})
                  .res,
              -EEXIST);

    // MOD to EPOLLOUT: a read end is never writable, so nothing is ready.
    EXPECT_EQ(cxx_test::await1(loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_MOD, EPOLLOUT, 1})
                  .res,
              0);
    EXPECT_EQ(ready_now(ep.get(), ev), 0);
    EXPECT_EQ(cxx_test::await1(loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_MOD, EPOLLIN, 2})
                  .res,
              0);
    ASSERT_EQ(ready_now(ep.get(), ev), 1);
    EXPECT_EQ(ev[0].data.u64, 2u);

    EXPECT_EQ(cxx_test::await1(loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_DEL}).res, 0);
    EXPECT_EQ(ready_now(ep.get(), ev), 0);
    EXPECT_EQ(cxx_test::await1(loop, uring::epoll_ctl{ep.borrow(), pipe.read_end.borrow(), EPOLL_CTL_DEL}).res,
              -ENOENT);
}

TEST(EpollOps, WaitReportsReadyDescriptors)
{
    static_assert(uring::epoll_wait::opcode == IORING_OP_EPOLL_WAIT);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::epoll_wait);
    uring::unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    auto p1 = cxx_test::make_pipe(), p2 = cxx_test::make_pipe();
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u64 = 1;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p1.read_end.get(), &e), 0);
    e.data.u64 = 2;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p2.read_end.get(), &e), 0);

    // Nothing is ready when the wait starts: it completes once p2 is written.
    auto waiter = [](uring::event_loop &l, uring::fd epfd) -> uring::task<std::pair<int, std::uint64_t>> {
        std::array<epoll_event, 8> events{};
        uring::io_result r = co_await l.run(uring::epoll_wait{epfd, events});
        co_return std::pair<int, std::uint64_t>{r.res, r.res > 0 ? events[0].data.u64 : 0};
    };
    loop.spawn([](uring::event_loop &l, int fd) -> uring::task<void> {
        co_await l.sleep_for(10ms);
        uring::io_result w = co_await l.run(uring::write{uring::fd{fd}, std::string_view("!")});
        EXPECT_EQ(w.res, 1);
    }(loop, p2.write_end.get()));
    auto [n, data] = loop.block_on(waiter(loop, ep.borrow()));
    EXPECT_EQ(n, 1);
    EXPECT_EQ(data, 2u);
}

TEST(EpollOps, WaitOnAFixedFileAndCancelled)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::epoll_wait);
    uring::unique_fd ep(::epoll_create1(EPOLL_CLOEXEC));
    auto p = cxx_test::make_pipe();
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u64 = 7;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p.read_end.get(), &e), 0);
    int fds[] = {ep.get()};
    ASSERT_TRUE(loop.get_ring().register_files(fds));

    std::array<epoll_event, 2> events{};
    // Nothing ready: a stop request ends the wait.
    std::stop_source stop;
    loop.spawn([](uring::event_loop &l, std::stop_source &s) -> uring::task<void> {
        co_await l.sleep_for(10ms);
        s.request_stop();
    }(loop, stop));
    auto wait = [](uring::event_loop &l, std::span<epoll_event> ev, std::stop_token st) -> uring::task<int> {
        uring::io_result r = co_await l.run(uring::epoll_wait{uring::fixed_file{0}, ev}, st);
        co_return r.res;
    };
    EXPECT_EQ(loop.block_on(wait(loop, events, stop.get_token())), -ECANCELED);
    // Ready: completes at once through the registered slot.
    ASSERT_EQ(::write(p.write_end.get(), "y", 1), 1);
    EXPECT_EQ(loop.block_on(wait(loop, events, {})), 1);
    EXPECT_EQ(events[0].data.u64, 7u);
    EXPECT_EQ(loop.in_flight(), 0u);
}

} // namespace
