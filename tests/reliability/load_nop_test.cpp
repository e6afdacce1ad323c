// Load: millions of NOPs through a CQ smaller than what is in flight, so
// that the kernel's overflow list and the library's overflow flushing are
// exercised on every round. Every user_data must complete exactly once and
// no CQE may be dropped. Default 1M NOPs per ring shape; BAREURING_LOAD=full
// runs 10M.
#include "load_driver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ostream>

namespace {

using reliability::load_size;
using reliability::LoadStats;

struct Shape {
    const char *name;
    unsigned flags;
};

// Without it gtest prints the parameter's raw bytes, padding included.
void PrintTo(const Shape &s, std::ostream *os) { *os << s.name; }

class NopLoad : public ::testing::TestWithParam<Shape> {};

TEST_P(NopLoad, EveryUserDataCompletesExactlyOnceThroughOverflow)
{
    const std::uint64_t n = load_size(20000, 1000000, 10000000);
    io_uring ring;
    io_uring_params p{};
    // 128 SQ entries, 128 CQ entries, up to 4 SQ-fulls in flight: three
    // quarters of a full round overflow.
    p.flags = IORING_SETUP_CQSIZE | GetParam().flags;
    p.cq_entries = 128;
    ASSERT_EQ(io_uring_queue_init_params(128, &ring, &p), 0);
    ASSERT_EQ(ring.cq.ring_entries, 128u);

    const auto t0 = std::chrono::steady_clock::now();
    LoadStats st = reliability::run_load(&ring, n, reliability::nop_ops(), 4, 0x9e3779b97f4a7c15ull);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    io_uring_queue_exit(&ring);

    EXPECT_EQ(st.error, "");
    EXPECT_EQ(st.completed, n);
    EXPECT_GT(st.max_in_flight, 128u) << "never had more in flight than the CQ holds";
    EXPECT_GT(st.overflow_rounds, 0u) << "the CQ never overflowed: the test did not test overflow";
    std::printf("[load] %s: %llu NOPs in %.2f s (%.2f M/s), max in flight %llu, overflow seen in %llu reap rounds, "
                "%llu -EBUSY retries\n",
                GetParam().name, static_cast<unsigned long long>(st.completed), secs, st.completed / secs / 1e6,
                static_cast<unsigned long long>(st.max_in_flight),
                static_cast<unsigned long long>(st.overflow_rounds),
                static_cast<unsigned long long>(st.busy_retries));
    RecordProperty("nops", std::to_string(st.completed));
}

INSTANTIATE_TEST_SUITE_P(Shapes, NopLoad,
                         ::testing::Values(Shape{"Default", 0},
                                           Shape{"DeferTaskrun",
                                                 IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER}),
                         [](const auto &info) { return std::string(info.param.name); });

} // namespace
