// Passthrough commands (IORING_OP_URING_CMD) with a typed front:
// socket commands (io_uring_prep_cmd_sock: socket_command, socket_inq,
// socket_outq, getsockopt, setsockopt; Linux 6.7) and the block-device
// discard (io_uring_prep_cmd_discard: discard; Linux 6.12).
//
// The kernel answers -EOPNOTSUPP where the file's driver or the socket's
// protocol has no such command.
#pragma once

#include <liburing.h>

#include <sys/socket.h>

#include <climits>
#include <cstdint>

#include "../buffer.hpp"
#include "../fd.hpp"

namespace uring {

// io_uring_prep_cmd_sock: any socket command SOCKET_URING_OP_* with its raw
// arguments; `optval` must stay valid until the CQE.
struct socket_command {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;
    int command;
    int level = 0;
    int optname = 0;
    void *optval = nullptr;
    int optlen = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_cmd_sock(sqe, command, file.value, level, optname, optval, optlen);
        file.apply(sqe);
    }
};

// io_uring_prep_cmd_sock(SOCKET_URING_OP_SIOCINQ): ioctl(SIOCINQ); res is
// the number of bytes waiting to be read (for UDP: the next datagram's size).
struct socket_inq {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SIOCINQ, file.value, 0, 0, nullptr, 0);
        file.apply(sqe);
    }
};

// io_uring_prep_cmd_sock(SOCKET_URING_OP_SIOCOUTQ): ioctl(SIOCOUTQ); res is
// the number of bytes sent but not yet acknowledged (TCP) or not yet gone
// out (UDP).
struct socket_outq {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SIOCOUTQ, file.value, 0, 0, nullptr, 0);
        file.apply(sqe);
    }
};

// io_uring_prep_cmd_sock(SOCKET_URING_OP_GETSOCKOPT): getsockopt(2) into
// `value` (SOL_SOCKET options only); res is the option's length. `value`
// must stay valid until the CQE.
struct getsockopt {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;
    int level;
    int optname;
    mutable_buffer value;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        int len = value.size() > INT_MAX ? INT_MAX : static_cast<int>(value.size());
        io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_GETSOCKOPT, file.value, level, optname, value.data(), len);
        file.apply(sqe);
    }
};

// io_uring_prep_cmd_sock(SOCKET_URING_OP_SETSOCKOPT): setsockopt(2) from
// `value`; res is 0. `value` must stay valid until the CQE.
struct setsockopt {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;
    int level;
    int optname;
    const_buffer value;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        int len = value.size() > INT_MAX ? INT_MAX : static_cast<int>(value.size());
        // The helper takes a void * for both directions; the kernel only
        // reads it here.
        io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SETSOCKOPT, file.value, level, optname,
                               const_cast<std::byte *>(value.data()), len);
        file.apply(sqe);
    }
};

// io_uring_prep_cmd_discard: discard (BLKDISCARD) the byte range
// [offset, offset + length) of a block device opened for writing; both must
// be multiples of its logical block size. res is 0.
struct discard {
    static constexpr io_uring_op opcode = IORING_OP_URING_CMD;

    file_ref file;
    std::uint64_t offset;
    std::uint64_t length;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_cmd_discard(sqe, file.value, offset, length);
        file.apply(sqe);
    }
};

} // namespace uring
