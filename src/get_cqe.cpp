// Exported: __io_uring_get_cqe, the entry point of the inline wait and
// peek helpers (io_uring_wait_cqe, io_uring_wait_cqe_nr, io_uring_peek_cqe).
#include "internal.h"

#include "ring/wait_loop.h"

using namespace bareuring;

// liburing: __io_uring_get_cqe.
BAREURING_API int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned submit,
                                     unsigned wait_nr, sigset_t *sigmask) noexcept
{
    return ring::wait_with_sigmask(ring, cqe_ptr, submit, wait_nr, sigmask);
}

