// Exported raw system-call wrappers: io_uring_setup, io_uring_enter,
// io_uring_enter2, io_uring_register. Like liburing's, they return -errno
// and leave errno alone.
#include "internal.h"

using namespace bareuring;

// liburing: io_uring_setup.
BAREURING_API int io_uring_setup(unsigned int entries, struct io_uring_params *p) noexcept
{
    return sys::io_uring_setup(entries, p);
}

// liburing: io_uring_enter — the sigset form (size _NSIG/8).
BAREURING_API int io_uring_enter(unsigned int fd, unsigned int to_submit, unsigned int min_complete,
                                 unsigned int flags, sigset_t *sig) noexcept
{
    return sys::io_uring_enter(fd, to_submit, min_complete, flags, sig, kSigsetSize);
}

// liburing: io_uring_enter2 — explicit argument and size (EXT_ARG forms).
BAREURING_API int io_uring_enter2(unsigned int fd, unsigned int to_submit, unsigned int min_complete,
                                  unsigned int flags, void *arg, size_t sz) noexcept
{
    return sys::io_uring_enter(fd, to_submit, min_complete, flags, arg, sz);
}

// liburing: io_uring_register.
BAREURING_API int io_uring_register(unsigned int fd, unsigned int opcode, const void *arg,
                                    unsigned int nr_args) noexcept
{
    return sys::io_uring_register(fd, opcode, arg, nr_args);
}
