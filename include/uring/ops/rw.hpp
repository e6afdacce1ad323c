// Reading and writing: read, write, read_fixed, write_fixed, readv, writev,
// splice, tee.
//
// Buffers are borrowed: they must stay valid until the operation's CQE
// (the event loop guarantees that for buffers living in the awaiting
// coroutine, see docs/cpp-api.md).
#pragma once

#include <liburing.h>

#include <cstdint>
#include <span>
#include <sys/uio.h>

#include "../buffer.hpp"
#include "../fd.hpp"
#include "common.hpp"

namespace uring {

// io_uring_prep_read: pread(2), or read(2) at current_position.
struct read {
    static constexpr io_uring_op opcode = IORING_OP_READ;

    file_ref file;
    mutable_buffer buffer;
    std::uint64_t offset = current_position;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_read(sqe, file.value, buffer.data(), detail::clamp_len(buffer.size()), offset);
        file.apply(sqe);
    }
};

// io_uring_prep_write: pwrite(2), or write(2) at current_position.
struct write {
    static constexpr io_uring_op opcode = IORING_OP_WRITE;

    file_ref file;
    const_buffer buffer;
    std::uint64_t offset = current_position;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_write(sqe, file.value, buffer.data(), detail::clamp_len(buffer.size()), offset);
        file.apply(sqe);
    }
};

// io_uring_prep_read_fixed: read into (part of) registered buffer
// `buffer_index` (ring::register_buffers).
struct read_fixed {
    static constexpr io_uring_op opcode = IORING_OP_READ_FIXED;

    file_ref file;
    mutable_buffer buffer;
    std::uint64_t offset;
    int buffer_index;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_read_fixed(sqe, file.value, buffer.data(), detail::clamp_len(buffer.size()), offset,
                                 buffer_index);
        file.apply(sqe);
    }
};

// io_uring_prep_write_fixed: write from (part of) registered buffer
// `buffer_index`.
struct write_fixed {
    static constexpr io_uring_op opcode = IORING_OP_WRITE_FIXED;

    file_ref file;
    const_buffer buffer;
    std::uint64_t offset;
    int buffer_index;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_write_fixed(sqe, file.value, buffer.data(), detail::clamp_len(buffer.size()), offset,
                                  buffer_index);
        file.apply(sqe);
    }
};

// io_uring_prep_readv2: preadv2(2). The iovec array must stay valid until
// the CQE, like the buffers it points to.
struct readv {
    static constexpr io_uring_op opcode = IORING_OP_READV;

    file_ref file;
    std::span<const iovec> iovecs;
    std::uint64_t offset = current_position;
    int rw_flags = 0; // RWF_*

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_readv2(sqe, file.value, iovecs.data(), detail::clamp_len(iovecs.size()), offset, rw_flags);
        file.apply(sqe);
    }
};

// io_uring_prep_writev2: pwritev2(2).
struct writev {
    static constexpr io_uring_op opcode = IORING_OP_WRITEV;

    file_ref file;
    std::span<const iovec> iovecs;
    std::uint64_t offset = current_position;
    int rw_flags = 0; // RWF_*

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_writev2(sqe, file.value, iovecs.data(), detail::clamp_len(iovecs.size()), offset,
                              rw_flags);
        file.apply(sqe);
    }
};

// io_uring_prep_splice: splice(2). A fixed input file is flagged with
// SPLICE_F_FD_IN_FIXED, a fixed output file with IOSQE_FIXED_FILE; -1 as
// an offset means "no offset" (pipes, or the file position).
struct splice {
    static constexpr io_uring_op opcode = IORING_OP_SPLICE;

    file_ref in;
    std::int64_t in_offset;
    file_ref out;
    std::int64_t out_offset;
    unsigned length;
    unsigned flags = 0; // SPLICE_F_*

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        unsigned f = flags | (in.fixed() ? SPLICE_F_FD_IN_FIXED : 0u);
        io_uring_prep_splice(sqe, in.value, in_offset, out.value, out_offset, length, f);
        out.apply(sqe);
    }
};

// io_uring_prep_tee: tee(2) between two pipes.
struct tee {
    static constexpr io_uring_op opcode = IORING_OP_TEE;

    file_ref in;
    file_ref out;
    unsigned length;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        unsigned f = flags | (in.fixed() ? SPLICE_F_FD_IN_FIXED : 0u);
        io_uring_prep_tee(sqe, in.value, out.value, length, f);
        out.apply(sqe);
    }
};

} // namespace uring
