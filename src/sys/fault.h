// Fault-injection seam for tests (issue 9).
//
// Every call in syscall.cpp asks should_fail() first. In normal builds the
// check compiles to `false`. With BAREURING_FAULT_INJECTION defined, a test
// arms the seam with bareuring_fault_arm(n, err): the n-th following call
// (counting from 1) fails with -err without reaching the kernel. This is the
// only place the library can be made to fail artificially; the kernel itself
// is never mocked.
#pragma once

namespace bareuring::sys {

#if defined(BAREURING_FAULT_INJECTION)
// Returns 0 to proceed, or a negative errno the caller must return.
int fault_check() noexcept;
#else
constexpr int fault_check() noexcept { return 0; }
#endif

} // namespace bareuring::sys

#if defined(BAREURING_FAULT_INJECTION)
extern "C" {
// Fail the n-th seam call from now (n >= 1) with -err; n == 0 disarms.
void bareuring_fault_arm(unsigned long n, int err);
// Number of seam calls seen since the last arm (to size a sweep).
unsigned long bareuring_fault_calls(void);
}
#endif
