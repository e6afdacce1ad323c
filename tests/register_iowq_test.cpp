// The io-wq worker pool: io_uring_register_iowq_aff / unregister_iowq_aff /
// register_iowq_max_workers.
#include "register_test_util.h"

#include <sched.h>

#include <cstdint>

using bareuring_test::Cqe;
using bareuring_test::TestRing;

TEST(IowqMaxWorkers, SetThenReadBack)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    // {0, 0} only queries.
    unsigned vals[2] = {0, 0};
    int ret = io_uring_register_iowq_max_workers(ring.get(), vals);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_IOWQ_MAX_WORKERS (5.15+)";
    ASSERT_EQ(ret, 0);
    EXPECT_GT(vals[0], 0u);
    EXPECT_GT(vals[1], 0u);
    const unsigned orig_bounded = vals[0];

    // Set {1, 2}: the previous limits come back.
    unsigned set[2] = {1, 2};
    ASSERT_EQ(io_uring_register_iowq_max_workers(ring.get(), set), 0);
    EXPECT_EQ(set[0], orig_bounded);
    unsigned q[2] = {0, 0};
    ASSERT_EQ(io_uring_register_iowq_max_workers(ring.get(), q), 0);
    EXPECT_EQ(q[0], 1u);
    EXPECT_EQ(q[1], 2u);

    // Work still gets done with a single bounded worker.
    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
    sqe->user_data = 3;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 3u);

    EXPECT_EQ(io_uring_register_iowq_max_workers(ring.get(), nullptr), -EINVAL);
    EXPECT_EQ(io_uring_register_iowq_max_workers(nullptr, q), -EFAULT);
}

TEST(IowqAffinity, PinToOneCpuAndRestore)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    ASSERT_EQ(::sched_getaffinity(0, sizeof allowed, &allowed), 0);
    int cpu = -1;
    for (int i = 0; i < CPU_SETSIZE; ++i)
        if (CPU_ISSET(i, &allowed)) {
            cpu = i;
            break;
        }
    ASSERT_GE(cpu, 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    int ret = io_uring_register_iowq_aff(ring.get(), sizeof one, &one);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_IOWQ_AFF (5.14+)";
    ASSERT_EQ(ret, 0);

    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.res, 0);

    EXPECT_EQ(io_uring_unregister_iowq_aff(ring.get()), 0);
}

TEST(IowqAffinity, BadArguments)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    // Sizes that do not fit an int are refused by the library itself.
    EXPECT_EQ(io_uring_register_iowq_aff(ring.get(), static_cast<size_t>(1) << 31, &one), -EINVAL);
    EXPECT_EQ(io_uring_register_iowq_aff(ring.get(), SIZE_MAX, &one), -EINVAL);
    // The rest is the kernel's answer.
    EXPECT_EQ(io_uring_register_iowq_aff(ring.get(), sizeof one, nullptr), -EINVAL);
    EXPECT_EQ(io_uring_register_iowq_aff(ring.get(), 0, &one), -EINVAL);
    EXPECT_EQ(io_uring_register_iowq_aff(nullptr, sizeof one, &one), -EFAULT);
    EXPECT_EQ(io_uring_unregister_iowq_aff(nullptr), -EFAULT);
}
