// IORING_OP_NOP and its flags (IORING_NOP_INJECT_RESULT, IORING_NOP_CQE32
// on CQE32 and CQE_MIXED rings), IORING_OP_NOP128 on 128-byte SQE rings,
// and IORING_OP_URING_CMD128 with a socket command. The mixed-CQE tests
// also check that the library steps over 32-byte entries and the kernel's
// filler entries when the CQ ring wraps.
#include "ops_support.h"

#include <linux/sockios.h>
#include <poll.h>

namespace {

// A CQE copied out together with its two extra words (32-byte CQEs only).
struct BigCqe {
    ops::Cqe c;
    std::uint64_t extra[2] = {0, 0};
};

int reap_big(io_uring *ring, BigCqe *out)
{
    __kernel_timespec ts{};
    ts.tv_sec = ops::kWaitMs / 1000;
    io_uring_cqe *cqe = nullptr;
    int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
    if (ret < 0)
        return ret;
    out->c.user_data = cqe->user_data;
    out->c.res = cqe->res;
    out->c.flags = cqe->flags;
    const bool big = (ring->flags & IORING_SETUP_CQE32) || (cqe->flags & IORING_CQE_F_32);
    if (big) {
        out->extra[0] = cqe->big_cqe[0];
        out->extra[1] = cqe->big_cqe[1];
    }
    io_uring_cqe_seen(ring, cqe);
    return 0;
}

// Queues a NOP; with cqe32, asks for a 32-byte CQE carrying (off, addr).
void queue_nop(io_uring *ring, std::uint64_t ud, bool cqe32, bool *ok)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    *ok = sqe != nullptr;
    if (!sqe)
        return;
    io_uring_prep_nop(sqe);
    if (cqe32) {
        sqe->nop_flags = IORING_NOP_CQE32;
        sqe->off = ud * 3;
        sqe->addr = ud * 5;
    }
    io_uring_sqe_set_data64(sqe, ud);
}

using Nop = ops::OpsTest;

TEST_P(Nop, PlainNopCompletesWithZero)
{
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_nop(sqe); }, 0x123456789abcull);
    EXPECT_EQ(c.res, 0);
    EXPECT_EQ(c.user_data, 0x123456789abcull) << "user_data round-trips all 64 bits";
    EXPECT_EQ(c.flags, 0u);
}

TEST_P(Nop, InjectResult)
{
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_nop(sqe);
        sqe->nop_flags = IORING_NOP_INJECT_RESULT;
        sqe->len = 4242;
    });
    if (c.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_NOP_INJECT_RESULT";
    EXPECT_EQ(c.res, 4242);

    ops::Cqe neg = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_nop(sqe);
        sqe->nop_flags = IORING_NOP_INJECT_RESULT;
        sqe->len = static_cast<__u32>(-EPERM);
    }, 2);
    EXPECT_EQ(neg.res, -EPERM);
}

TEST_P(Nop, UnknownNopFlagRejected)
{
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_nop(sqe);
        sqe->nop_flags = 1u << 30;
    });
    EXPECT_EQ(c.res, -EINVAL);
}

TEST_P(Nop, CqeSkipSuccessPostsNothing)
{
    // Feature check: IORING_FEAT_CQE_SKIP.
    if (!(ring_obj().features() & IORING_FEAT_CQE_SKIP))
        GTEST_SKIP() << "kernel lacks IORING_FEAT_CQE_SKIP";
    OPS_SQE(a, ring());
    io_uring_prep_nop(a);
    io_uring_sqe_set_flags(a, IOSQE_CQE_SKIP_SUCCESS);
    io_uring_sqe_set_data64(a, 1);
    OPS_SQE(b, ring());
    io_uring_prep_nop(b);
    io_uring_sqe_set_data64(b, 2);
    auto cqes = ops::submit_and_reap(ring(), 1);
    EXPECT_EQ(cqes[0].user_data, 2u) << "only the second NOP posts";
    EXPECT_FALSE(ops::cqe_ready(ring()));
}

TEST_P(Nop, Cqe32OnCqe32Ring)
{
    ops::Ring big;
    int ret = big.init(8, GetParam().flags | IORING_SETUP_CQE32);
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    bool ok = false;
    queue_nop(big.get(), 7, true, &ok);
    ASSERT_TRUE(ok);
    ASSERT_EQ(io_uring_submit(big.get()), 1);
    BigCqe c;
    ASSERT_EQ(reap_big(big.get(), &c), 0);
    if (c.c.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_NOP_CQE32";
    EXPECT_EQ(c.c.res, 0);
    EXPECT_EQ(c.extra[0], 21u) << "big_cqe[0] carries sqe->off";
    EXPECT_EQ(c.extra[1], 35u) << "big_cqe[1] carries sqe->addr";
}

TEST_P(Nop, MixedCqesAcrossRingWrap)
{
    // 4 SQ entries -> 8 CQ slots. Alternating 16- and 32-byte CQEs wrap the
    // CQ ring many times; a 32-byte CQE that would straddle the end forces
    // the kernel to insert a filler (IORING_CQE_F_SKIP) that the library
    // must not hand out.
    ops::Ring mixed;
    int ret = mixed.init(4, GetParam().flags | IORING_SETUP_CQE_MIXED);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_SETUP_CQE_MIXED";
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    for (std::uint64_t ud = 1; ud <= 40; ++ud) {
        const bool big = ud % 2 == 0;
        bool ok = false;
        queue_nop(mixed.get(), ud, big, &ok);
        ASSERT_TRUE(ok);
        ASSERT_EQ(io_uring_submit(mixed.get()), 1);
        BigCqe c;
        ASSERT_EQ(reap_big(mixed.get(), &c), 0) << "request " << ud;
        ASSERT_EQ(c.c.user_data, ud) << "a filler or stale slot was returned";
        EXPECT_FALSE(c.c.flags & IORING_CQE_F_SKIP);
        EXPECT_EQ(c.c.res, 0);
        EXPECT_EQ(static_cast<bool>(c.c.flags & IORING_CQE_F_32), big);
        if (big) {
            EXPECT_EQ(c.extra[0], ud * 3);
            EXPECT_EQ(c.extra[1], ud * 5);
        }
    }
    EXPECT_EQ(io_uring_cq_ready(mixed.get()), 0u);
}

TEST_P(Nop, MixedCqesBatchedReap)
{
    // Several mixed CQEs in the ring at once, consumed with for_each + advance.
    ops::Ring mixed;
    int ret = mixed.init(8, GetParam().flags | IORING_SETUP_CQE_MIXED);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_SETUP_CQE_MIXED";
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    for (int lap = 0; lap < 3; ++lap) {
        for (std::uint64_t ud = 1; ud <= 5; ++ud) {
            bool ok = false;
            queue_nop(mixed.get(), ud, ud != 3, &ok);
            ASSERT_TRUE(ok);
        }
        ASSERT_EQ(io_uring_submit_and_wait(mixed.get(), 5), 5);
        std::vector<std::uint64_t> seen;
        unsigned head, slots = 0;
        io_uring_cqe *cqe;
        io_uring_for_each_cqe(mixed.get(), head, cqe)
        {
            (void)head; // the CQ index of this entry; not needed here
            slots += io_uring_cqe_nr(cqe);
            if (cqe->flags & IORING_CQE_F_SKIP)
                continue;
            seen.push_back(cqe->user_data);
        }
        io_uring_cq_advance(mixed.get(), slots);
        EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3, 4, 5})) << "lap " << lap;
    }
}

TEST_P(Nop, Nop128OnSqe128Ring)
{
    OPS_REQUIRE_OP(IORING_OP_NOP128);
    ops::Ring big;
    int ret = big.init(8, GetParam().flags | IORING_SETUP_SQE128);
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    io_uring_sqe *sqe = io_uring_get_sqe128(big.get());
    ASSERT_NE(sqe, nullptr) << "get_sqe128 on an SQE128 ring works like get_sqe";
    io_uring_prep_nop128(sqe);
    io_uring_sqe_set_data64(sqe, 128);
    ASSERT_EQ(io_uring_submit(big.get()), 1);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(big.get(), &c), 0);
    EXPECT_EQ(c.user_data, 128u);
    if (c.res == -EINVAL)
        GTEST_SKIP() << "kernel accepts IORING_OP_NOP128 only on IORING_SETUP_SQE_MIXED rings";
    EXPECT_EQ(c.res, 0);
}

TEST_P(Nop, Nop128OnSqeMixedRing)
{
    OPS_REQUIRE_OP(IORING_OP_NOP128);
    ops::Ring mixed;
    int ret = mixed.init(8, GetParam().flags | IORING_SETUP_SQE_MIXED);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_SETUP_SQE_MIXED";
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    // Interleave 64- and 128-byte SQEs past the end of the SQ ring.
    for (std::uint64_t ud = 1; ud <= 20; ++ud) {
        io_uring_sqe *sqe = ud % 2 ? io_uring_get_sqe(mixed.get()) : io_uring_get_sqe128(mixed.get());
        ASSERT_NE(sqe, nullptr);
        if (ud % 2)
            io_uring_prep_nop(sqe);
        else
            io_uring_prep_nop128(sqe);
        io_uring_sqe_set_data64(sqe, ud);
        ASSERT_GE(io_uring_submit(mixed.get()), 1);
        ops::Cqe c;
        ASSERT_EQ(ops::reap(mixed.get(), &c), 0);
        EXPECT_EQ(c.user_data, ud);
        EXPECT_EQ(c.res, 0);
    }
}

TEST_P(Nop, GetSqe128NullOnPlainRing)
{
    EXPECT_EQ(io_uring_get_sqe128(ring()), nullptr) << "no 128-byte SQEs on a 64-byte ring";
}

TEST_P(Nop, UringCmd128SocketCommand)
{
    OPS_REQUIRE_OP(IORING_OP_URING_CMD128);
    ops::Ring big;
    int ret = big.init(8, GetParam().flags | IORING_SETUP_SQE128);
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    int c = -1, s = -1;
    ASSERT_TRUE(ops::tcp_pair(&c, &s));
    ops::ScopedFd client(c), server(s);
    ASSERT_EQ(::write(client.get(), "123", 3), 3);
    pollfd pfd{server.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 5000), 1);

    io_uring_sqe *sqe = io_uring_get_sqe128(big.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_uring_cmd128(sqe, SOCKET_URING_OP_SIOCINQ, server.get());
    io_uring_sqe_set_data64(sqe, 9);
    ASSERT_EQ(io_uring_submit(big.get()), 1);
    ops::Cqe r;
    ASSERT_EQ(ops::reap(big.get(), &r), 0);
    if (r.res == -EINVAL)
        GTEST_SKIP() << "kernel accepts IORING_OP_URING_CMD128 only on IORING_SETUP_SQE_MIXED rings";
    if (r.res == -EOPNOTSUPP)
        GTEST_SKIP() << "sockets do not serve 128-byte uring_cmds";
    EXPECT_EQ(r.res, 3) << "SIOCINQ via the 128-byte command";
}

OPS_INSTANTIATE(Nop);

} // namespace
