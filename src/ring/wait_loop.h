// Layer 2: the core wait loop behind every blocking and peeking call.
#pragma once

#include "internal.h"

namespace bareuring::ring {

// What one wait asks of the kernel.
struct wait_request {
    unsigned submit;     // SQEs already flushed and still to submit
    unsigned wait_nr;    // completions to wait for
    unsigned get_flags;  // extra enter flags (EXT_ARG, EXT_ARG_REG) when waiting
    const void *arg;     // sigset, io_uring_getevents_arg, or a reg-wait offset
    std::size_t arg_size;
    bool has_timeout;    // arg carries a timeout: enter at most once
    bool arg_is_offset;  // EXT_ARG_REG: arg is an offset, never dereferenced
};

// Submits, waits and returns the first visible CQE in *cqe_ptr (possibly
// NULL). Returns 0, the number of SQEs the first enter submitted, or -errno
// (-EAGAIN: nothing ready and nothing worth entering for; -ETIME: the
// timeout expired with nothing submitted and nothing completed).
// liburing: _io_uring_get_cqe.
int get_cqe(io_uring *ring, io_uring_cqe **cqe_ptr, wait_request *req) noexcept;

// Waits with only a sigmask (no timeout, or the timeout travels as an SQE):
// the plain io_uring_enter argument form.
inline int wait_with_sigmask(io_uring *ring, io_uring_cqe **cqe_ptr, unsigned submit, unsigned wait_nr,
                             const sigset_t *sigmask) noexcept
{
    wait_request req{};
    req.submit = submit;
    req.wait_nr = wait_nr;
    req.arg = sigmask;
    req.arg_size = kSigsetSize;
    return get_cqe(ring, cqe_ptr, &req);
}

// Queues the library's own IORING_OP_TIMEOUT SQE (kernels without
// IORING_FEAT_EXT_ARG) and flushes. Returns the SQEs to submit or -errno.
int queue_internal_timeout(io_uring *ring, unsigned wait_nr, __kernel_timespec *ts) noexcept;

} // namespace bareuring::ring
