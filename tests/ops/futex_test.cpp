// Futex operations through the ring: futex_wait woken by futex_wake (also
// through the ring) or by the futex(2) syscall, the value-mismatch case,
// and futex_waitv reporting which futex woke it.
#include "ops_support.h"

#include <linux/futex.h>
#include <sys/syscall.h>

namespace {

// futex2 flag values from the kernel uapi (<linux/futex.h> of 6.7+; older
// system headers lack the FUTEX2_* names).
constexpr unsigned kFutex2SizeU32 = 0x02;
constexpr unsigned kFutex2Private = 128;
constexpr std::uint64_t kMatchAny = 0xffffffffu; // FUTEX_BITSET_MATCH_ANY

class Futex : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_FUTEX_WAIT);
        OPS_REQUIRE_OP(IORING_OP_FUTEX_WAKE);
    }

    void queue_wait(std::uint32_t *word, std::uint64_t expected, std::uint64_t ud)
    {
        OPS_SQE(sqe, ring());
        io_uring_prep_futex_wait(sqe, word, expected, kMatchAny, kFutex2SizeU32 | kFutex2Private, 0);
        io_uring_sqe_set_data64(sqe, ud);
        ASSERT_EQ(io_uring_submit(ring()), 1);
    }
};

TEST_P(Futex, WaitWokenByRingWake)
{
    std::uint32_t word = 0;
    ASSERT_NO_FATAL_FAILURE(queue_wait(&word, 0, 1));
    ASSERT_FALSE(ops::cqe_ready(ring())) << "the waiter sleeps while *futex == val";

    word = 1;
    OPS_SQE(wake, ring());
    io_uring_prep_futex_wake(wake, &word, 1, kMatchAny, kFutex2SizeU32 | kFutex2Private, 0);
    io_uring_sqe_set_data64(wake, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 2).res, 1) << "wake reports one woken waiter";
    EXPECT_EQ(ops::by_data(cqes, 1).res, 0) << "the waiter completes with 0";
}

TEST_P(Futex, WaitWokenBySyscall)
{
    std::uint32_t word = 5;
    ASSERT_NO_FATAL_FAILURE(queue_wait(&word, 5, 3));
    ASSERT_FALSE(ops::cqe_ready(ring()));
    // The ring's waiter is an ordinary private futex waiter on this address.
    long woken = ::syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
    EXPECT_EQ(woken, 1);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    EXPECT_EQ(c.user_data, 3u);
    EXPECT_EQ(c.res, 0);
}

TEST_P(Futex, WaitValueMismatchIsEagain)
{
    std::uint32_t word = 7;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_futex_wait(sqe, &word, 8, kMatchAny, kFutex2SizeU32 | kFutex2Private, 0);
    });
    EXPECT_EQ(c.res, -EAGAIN) << "val is compared with *futex";
}

TEST_P(Futex, WakeWithoutWaitersIsZero)
{
    std::uint32_t word = 0;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_futex_wake(sqe, &word, 1, kMatchAny, kFutex2SizeU32 | kFutex2Private, 0);
    });
    EXPECT_EQ(c.res, 0);
}

TEST_P(Futex, WakeRespectsMask)
{
    std::uint32_t word = 0;
    // Waiter with bitset 0x1; a wake with mask 0x2 must not wake it.
    OPS_SQE(w, ring());
    io_uring_prep_futex_wait(w, &word, 0, 0x1, kFutex2SizeU32 | kFutex2Private, 0);
    io_uring_sqe_set_data64(w, 10);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ops::Cqe miss = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_futex_wake(sqe, &word, 1, 0x2, kFutex2SizeU32 | kFutex2Private, 0);
    }, 11);
    EXPECT_EQ(miss.res, 0) << "mask did not match";
    OPS_SQE(hit, ring());
    io_uring_prep_futex_wake(hit, &word, 1, 0x1, kFutex2SizeU32 | kFutex2Private, 0);
    io_uring_sqe_set_data64(hit, 12);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 12).res, 1);
    EXPECT_EQ(ops::by_data(cqes, 10).res, 0);
}

TEST_P(Futex, WaitvReportsWokenIndex)
{
    OPS_REQUIRE_OP(IORING_OP_FUTEX_WAITV);
    std::uint32_t words[2] = {0, 0};
    futex_waitv vec[2] = {};
    for (int i = 0; i < 2; ++i) {
        vec[i].val = 0;
        vec[i].uaddr = reinterpret_cast<std::uintptr_t>(&words[i]);
        vec[i].flags = kFutex2SizeU32 | kFutex2Private;
    }
    OPS_SQE(w, ring());
    io_uring_prep_futex_waitv(w, vec, 2, 0);
    io_uring_sqe_set_data64(w, 20);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    ASSERT_FALSE(ops::cqe_ready(ring()));

    OPS_SQE(wake, ring());
    io_uring_prep_futex_wake(wake, &words[1], 1, kMatchAny, kFutex2SizeU32 | kFutex2Private, 0);
    io_uring_sqe_set_data64(wake, 21);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 21).res, 1);
    EXPECT_EQ(ops::by_data(cqes, 20).res, 1) << "res is the index of the futex that woke";
}

OPS_INSTANTIATE(Futex);

} // namespace
