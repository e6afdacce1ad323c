// Restricted rings: a ring created with IORING_SETUP_R_DISABLED accepts a
// one-time allow-list of opcodes and SQE flags, then is enabled.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_restrictions: only valid while the ring is still
// disabled; the kernel enforces that.
BAREURING_API int io_uring_register_restrictions(struct io_uring *ring, struct io_uring_restriction *res,
                                                 unsigned int nr_res) noexcept
{
    return register_on(ring, IORING_REGISTER_RESTRICTIONS, res, nr_res);
}

// io_uring_enable_rings: starts a ring created with IORING_SETUP_R_DISABLED.
BAREURING_API int io_uring_enable_rings(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_REGISTER_ENABLE_RINGS, nullptr, 0);
}
