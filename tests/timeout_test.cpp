// Waiting: the return conventions of the wait/peek family on empty and
// non-empty rings (-ETIME, -EAGAIN, the submit count of
// io_uring_submit_and_wait_timeout), IORING_OP_TIMEOUT itself, sigmasks
// passed through io_uring_wait_cqes, and one thread submitting while another
// waits on the same ring.
#include <liburing.h>

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"
#include "support/temp_dir.h"

namespace bt = bareuring_test;

namespace {

__kernel_timespec ms(long n)
{
    __kernel_timespec ts;
    ts.tv_sec = n / 1000;
    ts.tv_nsec = (n % 1000) * 1000000L;
    return ts;
}

class Wait : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(io_uring_queue_init(8, &ring_, 0), 0);
        live_ = true;
    }
    void TearDown() override
    {
        if (live_)
            io_uring_queue_exit(&ring_);
    }
    void queue_nop(std::uint64_t ud)
    {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, ud);
    }
    io_uring ring_;
    bool live_ = false;
};

// ---- empty ring -------------------------------------------------------------

TEST_F(Wait, WaitCqeTimeoutOnEmptyRingIsEtime)
{
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts = ms(10);
    errno = 4242;
    EXPECT_EQ(io_uring_wait_cqe_timeout(&ring_, &cqe, &ts), -ETIME);
    EXPECT_EQ(errno, 4242);
    // With IORING_FEAT_EXT_ARG the timeout is an enter argument, not an SQE.
    ASSERT_TRUE(ring_.features & IORING_FEAT_EXT_ARG);
    EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{0, 0, 0, 0, 0, 0}));
}

TEST_F(Wait, PeekAndGetCqeOnEmptyRingAreEagain)
{
    io_uring_cqe *cqe = reinterpret_cast<io_uring_cqe *>(0x1);
    EXPECT_EQ(io_uring_peek_cqe(&ring_, &cqe), -EAGAIN);
    EXPECT_EQ(cqe, nullptr);
    cqe = reinterpret_cast<io_uring_cqe *>(0x1);
    EXPECT_EQ(__io_uring_get_cqe(&ring_, &cqe, 0, 0, nullptr), -EAGAIN);
    EXPECT_EQ(io_uring_wait_cqe_nr(&ring_, &cqe, 0), -EAGAIN);
    EXPECT_EQ(io_uring_cq_ready(&ring_), 0u);
}

// ---- io_uring_submit_and_wait_timeout -------------------------------------------

// Submits the NOP, waits for it: returns the submit count (1) with the CQE.
TEST_F(Wait, SubmitAndWaitTimeoutReturnsSubmittedCount)
{
    queue_nop(1);
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts = ms(5000);
    ASSERT_EQ(io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr), 1);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 1u);
    EXPECT_EQ(cqe->res, 0);
    EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{1, 1, 1, 1, 0, 1}));
    io_uring_cqe_seen(&ring_, cqe);
}

// A CQE already waiting and nothing to submit: returns 0 with that CQE.
TEST_F(Wait, SubmitAndWaitTimeoutReturnsZeroWhenCqePending)
{
    queue_nop(2);
    ASSERT_EQ(io_uring_submit(&ring_), 1);
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts = ms(5000);
    ASSERT_EQ(io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr), 0);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 2u);
    io_uring_cqe_seen(&ring_, cqe);
}

// Submitted a read that cannot complete; the wait times out. liburing 2.15
// returns the submit count (1) with *cqe_ptr == NULL, not -ETIME.
TEST_F(Wait, SubmitAndWaitTimeoutReturnsCountAndNullCqeOnTimeout)
{
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    bt::ScopedFd rd(fds[0]), wr(fds[1]);
    char buf[16];
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, rd.get(), buf, sizeof buf, 0);
    io_uring_sqe_set_data64(sqe, 3);

    io_uring_cqe *cqe = reinterpret_cast<io_uring_cqe *>(0x1);
    __kernel_timespec ts = ms(20);
    EXPECT_EQ(io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr), 1);
    EXPECT_EQ(cqe, nullptr);
    EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{1, 1, 1, 1, 0, 0}));

    // Nothing new to submit and still nothing completes: now -ETIME.
    cqe = reinterpret_cast<io_uring_cqe *>(0x1);
    EXPECT_EQ(io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr), -ETIME);

    // EOF on the pipe completes the read with 0.
    wr.reset();
    io_uring_cqe done;
    ASSERT_EQ(bt::wait_one(&ring_, &done), 0);
    EXPECT_EQ(done.user_data, 3u);
    EXPECT_EQ(done.res, 0);
}

TEST_F(Wait, SubmitAndWaitTimeoutOnEmptyRingIsEtime)
{
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts = ms(10);
    EXPECT_EQ(io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr), -ETIME);
}

// ---- IORING_OP_TIMEOUT --------------------------------------------------------

TEST_F(Wait, TimeoutOpExpiresWithEtime)
{
    __kernel_timespec ts = ms(10);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_timeout(sqe, &ts, 0, 0);
    io_uring_sqe_set_data64(sqe, 40);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_TIMEOUT, -1, bt::ptr_u64(&ts), 1, 0, 40)));
    ASSERT_EQ(io_uring_submit(&ring_), 1);
    EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{1, 1, 1, 1, 0, 0}));

    io_uring_cqe cqe;
    ASSERT_EQ(bt::wait_one(&ring_, &cqe), 0);
    EXPECT_EQ(cqe.user_data, 40u);
    EXPECT_EQ(cqe.res, -ETIME);
}

// A counting timeout completes with 0 once `count` other CQEs were posted.
TEST_F(Wait, TimeoutOpCountCompletesWithZero)
{
    __kernel_timespec ts = ms(60000);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_timeout(sqe, &ts, 1, IORING_TIMEOUT_ETIME_SUCCESS);
    io_uring_sqe_set_data64(sqe, 50);
    io_uring_sqe want = bt::rw_sqe(IORING_OP_TIMEOUT, -1, bt::ptr_u64(&ts), 1, 1, 50);
    want.timeout_flags = IORING_TIMEOUT_ETIME_SUCCESS;
    EXPECT_TRUE(bt::SqeEquals(sqe, want));
    ASSERT_EQ(io_uring_submit(&ring_), 1);

    queue_nop(51);
    ASSERT_EQ(io_uring_submit(&ring_), 1);

    int res_timeout = 1, res_nop = 1;
    for (int i = 0; i < 2; ++i) {
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring_, &cqe), 0);
        (cqe.user_data == 50 ? res_timeout : res_nop) = cqe.res;
    }
    EXPECT_EQ(res_nop, 0);
    EXPECT_EQ(res_timeout, 0);
}

// ---- sigmask ------------------------------------------------------------------

std::atomic<int> g_usr1_count{0};
void on_usr1(int) { g_usr1_count.fetch_add(1); }

// While this test runs SIGUSR1 is blocked in this thread and has a handler.
class WaitSigmask : public Wait {
protected:
    void SetUp() override
    {
        Wait::SetUp();
        struct sigaction sa;
        std::memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        ASSERT_EQ(::sigaction(SIGUSR1, &sa, &old_action_), 0);
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask_), 0);
        g_usr1_count = 0;
    }
    void TearDown() override
    {
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        ::sigaction(SIGUSR1, &old_action_, nullptr);
        Wait::TearDown();
    }
    // Makes SIGUSR1 pending on this thread (it stays blocked).
    static void raise_pending()
    {
        ::syscall(SYS_tgkill, ::getpid(), ::gettid(), SIGUSR1);
    }
    // The thread's current mask minus SIGUSR1: waiting with it lets the
    // pending signal in.
    static sigset_t mask_without_usr1()
    {
        sigset_t m;
        ::pthread_sigmask(SIG_BLOCK, nullptr, &m);
        sigdelset(&m, SIGUSR1);
        return m;
    }
    struct sigaction old_action_;
    sigset_t old_mask_;
};

// A sigmask that blocks nothing new does not disturb a normal wait.
TEST_F(WaitSigmask, WaitCqesWithSigmaskReturnsCqe)
{
    sigset_t m;
    ::pthread_sigmask(SIG_BLOCK, nullptr, &m); // keep SIGUSR1 blocked
    queue_nop(60);
    ASSERT_EQ(io_uring_submit(&ring_), 1);
    io_uring_cqe *cqe = nullptr;
    ASSERT_EQ(io_uring_wait_cqes(&ring_, &cqe, 1, nullptr, &m), 0);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 60u);
    io_uring_cqe_seen(&ring_, cqe);

    queue_nop(61);
    ASSERT_EQ(io_uring_submit(&ring_), 1);
    __kernel_timespec ts = ms(5000);
    ASSERT_EQ(io_uring_wait_cqes(&ring_, &cqe, 1, &ts, &m), 0);
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 61u);
    io_uring_cqe_seen(&ring_, cqe);
    EXPECT_EQ(g_usr1_count.load(), 0);
}

// The sigmask really is installed for the wait: a pending, otherwise blocked
// SIGUSR1 is delivered and the wait ends with -EINTR. A library that dropped
// the mask would instead wait for the timeout and return something else.
TEST_F(WaitSigmask, SigmaskUnblocksPendingSignalNoTimeout)
{
    // Safety net so a broken library cannot hang the test: a 10 s timeout
    // request completes the wait eventually (and the test then fails).
    __kernel_timespec net = ms(10000);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_timeout(sqe, &net, 0, 0);
    io_uring_sqe_set_data64(sqe, 70);
    ASSERT_EQ(io_uring_submit(&ring_), 1);

    raise_pending();
    sigset_t m = mask_without_usr1();
    io_uring_cqe *cqe = nullptr;
    EXPECT_EQ(io_uring_wait_cqes(&ring_, &cqe, 1, nullptr, &m), -EINTR);
    EXPECT_EQ(g_usr1_count.load(), 1);
}

TEST_F(WaitSigmask, SigmaskUnblocksPendingSignalWithTimeout)
{
    raise_pending();
    sigset_t m = mask_without_usr1();
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts = ms(10000);
    EXPECT_EQ(io_uring_wait_cqes(&ring_, &cqe, 1, &ts, &m), -EINTR);
    EXPECT_EQ(g_usr1_count.load(), 1);
}

// ---- two threads ---------------------------------------------------------------

// One thread submits NOPs one at a time while another blocks in a wait on
// the same ring; every completion arrives exactly once. The waiter uses a
// timed wait only so that it can notice a failed submitter and stop; the
// timeout is never asserted on.
TEST_F(Wait, OneThreadSubmitsAnotherWaits)
{
    constexpr unsigned kTotal = 200;
    std::vector<int> seen(kTotal, 0);
    std::atomic<int> wait_error{0};
    std::atomic<bool> stop{false};

    std::thread waiter([&] {
        unsigned n = 0;
        while (n < kTotal && !stop.load()) {
            io_uring_cqe *cqe = nullptr;
            __kernel_timespec ts = ms(1000);
            const int ret = io_uring_wait_cqe_timeout(&ring_, &cqe, &ts);
            if (ret == -ETIME)
                continue;
            if (ret < 0 || !cqe) {
                wait_error = ret < 0 ? ret : -ENODATA;
                return;
            }
            if (cqe->user_data < kTotal)
                ++seen[cqe->user_data];
            io_uring_cqe_seen(&ring_, cqe);
            ++n;
        }
    });

    int submit_error = 0;
    unsigned submitted = 0;
    for (; submitted < kTotal; ++submitted) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        if (!sqe) { // each NOP is consumed by its own submit, so never full
            submit_error = -EBUSY;
            break;
        }
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, submitted);
        const int ret = io_uring_submit(&ring_);
        if (ret != 1) {
            submit_error = ret < 0 ? ret : -EIO;
            break;
        }
    }
    if (submit_error)
        stop = true;
    waiter.join();
    ASSERT_EQ(submit_error, 0) << "after " << submitted << " submits";
    EXPECT_EQ(wait_error.load(), 0);
    EXPECT_EQ(seen, std::vector<int>(kTotal, 1));
    EXPECT_EQ(bt::indices(ring_), (bt::RingIndices{kTotal, kTotal, kTotal, kTotal, kTotal, kTotal}));
}

} // namespace
