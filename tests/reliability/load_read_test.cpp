// Load: file reads through a CQ smaller than what is in flight. A 1 MiB
// file holds 256 blocks of 4 KiB, block b filled with the 64-bit value b;
// read i fetches block i % 256 into buffer slot i % kSlots, and its
// completion must carry exactly that block. Default 100k reads,
// BAREURING_LOAD=full runs 1M.
#include "load_driver.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <vector>

namespace {

using bareuring_test::ScopedFd;
using bareuring_test::TempDir;

constexpr unsigned kBlock = 4096;
constexpr unsigned kBlocks = 256;
constexpr unsigned kEntries = 64; // SQ and CQ
constexpr unsigned kMaxBatches = 4;

TEST(ReadLoad, EveryReadCompletesOnceWithItsOwnBlock)
{
    const std::uint64_t n = reliability::load_size(5000, 100000, 1000000);
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    ScopedFd fd(dir.create("blocks"));
    ASSERT_GE(fd.get(), 0);
    std::vector<std::uint64_t> block(kBlock / 8);
    for (unsigned b = 0; b < kBlocks; ++b) {
        std::fill(block.begin(), block.end(), b);
        ASSERT_EQ(::pwrite(fd.get(), block.data(), kBlock, static_cast<off_t>(b) * kBlock), kBlock);
    }

    io_uring ring;
    io_uring_params p{};
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = kEntries;
    ASSERT_EQ(io_uring_queue_init_params(kEntries, &ring, &p), 0);

    // One 4 KiB buffer per request in flight; the driver keeps at most
    // kSlots in flight, and prep() double-checks that a slot is free.
    constexpr std::uint64_t kSlots = 1024;
    std::vector<std::uint64_t> buffers(kSlots * (kBlock / 8));
    std::vector<std::int64_t> owner(kSlots, -1);

    std::string slot_error;
    reliability::LoadOps ops;
    ops.prep = [&](io_uring_sqe *sqe, std::uint64_t id) {
        const std::uint64_t slot = id % kSlots;
        if (owner[slot] != -1 && slot_error.empty())
            slot_error = "slot " + std::to_string(slot) + " reused while read " + std::to_string(owner[slot]) +
                         " was in flight";
        owner[slot] = static_cast<std::int64_t>(id);
        std::uint64_t *buf = &buffers[slot * (kBlock / 8)];
        buf[0] = buf[kBlock / 8 - 1] = ~0ull; // stale until the read lands
        io_uring_prep_read(sqe, fd.get(), buf, kBlock, (id % kBlocks) * kBlock);
    };
    ops.check = [&](const io_uring_cqe *cqe, std::uint64_t id) -> std::string {
        const std::uint64_t slot = id % kSlots;
        owner[slot] = -1;
        if (cqe->res != static_cast<int>(kBlock))
            return "res " + std::to_string(cqe->res);
        const std::uint64_t *buf = &buffers[slot * (kBlock / 8)];
        const std::uint64_t want = id % kBlocks;
        for (unsigned w = 0; w < kBlock / 8; ++w)
            if (buf[w] != want)
                return "word " + std::to_string(w) + " holds " + std::to_string(buf[w]) + ", want block " +
                       std::to_string(want);
        return "";
    };

    const auto t0 = std::chrono::steady_clock::now();
    reliability::LoadStats st = reliability::run_load(&ring, n, ops, kMaxBatches, 42, kSlots);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    io_uring_queue_exit(&ring);

    EXPECT_EQ(st.error, "");
    EXPECT_EQ(slot_error, "") << "the driver exceeded its in-flight limit";
    EXPECT_EQ(st.completed, n);
    EXPECT_GT(st.max_in_flight, kEntries);
    EXPECT_GT(st.overflow_rounds, 0u);
    std::printf("[load] %llu reads of 4 KiB in %.2f s (%.0f k/s), max in flight %llu, overflow seen in %llu reap "
                "rounds\n",
                static_cast<unsigned long long>(st.completed), secs, st.completed / secs / 1e3,
                static_cast<unsigned long long>(st.max_in_flight),
                static_cast<unsigned long long>(st.overflow_rounds));
    RecordProperty("reads", std::to_string(st.completed));
}

} // namespace
