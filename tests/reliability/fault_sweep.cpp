// The sweep driver and the process-wide fault-point totals.
#include "fault_sweep.h"

#include "submitted.h"

#include <cstdio>
#include <map>

namespace reliability {
namespace {

struct Totals {
    unsigned long points = 0;
    unsigned long injections = 0;
    std::map<std::string, unsigned long> per_scenario;
};

Totals &totals()
{
    static Totals t;
    return t;
}

// Prints and records the totals once every test has run.
class TotalsReporter : public ::testing::Environment {
public:
    void TearDown() override
    {
        const Totals &t = totals();
        std::printf("[reliability] fault points covered: %lu (%lu injections, %zu scenarios, %zu errnos each)\n",
                    t.points, t.injections, t.per_scenario.size(), std::size(kInjectedErrnos));
        ::testing::Test::RecordProperty("fault_points_total", std::to_string(t.points));
        ::testing::Test::RecordProperty("fault_injections_total", std::to_string(t.injections));
    }
};

[[maybe_unused]] ::testing::Environment *const g_reporter =
    ::testing::AddGlobalTestEnvironment(new TotalsReporter);

struct Footprint {
    int fds;
    int maps;
};

Footprint footprint()
{
    return {bareuring_test::count_open_fds(), bareuring_test::count_mappings()};
}

std::string errno_name(int err)
{
    switch (err) {
    case ENOMEM: return "ENOMEM";
    case EINVAL: return "EINVAL";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    default: return std::to_string(err);
    }
}

// One run of the scenario with the seam armed at `point` (0 = unarmed).
// Returns the number of seam calls the run made. A warm-up run skips the
// footprint check: the first use of a code path may legitimately grow the
// process for good (a sanitizer allocator mapping its first chunk of a size
// class, say), which is not a leak of the library's.
unsigned long run_once(Scenario &s, unsigned long point, int err, bool warm_up = false)
{
    const Footprint before = footprint();
    s.prepare();
    if (::testing::Test::HasFatalFailure())
        return 0;

    bareuring_fault_arm(point, err);
    const long ret = s.call();
    const unsigned long calls = bareuring_fault_calls();
    bareuring_fault_arm(0, 0);

    if (point == 0) {
        s.on_success(ret);
    } else {
        const long want = s.expected(point, err);
        if (ret == want) {
            s.on_failure(point, err);
        } else if (ret >= 0 && s.may_recover(point, err)) {
            s.on_success(ret);
        } else {
            ADD_FAILURE() << s.name << ": seam call " << point << " failing with -" << errno_name(err)
                          << ": returned " << ret << ", expected " << want;
        }
        EXPECT_GE(calls, point) << s.name << ": the armed fault never fired";
    }
    s.release();
    if (warm_up)
        return calls;

    const Footprint after = footprint();
    EXPECT_EQ(after.fds, before.fds) << s.name << ": fd leaked (point " << point << ", "
                                     << errno_name(err) << ")";
    EXPECT_EQ(after.maps, before.maps) << s.name << ": mapping leaked (point " << point << ", "
                                       << errno_name(err) << ")";
    return calls;
}

} // namespace

void add_to_totals(const std::string &scenario, unsigned long points, unsigned long injections)
{
    Totals &t = totals();
    t.points += points;
    t.injections += injections;
    t.per_scenario[scenario] += points;
}

void sweep(Scenario &s)
{
    run_once(s, 0, 0, true);
    if (::testing::Test::HasFatalFailure())
        return;
    // Unarmed: counts the seam calls of a successful run.
    const unsigned long count = run_once(s, 0, 0);
    if (::testing::Test::HasFatalFailure())
        return;
    ASSERT_GE(count, 1u) << s.name << ": makes no system call, nothing to sweep";

    unsigned long injections = 0;
    for (unsigned long point = 1; point <= count; ++point) {
        for (int err : kInjectedErrnos) {
            SCOPED_TRACE(s.name + ": seam call " + std::to_string(point) + "/" + std::to_string(count) +
                         " fails with -" + errno_name(err));
            run_once(s, point, err);
            ++injections;
            if (::testing::Test::HasFatalFailure())
                return;
        }
    }
    add_to_totals(s.name, count, injections);
    std::printf("[fault] %-48s %lu points x %zu errnos\n", s.name.c_str(), count, std::size(kInjectedErrnos));
    ::testing::Test::RecordProperty("fault_points", std::to_string(count));
}

Scenario on_ring(RingFx &fx, unsigned flags, Scenario s)
{
    auto prepare = s.prepare;
    auto release = s.release;
    s.prepare = [&fx, flags, prepare] {
        ASSERT_EQ(io_uring_queue_init(8, &fx.ring, flags), 0);
        fx.live = true;
        prepare();
    };
    s.release = [&fx, release] {
        release();
        if (fx.live)
            io_uring_queue_exit(&fx.ring);
        fx.live = false;
    };
    return s;
}

void expect_nop_roundtrip(io_uring *ring, __u64 user_data)
{
    io_uring_sqe *sqe = next_sqe(ring);
    ASSERT_NE(sqe, nullptr) << "no SQE free";
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, user_data);
    ASSERT_TRUE(SubmittedOk(ring, io_uring_submit(ring), 1));
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqe(ring, &cqe), 0);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, user_data);
    EXPECT_EQ(cqe->res, 0);
    io_uring_cqe_seen(ring, cqe);
    EXPECT_EQ(io_uring_cq_ready(ring), 0u);
}

void expect_idle(io_uring *ring)
{
    EXPECT_EQ(io_uring_sq_ready(ring), 0u);
    EXPECT_EQ(io_uring_cq_ready(ring), 0u);
}

} // namespace reliability
