// Exported waiting with timeouts: io_uring_wait_cqes*, io_uring_wait_cqe_timeout
// and the submit-and-wait variants. (__io_uring_get_cqe and
// io_uring_peek_batch_cqe have files of their own, so that a static link
// of a program using only the inline wait helpers pulls in none of this.)
#include "internal.h"

#include "ring/protocol.h"
#include "ring/wait_loop.h"

using namespace bareuring;
using ring::wait_request;

namespace {

// The EXT_ARG argument block: sigmask, timeout and minimum wait together.
io_uring_getevents_arg make_ext_arg(const sigset_t *sigmask, const __kernel_timespec *ts,
                                    unsigned min_wait_usec) noexcept
{
    io_uring_getevents_arg arg{};
    arg.sigmask = reinterpret_cast<std::uintptr_t>(sigmask);
    arg.sigmask_sz = kSigsetSize;
    arg.min_wait_usec = min_wait_usec;
    arg.ts = reinterpret_cast<std::uintptr_t>(ts);
    return arg;
}

// Waits with a timeout through IORING_ENTER_EXT_ARG (Linux 5.11+).
int wait_ext_arg(io_uring *ring, io_uring_cqe **cqe_ptr, unsigned submit, unsigned wait_nr,
                 const __kernel_timespec *ts, unsigned min_wait_usec, const sigset_t *sigmask) noexcept
{
    io_uring_getevents_arg arg = make_ext_arg(sigmask, ts, min_wait_usec);
    wait_request req{};
    req.submit = submit;
    req.wait_nr = wait_nr;
    req.get_flags = IORING_ENTER_EXT_ARG;
    req.arg = &arg;
    req.arg_size = sizeof(arg);
    req.has_timeout = true;
    return ring::get_cqe(ring, cqe_ptr, &req);
}

bool has_feature(const io_uring *ring, unsigned feature) noexcept
{
    return ring->features & feature;
}

} // namespace

// liburing: io_uring_wait_cqes.
BAREURING_API int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr,
                                     struct __kernel_timespec *ts, sigset_t *sigmask) noexcept
{
    if (!ring)
        return -EFAULT;
    if (!ts)
        return ring::wait_with_sigmask(ring, cqe_ptr, 0, wait_nr, sigmask);
    if (has_feature(ring, IORING_FEAT_EXT_ARG))
        return wait_ext_arg(ring, cqe_ptr, 0, wait_nr, ts, 0, sigmask);
    const int to_submit = ring::queue_internal_timeout(ring, wait_nr, ts);
    if (to_submit < 0)
        return to_submit;
    return ring::wait_with_sigmask(ring, cqe_ptr, static_cast<unsigned>(to_submit), wait_nr, sigmask);
}

// liburing: io_uring_wait_cqes_min_timeout.
BAREURING_API int io_uring_wait_cqes_min_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
                                                 unsigned wait_nr, struct __kernel_timespec *ts,
                                                 unsigned int min_ts_usec, sigset_t *sigmask) noexcept
{
    if (!ring)
        return -EFAULT;
    if (!has_feature(ring, IORING_FEAT_MIN_TIMEOUT))
        return -EINVAL;
    return wait_ext_arg(ring, cqe_ptr, 0, wait_nr, ts, min_ts_usec, sigmask);
}

// liburing: io_uring_wait_cqe_timeout.
BAREURING_API int io_uring_wait_cqe_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
                                            struct __kernel_timespec *ts) noexcept
{
    return io_uring_wait_cqes(ring, cqe_ptr, 1, ts, nullptr);
}

// liburing: io_uring_submit_and_wait_timeout. Note the liburing convention
// kept here: when SQEs were submitted and the wait then timed out, the
// result is the (positive) submit count and *cqe_ptr is NULL.
BAREURING_API int io_uring_submit_and_wait_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
                                                   unsigned wait_nr, struct __kernel_timespec *ts,
                                                   sigset_t *sigmask) noexcept
{
    if (!ring)
        return -EFAULT;
    if (ts && has_feature(ring, IORING_FEAT_EXT_ARG))
        return wait_ext_arg(ring, cqe_ptr, ring::flush_sq(ring), wait_nr, ts, 0, sigmask);
    int to_submit;
    if (ts)
        to_submit = ring::queue_internal_timeout(ring, wait_nr, ts);
    else
        to_submit = static_cast<int>(ring::flush_sq(ring));
    if (to_submit < 0)
        return to_submit;
    return ring::wait_with_sigmask(ring, cqe_ptr, static_cast<unsigned>(to_submit), wait_nr, sigmask);
}

// liburing: io_uring_submit_and_wait_min_timeout.
BAREURING_API int io_uring_submit_and_wait_min_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
                                                       unsigned wait_nr, struct __kernel_timespec *ts,
                                                       unsigned min_wait, sigset_t *sigmask) noexcept
{
    if (!ring)
        return -EFAULT;
    if (!has_feature(ring, IORING_FEAT_MIN_TIMEOUT))
        return -EINVAL;
    const unsigned to_submit = ring::flush_sq(ring);
    if (!ts)
        return ring::wait_with_sigmask(ring, cqe_ptr, to_submit, wait_nr, sigmask);
    return wait_ext_arg(ring, cqe_ptr, to_submit, wait_nr, ts, min_wait, sigmask);
}

// liburing: io_uring_submit_and_wait_reg — the wait parameters live in a
// registered region (IORING_MEM_REGION_REG_WAIT_ARG); we pass their offset.
BAREURING_API int io_uring_submit_and_wait_reg(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
                                               unsigned wait_nr, int reg_index) noexcept
{
    if (!ring)
        return -EFAULT;
    // As in liburing 2.15 the SQ is flushed before the feature check.
    const unsigned to_submit = ring::flush_sq(ring);
    if (!has_feature(ring, IORING_FEAT_EXT_ARG))
        return -EINVAL;

    wait_request req{};
    req.submit = to_submit;
    req.wait_nr = wait_nr;
    req.get_flags = IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG;
    req.arg = reinterpret_cast<const void *>(static_cast<std::uintptr_t>(reg_index) * sizeof(io_uring_reg_wait));
    req.arg_size = sizeof(io_uring_reg_wait);
    req.has_timeout = true;
    req.arg_is_offset = true;
    return ring::get_cqe(ring, cqe_ptr, &req);
}
