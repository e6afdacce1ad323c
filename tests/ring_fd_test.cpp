// Registered ring fd: io_uring_register_ring_fd / unregister_ring_fd /
// close_ring_fd, and the enter_ring_fd / int_flags values liburing 2.15
// leaves behind (int_flags 0x10 REG_RING, 0x01 REG_REG_RING).
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <unistd.h>

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

constexpr unsigned kRegRing = 0x10;    // IORING_ENTER_REGISTERED_RING
constexpr unsigned kRegRegRing = 0x01; // registered index also used for io_uring_register

} // namespace

TEST(RingFd, RegisterSetsIndexAndFlagsAndRingStillWorks)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const int fd = ring->ring_fd;
    ASSERT_EQ(ring->enter_ring_fd, fd);
    ASSERT_EQ(ring->int_flags & (kRegRing | kRegRegRing), 0u);

    int ret = io_uring_register_ring_fd(ring.get());
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_RING_FDS (5.18+)";
    ASSERT_EQ(ret, 1);
    // First registration in this process: slot 0 (the tests tear their rings
    // down, and io_uring_queue_exit unregisters).
    EXPECT_EQ(ring->enter_ring_fd, 0);
    EXPECT_EQ(ring->ring_fd, fd);
    const unsigned expected = kRegRing | ((ring->features & IORING_FEAT_REG_REG_RING) ? kRegRegRing : 0);
    EXPECT_EQ(ring->int_flags, expected);
    if (ring->features & IORING_FEAT_REG_REG_RING) {
        EXPECT_EQ(ring->int_flags, 0x11) << "value observed with liburing 2.15 on 6.18";
    }

    Cqe cqe;
    ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 7, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 7u);
    EXPECT_EQ(cqe.res, 0);

    // A second registration of the same ring is refused by the library.
    EXPECT_EQ(io_uring_register_ring_fd(ring.get()), -EEXIST);
    EXPECT_EQ(ring->int_flags, expected);
}

TEST(RingFd, CloseRingFdKeepsTheRingUsable)
{
    const int fds_before = count_open_fds();
    {
        TestRing ring;
        ASSERT_EQ(ring.init(), 0);
        if (!(ring->features & IORING_FEAT_REG_REG_RING)) {
            EXPECT_EQ(io_uring_close_ring_fd(ring.get()), -EOPNOTSUPP);
            GTEST_SKIP() << "kernel without IORING_FEAT_REG_REG_RING (6.3+)";
        }
        // Not registered yet.
        EXPECT_EQ(io_uring_close_ring_fd(ring.get()), -EINVAL);
        ASSERT_EQ(io_uring_register_ring_fd(ring.get()), 1);
        const int fd = ring->ring_fd;
        EXPECT_EQ(io_uring_close_ring_fd(ring.get()), 1);
        EXPECT_EQ(ring->ring_fd, -1);
        EXPECT_EQ(ring->int_flags, 0x11);
        EXPECT_EQ(ring->enter_ring_fd, 0);
        // The real fd is really gone.
        EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
        EXPECT_EQ(count_open_fds(), fds_before);

        // Submission and completion go through the index.
        Cqe cqe;
        ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 42, &cqe), 0);
        EXPECT_EQ(cqe.user_data, 42u);
        // So do register calls (REG_REG_RING).
        io_uring_probe *probe = io_uring_get_probe_ring(ring.get());
        ASSERT_NE(probe, nullptr);
        EXPECT_TRUE(probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
        io_uring_free_probe(probe);
        int efd_pipe[2];
        ASSERT_EQ(::pipe(efd_pipe), 0);
        int files[1] = {efd_pipe[0]};
        EXPECT_EQ(io_uring_register_files(ring.get(), files, 1), 0);
        EXPECT_EQ(io_uring_unregister_files(ring.get()), 0);
        ::close(efd_pipe[0]);
        ::close(efd_pipe[1]);

        // Closing twice: the fd is already -1.
        EXPECT_EQ(io_uring_close_ring_fd(ring.get()), -EBADF);
    }
    // io_uring_queue_exit unregistered the index; nothing else was open.
    EXPECT_EQ(count_open_fds(), fds_before);
}

TEST(RingFd, UnregisterRestoresTheRealFd)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    EXPECT_EQ(io_uring_unregister_ring_fd(ring.get()), -EINVAL) << "not registered yet";
    int ret = io_uring_register_ring_fd(ring.get());
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_RING_FDS (5.18+)";
    ASSERT_EQ(ret, 1);
    EXPECT_EQ(io_uring_unregister_ring_fd(ring.get()), 1);
    EXPECT_EQ(ring->enter_ring_fd, ring->ring_fd);
    EXPECT_EQ(ring->int_flags & (kRegRing | kRegRegRing), 0u);
    EXPECT_EQ(io_uring_unregister_ring_fd(ring.get()), -EINVAL);

    Cqe cqe;
    ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 9, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 9u);

    // Register again after unregistering: allowed, slot reused.
    ASSERT_EQ(io_uring_register_ring_fd(ring.get()), 1);
    EXPECT_EQ(ring->enter_ring_fd, 0);
    ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 10, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 10u);
}

TEST(RingFd, ManyRingsGetDistinctSlots)
{
    TestRing a, b;
    ASSERT_EQ(a.init(), 0);
    ASSERT_EQ(b.init(), 0);
    int ret = io_uring_register_ring_fd(a.get());
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_RING_FDS (5.18+)";
    ASSERT_EQ(ret, 1);
    ASSERT_EQ(io_uring_register_ring_fd(b.get()), 1);
    EXPECT_NE(a->enter_ring_fd, b->enter_ring_fd);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::nop_roundtrip(b.get(), 2, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 2u);
    ASSERT_EQ(bareuring_test::nop_roundtrip(a.get(), 1, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 1u);
}

TEST(RingFd, NullRingIsRefused)
{
    EXPECT_EQ(io_uring_register_ring_fd(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_unregister_ring_fd(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_close_ring_fd(nullptr), -EFAULT);
}
