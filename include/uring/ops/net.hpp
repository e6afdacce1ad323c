// Socket operations: socket, socket_direct, socket_direct_alloc, connect,
// bind, listen, accept, accept_direct, send, sendto, recv, sendmsg, recvmsg,
// shutdown. (Zero-copy sends: zerocopy.hpp; socket commands: cmd.hpp.)
#pragma once

#include <liburing.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "../buffer.hpp"
#include "../fd.hpp"
#include "common.hpp"

namespace uring {

// io_uring_prep_socket: socket(2). res is the new descriptor.
struct socket {
    static constexpr io_uring_op opcode = IORING_OP_SOCKET;

    int domain;
    int type;
    int protocol = 0;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_socket(sqe, domain, type, protocol, 0); }
};

// io_uring_prep_socket_direct: socket(2) straight into the registered file
// table at `slot` (res 0); IORING_FILE_INDEX_ALLOC picks a free slot and
// res is its index. Use the socket as fixed_file{slot} (Linux 5.19).
struct socket_direct {
    static constexpr io_uring_op opcode = IORING_OP_SOCKET;

    int domain;
    int type; // no SOCK_CLOEXEC: a table slot has no close-on-exec
    int protocol;
    unsigned slot;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_socket_direct(sqe, domain, type, protocol, slot, 0);
    }
};

// io_uring_prep_socket_direct_alloc: socket(2) into a free slot of the
// registered file table; res is the slot index (Linux 5.19).
struct socket_direct_alloc {
    static constexpr io_uring_op opcode = IORING_OP_SOCKET;

    int domain;
    int type;
    int protocol = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_socket_direct_alloc(sqe, domain, type, protocol, 0);
    }
};

// io_uring_prep_connect: connect(2). The address must stay valid until the
// CQE.
struct connect {
    static constexpr io_uring_op opcode = IORING_OP_CONNECT;

    file_ref file;
    const sockaddr *address;
    socklen_t address_length;

    connect(file_ref f, const sockaddr *a, socklen_t len) noexcept : file(f), address(a), address_length(len) {}
    connect(file_ref f, const sockaddr_in &a) noexcept
        : connect(f, reinterpret_cast<const sockaddr *>(&a), sizeof a)
    {
    }
    connect(file_ref f, const sockaddr_in6 &a) noexcept
        : connect(f, reinterpret_cast<const sockaddr *>(&a), sizeof a)
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_connect(sqe, file.value, address, address_length);
        file.apply(sqe);
    }
};

// io_uring_prep_bind: bind(2) (Linux 6.11).
struct bind {
    static constexpr io_uring_op opcode = IORING_OP_BIND;

    file_ref file;
    const sockaddr *address;
    socklen_t address_length;

    bind(file_ref f, const sockaddr *a, socklen_t len) noexcept : file(f), address(a), address_length(len) {}
    bind(file_ref f, const sockaddr_in &a) noexcept : bind(f, reinterpret_cast<const sockaddr *>(&a), sizeof a) {}
    bind(file_ref f, const sockaddr_in6 &a) noexcept : bind(f, reinterpret_cast<const sockaddr *>(&a), sizeof a)
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_bind(sqe, file.value, address, address_length);
        file.apply(sqe);
    }
};

// io_uring_prep_listen: listen(2) (Linux 6.11).
struct listen {
    static constexpr io_uring_op opcode = IORING_OP_LISTEN;

    file_ref file;
    int backlog = SOMAXCONN;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_listen(sqe, file.value, backlog);
        file.apply(sqe);
    }
};

// io_uring_prep_accept: accept4(2). res is the new descriptor. The peer
// address is stored only if `address` is set (and must then stay valid,
// with *address_length, until the CQE).
struct accept {
    static constexpr io_uring_op opcode = IORING_OP_ACCEPT;

    file_ref file;
    int flags = SOCK_CLOEXEC;
    sockaddr *address = nullptr;
    socklen_t *address_length = nullptr;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_accept(sqe, file.value, address, address_length, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_accept_direct: accept4(2) into the registered file table,
// at `slot` or at a free one (IORING_FILE_INDEX_ALLOC; res is the index).
struct accept_direct {
    static constexpr io_uring_op opcode = IORING_OP_ACCEPT;

    file_ref file;
    unsigned slot = IORING_FILE_INDEX_ALLOC;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_accept_direct(sqe, file.value, nullptr, nullptr, flags, slot);
        file.apply(sqe);
    }
};

// io_uring_prep_send: send(2).
struct send {
    static constexpr io_uring_op opcode = IORING_OP_SEND;

    file_ref file;
    const_buffer buffer;
    int flags = MSG_NOSIGNAL;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_send(sqe, file.value, buffer.data(), buffer.size(), flags);
        file.apply(sqe);
    }
};

// io_uring_prep_sendto: sendto(2), a send with a destination address (for
// unconnected datagram sockets). The address must stay valid until the CQE;
// a temporary one is refused.
struct sendto {
    static constexpr io_uring_op opcode = IORING_OP_SEND;

    file_ref file;
    const_buffer buffer;
    const sockaddr *address;
    socklen_t address_length;
    int flags = MSG_NOSIGNAL;

    sendto(file_ref f, const_buffer b, const sockaddr *a, socklen_t len, int fl = MSG_NOSIGNAL) noexcept
        : file(f), buffer(b), address(a), address_length(len), flags(fl)
    {
    }
    sendto(file_ref f, const_buffer b, const sockaddr_in &a, int fl = MSG_NOSIGNAL) noexcept
        : sendto(f, b, reinterpret_cast<const sockaddr *>(&a), sizeof a, fl)
    {
    }
    sendto(file_ref f, const_buffer b, const sockaddr_in6 &a, int fl = MSG_NOSIGNAL) noexcept
        : sendto(f, b, reinterpret_cast<const sockaddr *>(&a), sizeof a, fl)
    {
    }
    sendto(file_ref, const_buffer, const sockaddr_in &&, int = 0) = delete;
    sendto(file_ref, const_buffer, const sockaddr_in6 &&, int = 0) = delete;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_sendto(sqe, file.value, buffer.data(), buffer.size(), flags, address, address_length);
        file.apply(sqe);
    }
};

// io_uring_prep_recv: recv(2).
struct recv {
    static constexpr io_uring_op opcode = IORING_OP_RECV;

    file_ref file;
    mutable_buffer buffer;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_recv(sqe, file.value, buffer.data(), buffer.size(), flags);
        file.apply(sqe);
    }
};

// io_uring_prep_sendmsg: sendmsg(2). The msghdr and everything it points
// to must stay valid until the CQE.
struct sendmsg {
    static constexpr io_uring_op opcode = IORING_OP_SENDMSG;

    file_ref file;
    const msghdr *message;
    unsigned flags = MSG_NOSIGNAL;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_sendmsg(sqe, file.value, message, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_recvmsg: recvmsg(2).
struct recvmsg {
    static constexpr io_uring_op opcode = IORING_OP_RECVMSG;

    file_ref file;
    msghdr *message;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_recvmsg(sqe, file.value, message, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_shutdown: shutdown(2).
struct shutdown {
    static constexpr io_uring_op opcode = IORING_OP_SHUTDOWN;

    file_ref file;
    int how = SHUT_RDWR;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_shutdown(sqe, file.value, how);
        file.apply(sqe);
    }
};

} // namespace uring
