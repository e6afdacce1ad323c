// Extended attributes: getxattr, setxattr (by path), fgetxattr, fsetxattr
// (by file). Linux 5.19.
//
// Names ("user.comment", ...) and paths are copied by the kernel when it
// picks up the SQE, so they only need to outlive submission (path_ref, which
// refuses temporaries). Value buffers must stay valid until the CQE.
#pragma once

#include <liburing.h>

#include "../buffer.hpp"
#include "../fd.hpp"
#include "common.hpp"

namespace uring {

// io_uring_prep_getxattr: getxattr(2) of `name` on the file at `path` into
// `value`. res is the value's size; an empty `value` asks for the size only;
// -ERANGE if it does not fit, -ENODATA if there is no such attribute.
struct getxattr {
    static constexpr io_uring_op opcode = IORING_OP_GETXATTR;

    path_ref path;
    path_ref name;
    mutable_buffer value;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_getxattr(sqe, name.c_str(), reinterpret_cast<char *>(value.data()), path.c_str(),
                               detail::clamp_len(value.size()));
    }
};

// io_uring_prep_setxattr: setxattr(2) of `name` = `value` on the file at
// `path`; flags XATTR_CREATE / XATTR_REPLACE (0: either).
struct setxattr {
    static constexpr io_uring_op opcode = IORING_OP_SETXATTR;

    path_ref path;
    path_ref name;
    const_buffer value;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_setxattr(sqe, name.c_str(), reinterpret_cast<const char *>(value.data()), path.c_str(), flags,
                               detail::clamp_len(value.size()));
    }
};

// io_uring_prep_fgetxattr: fgetxattr(2), like getxattr on an open file.
struct fgetxattr {
    static constexpr io_uring_op opcode = IORING_OP_FGETXATTR;

    file_ref file;
    path_ref name;
    mutable_buffer value;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_fgetxattr(sqe, file.value, name.c_str(), reinterpret_cast<char *>(value.data()),
                                detail::clamp_len(value.size()));
        file.apply(sqe);
    }
};

// io_uring_prep_fsetxattr: fsetxattr(2), like setxattr on an open file.
struct fsetxattr {
    static constexpr io_uring_op opcode = IORING_OP_FSETXATTR;

    file_ref file;
    path_ref name;
    const_buffer value;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_fsetxattr(sqe, file.value, name.c_str(), reinterpret_cast<const char *>(value.data()), flags,
                                detail::clamp_len(value.size()));
        file.apply(sqe);
    }
};

} // namespace uring
