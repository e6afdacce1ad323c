// nop, cancel, msg_ring, futex, the timeout family, and the operation
// wrappers (with_data, with_flags).
#include "cxx_test_util.h"

#include <array>
#include <atomic>
#include <map>
#include <string_view>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;
using cxx_test::ms_since;
using cxx_test::next_cqe;
using cxx_test::run1;

// Every typed op is an operation and names its opcode.
static_assert(uring::operation<uring::nop> && uring::nop::opcode == IORING_OP_NOP);
static_assert(uring::operation<uring::cancel> && uring::cancel::opcode == IORING_OP_ASYNC_CANCEL);
static_assert(uring::operation<uring::msg_ring> && uring::msg_ring::opcode == IORING_OP_MSG_RING);
static_assert(uring::operation<uring::futex_wait> && uring::futex_wait::opcode == IORING_OP_FUTEX_WAIT);
static_assert(uring::operation<uring::futex_wake> && uring::futex_wake::opcode == IORING_OP_FUTEX_WAKE);
static_assert(uring::operation<uring::timeout> && uring::timeout::opcode == IORING_OP_TIMEOUT);
static_assert(uring::operation<uring::timeout_remove> && uring::timeout_remove::opcode == IORING_OP_TIMEOUT_REMOVE);
static_assert(uring::operation<uring::timeout_update> && uring::timeout_update::opcode == IORING_OP_TIMEOUT_REMOVE);
static_assert(uring::operation<uring::link_timeout> && uring::link_timeout::opcode == IORING_OP_LINK_TIMEOUT);
static_assert(uring::operation<uring::multishot_accept> && uring::multishot_v<uring::multishot_accept>);
static_assert(uring::operation<uring::recv_multishot> && uring::multishot_v<uring::recv_multishot>);
static_assert(uring::operation<uring::read_multishot> && uring::read_multishot::opcode == IORING_OP_READ_MULTISHOT);
static_assert(uring::operation<uring::poll_multishot> && !uring::multishot_v<uring::poll_add>);
static_assert(uring::embeds_kernel_data_v<uring::timeout> && !uring::embeds_kernel_data_v<uring::read>);
static_assert(uring::embeds_kernel_data_v<uring::tagged<uring::link_timeout>>);
// Wrapping an lvalue timeout refers to it; wrapping a temporary copies it
// (and the copy must then not be a temporary itself).
static_assert(!uring::embeds_kernel_data_v<decltype(uring::with_data(std::declval<uring::timeout &>(), 1u))>);
static_assert(uring::embeds_kernel_data_v<decltype(uring::with_data(std::declval<uring::timeout>(), 1u))>);
static_assert(std::is_same_v<decltype(uring::with_flags(uring::nop{}, 0)), uring::flagged<uring::nop>>);

TEST(MiscOps, Nop)
{
    uring::ring r = make_ring();
    EXPECT_EQ(run1(r, uring::nop{}), (uring::io_result{0, 0}));
}

TEST(MiscOps, WithFlagsAndWithData)
{
    uring::ring r = make_ring();
    io_uring_sqe *sqe = r.prepare(uring::with_data(uring::with_flags(uring::nop{}, IOSQE_ASYNC), 99u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_EQ(sqe->flags, IOSQE_ASYNC);
    EXPECT_EQ(sqe->user_data, 99u);
    ASSERT_TRUE(r.submit_and_wait(1));
    auto [ud, res] = next_cqe(r);
    EXPECT_EQ(ud, 99u);
    EXPECT_EQ(res.res, 0);
}

// A recv that stays pending on an idle socket.
struct idle_recv {
    cxx_test::tcp_pair pair = cxx_test::make_tcp_pair();
    std::array<char, 8> buf{};
};

TEST(MiscOps, CancelByUserData)
{
    uring::ring r = make_ring();
    idle_recv idle;
    r.prepare(uring::with_data(uring::recv{idle.pair.a, idle.buf}, 5u));
    ASSERT_TRUE(r.submit());
    r.prepare(uring::with_data(uring::cancel::by_data(uring::user_data(5u)), 6u));
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[5], -ECANCELED);
    EXPECT_EQ(res[6], 0);
    // Nothing left to cancel.
    EXPECT_EQ(run1(r, uring::cancel::by_raw_data(5)).res, -ENOENT);
}

TEST(MiscOps, CancelByFileAndAny)
{
    uring::ring r = make_ring();
    idle_recv x, y;
    r.prepare(uring::with_data(uring::recv{x.pair.a, x.buf}, 1u));
    r.prepare(uring::with_data(uring::recv{y.pair.a, y.buf}, 2u));
    ASSERT_TRUE(r.submit());
    r.prepare(uring::with_data(uring::cancel::by_file(x.pair.a), 3u));
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[1], -ECANCELED);
    EXPECT_EQ(res[3], 0);
    EXPECT_EQ(res.count(2), 0u); // y's recv is untouched

    r.prepare(uring::with_data(uring::cancel::any(), 4u));
    ASSERT_TRUE(r.submit());
    res.clear();
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[2], -ECANCELED);
    EXPECT_EQ(res[4], 1); // the number cancelled
}

TEST(MiscOps, CancelByFixedFileSetsTheFdFixedFlag)
{
    uring::ring r = make_ring();
    idle_recv x;
    const int fds[] = {x.pair.a.get()};
    ASSERT_TRUE(r.register_files(fds));
    r.prepare(uring::with_data(uring::recv{uring::fixed_file{0}, x.buf}, 1u));
    ASSERT_TRUE(r.submit());
    io_uring_sqe *sqe = r.prepare(uring::with_data(uring::cancel::by_file(uring::fixed_file{0}), 2u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_TRUE(sqe->cancel_flags & IORING_ASYNC_CANCEL_FD_FIXED);
    EXPECT_TRUE(sqe->cancel_flags & IORING_ASYNC_CANCEL_FD);
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[1], -ECANCELED);
    EXPECT_EQ(res[2], 0);
}

TEST(MiscOps, MsgRingPostsOnAnotherRing)
{
    uring::ring src = make_ring(), dst = make_ring();
    CXX_SKIP_UNLESS_SUPPORTED(src, uring::msg_ring);
    EXPECT_EQ(run1(src, uring::msg_ring{uring::fd{dst.fd()}, 42, 0xabcdef}).res, 0);
    auto c = dst.wait_for(1s);
    ASSERT_TRUE(c) << c.error().message();
    EXPECT_EQ(c->raw_user_data(), 0xabcdefu);
    EXPECT_EQ(c->res(), 42);
    dst.seen(*c);
}

TEST(MiscOps, FutexWaitAndWake)
{
    uring::ring r = make_ring();
    CXX_SKIP_UNLESS_SUPPORTED(r, uring::futex_wait);
    std::atomic<std::uint32_t> word{0};
    // Wrong expected value: -EAGAIN right away.
    EXPECT_EQ(run1(r, uring::futex_wait{&word, 1}).res, -EAGAIN);
    r.prepare(uring::with_data(uring::futex_wait{&word, 0}, 1u));
    ASSERT_TRUE(r.submit());
    EXPECT_FALSE(r.peek().has_value()); // waiting
    r.prepare(uring::with_data(uring::futex_wake{&word, 1}, 2u));
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[1], 0);
    EXPECT_EQ(res[2], 1); // one waiter woken
}

TEST(MiscOps, TimeoutAfterADuration)
{
    uring::ring r = make_ring();
    uring::timeout t{25ms};
    EXPECT_EQ(t.timespec().tv_nsec, 25'000'000);
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(run1(r, t).res, -ETIME);
    EXPECT_GE(ms_since(t0), 24.0);
}

TEST(MiscOps, TimeoutSatisfiedByCount)
{
    uring::ring r = make_ring();
    uring::timeout t{10s, 1};
    r.prepare(uring::with_data(t, 1u));
    r.prepare(uring::with_data(uring::nop{}, 2u));
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[1], 0); // completed by the count, not by time
    EXPECT_LT(ms_since(t0), 5000.0);
}

TEST(MiscOps, TimeoutAtATimePoint)
{
    uring::ring r = make_ring();
    auto t0 = std::chrono::steady_clock::now();
    uring::timeout steady{t0 + 20ms};
    EXPECT_EQ(run1(r, steady).res, -ETIME);
    EXPECT_GE(ms_since(t0), 19.0);
    auto t1 = std::chrono::steady_clock::now();
    uring::timeout wall{std::chrono::system_clock::now() + 20ms};
    EXPECT_EQ(run1(r, wall).res, -ETIME);
    EXPECT_GE(ms_since(t1), 15.0);
    // A deadline in the past fires at once.
    uring::timeout past{std::chrono::steady_clock::now() - 1s};
    auto t2 = std::chrono::steady_clock::now();
    EXPECT_EQ(run1(r, past).res, -ETIME);
    EXPECT_LT(ms_since(t2), 1000.0);
}

TEST(MiscOps, TimeoutRemoveAndUpdate)
{
    uring::ring r = make_ring();
    uring::timeout long_one{10s};
    r.prepare(uring::with_data(long_one, 9u));
    ASSERT_TRUE(r.submit());
    EXPECT_EQ(run1(r, uring::with_data(uring::timeout_remove{9}, 10u)).res, 0);
    auto [ud, res] = next_cqe(r);
    EXPECT_EQ(ud, 9u);
    EXPECT_EQ(res.res, -ECANCELED);

    r.prepare(uring::with_data(long_one, 11u));
    ASSERT_TRUE(r.submit());
    auto t0 = std::chrono::steady_clock::now();
    uring::timeout_update shorter{11, 15ms};
    EXPECT_EQ(run1(r, uring::with_data(shorter, 12u)).res, 0);
    auto [ud2, res2] = next_cqe(r);
    EXPECT_EQ(ud2, 11u);
    EXPECT_EQ(res2.res, -ETIME);
    EXPECT_LT(ms_since(t0), 5000.0);
}

TEST(MiscOps, LinkTimeoutCutsOffTheLinkedOp)
{
    uring::ring r = make_ring();
    idle_recv idle;
    uring::link_timeout lt{20ms};
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(r.prepare_chain(uring::with_data(uring::recv{idle.pair.a, idle.buf}, 1u), uring::with_data(lt, 2u)));
    ASSERT_TRUE(r.submit());
    std::map<std::uint64_t, int> res;
    for (int i = 0; i < 2; ++i) {
        auto [ud, rr] = next_cqe(r);
        res[ud] = rr.res;
    }
    EXPECT_EQ(res[1], -ECANCELED);
    EXPECT_EQ(res[2], -ETIME);
    EXPECT_GE(ms_since(t0), 19.0);
}

} // namespace
