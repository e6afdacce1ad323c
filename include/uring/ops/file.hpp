// File-system operations: openat, openat_direct, close, statx, fsync,
// fallocate, ftruncate, unlinkat, mkdirat, renameat.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <sys/stat.h>

#include "../fd.hpp"
#include "common.hpp"

namespace uring {

// io_uring_prep_openat: openat(2). res is the new descriptor.
struct openat {
    static constexpr io_uring_op opcode = IORING_OP_OPENAT;

    fd dir;
    path_ref path;
    int flags = O_RDONLY | O_CLOEXEC;
    mode_t mode = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_openat(sqe, dir.get(), path.c_str(), flags, mode);
    }
};

// io_uring_prep_openat_direct: openat(2) straight into the registered file
// table, at `slot` or (IORING_FILE_INDEX_ALLOC) at a free slot, whose index
// is then the result.
struct openat_direct {
    static constexpr io_uring_op opcode = IORING_OP_OPENAT;

    fd dir;
    path_ref path;
    int flags;
    mode_t mode;
    unsigned slot = IORING_FILE_INDEX_ALLOC;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_openat_direct(sqe, dir.get(), path.c_str(), flags, mode, slot);
    }
};

// io_uring_prep_close or, for a fixed_file, io_uring_prep_close_direct
// (which empties the registered slot).
struct close {
    static constexpr io_uring_op opcode = IORING_OP_CLOSE;

    file_ref file;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        if (file.fixed())
            io_uring_prep_close_direct(sqe, static_cast<unsigned>(file.value));
        else
            io_uring_prep_close(sqe, file.value);
    }
};

// io_uring_prep_statx: statx(2) into *out, which must stay valid until the
// CQE.
struct statx {
    static constexpr io_uring_op opcode = IORING_OP_STATX;

    fd dir;
    path_ref path;
    int flags;     // AT_*
    unsigned mask; // STATX_*
    struct ::statx *out;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_statx(sqe, dir.get(), path.c_str(), flags, mask, out);
    }
};

// io_uring_prep_fsync: fsync(2), or fdatasync(2) with IORING_FSYNC_DATASYNC.
struct fsync {
    static constexpr io_uring_op opcode = IORING_OP_FSYNC;

    file_ref file;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_fsync(sqe, file.value, flags);
        file.apply(sqe);
    }
};

// io_uring_prep_fallocate: fallocate(2).
struct fallocate {
    static constexpr io_uring_op opcode = IORING_OP_FALLOCATE;

    file_ref file;
    int mode;
    std::uint64_t offset;
    std::uint64_t length;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_fallocate(sqe, file.value, mode, offset, length);
        file.apply(sqe);
    }
};

#ifdef _GNU_SOURCE
// io_uring_prep_ftruncate: ftruncate(2) (Linux 6.9).
struct ftruncate {
    static constexpr io_uring_op opcode = IORING_OP_FTRUNCATE;

    file_ref file;
    std::int64_t length;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_ftruncate(sqe, file.value, length);
        file.apply(sqe);
    }
};
#endif

// io_uring_prep_unlinkat: unlinkat(2) (AT_REMOVEDIR for directories).
struct unlinkat {
    static constexpr io_uring_op opcode = IORING_OP_UNLINKAT;

    fd dir;
    path_ref path;
    int flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_unlinkat(sqe, dir.get(), path.c_str(), flags); }
};

// io_uring_prep_mkdirat: mkdirat(2).
struct mkdirat {
    static constexpr io_uring_op opcode = IORING_OP_MKDIRAT;

    fd dir;
    path_ref path;
    mode_t mode = 0755;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_mkdirat(sqe, dir.get(), path.c_str(), mode); }
};

// io_uring_prep_renameat: renameat2(2).
struct renameat {
    static constexpr io_uring_op opcode = IORING_OP_RENAMEAT;

    fd old_dir;
    path_ref old_path;
    fd new_dir;
    path_ref new_path;
    unsigned flags = 0; // RENAME_*

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_renameat(sqe, old_dir.get(), old_path.c_str(), new_dir.get(), new_path.c_str(), flags);
    }
};

} // namespace uring
