// Multishot operations: one SQE, many CQEs, each flagged IORING_CQE_F_MORE
// except the last. Recv and read pick a provided buffer per CQE from a
// buffer group (see buffer_ring.hpp). The event loop exposes these as
// generators (multishot.hpp); on a bare ring, read the CQEs yourself.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <poll.h>
#include <sys/socket.h>

#include "../fd.hpp"

namespace uring {

// io_uring_prep_multishot_accept: one CQE per accepted connection.
struct multishot_accept {
    static constexpr io_uring_op opcode = IORING_OP_ACCEPT;
    static constexpr bool multishot = true;

    file_ref file;
    int flags = SOCK_CLOEXEC;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_multishot_accept(sqe, file.value, nullptr, nullptr, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_recv_multishot with IOSQE_BUFFER_SELECT: one CQE per chunk
// received, in a buffer of group `buffer_group`.
struct recv_multishot {
    static constexpr io_uring_op opcode = IORING_OP_RECV;
    static constexpr bool multishot = true;

    file_ref file;
    std::uint16_t buffer_group;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_recv_multishot(sqe, file.value, nullptr, 0, flags);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = buffer_group;
        file.apply(sqe);
    }
};

// io_uring_prep_recvmsg_multishot with IOSQE_BUFFER_SELECT: one CQE per
// message received, in a buffer of group `buffer_group` laid out as a
// struct io_uring_recvmsg_out, message->msg_namelen bytes of source address,
// message->msg_controllen bytes of control data, then the payload (parse it
// with received_message, received_message.hpp). The kernel uses only those
// two lengths of *message (the other fields must be zero), and *message must
// stay valid until the final CQE.
struct recvmsg_multishot {
    static constexpr io_uring_op opcode = IORING_OP_RECVMSG;
    static constexpr bool multishot = true;

    file_ref file;
    msghdr *message;
    std::uint16_t buffer_group;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_recvmsg_multishot(sqe, file.value, message, flags);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = buffer_group;
        file.apply(sqe);
    }
};

// io_uring_prep_read_multishot: one CQE per read, in a buffer of group
// `buffer_group` (Linux 6.7; pipes, eventfds and other pollable files).
struct read_multishot {
    static constexpr io_uring_op opcode = IORING_OP_READ_MULTISHOT;
    static constexpr bool multishot = true;

    file_ref file;
    std::uint16_t buffer_group;
    unsigned length = 0; // 0: the size of the picked buffer

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_read_multishot(sqe, file.value, length, 0, buffer_group);
        file.apply(sqe);
    }
};

// io_uring_prep_poll_multishot: one CQE (the event mask) per readiness
// change.
struct poll_multishot {
    static constexpr io_uring_op opcode = IORING_OP_POLL_ADD;
    static constexpr bool multishot = true;

    file_ref file;
    unsigned events = POLLIN;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_poll_multishot(sqe, file.value, events);
        file.apply(sqe);
    }
};

} // namespace uring
