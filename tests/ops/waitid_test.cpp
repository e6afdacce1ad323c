// IORING_OP_WAITID on forked children: the CQE result, the siginfo the
// kernel fills in (pid, exit status), and that the child was reaped (or,
// with WNOWAIT, left waitable).
#include "ops_support.h"

#include <sys/wait.h>

namespace {

class Waitid : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_WAITID);
    }

    void TearDown() override
    {
        // Never leave a child behind, whatever the test did.
        for (pid_t pid : children_) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }

    // Forks a child that exits with `code` once gate_ is closed (or at once
    // when gate is false).
    pid_t spawn(int code, bool gate)
    {
        int p[2] = {-1, -1};
        if (gate && ::pipe2(p, O_CLOEXEC) != 0)
            return -1;
        pid_t pid = ::fork();
        if (pid == 0) {
            if (gate) {
                ::close(p[1]);
                char c;
                while (::read(p[0], &c, 1) > 0) {
                }
            }
            ::_exit(code);
        }
        if (gate) {
            ::close(p[0]);
            gate_.reset(p[1]);
        }
        if (pid > 0)
            children_.push_back(pid);
        return pid;
    }

    // The child was reaped by the ring: drop it from the cleanup list.
    void forget(pid_t pid)
    {
        for (auto it = children_.begin(); it != children_.end(); ++it)
            if (*it == pid) {
                children_.erase(it);
                break;
            }
    }

    ops::ScopedFd gate_;
    std::vector<pid_t> children_;
};

TEST_P(Waitid, ReapsExitedChild)
{
    pid_t pid = spawn(42, false);
    ASSERT_GT(pid, 0);
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_waitid(sqe, P_PID, static_cast<id_t>(pid), &info, WEXITED, 0);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    forget(pid);
    EXPECT_EQ(info.si_pid, pid);
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 42);
    errno = 0;
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1) << "the child is gone";
    EXPECT_EQ(errno, ECHILD);
}

TEST_P(Waitid, WaitsForRunningChild)
{
    pid_t pid = spawn(7, true);
    ASSERT_GT(pid, 0);
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    OPS_SQE(sqe, ring());
    io_uring_prep_waitid(sqe, P_PID, static_cast<id_t>(pid), &info, WEXITED, 0);
    io_uring_sqe_set_data64(sqe, 5);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    EXPECT_FALSE(ops::cqe_ready(ring())) << "the child is still running";

    gate_.reset(); // lets the child exit
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    forget(pid);
    EXPECT_EQ(info.si_pid, pid);
    EXPECT_EQ(info.si_status, 7);
}

TEST_P(Waitid, NowaitLeavesChildWaitable)
{
    pid_t pid = spawn(3, false);
    ASSERT_GT(pid, 0);
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_waitid(sqe, P_ALL, 0, &info, WEXITED | WNOWAIT, 0);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(info.si_pid, pid);
    // WNOWAIT (in the options) reached the kernel: the child can still be reaped.
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    forget(pid);
}

TEST_P(Waitid, NoChildIsEchild)
{
    siginfo_t info;
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_waitid(sqe, P_PID, static_cast<id_t>(::getpid()), &info, WEXITED, 0);
    });
    EXPECT_EQ(c.res, -ECHILD);
}

OPS_INSTANTIATE(Waitid);

} // namespace
