// Completion notification: io_uring_register_eventfd / _async /
// unregister_eventfd, observed by reading the eventfd counter.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <sys/eventfd.h>
#include <unistd.h>

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

// The eventfd counter (reset to 0 by the read); 0 if it was not signalled.
std::uint64_t take_count(int efd)
{
    eventfd_t v = 0;
    if (::eventfd_read(efd, &v) != 0)
        return 0; // EAGAIN: not signalled (the fd is non-blocking)
    return v;
}

int submit_nop(io_uring *ring, unsigned sqe_flags, std::uint64_t ud)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (sqe == nullptr)
        return -EBUSY;
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_flags(sqe, sqe_flags);
    sqe->user_data = ud;
    return io_uring_submit(ring);
}

} // namespace

TEST(RegisterEventfd, FiresOnCompletion)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ASSERT_GE(efd, 0);
    ASSERT_EQ(io_uring_register_eventfd(ring.get(), efd), 0);
    EXPECT_EQ(take_count(efd), 0u);

    ASSERT_EQ(submit_nop(ring.get(), 0, 1), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_GE(take_count(efd), 1u);

    // A second eventfd while one is registered.
    EXPECT_EQ(io_uring_register_eventfd(ring.get(), efd), -EBUSY);

    ASSERT_EQ(io_uring_unregister_eventfd(ring.get()), 0);
    ASSERT_EQ(submit_nop(ring.get(), 0, 2), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(take_count(efd), 0u) << "unregistered eventfd must stay quiet";
    EXPECT_EQ(io_uring_unregister_eventfd(ring.get()), -ENXIO);
    ::close(efd);
}

TEST(RegisterEventfd, ToggleThroughTheCqFlags)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    if (ring->cq.kflags == nullptr)
        GTEST_SKIP() << "kernel without the CQ flags word (5.8+)";
    int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ASSERT_GE(efd, 0);
    ASSERT_EQ(io_uring_register_eventfd(ring.get(), efd), 0);
    ASSERT_EQ(io_uring_cq_eventfd_toggle(ring.get(), false), 0);
    Cqe cqe;
    ASSERT_EQ(submit_nop(ring.get(), 0, 1), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(take_count(efd), 0u);
    ASSERT_EQ(io_uring_cq_eventfd_toggle(ring.get(), true), 0);
    ASSERT_EQ(submit_nop(ring.get(), 0, 2), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_GE(take_count(efd), 1u);
    ::close(efd);
}

TEST(RegisterEventfd, AsyncOnlyFiresForAsyncCompletions)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int efd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ASSERT_GE(efd, 0);
    ASSERT_EQ(io_uring_register_eventfd_async(ring.get(), efd), 0);

    // A NOP completes inline with the submission: no signal.
    Cqe cqe;
    ASSERT_EQ(submit_nop(ring.get(), 0, 1), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(take_count(efd), 0u);

    // Forced through io-wq (IOSQE_ASYNC): signalled.
    ASSERT_EQ(submit_nop(ring.get(), IOSQE_ASYNC, 2), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 2u);
    EXPECT_GE(take_count(efd), 1u);
    ASSERT_EQ(io_uring_unregister_eventfd(ring.get()), 0);
    ::close(efd);
}

TEST(RegisterEventfd, BadArgumentsReturnTheKernelErrorAndLeakNothing)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const int fds = count_open_fds();
    EXPECT_EQ(io_uring_register_eventfd(ring.get(), -1), -EBADF);
    EXPECT_EQ(io_uring_register_eventfd(ring.get(), 1000000), -EBADF);
    EXPECT_EQ(io_uring_register_eventfd_async(ring.get(), -1), -EBADF);
    // Not an eventfd.
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    EXPECT_EQ(io_uring_register_eventfd(ring.get(), p[0]), -EINVAL);
    ::close(p[0]);
    ::close(p[1]);
    EXPECT_EQ(io_uring_unregister_eventfd(ring.get()), -ENXIO);
    EXPECT_EQ(io_uring_register_eventfd(nullptr, 0), -EFAULT);
    EXPECT_EQ(io_uring_register_eventfd_async(nullptr, 0), -EFAULT);
    EXPECT_EQ(io_uring_unregister_eventfd(nullptr), -EFAULT);
    EXPECT_EQ(count_open_fds(), fds);
}
