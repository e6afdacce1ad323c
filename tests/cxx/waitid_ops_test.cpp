// waitid through the ring: a coroutine waits for a forked child without
// blocking the loop, and sees its exit status or the signal that killed it.
#include "cxx_test_util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

// A child running `sh -c script`. (An exec'd program rather than a forked
// copy of this one: under valgrind a forked copy exits with valgrind's
// error status, not its own.)
pid_t spawn_shell(const char *script)
{
    pid_t pid = ::fork();
    if (pid == 0) {
        ::execl("/bin/sh", "sh", "-c", script, static_cast<char *>(nullptr));
        ::_exit(127);
    }
    return pid;
}

TEST(WaitidOps, SeesTheChildsExitStatus)
{
    static_assert(uring::waitid::opcode == IORING_OP_WAITID);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::waitid);
    pid_t child = spawn_shell("sleep 0.1; exit 42");
    ASSERT_GT(child, 0) << std::strerror(errno);

    // The loop keeps running other work while the waitid is pending.
    int ticks = 0;
    loop.spawn([](uring::event_loop &l, int &n) -> uring::task<void> {
        for (int i = 0; i < 3; ++i) {
            co_await l.sleep_for(1ms);
            ++n;
        }
    }(loop, ticks));
    auto wait = [](uring::event_loop &l, pid_t pid) -> uring::task<siginfo_t> {
        siginfo_t info{};
        uring::io_result r = co_await l.run(uring::waitid{P_PID, static_cast<id_t>(pid), &info, WEXITED});
        EXPECT_EQ(r.res, 0) << r.error().message();
        co_return info;
    };
    siginfo_t info = loop.block_on(wait(loop, child));
    EXPECT_EQ(info.si_pid, child);
    EXPECT_EQ(info.si_code, CLD_EXITED);
    EXPECT_EQ(info.si_status, 42);
    EXPECT_EQ(ticks, 3);
    // Reaped: there is nothing left to wait for.
    siginfo_t again{};
    EXPECT_EQ(cxx_test::await1(loop, uring::waitid{P_PID, static_cast<id_t>(child), &again, WEXITED}).res, -ECHILD);
}

TEST(WaitidOps, ReportsAKillingSignalAndHonoursWnohang)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::waitid);
    pid_t child = spawn_shell("exec sleep 10"); // killed long before it would exit
    ASSERT_GT(child, 0);
    // WNOHANG: still running, so it completes at once with an empty info.
    siginfo_t info{};
    uring::io_result r =
        cxx_test::await1(loop, uring::waitid{P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG});
    EXPECT_EQ(r.res, 0) << r.error().message();
    EXPECT_EQ(info.si_pid, 0);

    ASSERT_EQ(::kill(child, SIGKILL), 0);
    siginfo_t killed{};
    r = cxx_test::await1(loop, uring::waitid{P_PID, static_cast<id_t>(child), &killed, WEXITED});
    EXPECT_EQ(r.res, 0) << r.error().message();
    EXPECT_EQ(killed.si_pid, child);
    EXPECT_EQ(killed.si_code, CLD_KILLED);
    EXPECT_EQ(killed.si_status, SIGKILL);
}

} // namespace
