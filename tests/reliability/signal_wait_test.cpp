// Signals interrupting waits: a blocking wait returns -EINTR when a signal
// handler runs, and the ring is fully usable afterwards (nothing lost,
// nothing completed twice). The sigmask argument of the wait calls is
// honoured both ways: a signal it leaves unblocked interrupts the wait, a
// signal it blocks does not.
#include <liburing.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "submitted.h"

namespace {

std::atomic<int> g_handled{0};

void on_usr1(int) { g_handled.fetch_add(1, std::memory_order_relaxed); }

// SIGUSR1 with a handler and without SA_RESTART, so syscalls it
// interrupts fail with EINTR.
class SignalWait : public ::testing::TestWithParam<unsigned> {
protected:
    void SetUp() override
    {
        struct sigaction sa{};
        sa.sa_handler = on_usr1;
        sigemptyset(&sa.sa_mask);
        ASSERT_EQ(sigaction(SIGUSR1, &sa, &old_), 0);
        int ret = io_uring_queue_init(8, &ring_, GetParam());
        if (ret == -EINVAL)
            GTEST_SKIP() << "ring flags not supported";
        ASSERT_EQ(ret, 0);
        live_ = true;
        ASSERT_EQ(::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK), 0);
    }
    void TearDown() override
    {
        if (live_)
            io_uring_queue_exit(&ring_);
        ::close(pipe_[0]);
        ::close(pipe_[1]);
        sigaction(SIGUSR1, &old_, nullptr);
    }

    // Runs `wait` on this thread while another thread signals it every
    // millisecond until the wait returns; returns what the wait returned.
    int interrupted(const std::function<int()> &wait)
    {
        std::atomic<bool> done{false};
        const pthread_t self = pthread_self();
        std::thread sender([&] {
            while (!done.load()) {
                pthread_kill(self, SIGUSR1);
                ::usleep(1000);
            }
        });
        const int ret = wait();
        done.store(true);
        sender.join();
        return ret;
    }

    void expect_nop_roundtrip(__u64 ud)
    {
        io_uring_sqe *sqe = reliability::next_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, ud);
        ASSERT_TRUE(reliability::SubmittedOk(&ring_, io_uring_submit(&ring_), 1));
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&ring_, &cqe), 0);
        EXPECT_EQ(cqe->user_data, ud);
        io_uring_cqe_seen(&ring_, cqe);
        EXPECT_EQ(io_uring_cq_ready(&ring_), 0u);
    }

    // A poll on the empty pipe: in flight until the pipe is written.
    void queue_poll(__u64 ud)
    {
        io_uring_sqe *sqe = reliability::next_sqe(&ring_);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_poll_add(sqe, pipe_[0], POLLIN);
        io_uring_sqe_set_data64(sqe, ud);
    }

    void complete_poll(__u64 ud)
    {
        ASSERT_EQ(::write(pipe_[1], "x", 1), 1);
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_wait_cqe(&ring_, &cqe), 0);
        EXPECT_EQ(cqe->user_data, ud);
        EXPECT_TRUE(cqe->res & POLLIN);
        io_uring_cqe_seen(&ring_, cqe);
        char c;
        EXPECT_EQ(::read(pipe_[0], &c, 1), 1);
        EXPECT_EQ(io_uring_cq_ready(&ring_), 0u);
    }

    io_uring ring_{};
    bool live_ = false;
    int pipe_[2] = {-1, -1};
    struct sigaction old_{};
};

TEST_P(SignalWait, WaitCqeReturnsEintrAndRingStaysUsable)
{
    for (int i = 0; i < 10; ++i) {
        io_uring_cqe *cqe = reinterpret_cast<io_uring_cqe *>(1);
        EXPECT_EQ(interrupted([&] { return io_uring_wait_cqe(&ring_, &cqe); }), -EINTR);
        EXPECT_EQ(cqe, nullptr);
        expect_nop_roundtrip(static_cast<__u64>(i));
    }
    EXPECT_GT(g_handled.load(), 0);
}

TEST_P(SignalWait, WaitCqeTimeoutReturnsEintrNotEtime)
{
    for (int i = 0; i < 5; ++i) {
        io_uring_cqe *cqe = nullptr;
        __kernel_timespec ts{60, 0};
        EXPECT_EQ(interrupted([&] { return io_uring_wait_cqe_timeout(&ring_, &cqe, &ts); }), -EINTR);
        expect_nop_roundtrip(100 + static_cast<__u64>(i));
    }
}

// The request submitted by the interrupted call is not lost: the kernel
// took it before waiting, and it completes exactly once later.
TEST_P(SignalWait, SubmitAndWaitInterruptedKeepsTheSubmittedRequest)
{
    queue_poll(0xabc);
    const int ret = interrupted([&] { return io_uring_submit_and_wait(&ring_, 1); });
    // The kernel reports the submission when it made one, else the EINTR.
    EXPECT_TRUE(ret == 1 || ret == -EINTR) << ret;
    // Whatever the kernel has not taken yet goes now; what it took must not
    // go twice: complete_poll requires exactly one CQE.
    ASSERT_GE(io_uring_submit(&ring_), 0);
    complete_poll(0xabc);
}

TEST_P(SignalWait, SubmitAndWaitTimeoutInterrupted)
{
    queue_poll(0xdef);
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts{60, 0};
    const int ret = interrupted([&] { return io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr); });
    EXPECT_TRUE(ret == 1 || ret == -EINTR) << ret;
    ASSERT_GE(io_uring_submit(&ring_), 0);
    complete_poll(0xdef);
}

// The thread blocks SIGUSR1; the wait's sigmask unblocks it, so the signal
// is delivered during the wait only, and interrupts it.
TEST_P(SignalWait, SigmaskThatUnblocksLetsTheSignalInterrupt)
{
    sigset_t block, old, during;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &block, &old), 0);
    sigemptyset(&during);
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts{60, 0};
    const int before = g_handled.load();
    EXPECT_EQ(interrupted([&] { return io_uring_wait_cqes(&ring_, &cqe, 1, &ts, &during); }), -EINTR);
    EXPECT_GT(g_handled.load(), before) << "the handler never ran";
    // Drain a signal still pending from the sender, then restore.
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    expect_nop_roundtrip(7);
}

// The sigmask blocks SIGUSR1 for the duration of the wait: signals stay
// pending, the wait is not interrupted, and returns the CQE when the poll
// fires.
TEST_P(SignalWait, SigmaskThatBlocksKeepsTheWaitGoing)
{
    queue_poll(0x5a);
    ASSERT_TRUE(reliability::SubmittedOk(&ring_, io_uring_submit(&ring_), 1));
    sigset_t during;
    sigemptyset(&during);
    sigaddset(&during, SIGUSR1);
    std::atomic<bool> done{false};
    const pthread_t self = pthread_self();
    std::thread sender([&] {
        for (int i = 0; i < 50 && !done.load(); ++i) {
            pthread_kill(self, SIGUSR1);
            ::usleep(1000);
        }
        // Only then make the poll fire.
        if (::write(pipe_[1], "x", 1) != 1)
            std::abort();
    });
    io_uring_cqe *cqe = nullptr;
    const int ret = __io_uring_get_cqe(&ring_, &cqe, 0, 1, &during);
    done.store(true);
    sender.join();
    ASSERT_EQ(ret, 0) << "the wait was interrupted although its sigmask blocked the signal";
    ASSERT_NE(cqe, nullptr);
    EXPECT_EQ(cqe->user_data, 0x5au);
    io_uring_cqe_seen(&ring_, cqe);
    char c;
    EXPECT_EQ(::read(pipe_[0], &c, 1), 1);
}

INSTANTIATE_TEST_SUITE_P(Shapes, SignalWait,
                         ::testing::Values(0u, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
                                           IORING_SETUP_SQPOLL),
                         [](const auto &info) {
                             switch (info.param) {
                             case 0: return std::string("Default");
                             case IORING_SETUP_SQPOLL: return std::string("SqPoll");
                             default: return std::string("DeferTaskrun");
                             }
                         });

} // namespace
