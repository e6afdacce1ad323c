// Completion notification through an eventfd.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_eventfd: the eventfd is signalled whenever a CQE is
// posted. The kernel reads the fd from memory, hence &fd with nr_args 1.
BAREURING_API int io_uring_register_eventfd(struct io_uring *ring, int fd) noexcept
{
    return register_on(ring, IORING_REGISTER_EVENTFD, &fd, 1);
}

// io_uring_register_eventfd_async: only completions that were not posted
// inline with the submission signal the eventfd.
BAREURING_API int io_uring_register_eventfd_async(struct io_uring *ring, int fd) noexcept
{
    return register_on(ring, IORING_REGISTER_EVENTFD_ASYNC, &fd, 1);
}

// io_uring_unregister_eventfd.
BAREURING_API int io_uring_unregister_eventfd(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_UNREGISTER_EVENTFD, nullptr, 0);
}
