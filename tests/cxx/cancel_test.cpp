// Cancellation and lifetimes: stop_token, coroutines destroyed while an
// operation is in flight, and loops/rings destroyed with work in flight. In
// every case the kernel must be done with a request before the memory it
// points to goes away; the tests check that the request really ended (the
// data it would have consumed is still there) and run clean under ASan.
#include "cxx_test_util.h"

#include <array>
#include <memory>
#include <stop_token>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;
using cxx_test::ms_since;

// A recv into a buffer in the coroutine frame, with an optional stop token.
uring::task<int> recv_into_frame(uring::event_loop &loop, uring::fd sock, std::stop_token stop = {})
{
    std::array<char, 64> buf{};
    uring::io_result r = co_await loop.run(uring::recv{sock, buf}, std::move(stop));
    co_return r.res;
}

uring::task<void> stop_after(uring::event_loop &loop, std::stop_source &src, std::chrono::milliseconds d)
{
    co_await loop.sleep_for(d);
    src.request_stop();
}

// The bytes still readable from sock right now.
std::string pending_data(int sock)
{
    std::array<char, 64> buf{};
    ssize_t n = cxx_test::read_now(sock, buf.data(), buf.size());
    return n > 0 ? std::string(buf.data(), static_cast<std::size_t>(n)) : std::string();
}

TEST(Cancel, StopTokenCancelsAnOperationInFlight)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    int result = 1;
    loop.spawn([](uring::event_loop &l, uring::fd s, std::stop_token st, int &out) -> uring::task<void> {
        out = co_await recv_into_frame(l, s, st);
    }(loop, pair.a.borrow(), stop.get_token(), result));
    loop.spawn(stop_after(loop, stop, 10ms));
    auto t0 = std::chrono::steady_clock::now();
    loop.run();
    EXPECT_EQ(result, -ECANCELED);
    EXPECT_LT(ms_since(t0), 2000.0);
    EXPECT_EQ(loop.in_flight(), 0u);
    // The cancelled recv took nothing: data sent now is still there.
    ASSERT_EQ(::send(pair.b.get(), "later", 5, 0), 5);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(pending_data(pair.a.get()), "later");
}

TEST(Cancel, StopRequestedBeforeSubmissionSubmitsNothing)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    stop.request_stop();
    auto t = [&]() -> uring::task<int> {
        int r = co_await recv_into_frame(loop, pair.a.borrow(), stop.get_token());
        co_return r;
    };
    EXPECT_EQ(loop.block_on(t()), -ECANCELED);
    EXPECT_EQ(loop.get_ring().sq_ready(), 0u); // not even prepared
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Cancel, StopAfterCompletionChangesNothing)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    ASSERT_EQ(::send(pair.b.get(), "now", 3, 0), 3);
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    auto t = [&]() -> uring::task<int> {
        int r = co_await recv_into_frame(loop, pair.a.borrow(), stop.get_token());
        stop.request_stop(); // too late to matter
        co_return r;
    };
    EXPECT_EQ(loop.block_on(t()), 3);
}

TEST(Cancel, StopFromAnotherThread)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    std::jthread other([&stop] {
        std::this_thread::sleep_for(20ms);
        stop.request_stop(); // io_uring_register_sync_cancel from this thread
    });
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(loop.block_on(recv_into_frame(loop, pair.a.borrow(), stop.get_token())), -ECANCELED);
    EXPECT_GE(ms_since(t0), 15.0);
}

TEST(Cancel, StopTokenCancelsAChain)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    std::stop_source stop;
    std::array<char, 8> buf{};
    std::array<uring::io_result, 2> res{};
    loop.spawn([](uring::event_loop &l, uring::fd s, std::span<char> b, std::stop_token st,
                  std::array<uring::io_result, 2> &out) -> uring::task<void> {
        out = co_await l.run_chain(st, uring::recv{s, b}, uring::nop{});
    }(loop, pair.a.borrow(), buf, stop.get_token(), res));
    loop.spawn(stop_after(loop, stop, 10ms));
    loop.run();
    EXPECT_EQ(res[0].res, -ECANCELED);
    EXPECT_EQ(res[1].res, -ECANCELED);
}

TEST(Cancel, DestroyingASuspendedTaskCancelsItsOperation)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    {
        uring::task<int> t = recv_into_frame(loop, pair.a.borrow());
        t.handle().resume(); // runs up to the co_await: the recv is in flight
        EXPECT_EQ(loop.in_flight(), 1u);
    } // frame destroyed here: cancel + wait for the CQE, then free the buffer
    EXPECT_EQ(loop.in_flight(), 0u);
    ASSERT_EQ(::send(pair.b.get(), "intact", 6, 0), 6);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(pending_data(pair.a.get()), "intact");
    // The loop carries on normally.
    EXPECT_EQ(loop.block_on([](uring::event_loop &l) -> uring::task<int> {
        uring::io_result r = co_await l.run(uring::nop{});
        co_return r.res;
    }(loop)), 0);
}

TEST(Cancel, DestroyingAParentDestroysTheChildAndItsOperation)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    bool child_cleaned_up = false;
    struct guard {
        bool *flag;
        ~guard() { *flag = true; }
    };
    auto child = [](uring::event_loop &l, uring::fd s, bool *flag) -> uring::task<int> {
        guard g{flag};
        auto buf = std::make_unique<std::array<char, 32>>(); // heap memory the kernel would write
        uring::io_result r = co_await l.run(uring::recv{s, *buf});
        co_return r.res;
    };
    auto parent = [&]() -> uring::task<int> { co_return co_await child(loop, pair.a.borrow(), &child_cleaned_up); };
    {
        uring::task<int> t = parent();
        t.handle().resume();
        EXPECT_EQ(loop.in_flight(), 1u);
    }
    EXPECT_TRUE(child_cleaned_up);
    EXPECT_EQ(loop.in_flight(), 0u);
    ASSERT_EQ(::send(pair.b.get(), "x", 1, 0), 1);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(pending_data(pair.a.get()), "x");
}

TEST(Cancel, DestroyingASuspendedChainWaitsForAllLinks)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::event_loop loop(make_ring());
    {
        auto t = [](uring::event_loop &l, uring::fd s) -> uring::task<void> {
            std::array<char, 8> buf{};
            uring::link_timeout lt{10s};
            co_await l.run_chain(uring::recv{s, buf}, uring::with_data(lt, 0u));
        }(loop, pair.a.borrow());
        t.handle().resume();
        EXPECT_EQ(loop.in_flight(), 2u);
    }
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Cancel, DestroyingATaskWithAPendingTimeout)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    auto t0 = std::chrono::steady_clock::now();
    {
        auto t = [](uring::event_loop &l) -> uring::task<void> { co_await l.sleep_for(10s); }(loop);
        t.handle().resume();
        EXPECT_EQ(loop.in_flight(), 1u);
    }
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_LT(ms_since(t0), 2000.0);
}

TEST(Cancel, LoopDestroyedWithWorkInFlight)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    bool spawned_cleaned_up = false;
    struct guard {
        bool *flag;
        ~guard() { *flag = true; }
    };
    // A task the test owns, suspended in a recv when the loop goes.
    uring::task<int> owned;
    std::stop_source stop;
    auto t0 = std::chrono::steady_clock::now();
    {
        uring::event_loop loop(make_ring());
        loop.spawn([](uring::event_loop &l, bool *flag) -> uring::task<void> {
            guard g{flag};
            co_await l.sleep_for(10s);
        }(loop, &spawned_cleaned_up));
        owned = recv_into_frame(loop, pair.a.borrow(), stop.get_token());
        owned.handle().resume();
        EXPECT_EQ(loop.in_flight(), 2u);
    } // cancels both, waits for both, destroys the spawned task, closes the ring
    EXPECT_LT(ms_since(t0), 2000.0);
    EXPECT_TRUE(spawned_cleaned_up);
    EXPECT_FALSE(owned.done()); // never resumed ...
    stop.request_stop();        // its stop callback has nothing left to do ...
    owned = {};                 // ... and it is safe to destroy after the loop
    ASSERT_EQ(::send(pair.b.get(), "still here", 10, 0), 10);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(pending_data(pair.a.get()), "still here");
}

TEST(Cancel, LoopOnABorrowedRingLeavesNothingBehind)
{
    cxx_test::watchdog wd;
    auto pair = cxx_test::make_tcp_pair();
    uring::ring r = make_ring();
    {
        uring::event_loop loop(r);
        loop.spawn([](uring::event_loop &l, uring::fd s) -> uring::task<void> {
            co_await recv_into_frame(l, s);
        }(loop, pair.a.borrow()));
        EXPECT_EQ(loop.in_flight(), 1u);
    }
    // The ring is idle and clean: the next CQE is ours.
    EXPECT_EQ(r.cq_ready(), 0u);
    r.prepare(uring::with_data(uring::nop{}, 77u));
    ASSERT_TRUE(r.submit());
    auto [ud, res] = cxx_test::next_cqe(r);
    EXPECT_EQ(ud, 77u);
    EXPECT_EQ(r.cq_ready(), 0u);
}

} // namespace
