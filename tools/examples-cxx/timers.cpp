// Timers with std::chrono on the event loop:
//   1. sleep_for: three sleepers run concurrently, so the total is the
//      longest, not the sum;
//   2. a deadline (steady_clock time point) as an absolute timeout;
//   3. link_timeout bounding a read from a pipe that never gets data;
//   4. a long sleep cancelled through a std::stop_token.
// Each step checks what it expects and the program exits non-zero if any
// check fails.
#include <uring/uring.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stop_token>
#include <vector>

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

int failures = 0;

void check(bool ok, const char *what)
{
    std::printf("  [%s] %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        ++failures;
}

long ms_since(clock_type::time_point t0)
{
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0).count());
}

uring::task<void> sleeper(uring::event_loop &loop, std::chrono::milliseconds d, int &finished)
{
    bool full = co_await loop.sleep_for(d);
    if (full)
        ++finished;
}

uring::task<void> demo(uring::event_loop &loop)
{
    std::printf("1. three concurrent sleeps of 50, 100 and 150 ms\n");
    auto t0 = clock_type::now();
    int finished = 0;
    std::vector<uring::task<void>> sleepers;
    for (auto d : {50ms, 100ms, 150ms})
        sleepers.push_back(sleeper(loop, d, finished));
    co_await uring::when_all(sleepers);
    long took = ms_since(t0);
    std::printf("  all done after %ld ms\n", took);
    // One after another they would take 300 ms.
    check(finished == 3 && took >= 150 && took < 280, "they overlapped");

    std::printf("2. absolute deadline 50 ms from now\n");
    t0 = clock_type::now();
    uring::io_result r = co_await loop.run(uring::timeout{t0 + 50ms});
    took = ms_since(t0);
    std::printf("  fired after %ld ms with %d\n", took, r.res);
    check(r.res == -ETIME && took >= 50, "fired at the deadline");

    std::printf("3. read from an idle pipe, bounded by a 40 ms link_timeout\n");
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) {
        check(false, "pipe2");
        co_return;
    }
    uring::unique_fd rd(p[0]), wr(p[1]);
    char byte;
    t0 = clock_type::now();
    auto [read_res, timeout_res] =
        co_await loop.run_chain(uring::read{rd, std::span(&byte, 1), uring::current_position},
                                uring::link_timeout{40ms});
    took = ms_since(t0);
    std::printf("  read: %d, link_timeout: %d after %ld ms\n", read_res.res, timeout_res.res, took);
    check(read_res.res == -ECANCELED && timeout_res.res == -ETIME, "the read was cut off");

    std::printf("4. a 10 s sleep stopped after 20 ms\n");
    std::stop_source stop;
    t0 = clock_type::now();
    std::vector<uring::task<void>> both;
    bool slept_fully = true;
    both.push_back([](uring::event_loop &l, std::stop_token st, bool &full) -> uring::task<void> {
        full = co_await l.sleep_for(10s, st);
    }(loop, stop.get_token(), slept_fully));
    both.push_back([](uring::event_loop &l, std::stop_source &src) -> uring::task<void> {
        co_await l.sleep_for(20ms);
        src.request_stop();
    }(loop, stop));
    co_await uring::when_all(both);
    took = ms_since(t0);
    std::printf("  woke after %ld ms\n", took);
    check(!slept_fully && took < 1000, "the stop request cancelled the sleep");
}

} // namespace

int main()
{
    auto ring = uring::ring::create();
    if (!ring) {
        std::fprintf(stderr, "ring: %s\n", ring.error().message().c_str());
        return 1;
    }
    uring::event_loop loop(std::move(*ring));
    loop.block_on(demo(loop));
    std::printf("%s\n", failures ? "some checks failed" : "all checks passed");
    return failures ? 1 : 0;
}
