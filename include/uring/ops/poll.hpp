// Readiness: poll_add, poll_remove.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <poll.h>

#include "../fd.hpp"

namespace uring {

// io_uring_prep_poll_add: one-shot poll(2); res is the ready event mask.
struct poll_add {
    static constexpr io_uring_op opcode = IORING_OP_POLL_ADD;

    file_ref file;
    unsigned events = POLLIN;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_poll_add(sqe, file.value, events);
        file.apply(sqe);
    }
};

// io_uring_prep_poll_remove: remove the poll whose user_data is `target`
// (it completes with -ECANCELED).
struct poll_remove {
    static constexpr io_uring_op opcode = IORING_OP_POLL_REMOVE;

    std::uint64_t target;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_poll_remove(sqe, target); }
};

} // namespace uring
