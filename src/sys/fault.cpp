// Test-only fault injection (compiled only with BAREURING_FAULT_INJECTION).
#include "sys/fault.h"

#if defined(BAREURING_FAULT_INJECTION)
namespace {
// Plain globals: the sweep tests drive the seam from one thread.
unsigned long g_countdown; // 0 = disarmed
unsigned long g_calls;
int g_err;
} // namespace

namespace bareuring::sys {
int fault_check() noexcept
{
    ++g_calls;
    if (g_countdown == 0)
        return 0;
    if (--g_countdown == 0)
        return -g_err;
    return 0;
}
} // namespace bareuring::sys

extern "C" void bareuring_fault_arm(unsigned long n, int err)
{
    g_countdown = n;
    g_err = err;
    g_calls = 0;
}

extern "C" unsigned long bareuring_fault_calls(void)
{
    return g_calls;
}
#endif
