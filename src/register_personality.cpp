// Personalities: snapshots of the registering task's credentials that an SQE
// can run under (sqe->personality).
#include "register_common.h"

using namespace bareuring;

// io_uring_register_personality: returns the new id (> 0).
BAREURING_API int io_uring_register_personality(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_REGISTER_PERSONALITY, nullptr, 0);
}

// io_uring_unregister_personality: the id travels in nr_args.
BAREURING_API int io_uring_unregister_personality(struct io_uring *ring, int id) noexcept
{
    return register_on(ring, IORING_UNREGISTER_PERSONALITY, nullptr, static_cast<unsigned>(id));
}
