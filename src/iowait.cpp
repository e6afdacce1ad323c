// Exported: io_uring_set_iowait.
#include "internal.h"

using namespace bareuring;

// liburing: io_uring_set_iowait. Waiting in io_uring_enter normally counts
// as iowait (which some systems read as "disk busy"); with
// IORING_FEAT_NO_IOWAIT the ring can opt out on every enter.
BAREURING_API int io_uring_set_iowait(struct io_uring *ring, bool enable_iowait) noexcept
{
    if (!ring)
        return -EFAULT;
    if (!(ring->features & IORING_FEAT_NO_IOWAIT))
        return -EOPNOTSUPP;
    if (enable_iowait)
        ring->int_flags = static_cast<std::uint8_t>(ring->int_flags & ~kIntFlagNoIowait);
    else
        ring->int_flags |= kIntFlagNoIowait;
    return 0;
}
