// nop128: a NOP in a 128-byte SQE (Linux 6.19). Only an SQE128 or SQE_MIXED
// ring has such SQEs: elsewhere ring::prepare must return nullptr and the
// event loop must yield -EINVAL without submitting anything. On a kernel
// that knows the opcode it must complete with 0 through co_await.
#include "cxx_test_util.h"

#include <string>

namespace {

using cxx_test::make_ring;

TEST(Nop128, NeedsA128ByteSqe)
{
    static_assert(uring::nop128::opcode == IORING_OP_NOP128 && uring::sqe128_v<uring::nop128>);
    static_assert(uring::sqe128_v<decltype(uring::with_data(uring::nop128{}, 1u))>);
    static_assert(!uring::sqe128_v<uring::nop>);
    uring::ring r = make_ring(8); // 64-byte SQEs only
    EXPECT_EQ(r.prepare(uring::nop128{}), nullptr);
    EXPECT_EQ(r.sq_ready(), 0u);
    EXPECT_FALSE(r.prepare_chain(uring::nop{}, uring::nop128{}));
    EXPECT_EQ(r.sq_ready(), 0u);

    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring(8));
    EXPECT_EQ(cxx_test::await1(loop, uring::nop128{}).res, -EINVAL);
    EXPECT_EQ(loop.get_ring().sq_ready(), 0u);
    EXPECT_EQ(loop.in_flight(), 0u);
}

TEST(Nop128, GoesOutInA128ByteSqeOnAnSqe128Ring)
{
    // SQE128 rings are older than NOP128 (Linux 5.19), so the SQE plumbing
    // is checked on every kernel: the kernel gets a NOP128 SQE and answers
    // 0, or -EINVAL where it does not know the opcode.
    cxx_test::watchdog wd;
    auto made = uring::ring::create(uring::setup_options(8, IORING_SETUP_SQE128));
    if (!made)
        GTEST_SKIP() << "IORING_SETUP_SQE128 rings are not available: " << made.error().message();
    uring::ring r = std::move(*made);
    const bool known = r.supports<uring::nop128>();
    const int expect = known ? 0 : -EINVAL;
    io_uring_sqe *sqe = r.prepare(uring::nop128{}, uring::user_data(5u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_EQ(sqe->opcode, IORING_OP_NOP128);
    ASSERT_TRUE(r.submit());
    auto [ud, res] = cxx_test::next_cqe(r);
    EXPECT_EQ(ud, 5u);
    EXPECT_EQ(res.res, expect);

    made = uring::ring::create(uring::setup_options(8, IORING_SETUP_SQE128));
    ASSERT_TRUE(made);
    uring::event_loop loop(std::move(*made));
    for (int i = 0; i < 12; ++i) { // wraps the 8-entry SQ
        EXPECT_EQ(cxx_test::await1(loop, uring::nop128{}).res, expect) << "round " << i;
        EXPECT_EQ(cxx_test::await1(loop, uring::nop{}).res, 0) << "round " << i;
    }
    EXPECT_EQ(loop.in_flight(), 0u);
}

// The ring flags that give 128-byte SQEs on this kernel, preferring
// SQE_MIXED; 0 if none.
unsigned big_sqe_flags()
{
    for (unsigned f : {unsigned{IORING_SETUP_SQE_MIXED}, unsigned{IORING_SETUP_SQE128}}) {
        auto r = uring::ring::create(uring::setup_options(8, f));
        if (r)
            return f;
    }
    return 0;
}

TEST(Nop128, CompletesOnA128ByteRing)
{
    cxx_test::watchdog wd;
    auto probe = uring::probe::create();
    ASSERT_TRUE(probe) << probe.error().message();
    if (!probe->supports<uring::nop128>())
        GTEST_SKIP() << "IORING_OP_NOP128 (opcode " << static_cast<int>(IORING_OP_NOP128)
                     << ") is not supported by this kernel (it came with Linux 6.19; the probe's last opcode is "
                     << probe->last_op() << ")";
    unsigned flags = big_sqe_flags();
    ASSERT_NE(flags, 0u) << "a kernel with NOP128 must accept IORING_SETUP_SQE128";

    uring::ring r = make_ring(8, flags);
    io_uring_sqe *sqe = r.prepare(uring::nop128{}, uring::user_data(128u));
    ASSERT_NE(sqe, nullptr);
    ASSERT_TRUE(r.submit());
    auto [ud, res] = cxx_test::next_cqe(r);
    EXPECT_EQ(ud, 128u);
    EXPECT_EQ(res.res, 0);

    uring::event_loop loop(make_ring(8, flags));
    // Enough NOP128s to wrap the SQ (and, on SQE_MIXED, need filler NOPs).
    for (int i = 0; i < 20; ++i) {
        uring::io_result n = cxx_test::await1(loop, uring::nop128{});
        ASSERT_EQ(n.res, 0) << "round " << i << ": " << n.error().message();
        uring::io_result m = cxx_test::await1(loop, uring::nop{});
        ASSERT_EQ(m.res, 0);
    }
    EXPECT_EQ(loop.in_flight(), 0u);
}

} // namespace
