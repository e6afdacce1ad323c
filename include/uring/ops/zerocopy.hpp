// Zero-copy sends: send_zc, send_zc_fixed, sendmsg_zc, sendmsg_zc_fixed.
//
// The kernel sends straight from the caller's pages instead of copying them
// (send_zc Linux 6.0, sendmsg_zc 6.1, sendmsg_zc_fixed 6.15). Each request
// posts two CQEs with the same user_data:
//   1. the result: bytes sent or -errno, flagged IORING_CQE_F_MORE;
//   2. a notification, flagged IORING_CQE_F_NOTIF (and not MORE), once the
//      kernel no longer reads the buffer. With IORING_SEND_ZC_REPORT_USAGE
//      in zc_flags its res has IORING_NOTIF_USAGE_ZC_COPIED set if the data
//      was copied after all (loopback always copies).
// The buffer (and, for sendmsg_zc, the iovecs it names) must stay valid and
// unchanged until the notification. A request that fails before it starts
// posts only the first CQE, without MORE.
//
// On a ring, read both CQEs yourself. Through event_loop::run, co_await
// yields the result (first CQE) and resumes only after the notification, so
// a buffer in the coroutine frame is safe; the loop's lifetime rules (cancel
// and drain on destruction) wait for the notification too.
#pragma once

#include <liburing.h>

#include <sys/socket.h>

#include "../buffer.hpp"
#include "../fd.hpp"
#include "common.hpp"

namespace uring {

// io_uring_prep_send_zc: send(2) without copying `buffer`. zc_flags:
// IORING_RECVSEND_POLL_FIRST, IORING_SEND_ZC_REPORT_USAGE.
struct send_zc {
    static constexpr io_uring_op opcode = IORING_OP_SEND_ZC;

    file_ref file;
    const_buffer buffer;
    int flags = MSG_NOSIGNAL;
    unsigned zc_flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_send_zc(sqe, file.value, buffer.data(), buffer.size(), flags, zc_flags);
        file.apply(sqe);
    }
};

// io_uring_prep_send_zc_fixed: send_zc from registered buffer
// `buffer_index` (ring::register_buffers); `buffer` must lie inside it.
struct send_zc_fixed {
    static constexpr io_uring_op opcode = IORING_OP_SEND_ZC;

    file_ref file;
    const_buffer buffer;
    unsigned buffer_index;
    int flags = MSG_NOSIGNAL;
    unsigned zc_flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_send_zc_fixed(sqe, file.value, buffer.data(), buffer.size(), flags, zc_flags, buffer_index);
        file.apply(sqe);
    }
};

// io_uring_prep_sendmsg_zc: sendmsg(2) without copying the payload. The
// kernel copies the msghdr itself at submission; the iovecs' memory must
// stay valid until the notification.
struct sendmsg_zc {
    static constexpr io_uring_op opcode = IORING_OP_SENDMSG_ZC;

    file_ref file;
    const msghdr *message;
    unsigned flags = MSG_NOSIGNAL;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_sendmsg_zc(sqe, file.value, message, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_sendmsg_zc_fixed: sendmsg_zc whose iovecs all lie inside
// registered buffer `buffer_index` (Linux 6.15).
struct sendmsg_zc_fixed {
    static constexpr io_uring_op opcode = IORING_OP_SENDMSG_ZC;

    file_ref file;
    const msghdr *message;
    unsigned buffer_index;
    unsigned flags = MSG_NOSIGNAL;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_sendmsg_zc_fixed(sqe, file.value, message, flags, buffer_index);
        file.apply(sqe);
    }
};

} // namespace uring
