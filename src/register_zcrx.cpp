// Zero-copy receive: interface queues and their control operations.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_ifq: the kernel fills in reg->offsets, reg->zcrx_id and
// the area token.
BAREURING_API int io_uring_register_ifq(struct io_uring *ring, struct io_uring_zcrx_ifq_reg *reg) noexcept
{
    return register_on(ring, IORING_REGISTER_ZCRX_IFQ, reg, 1);
}

// io_uring_register_zcrx_ctrl: ctrl->op picks the operation; nr_args is 0.
BAREURING_API int io_uring_register_zcrx_ctrl(struct io_uring *ring, struct zcrx_ctrl *ctrl) noexcept
{
    return register_on(ring, IORING_REGISTER_ZCRX_CTRL, ctrl, 0);
}
