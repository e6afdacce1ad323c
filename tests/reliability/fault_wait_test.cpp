// Fault sweep over the submit and wait paths. A failed io_uring_enter must
// lose nothing: SQEs that were flushed but not consumed are submitted by
// the next call, and every request completes exactly once afterwards.
#include "fault_sweep.h"

#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <set>

namespace {

using reliability::on_ring;
using reliability::RingFx;
using reliability::Scenario;
using reliability::sweep;

constexpr unsigned kDefer = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;

void queue_nops(io_uring *ring, unsigned n, __u64 first)
{
    for (unsigned i = 0; i < n; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(ring);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, first + i);
    }
}

// Reaps until every id in [first, first + n) was seen exactly once.
void reap_exactly(io_uring *ring, unsigned n, __u64 first)
{
    std::set<__u64> seen;
    while (seen.size() < n) {
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(ring, &cqe), 0);
        ASSERT_GE(cqe->user_data, first);
        ASSERT_LT(cqe->user_data, first + n);
        ASSERT_TRUE(seen.insert(cqe->user_data).second) << "user_data " << cqe->user_data << " completed twice";
        io_uring_cqe_seen(ring, cqe);
    }
    reliability::expect_idle(ring);
}

// Scenarios that submit `n` queued NOPs through `submit`: on failure the
// NOPs are still queued, and a plain io_uring_submit delivers them.
Scenario submit_scenario(const char *name, RingFx &fx, unsigned n, std::function<long()> submit)
{
    Scenario s;
    s.name = name;
    s.prepare = [&fx, n] { queue_nops(&fx.ring, n, 100); };
    s.call = std::move(submit);
    s.on_success = [&fx, n](long ret) {
        ASSERT_EQ(ret, static_cast<long>(n));
        reap_exactly(&fx.ring, n, 100);
    };
    s.on_failure = [&fx, n](unsigned long, int) {
        EXPECT_EQ(io_uring_cq_ready(&fx.ring), 0u) << "completions appeared without a submit";
        ASSERT_EQ(io_uring_submit(&fx.ring), static_cast<int>(n)) << "queued SQEs were lost";
        reap_exactly(&fx.ring, n, 100);
    };
    return s;
}

TEST(FaultWait, Submit)
{
    RingFx fx;
    Scenario s = on_ring(fx, 0, submit_scenario("io_uring_submit", fx, 4, [&] {
                             return static_cast<long>(io_uring_submit(&fx.ring));
                         }));
    sweep(s);
}

TEST(FaultWait, SubmitRegisteredRingFd)
{
    RingFx fx;
    Scenario inner = submit_scenario("io_uring_submit(registered ring fd)", fx, 4,
                                     [&] { return static_cast<long>(io_uring_submit(&fx.ring)); });
    auto queue = inner.prepare;
    inner.prepare = [&fx, queue] {
        ASSERT_EQ(io_uring_register_ring_fd(&fx.ring), 1);
        queue();
    };
    Scenario s = on_ring(fx, 0, inner);
    sweep(s);
}

TEST(FaultWait, SubmitAndWait)
{
    RingFx fx;
    Scenario s = on_ring(fx, 0, submit_scenario("io_uring_submit_and_wait", fx, 4, [&] {
                             return static_cast<long>(io_uring_submit_and_wait(&fx.ring, 4));
                         }));
    sweep(s);
}

TEST(FaultWait, SubmitAndGetEventsDeferTaskrun)
{
    RingFx fx;
    Scenario s = on_ring(fx, kDefer, submit_scenario("io_uring_submit_and_get_events(DEFER_TASKRUN)", fx, 4, [&] {
                             return static_cast<long>(io_uring_submit_and_get_events(&fx.ring));
                         }));
    sweep(s);
}

// submit_and_wait_timeout returns the submit count and the first CQE.
Scenario submit_wait_timeout_scenario(const char *name, RingFx &fx, bool min_timeout)
{
    Scenario s = submit_scenario(name, fx, 2, [&fx, min_timeout] {
        __kernel_timespec ts{30, 0};
        io_uring_cqe *cqe = nullptr;
        int ret = min_timeout ? io_uring_submit_and_wait_min_timeout(&fx.ring, &cqe, 2, &ts, 100, nullptr)
                              : io_uring_submit_and_wait_timeout(&fx.ring, &cqe, 2, &ts, nullptr);
        if (ret >= 0) {
            EXPECT_NE(cqe, nullptr);
        }
        return static_cast<long>(ret);
    });
    return on_ring(fx, 0, s);
}

TEST(FaultWait, SubmitAndWaitTimeout)
{
    RingFx fx;
    Scenario s = submit_wait_timeout_scenario("io_uring_submit_and_wait_timeout", fx, false);
    sweep(s);
}

TEST(FaultWait, SubmitAndWaitMinTimeout)
{
    RingFx fx;
    Scenario s = submit_wait_timeout_scenario("io_uring_submit_and_wait_min_timeout", fx, true);
    sweep(s);
}

// A completion that is ready but deferred: on a DEFER_TASKRUN ring a poll
// woken by a pipe write is posted only when the task enters the kernel
// with GETEVENTS. So each wait below finds no CQE, enters exactly once and
// returns the poll's CQE - no race with a timer. On failure the completion
// is still pending and a second wait gets it.
Scenario wait_for_deferred(const char *name, RingFx &fx, int *pfd, std::function<long(io_uring_cqe **)> wait)
{
    Scenario s;
    s.name = name;
    s.prepare = [&fx, pfd] {
        io_uring_sqe *sqe = io_uring_get_sqe(&fx.ring);
        io_uring_prep_poll_add(sqe, pfd[0], POLLIN);
        io_uring_sqe_set_data64(sqe, 0x71);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        ASSERT_EQ(::write(pfd[1], "x", 1), 1);
        ASSERT_EQ(io_uring_cq_ready(&fx.ring), 0u) << "completion not deferred";
    };
    s.call = [&fx, wait] {
        io_uring_cqe *cqe = nullptr;
        long ret = wait(&cqe);
        if (ret >= 0) {
            EXPECT_NE(cqe, nullptr);
            if (cqe) {
                EXPECT_EQ(cqe->user_data, 0x71u);
                EXPECT_TRUE(cqe->res & POLLIN);
                io_uring_cqe_seen(&fx.ring, cqe);
            }
        }
        return ret;
    };
    s.on_success = [&fx](long ret) {
        EXPECT_EQ(ret, 0);
        reliability::expect_idle(&fx.ring);
    };
    s.on_failure = [&fx](unsigned long, int) {
        EXPECT_EQ(io_uring_cq_ready(&fx.ring), 0u);
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&fx.ring, &cqe), 0);
        EXPECT_EQ(cqe->user_data, 0x71u);
        io_uring_cqe_seen(&fx.ring, cqe);
        reliability::expect_idle(&fx.ring);
    };
    s.release = [pfd] {
        char c;
        while (::read(pfd[0], &c, 1) > 0) {
        }
    };
    return on_ring(fx, kDefer, s);
}

// The pipe for wait_for_deferred, closed at scope exit.
struct WaitPipe {
    int fd[2] = {-1, -1};
    WaitPipe() { EXPECT_EQ(::pipe2(fd, O_CLOEXEC | O_NONBLOCK), 0); }
    ~WaitPipe()
    {
        ::close(fd[0]);
        ::close(fd[1]);
    }
};

TEST(FaultWait, WaitCqe)
{
    RingFx fx;
    WaitPipe p;
    Scenario s = wait_for_deferred("io_uring_wait_cqe (__io_uring_get_cqe)", fx, p.fd, [&](io_uring_cqe **c) {
        return static_cast<long>(io_uring_wait_cqe(&fx.ring, c));
    });
    sweep(s);
}

TEST(FaultWait, WaitCqeTimeout)
{
    RingFx fx;
    WaitPipe p;
    Scenario s = wait_for_deferred("io_uring_wait_cqe_timeout", fx, p.fd, [&](io_uring_cqe **c) {
        __kernel_timespec ts{30, 0};
        return static_cast<long>(io_uring_wait_cqe_timeout(&fx.ring, c, &ts));
    });
    sweep(s);
}

TEST(FaultWait, WaitCqesSigmask)
{
    RingFx fx;
    WaitPipe p;
    Scenario s = wait_for_deferred("io_uring_wait_cqes(ts, sigmask)", fx, p.fd, [&](io_uring_cqe **c) {
        __kernel_timespec ts{30, 0};
        sigset_t mask;
        sigemptyset(&mask);
        return static_cast<long>(io_uring_wait_cqes(&fx.ring, c, 1, &ts, &mask));
    });
    sweep(s);
}

TEST(FaultWait, WaitCqesMinTimeout)
{
    RingFx fx;
    WaitPipe p;
    Scenario s = wait_for_deferred("io_uring_wait_cqes_min_timeout", fx, p.fd, [&](io_uring_cqe **c) {
        __kernel_timespec ts{30, 0};
        return static_cast<long>(io_uring_wait_cqes_min_timeout(&fx.ring, c, 1, &ts, 100, nullptr));
    });
    sweep(s);
}

// Nothing in flight: the successful outcome is the timeout itself.
TEST(FaultWait, WaitCqeTimeoutExpires)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_wait_cqe_timeout(expiring)";
    s.call = [&] {
        __kernel_timespec ts{0, 1000000};
        io_uring_cqe *cqe = nullptr;
        return static_cast<long>(io_uring_wait_cqe_timeout(&fx.ring, &cqe, &ts));
    };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, -ETIME); };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&fx.ring, 77); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// Kernels before 5.11 (no IORING_FEAT_EXT_ARG) get the timeout as an
// internal TIMEOUT SQE. Clearing the feature bit in the struct drives that
// path on this kernel. Its internal CQE is consumed by the library; after
// a failure the queued timeout SQE is still pending, so the check only
// requires that teardown releases everything.
TEST(FaultWait, WaitCqeTimeoutWithoutExtArg)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_wait_cqe_timeout(no EXT_ARG: timeout SQE)";
    s.prepare = [&] { fx.ring.features &= ~IORING_FEAT_EXT_ARG; };
    s.call = [&] {
        __kernel_timespec ts{0, 1000000};
        io_uring_cqe *cqe = nullptr;
        int ret = io_uring_wait_cqe_timeout(&fx.ring, &cqe, &ts);
        // liburing's convention: the submit count of the first enter, or
        // -ETIME; either way no application CQE exists.
        if (ret >= 0) {
            EXPECT_EQ(cqe, nullptr);
        }
        return static_cast<long>(ret);
    };
    s.on_success = [&](long ret) { EXPECT_TRUE(ret == 1 || ret == -ETIME) << ret; };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(io_uring_sq_ready(&fx.ring), 1u) << "the internal timeout SQE should still be queued";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultWait, GetEvents)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_get_events";
    s.call = [&] { return static_cast<long>(io_uring_get_events(&fx.ring)); };
    s.on_success = [](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&fx.ring, 78); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// DEFER_TASKRUN: completions that come from task work (here a poll woken
// by a pipe write) are posted only inside io_uring_enter, so the CQE
// appears only through get_events.
TEST(FaultWait, GetEventsDeferTaskrun)
{
    RingFx fx;
    int pfd[2];
    ASSERT_EQ(::pipe2(pfd, O_CLOEXEC | O_NONBLOCK), 0);
    Scenario s;
    s.name = "io_uring_get_events(DEFER_TASKRUN)";
    s.prepare = [&] {
        io_uring_sqe *sqe = io_uring_get_sqe(&fx.ring);
        io_uring_prep_poll_add(sqe, pfd[0], POLLIN);
        io_uring_sqe_set_data64(sqe, 0x90);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        ASSERT_EQ(::write(pfd[1], "x", 1), 1);
        ASSERT_EQ(io_uring_cq_ready(&fx.ring), 0u) << "completion not deferred";
    };
    s.call = [&] { return static_cast<long>(io_uring_get_events(&fx.ring)); };
    auto reap_poll = [&] {
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&fx.ring, &cqe), 0);
        EXPECT_EQ(cqe->user_data, 0x90u);
        EXPECT_TRUE(cqe->res & POLLIN);
        io_uring_cqe_seen(&fx.ring, cqe);
        reliability::expect_idle(&fx.ring);
    };
    s.on_success = [&](long ret) {
        EXPECT_EQ(ret, 0);
        EXPECT_EQ(io_uring_cq_ready(&fx.ring), 1u);
        reap_poll();
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(io_uring_cq_ready(&fx.ring), 0u);
        reap_poll();
    };
    s.release = [&] {
        char c;
        while (::read(pfd[0], &c, 1) > 0) {
        }
    };
    Scenario r = on_ring(fx, kDefer, s);
    sweep(r);
    ::close(pfd[0]);
    ::close(pfd[1]);
}

// A ring with an 8-entry CQ; queue_init cannot ask for CQSIZE.
Scenario on_small_cq_ring(RingFx &fx, Scenario s)
{
    auto prepare = s.prepare;
    auto release = s.release;
    s.prepare = [&fx, prepare] {
        io_uring_params params{};
        params.flags = IORING_SETUP_CQSIZE;
        params.cq_entries = 8;
        ASSERT_EQ(io_uring_queue_init_params(8, &fx.ring, &params), 0);
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

// CQ overflow: 16 NOPs into an 8-entry CQ, 8 reaped; the other 8 wait in
// the kernel's overflow list. peek_batch_cqe flushes them with one
// get_events; if that fails it reports 0 and the CQEs are still there.
TEST(FaultWait, PeekBatchCqeFlushesOverflow)
{
    RingFx fx;
    io_uring_cqe *cqes[16];
    Scenario s;
    s.name = "io_uring_peek_batch_cqe(overflow flush)";
    s.prepare = [&] {
        queue_nops(&fx.ring, 8, 0);
        ASSERT_EQ(io_uring_submit(&fx.ring), 8);
        queue_nops(&fx.ring, 8, 8);
        ASSERT_EQ(io_uring_submit(&fx.ring), 8);
        ASSERT_TRUE(io_uring_cq_has_overflow(&fx.ring));
        unsigned n = io_uring_peek_batch_cqe(&fx.ring, cqes, 16);
        ASSERT_EQ(n, 8u);
        io_uring_cq_advance(&fx.ring, n);
        ASSERT_TRUE(io_uring_cq_has_overflow(&fx.ring));
    };
    s.call = [&] { return static_cast<long>(io_uring_peek_batch_cqe(&fx.ring, cqes, 16)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 8);
        for (long i = 0; i < ret; ++i) {
            EXPECT_EQ(cqes[i]->user_data, static_cast<__u64>(8 + i));
        }
        io_uring_cq_advance(&fx.ring, static_cast<unsigned>(ret));
        EXPECT_FALSE(io_uring_cq_has_overflow(&fx.ring));
    };
    // The flush error is swallowed: "no CQE yet" is the failure outcome.
    s.expected = [](unsigned long, int) { return 0L; };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_TRUE(io_uring_cq_has_overflow(&fx.ring));
        unsigned n = io_uring_peek_batch_cqe(&fx.ring, cqes, 16);
        ASSERT_EQ(n, 8u) << "overflowed CQEs lost";
        io_uring_cq_advance(&fx.ring, n);
    };
    Scenario r = on_small_cq_ring(fx, s);
    sweep(r);
}

TEST(FaultWait, PeekCqeFlushesOverflow)
{
    RingFx fx;
    io_uring_cqe *cqes[8];
    io_uring_cqe *cqe = nullptr;
    Scenario s;
    s.name = "io_uring_peek_cqe(overflow flush)";
    s.prepare = [&] {
        queue_nops(&fx.ring, 8, 0);
        ASSERT_EQ(io_uring_submit(&fx.ring), 8);
        queue_nops(&fx.ring, 1, 8);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        ASSERT_EQ(io_uring_peek_batch_cqe(&fx.ring, cqes, 8), 8u);
        io_uring_cq_advance(&fx.ring, 8);
        ASSERT_TRUE(io_uring_cq_has_overflow(&fx.ring));
    };
    s.call = [&] { return static_cast<long>(io_uring_peek_cqe(&fx.ring, &cqe)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(cqe->user_data, 8u);
        io_uring_cqe_seen(&fx.ring, cqe);
    };
    s.on_failure = [&](unsigned long, int) {
        ASSERT_EQ(io_uring_peek_cqe(&fx.ring, &cqe), 0) << "overflowed CQE lost";
        EXPECT_EQ(cqe->user_data, 8u);
        io_uring_cqe_seen(&fx.ring, cqe);
    };
    Scenario r = on_small_cq_ring(fx, s);
    sweep(r);
}

TEST(FaultWait, SqringWaitSqpoll)
{
    RingFx fx;
    Scenario s;
    s.name = "__io_uring_sqring_wait(SQPOLL)";
    s.call = [&] { return static_cast<long>(__io_uring_sqring_wait(&fx.ring)); };
    s.on_success = [](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&fx.ring, 79); };
    Scenario r = on_ring(fx, IORING_SETUP_SQPOLL, s);
    sweep(r);
}

// Registered wait arguments: a region holding io_uring_reg_wait slots,
// slot 0 a 1 ms timeout. Nothing in flight, so success is -ETIME.
TEST(FaultWait, SubmitAndWaitReg)
{
    RingFx fx;
    void *mem = nullptr;
    Scenario s;
    s.name = "io_uring_submit_and_wait_reg";
    s.prepare = [&] {
        mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
        ASSERT_NE(mem, MAP_FAILED);
        io_uring_region_desc rd{};
        rd.user_addr = reinterpret_cast<__u64>(mem);
        rd.size = 4096;
        rd.flags = IORING_MEM_REGION_TYPE_USER;
        io_uring_mem_region_reg mr{};
        mr.region_uptr = reinterpret_cast<__u64>(&rd);
        mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
        ASSERT_EQ(io_uring_register_region(&fx.ring, &mr), 0);
        ASSERT_EQ(io_uring_enable_rings(&fx.ring), 0);
        auto *waits = static_cast<io_uring_reg_wait *>(mem);
        waits[0].ts.tv_nsec = 1000000;
        waits[0].flags = IORING_REG_WAIT_TS;
    };
    s.call = [&] {
        io_uring_cqe *cqe = nullptr;
        return static_cast<long>(io_uring_submit_and_wait_reg(&fx.ring, &cqe, 1, 0));
    };
    s.on_success = [](long ret) { EXPECT_EQ(ret, -ETIME); };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&fx.ring, 80); };
    s.release = [&] {
        if (fx.live)
            io_uring_queue_exit(&fx.ring);
        fx.live = false;
        ::munmap(mem, 4096);
    };
    Scenario r = on_ring(fx, IORING_SETUP_R_DISABLED, s);
    sweep(r);
}

} // namespace
