// task<T> and event_loop: running operations from coroutines, nesting,
// spawning, when_all, chains and sleeps.
//
// Note: co_await never appears directly in an if/while condition here (GCC
// 12.2 miscompiles that; see docs/cpp-api.md).
#include "cxx_test_util.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;
using cxx_test::ms_since;

uring::task<int> forty_two()
{
    co_return 42;
}

uring::task<int> add_nop(uring::event_loop &loop, int x)
{
    uring::io_result r = co_await loop.run(uring::nop{});
    co_return x + r.res + 1;
}

TEST(Task, BlockOnReturnsTheValue)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    EXPECT_EQ(loop.block_on(forty_two()), 42);
    EXPECT_EQ(loop.block_on(add_nop(loop, 1)), 2);
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Task, LazyUntilAwaited)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    bool ran = false;
    auto t = [](bool &flag) -> uring::task<void> {
        flag = true;
        co_return;
    }(ran);
    EXPECT_FALSE(ran);
    EXPECT_FALSE(t.done());
    loop.block_on(std::move(t));
    EXPECT_TRUE(ran);
}

uring::task<long> sum_to(int n)
{
    long total = 0;
    for (int i = 1; i <= n; ++i)
        total += co_await [](int v) -> uring::task<int> { co_return v; }(i);
    co_return total;
}

TEST(Task, DeepSynchronousNestingDoesNotGrowTheStack)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    // 200000 awaited tasks that finish without suspending: symmetric
    // transfer keeps the stack flat. It can only do that where the compiler
    // turns the transfer into a tail call; GCC does not under ASan or TSan
    // (and TSan's per-call bookkeeping makes the long chain slower than the
    // watchdog allows), so sanitizer builds check the same chain at a depth
    // that fits the stack and the time.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CXX_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CXX_TEST_SANITIZED 1
#endif
#endif
#ifdef CXX_TEST_SANITIZED
    constexpr int depth = 2000;
#else
    constexpr int depth = 200000;
#endif
    EXPECT_EQ(loop.block_on(sum_to(depth)), long{depth} * (depth + 1) / 2);
}

uring::task<std::string> read_file(uring::event_loop &loop, uring::fd file)
{
    std::array<char, 64> buf{};
    uring::io_result r = co_await loop.run(uring::read{file, buf, 0});
    if (!r)
        co_return "error: " + r.error().message();
    co_return std::string(buf.data(), r.value());
}

TEST(Task, RunYieldsTheResult)
{
    cxx_test::watchdog wd;
    bareuring_test::TempDir dir;
    uring::unique_fd f(dir.create("x"));
    ASSERT_EQ(::pwrite(f.get(), "coroutine", 9, 0), 9);
    uring::event_loop loop(make_ring());
    EXPECT_EQ(loop.block_on(read_file(loop, f.borrow())), "coroutine");
    EXPECT_EQ(loop.block_on(read_file(loop, uring::fd{-1})), "error: " + std::make_error_code(std::errc::bad_file_descriptor).message());
}

TEST(Task, SpawnedTasksRunConcurrently)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    int done = 0;
    auto sleeper = [](uring::event_loop &l, int &d) -> uring::task<void> {
        bool full = co_await l.sleep_for(100ms);
        d += full;
    };
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i)
        loop.spawn(sleeper(loop, done));
    EXPECT_EQ(loop.in_flight(), 5u); // all started, none finished
    loop.run();
    EXPECT_EQ(done, 5);
    EXPECT_GE(ms_since(t0), 99.0);
    EXPECT_LT(ms_since(t0), 450.0); // overlapped: one after another would take 500
}

TEST(Task, WhenAllWaitsForEveryTask)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    std::vector<int> finished;
    auto sleeper = [](uring::event_loop &l, std::vector<int> &out, int ms) -> uring::task<void> {
        co_await l.sleep_for(std::chrono::milliseconds(ms));
        out.push_back(ms);
    };
    auto all = [&]() -> uring::task<int> {
        std::vector<uring::task<void>> ts;
        for (int ms : {30, 10, 20})
            ts.push_back(sleeper(loop, finished, ms));
        ts.push_back([]() -> uring::task<void> { co_return; }()); // finishes at once
        co_await uring::when_all(ts);
        co_return static_cast<int>(finished.size());
    };
    EXPECT_EQ(loop.block_on(all()), 3);
    EXPECT_EQ(finished, (std::vector<int>{10, 20, 30}));
    // An empty set is ready at once.
    auto none = []() -> uring::task<int> {
        std::vector<uring::task<void>> empty;
        co_await uring::when_all(empty);
        co_return 1;
    };
    EXPECT_EQ(loop.block_on(none()), 1);
}

TEST(Task, RunChainLinksAndReturnsEveryResult)
{
    cxx_test::watchdog wd;
    bareuring_test::TempDir dir;
    uring::unique_fd f(dir.create("x"));
    uring::event_loop loop(make_ring());
    auto t = [&]() -> uring::task<std::string> {
        std::array<char, 5> in{};
        auto [w, s, r] = co_await loop.run_chain(uring::write{f, std::string_view("chain"), 0}, uring::fsync{f},
                                                 uring::read{f, in, 0});
        if (w.res != 5 || s.res != 0 || r.res != 5)
            co_return "bad results";
        co_return std::string(in.data(), 5);
    };
    EXPECT_EQ(loop.block_on(t()), "chain");
    // A failure cancels the rest.
    auto bad = [&]() -> uring::task<std::array<uring::io_result, 2>> {
        co_return co_await loop.run_chain(uring::fsync{uring::fd{-1}}, uring::nop{});
    };
    auto res = loop.block_on(bad());
    EXPECT_EQ(res[0].res, -EBADF);
    EXPECT_EQ(res[1].res, -ECANCELED);
}

TEST(Task, SleepForReportsWhetherItSleptFully)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    auto t0 = std::chrono::steady_clock::now();
    auto t = [&]() -> uring::task<bool> { co_return co_await loop.sleep_for(20ms); };
    EXPECT_TRUE(loop.block_on(t()));
    EXPECT_GE(ms_since(t0), 19.0);
}

TEST(Task, SuppressedCompletionsAreStillDelivered)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    // IOSQE_CQE_SKIP_SUCCESS would leave the awaiter waiting forever; the
    // loop clears it.
    auto t = [&]() -> uring::task<int> {
        uring::io_result r = co_await loop.run(uring::with_flags(uring::nop{}, IOSQE_CQE_SKIP_SUCCESS));
        co_return r.res;
    };
    EXPECT_EQ(loop.block_on(t()), 0);
}

TEST(Task, MoreOperationsThanSqEntries)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring(4));
    int done = 0;
    for (int i = 0; i < 100; ++i)
        loop.spawn([](uring::event_loop &l, int &d) -> uring::task<void> {
            for (int k = 0; k < 3; ++k) {
                uring::io_result r = co_await l.run(uring::nop{});
                d += r.res == 0;
            }
        }(loop, done));
    loop.run();
    EXPECT_EQ(done, 300);
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Task, BorrowedRingOutlivesTheLoop)
{
    cxx_test::watchdog wd;
    uring::ring r = make_ring();
    {
        uring::event_loop loop(r);
        EXPECT_EQ(&loop.get_ring(), &r);
        EXPECT_EQ(loop.block_on(add_nop(loop, 5)), 6);
    }
    EXPECT_EQ(cxx_test::run1(r, uring::nop{}).res, 0);
}

TEST(Task, LoopOwnedBufferRing)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    auto a = loop.make_buffer_ring(1, 8, 128);
    ASSERT_TRUE(a) << a.error().message();
    auto b = loop.make_buffer_ring(2, 4, 64);
    ASSERT_TRUE(b) << b.error().message();
    EXPECT_EQ((*a)->group(), 1);
    EXPECT_EQ((*a)->entries(), 8u); // a stays valid after b was added
    EXPECT_EQ((*a)->available(), 8);
    EXPECT_EQ((*b)->buffer_size(), 64u);
    auto dup = loop.make_buffer_ring(1, 8, 128);
    EXPECT_FALSE(dup); // group 1 is taken
    EXPECT_FALSE(loop.make_buffer_ring(3, 3, 64)); // not a power of two
}

} // namespace
