// Restricted rings (io_uring_register_restrictions + io_uring_enable_rings)
// and personalities (io_uring_register_personality / unregister).
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <unistd.h>

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

io_uring_restriction allow_sqe_op(unsigned op)
{
    io_uring_restriction r{};
    r.opcode = IORING_RESTRICTION_SQE_OP;
    r.sqe_op = static_cast<__u8>(op);
    return r;
}

io_uring_restriction allow_register_op(unsigned op)
{
    io_uring_restriction r{};
    r.opcode = IORING_RESTRICTION_REGISTER_OP;
    r.register_op = static_cast<__u8>(op);
    return r;
}

// Creates a disabled ring; skips the test on kernels without R_DISABLED.
int init_disabled(TestRing &ring)
{
    return ring.init(8, IORING_SETUP_R_DISABLED);
}

} // namespace

TEST(Restrictions, DisallowedOpFailsWithEacces)
{
    TestRing ring;
    int ret = init_disabled(ring);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_SETUP_R_DISABLED (5.10+)";
    ASSERT_EQ(ret, 0);

    io_uring_restriction res[2] = {allow_sqe_op(IORING_OP_NOP), allow_register_op(IORING_REGISTER_PROBE)};
    ASSERT_EQ(io_uring_register_restrictions(ring.get(), res, 2), 0);
    // While disabled the ring accepts no submissions.
    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    sqe->user_data = 1;
    EXPECT_EQ(io_uring_submit(ring.get()), -EBADFD);

    ASSERT_EQ(io_uring_enable_rings(ring.get()), 0);
    // The NOP queued above now goes in and completes.
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 1u);
    EXPECT_EQ(cqe.res, 0);

    // A read is not on the list.
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ASSERT_EQ(::write(p[1], "data", 4), 4);
    char buf[8];
    sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, p[0], buf, sizeof buf, 0);
    sqe->user_data = 2;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 2u);
    EXPECT_EQ(cqe.res, -EACCES);

    // Register ops are restricted too: PROBE allowed, PERSONALITY not.
    io_uring_probe *probe = io_uring_get_probe_ring(ring.get());
    EXPECT_NE(probe, nullptr);
    io_uring_free_probe(probe);
    EXPECT_EQ(io_uring_register_personality(ring.get()), -EACCES);

    // Restrictions are one-shot, and enabling is too.
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), res, 2), -EACCES);
    ::close(p[0]);
    ::close(p[1]);
}

TEST(Restrictions, OnlyOnDisabledRingsAndOnlyOnce)
{
    TestRing live;
    ASSERT_EQ(live.init(), 0);
    io_uring_restriction res = allow_sqe_op(IORING_OP_NOP);
    EXPECT_EQ(io_uring_register_restrictions(live.get(), &res, 1), -EBADFD);
    EXPECT_EQ(io_uring_enable_rings(live.get()), -EBADFD);

    TestRing ring;
    int ret = init_disabled(ring);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_SETUP_R_DISABLED (5.10+)";
    ASSERT_EQ(ret, 0);
    ASSERT_EQ(io_uring_register_restrictions(ring.get(), &res, 1), 0);
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), &res, 1), -EBUSY);
    ASSERT_EQ(io_uring_enable_rings(ring.get()), 0);
    // Now restricted, and ENABLE_RINGS is not on the (empty) register list.
    EXPECT_EQ(io_uring_enable_rings(ring.get()), -EACCES);
}

TEST(Restrictions, BadArgumentsReturnTheKernelError)
{
    TestRing ring;
    int ret = init_disabled(ring);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_SETUP_R_DISABLED (5.10+)";
    ASSERT_EQ(ret, 0);
    const int fds = count_open_fds();
    io_uring_restriction res = allow_sqe_op(IORING_OP_NOP);
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), nullptr, 1), -EINVAL);
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), &res, 1u << 30), -EINVAL);
    io_uring_restriction bad{};
    bad.opcode = IORING_RESTRICTION_LAST;
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), &bad, 1), -EINVAL);
    EXPECT_EQ(io_uring_register_restrictions(nullptr, &res, 1), -EFAULT);
    EXPECT_EQ(io_uring_enable_rings(nullptr), -EFAULT);
    // Failed registrations leave the ring disabled and restrictable; an
    // empty list is a valid (deny-everything) registration.
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), &res, 0), 0);
    EXPECT_EQ(io_uring_register_restrictions(ring.get(), &res, 1), -EBUSY);
    EXPECT_EQ(io_uring_enable_rings(ring.get()), 0);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 5, &cqe), 0);
    EXPECT_EQ(cqe.res, -EACCES) << "nothing is allowed";
    EXPECT_EQ(count_open_fds(), fds);
}

TEST(Personality, RegisteredIdRunsRequestsAndUnregisters)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int id = io_uring_register_personality(ring.get());
    ASSERT_GT(id, 0);

    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    sqe->personality = static_cast<__u16>(id);
    sqe->user_data = 1;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.res, 0);

    int id2 = io_uring_register_personality(ring.get());
    ASSERT_GT(id2, 0);
    EXPECT_NE(id2, id);

    ASSERT_EQ(io_uring_unregister_personality(ring.get(), id), 0);
    EXPECT_EQ(io_uring_unregister_personality(ring.get(), id), -EINVAL);
    // A request naming the dropped personality is refused.
    sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    sqe->personality = static_cast<__u16>(id);
    sqe->user_data = 2;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 2u);
    EXPECT_EQ(cqe.res, -EINVAL);

    EXPECT_EQ(io_uring_unregister_personality(ring.get(), id2), 0);
    EXPECT_EQ(io_uring_unregister_personality(ring.get(), -1), -EINVAL);
    EXPECT_EQ(io_uring_register_personality(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_unregister_personality(nullptr, 1), -EFAULT);
}
