// The clock wait timeouts are measured against.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_clock: CLOCK_MONOTONIC (default) or CLOCK_BOOTTIME.
BAREURING_API int io_uring_register_clock(struct io_uring *ring, struct io_uring_clock_register *arg) noexcept
{
    return register_on(ring, IORING_REGISTER_CLOCK, arg, 0);
}
