// fork() after io_uring_ring_dontfork: the child gets none of the ring's
// mappings (a read through them faults; here it is probed with write(2),
// which reports EFAULT instead of crashing), and nothing the child does -
// exiting, or even calling io_uring_queue_exit on its copy of the struct -
// disturbs the parent's ring, including requests the parent has in flight.
// A control run without dontfork proves the probe sees inherited mappings.
#include <liburing.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "submitted.h"
#include "support/proc_counts.h"

namespace {

using bareuring_test::find_mapping;

// Bits the child reports through its exit status.
enum : int {
    kSqRingMapped = 1,
    kSqesMapped = 2,
    kCqRingMapped = 4,
    kSqRingReadable = 8,
    kSqesReadable = 16,
    kChildSetupFailed = 64,
};

// True if `p` can be read: write(2) of one byte from it into a pipe fails
// with EFAULT when the page is not mapped.
bool readable(const void *p)
{
    int fds[2];
    if (::pipe(fds) != 0)
        return false;
    const bool ok = ::write(fds[1], p, 1) == 1;
    ::close(fds[0]);
    ::close(fds[1]);
    return ok;
}

// Forks a child that inspects the ring's memory, optionally calls
// io_uring_queue_exit on its copy, and exits with the bits above.
int child_view(io_uring *ring, bool child_calls_exit)
{
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        int bits = 0;
        if (find_mapping(ring->sq.ring_ptr))
            bits |= kSqRingMapped;
        if (find_mapping(ring->sq.sqes))
            bits |= kSqesMapped;
        if (find_mapping(ring->cq.ring_ptr))
            bits |= kCqRingMapped;
        if (readable(ring->sq.ring_ptr))
            bits |= kSqRingReadable;
        if (readable(ring->sq.sqes))
            bits |= kSqesReadable;
        if (child_calls_exit)
            io_uring_queue_exit(ring); // munmaps nothing it has; closes its fd copy
        _exit(bits);
    }
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

void nop_roundtrip(io_uring *ring, __u64 ud)
{
    io_uring_sqe *sqe = reliability::next_sqe(ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, ud);
    ASSERT_TRUE(reliability::SubmittedOk(ring, io_uring_submit(ring), 1));
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqe(ring, &cqe), 0);
    EXPECT_EQ(cqe->user_data, ud);
    io_uring_cqe_seen(ring, cqe);
}

TEST(Dontfork, ControlChildInheritsMappingsWithoutIt)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, 0), 0);
    const int bits = child_view(&ring, false);
    EXPECT_EQ(bits & (kSqRingMapped | kSqesMapped | kSqRingReadable | kSqesReadable),
              kSqRingMapped | kSqesMapped | kSqRingReadable | kSqesReadable)
        << "the probe cannot see inherited mappings, so the dontfork test would prove nothing";
    nop_roundtrip(&ring, 1);
    io_uring_queue_exit(&ring);
}

class DontforkShapes : public ::testing::TestWithParam<unsigned> {};

TEST_P(DontforkShapes, ChildHasNoRingMemoryAndParentKeepsWorking)
{
    io_uring ring;
    int ret = io_uring_queue_init(8, &ring, GetParam());
    if (ret == -EINVAL)
        GTEST_SKIP() << "ring flags not supported";
    ASSERT_EQ(ret, 0);
    ASSERT_EQ(io_uring_ring_dontfork(&ring), 0);

    // A request in flight across the fork: a poll on an empty pipe.
    int pfd[2];
    ASSERT_EQ(::pipe2(pfd, O_CLOEXEC), 0);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_poll_add(sqe, pfd[0], POLLIN);
    io_uring_sqe_set_data64(sqe, 0xf0);
    ASSERT_TRUE(reliability::SubmittedOk(&ring, io_uring_submit(&ring), 1));

    for (int round = 0; round < 20; ++round) {
        const int bits = child_view(&ring, round % 2 == 1);
        ASSERT_GE(bits, 0) << "child did not exit normally";
        EXPECT_EQ(bits, 0) << "the child still sees ring memory (bits " << bits << ")";
        nop_roundtrip(&ring, 100 + round);
    }
    // The parent's own mappings are intact.
    EXPECT_TRUE(find_mapping(ring.sq.ring_ptr));
    EXPECT_TRUE(find_mapping(ring.sq.sqes));

    // The in-flight poll survived every child exit and completes once.
    EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
    ASSERT_EQ(::write(pfd[1], "x", 1), 1);
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
    EXPECT_EQ(cqe->user_data, 0xf0u);
    EXPECT_TRUE(cqe->res & POLLIN);
    io_uring_cqe_seen(&ring, cqe);
    EXPECT_EQ(io_uring_cq_ready(&ring), 0u);
    ::close(pfd[0]);
    ::close(pfd[1]);
    io_uring_queue_exit(&ring);
}

INSTANTIATE_TEST_SUITE_P(Shapes, DontforkShapes,
                         ::testing::Values(0u, IORING_SETUP_SQPOLL, IORING_SETUP_SQE128 | IORING_SETUP_CQE32,
                                           IORING_SETUP_NO_SQARRAY, IORING_SETUP_NO_MMAP),
                         [](const auto &info) {
                             switch (info.param) {
                             case 0: return std::string("Default");
                             case IORING_SETUP_SQPOLL: return std::string("SqPoll");
                             case IORING_SETUP_NO_SQARRAY: return std::string("NoSqArray");
                             case IORING_SETUP_NO_MMAP: return std::string("NoMmapLibraryMemory");
                             default: return std::string("Sqe128Cqe32");
                             }
                         });

} // namespace
