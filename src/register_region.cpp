// Memory regions shared with the kernel (e.g. registered wait arguments).
#include "register_common.h"

using namespace bareuring;

// io_uring_register_region: reg points at an io_uring_region_desc.
BAREURING_API int io_uring_register_region(struct io_uring *ring, struct io_uring_mem_region_reg *reg) noexcept
{
    return register_on(ring, IORING_REGISTER_MEM_REGION, reg, 1);
}

// io_uring_register_wait_reg: kept only so old binaries still link. The
// interface it served never reached a kernel release; registered waits are
// set up with io_uring_register_region(IORING_MEM_REGION_REG_WAIT_ARG).
// Always -EINVAL, whatever the arguments.
BAREURING_API int io_uring_register_wait_reg(struct io_uring *ring, struct io_uring_reg_wait *reg, int nr) noexcept
{
    (void)ring;
    (void)reg;
    (void)nr;
    return -EINVAL;
}
