// The io-wq worker pool behind a ring: CPU affinity and worker limits.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_iowq_aff: nr_args carries the mask size in bytes, and
// io_uring_register takes it as an unsigned int; a size that does not fit in
// an int is refused up front with -EINVAL, as liburing does.
BAREURING_API int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz, const cpu_set_t *mask) noexcept
{
    if (cpusz >= (static_cast<size_t>(1) << 31))
        return -EINVAL;
    return register_on(ring, IORING_REGISTER_IOWQ_AFF, mask, static_cast<unsigned>(cpusz));
}

// io_uring_unregister_iowq_aff: back to the default affinity.
BAREURING_API int io_uring_unregister_iowq_aff(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_UNREGISTER_IOWQ_AFF, nullptr, 0);
}

// io_uring_register_iowq_max_workers: values[0] bounded, values[1] unbounded
// (0 = leave as is); the kernel writes the previous limits back.
BAREURING_API int io_uring_register_iowq_max_workers(struct io_uring *ring, unsigned int *values) noexcept
{
    return register_on(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, values, 2);
}
