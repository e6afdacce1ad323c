// io_uring_resize_rings when something fails (issue 9).
//
// The kernel switches to the new rings inside the register call, and only
// then can the library map them: the kernel publishes the new regions at
// the ring's fixed mmap offsets when it switches, and it refuses any address
// chosen by the caller, so nothing can be mapped or reserved beforehand.
// What the library promises instead:
//   - a failure of the register call (or of a check before it) leaves the
//     ring exactly as it was;
//   - a failed mmap after the switch is retried once, so a single failure
//     (every point of the seam sweep below) still ends in a working ring of
//     the new size with nothing lost;
//   - when the retry fails too, the ring is given up cleanly: the call
//     returns the mmap error, the fd (and a registered index) is closed,
//     ring_fd/enter_ring_fd become -1, every later call that needs the
//     kernel fails (-EBADF from submit and the waits), CQEs that were
//     already visible can still be reaped, and io_uring_queue_exit releases
//     everything. A persistent mmap failure is produced for real by lowering
//     RLIMIT_AS just below what the new rings need (the seam can fail only
//     one call).
#include "fault_sweep.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace {

using reliability::on_ring;
using reliability::RingFx;
using reliability::Scenario;
using reliability::sweep;

constexpr unsigned kRingFlags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;

// Queues a NOP with `user_data` without submitting it.
void queue_nop(io_uring *ring, __u64 user_data)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, user_data);
}

// Resizing needs a DEFER_TASKRUN ring. Seam calls of a successful run:
// 1 the register call, 2 the mmap of the (single) ring region, 3 the mmap of
// the SQE array. Point 1 leaves the old ring; points 2 and 3 are absorbed by
// the retry.
TEST(FaultResize, ResizeRings)
{
    RingFx fx;
    io_uring_params p{};
    Scenario s;
    s.name = "io_uring_resize_rings";
    s.prepare = [&] {
        // A pending NOP and an unflushed SQE travel across the resize.
        queue_nop(&fx.ring, 1);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        queue_nop(&fx.ring, 2);
        std::memset(&p, 0, sizeof p);
        p.sq_entries = 32;
        p.cq_entries = 64;
    };
    s.call = [&] { return static_cast<long>(io_uring_resize_rings(&fx.ring, &p)); };
    auto reap_both = [&] {
        ASSERT_EQ(io_uring_submit_and_wait(&fx.ring, 2), 1);
        for (__u64 want = 1; want <= 2; ++want) {
            io_uring_cqe *cqe = nullptr;
            ASSERT_EQ(io_uring_wait_cqe(&fx.ring, &cqe), 0);
            EXPECT_EQ(cqe->user_data, want);
            io_uring_cqe_seen(&fx.ring, cqe);
        }
        reliability::expect_idle(&fx.ring);
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(fx.ring.sq.ring_entries, 32u);
        EXPECT_EQ(fx.ring.cq.ring_entries, 64u);
        EXPECT_GE(fx.ring.ring_fd, 0);
        reap_both();
        reliability::expect_nop_roundtrip(&fx.ring, 3);
    };
    s.on_failure = [&](unsigned long point, int) {
        ASSERT_EQ(point, 1u) << "only the register call may fail the resize";
        EXPECT_EQ(fx.ring.sq.ring_entries, 8u);
        reap_both();
    };
    // A failed mmap after the switch is retried: the resize succeeds.
    s.may_recover = [](unsigned long point, int) { return point >= 2; };
    Scenario r = on_ring(fx, kRingFlags, s);
    sweep(r);
}

// Bytes of address space mapped by the process (VmSize in /proc/self/status),
// read into a stack buffer so that reading does not itself map memory.
std::size_t mapped_bytes()
{
    char buf[8192];
    const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    std::size_t len = 0;
    for (ssize_t n; len < sizeof buf - 1 && (n = ::read(fd, buf + len, sizeof buf - 1 - len)) > 0;)
        len += static_cast<std::size_t>(n);
    ::close(fd);
    buf[len] = '\0';
    const char *line = std::strstr(buf, "\nVmSize:");
    return line ? std::strtoull(line + 8, nullptr, 10) * 1024 : 0;
}

// The soft RLIMIT_AS set `headroom` bytes above what is mapped now, for the
// duration of one call: any mapping that would exceed it fails with ENOMEM.
// Nothing else runs meanwhile (the call makes raw system calls only).
struct AddressSpaceCap {
    rlimit saved{};
    bool active = false;

    explicit AddressSpaceCap(std::size_t headroom)
    {
        if (::getrlimit(RLIMIT_AS, &saved) != 0)
            return;
        const std::size_t now = mapped_bytes();
        if (now == 0 || (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < now + headroom))
            return;
        rlimit capped = saved;
        capped.rlim_cur = now + headroom;
        active = ::setrlimit(RLIMIT_AS, &capped) == 0;
    }
    ~AddressSpaceCap()
    {
        if (active)
            ::setrlimit(RLIMIT_AS, &saved);
    }
};

// The sizes the resize asks for, and what the new regions occupy.
constexpr unsigned kNewSq = 1024;
constexpr unsigned kNewCq = 4096;
constexpr std::size_t kNewSqes = kNewSq * sizeof(io_uring_sqe);                     // 64 KiB
constexpr std::size_t kNewRingsAtLeast = kNewCq * sizeof(io_uring_cqe);             // 64 KiB of CQEs alone
constexpr std::size_t kNewRingsAtMost = kNewRingsAtLeast + kNewSq * 4 + 2 * 4096;   // + SQ array, header

enum class Failing { RingRegion, SqeArray };

// Prepares a DEFER_TASKRUN ring (optionally with a registered fd) holding one
// reaped-but-unseen CQE and one unflushed SQE, resizes it with both mmaps
// (first attempt and retry) failing at `where`, and checks the ring was
// given up cleanly.
void resize_fails_for_good(Failing where, bool registered)
{
    const int fds_before = bareuring_test::count_open_fds();
    const int maps_before = bareuring_test::count_mappings();

    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, kRingFlags), 0);
    if (registered) {
        ASSERT_EQ(io_uring_register_ring_fd(&ring), 1);
    }
    const int old_fd = ring.ring_fd;
    const int old_index = ring.enter_ring_fd;

    queue_nop(&ring, 1);
    ASSERT_EQ(io_uring_submit(&ring), 1);
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0); // posted, left unseen
    queue_nop(&ring, 2);                          // handed out, not submitted

    io_uring_params p{};
    p.flags = IORING_SETUP_CQSIZE;
    p.sq_entries = kNewSq;
    p.cq_entries = kNewCq;
    // RingRegion: not even the ring region fits. SqeArray: the ring region
    // fits, the SQE array after it does not.
    const std::size_t headroom = where == Failing::RingRegion ? kNewRingsAtLeast / 4 : kNewRingsAtMost + kNewSqes / 4;
    int ret;
    {
        AddressSpaceCap cap(headroom);
        ASSERT_TRUE(cap.active) << "cannot lower RLIMIT_AS";
        ret = io_uring_resize_rings(&ring, &p);
    }
    ASSERT_EQ(ret, -ENOMEM);

    // Given up: no fd, no registered index.
    EXPECT_EQ(ring.ring_fd, -1);
    EXPECT_EQ(ring.enter_ring_fd, -1);
    errno = 0;
    EXPECT_EQ(::fcntl(old_fd, F_GETFD), -1);
    EXPECT_EQ(errno, EBADF) << "the ring fd was not closed";
    if (registered) {
        EXPECT_EQ(io_uring_enter(static_cast<unsigned>(old_index), 0, 0, IORING_ENTER_REGISTERED_RING, nullptr),
                  -EBADF)
            << "the registered index still names a ring";
    }
    // The struct still points at the old, still mapped rings.
    EXPECT_EQ(ring.sq.ring_entries, 8u);

    // The CQE that was visible before stays reapable.
    cqe = nullptr;
    ASSERT_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
    EXPECT_EQ(cqe->user_data, 1u);
    io_uring_cqe_seen(&ring, cqe);

    // Everything that needs the kernel fails cleanly, nothing hangs. (The
    // bounded wait goes first: on a ring that was left half-switched the
    // blocking ones would never return.)
    EXPECT_EQ(io_uring_submit(&ring), -EBADF);
    __kernel_timespec ts{1, 0};
    const int timed = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
    EXPECT_EQ(timed, -EBADF);
    EXPECT_EQ(io_uring_get_events(&ring), -EBADF);
    if (timed == -EBADF) {
        EXPECT_EQ(io_uring_wait_cqe(&ring, &cqe), -EBADF);
        EXPECT_EQ(io_uring_submit_and_wait(&ring, 1), -EBADF);
    }
    EXPECT_LT(io_uring_register_files_sparse(&ring, 4), 0);
    p = {};
    p.sq_entries = 16;
    EXPECT_EQ(io_uring_resize_rings(&ring, &p), -EBADF);

    io_uring_queue_exit(&ring);
    EXPECT_EQ(bareuring_test::count_open_fds(), fds_before) << "fd leaked";
    EXPECT_EQ(bareuring_test::count_mappings(), maps_before) << "mapping leaked";
}

TEST(FaultResize, RingRegionCannotBeMappedGivesTheRingUp) { resize_fails_for_good(Failing::RingRegion, false); }

TEST(FaultResize, SqeArrayCannotBeMappedGivesTheRingUp) { resize_fails_for_good(Failing::SqeArray, false); }

TEST(FaultResize, RegisteredRingIsGivenUpWithItsIndex) { resize_fails_for_good(Failing::RingRegion, true); }

// Control for the RLIMIT_AS cases: with room for the new rings the same
// resize succeeds, so the headroom above is what made them fail.
TEST(FaultResize, SameResizeSucceedsWithRoom)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, kRingFlags), 0);
    io_uring_params p{};
    p.flags = IORING_SETUP_CQSIZE;
    p.sq_entries = kNewSq;
    p.cq_entries = kNewCq;
    int ret;
    {
        AddressSpaceCap cap(kNewRingsAtMost + kNewSqes + 64 * 1024);
        ASSERT_TRUE(cap.active) << "cannot lower RLIMIT_AS";
        ret = io_uring_resize_rings(&ring, &p);
    }
    EXPECT_EQ(ret, 0);
    EXPECT_EQ(ring.sq.ring_entries, kNewSq);
    EXPECT_EQ(ring.cq.ring_entries, kNewCq);
    reliability::expect_nop_roundtrip(&ring, 7);
    io_uring_queue_exit(&ring);
}

// Without a real fd (io_uring_close_ring_fd) the new rings could not be
// mapped after the switch, so the library refuses before it: -EBADF, and the
// ring keeps working through its registered index.
TEST(FaultResize, RingWithoutFdIsRefusedBeforeTheSwitch)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, kRingFlags), 0);
    ASSERT_EQ(io_uring_register_ring_fd(&ring), 1);
    const int closed = io_uring_close_ring_fd(&ring);
    if (closed == -EOPNOTSUPP) {
        io_uring_queue_exit(&ring);
        GTEST_SKIP() << "kernel without IORING_FEAT_REG_REG_RING";
    }
    ASSERT_EQ(closed, 1);
    io_uring_params p{};
    p.sq_entries = 32;
    EXPECT_EQ(io_uring_resize_rings(&ring, &p), -EBADF);
    EXPECT_EQ(ring.sq.ring_entries, 8u);
    reliability::expect_nop_roundtrip(&ring, 9);
    io_uring_queue_exit(&ring);
}

} // namespace
