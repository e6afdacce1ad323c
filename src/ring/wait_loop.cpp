// Layer 2: the core wait loop (see wait_loop.h).
#include "ring/wait_loop.h"

#include "ring/protocol.h"

namespace bareuring::ring {

int get_cqe(io_uring *ring, io_uring_cqe **cqe_ptr, wait_request *req) noexcept
{
    if (uring_unlikely(!ring || !cqe_ptr))
        return -EFAULT;
    io_uring_cqe *cqe = nullptr;
    bool entered = false;
    int result = 0; // what we return: the first enter's count, or an error

    for (;;) {
        unsigned available = 0;
        unsigned flags = 0;
        bool need_enter = false;

        if (int err = __io_uring_peek_cqe(ring, &cqe, &available)) {
            // Our internal timeout expired (kernels without EXT_ARG): that
            // is the answer to the wait, whatever the enter submitted.
            result = err;
            break;
        }
        if (!cqe && !req->wait_nr && !req->submit) {
            // Pure peek: enter only once, and only if completions may be
            // held in the kernel (overflow, task work, IOPOLL).
            if (entered || !cq_needs_enter(ring)) {
                if (!result)
                    result = -EAGAIN;
                break;
            }
            need_enter = true;
        }
        if (req->wait_nr > available || need_enter) {
            flags = IORING_ENTER_GETEVENTS | req->get_flags;
            need_enter = true;
        }
        if (sq_needs_enter(ring, req->submit, &flags))
            need_enter = true;
        if (!need_enter)
            break;
        if (entered && req->has_timeout) {
            // The kernel already waited the full timeout once; report it
            // unless something was submitted or found meanwhile.
            bool timed = req->arg_is_offset ||
                         static_cast<const io_uring_getevents_arg *>(req->arg)->ts != 0;
            if (!cqe && !result && timed)
                result = -ETIME;
            break;
        }

        const int ret = sys::io_uring_enter(static_cast<unsigned>(ring->enter_ring_fd), req->submit,
                                            req->wait_nr, flags | enter_flags_base(ring), req->arg,
                                            req->arg_size);
        if (ret < 0) {
            if (!result)
                result = ret;
            break;
        }
        req->submit -= static_cast<unsigned>(ret);
        if (cqe)
            break;
        if (!entered) {
            entered = true;
            result = ret;
        }
    }

    *cqe_ptr = cqe;
    return result;
}

int queue_internal_timeout(io_uring *ring, unsigned wait_nr, __kernel_timespec *ts) noexcept
{
    if (!ring)
        return -EFAULT;
    io_uring_sqe *sqe = _io_uring_get_sqe(ring);
    if (!sqe) {
        // Make room by submitting what is queued, then try once more.
        int ret = io_uring_submit(ring);
        if (ret < 0)
            return ret;
        sqe = _io_uring_get_sqe(ring);
        if (!sqe)
            return -EAGAIN;
    }
    io_uring_prep_timeout(sqe, ts, wait_nr, 0);
    sqe->user_data = LIBURING_UDATA_TIMEOUT;
    return static_cast<int>(flush_sq(ring));
}

} // namespace bareuring::ring
