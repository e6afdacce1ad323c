// Load: one ring per thread, one thread pinned to every online CPU, all
// pushing NOPs through an overflowing CQ at the same time. Rings are
// independent, so each thread's accounting must come out exactly as on a
// single thread. Default 200k NOPs per thread, BAREURING_LOAD=full 2M.
#include "load_driver.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Worker {
    int cpu = -1;
    bool pinned = false;
    std::string setup_error;
    reliability::LoadStats stats;
};

void run_worker(Worker *w, std::uint64_t n, unsigned flags)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(w->cpu, &set);
    w->pinned = pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;

    io_uring ring;
    io_uring_params p{};
    p.flags = IORING_SETUP_CQSIZE | flags;
    p.cq_entries = 64;
    int ret = io_uring_queue_init_params(64, &ring, &p);
    if (ret < 0) {
        w->setup_error = "io_uring_queue_init_params: " + std::to_string(ret);
        return;
    }
    w->stats = reliability::run_load(&ring, n, reliability::nop_ops(), 4, 0x1234567ull + w->cpu);
    io_uring_queue_exit(&ring);
}

void run_on_every_cpu(unsigned flags, const char *label)
{
    const std::uint64_t n = reliability::load_size(5000, 200000, 2000000);
    cpu_set_t online;
    ASSERT_EQ(sched_getaffinity(0, sizeof online, &online), 0);
    std::vector<Worker> workers;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
        if (CPU_ISSET(cpu, &online))
            workers.push_back(Worker{cpu, false, {}, {}});
    ASSERT_FALSE(workers.empty());

    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (Worker &w : workers)
        threads.emplace_back(run_worker, &w, n, flags);
    for (std::thread &t : threads)
        t.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::uint64_t total = 0;
    for (const Worker &w : workers) {
        EXPECT_TRUE(w.pinned) << "could not pin a thread to CPU " << w.cpu;
        EXPECT_EQ(w.setup_error, "") << "CPU " << w.cpu;
        EXPECT_EQ(w.stats.error, "") << "CPU " << w.cpu;
        EXPECT_EQ(w.stats.completed, n) << "CPU " << w.cpu;
        EXPECT_GT(w.stats.overflow_rounds, 0u) << "CPU " << w.cpu << " never overflowed its CQ";
        total += w.stats.completed;
    }
    std::printf("[load] %s: %zu threads x %llu NOPs = %llu in %.2f s (%.2f M/s)\n", label, workers.size(),
                static_cast<unsigned long long>(n), static_cast<unsigned long long>(total), secs,
                total / secs / 1e6);
}

TEST(ThreadLoad, OneRingPerThreadOnEveryCpu) { run_on_every_cpu(0, "ring per thread"); }

// SINGLE_ISSUER + DEFER_TASKRUN rings belong to the thread that created
// them: each thread creates and drives its own.
TEST(ThreadLoad, OneDeferTaskrunRingPerThreadOnEveryCpu)
{
    run_on_every_cpu(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN ring per thread");
}

} // namespace
