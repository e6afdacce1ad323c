// A failed io_uring_queue_init leaves a ring that io_uring_queue_exit can
// be called on without harm: liburing leaves it zeroed, so an exit would
// close fd 0; bareuring marks ring_fd/enter_ring_fd as -1.
#include <liburing.h>

#include <gtest/gtest.h>

#include <cstring>

#include <fcntl.h>
#include <unistd.h>

TEST(FailedInit, QueueExitAfterAFailedInitClosesNothing)
{
    // Make sure fd 0 is open, so closing it would be observable.
    if (fcntl(0, F_GETFD) < 0) {
        ASSERT_EQ(open("/dev/null", O_RDONLY), 0);
    }

    io_uring ring;
    std::memset(&ring, 0xa5, sizeof(ring));
    ASSERT_EQ(io_uring_queue_init(0, &ring, 0), -EINVAL);
    EXPECT_EQ(ring.ring_fd, -1);
    EXPECT_EQ(ring.enter_ring_fd, -1);

    io_uring_queue_exit(&ring);
    EXPECT_GE(fcntl(0, F_GETFD), 0) << "fd 0 was closed by io_uring_queue_exit";
}

TEST(FailedInit, QueueInitParamsRejectsBadFlagsAndMarksTheRingClosed)
{
    io_uring ring;
    io_uring_params p{};
    p.flags = 0x80000000u; // no such setup flag
    ASSERT_LT(io_uring_queue_init_params(8, &ring, &p), 0);
    EXPECT_EQ(ring.ring_fd, -1);
    EXPECT_EQ(ring.sq.ring_ptr, nullptr);
    io_uring_queue_exit(&ring);
}
