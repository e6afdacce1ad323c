// NAPI busy polling for sockets served by a ring.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_napi: the kernel writes the previous settings back into
// *napi.
BAREURING_API int io_uring_register_napi(struct io_uring *ring, struct io_uring_napi *napi) noexcept
{
    return register_on(ring, IORING_REGISTER_NAPI, napi, 1);
}

// io_uring_unregister_napi: napi may be NULL; if not, it receives the
// settings that were in force.
BAREURING_API int io_uring_unregister_napi(struct io_uring *ring, struct io_uring_napi *napi) noexcept
{
    return register_on(ring, IORING_UNREGISTER_NAPI, napi, 1);
}
