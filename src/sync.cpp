// Synchronous operations done through io_uring_register instead of an SQE.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_sync_cancel: cancels matching requests and waits for
// them (up to reg->timeout). -ENOENT when nothing matched.
BAREURING_API int io_uring_register_sync_cancel(struct io_uring *ring, struct io_uring_sync_cancel_reg *reg) noexcept
{
    return register_on(ring, IORING_REGISTER_SYNC_CANCEL, reg, 1);
}

// io_uring_register_sync_msg: posts a MSG_RING (prepared with
// io_uring_prep_msg_ring*) to its target ring without any source ring, hence
// fd -1.
BAREURING_API int io_uring_register_sync_msg(struct io_uring_sqe *sqe) noexcept
{
    return register_without_ring(IORING_REGISTER_SEND_MSG_RING, sqe, 1);
}
