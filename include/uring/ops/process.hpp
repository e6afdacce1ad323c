// Processes: waitid.
#pragma once

#include <liburing.h>

#include <signal.h>
#include <sys/wait.h>

namespace uring {

// io_uring_prep_waitid: waitid(2) (Linux 6.7). Waits, without blocking the
// thread, for a child matching (idtype, id) to change state as `options`
// asks (WEXITED, WSTOPPED, WCONTINUED, WNOWAIT; WNOHANG makes it return at
// once). res is 0 with the child's status in *info, or -errno (-ECHILD: no
// such child). *info must stay valid until the CQE.
struct waitid {
    static constexpr io_uring_op opcode = IORING_OP_WAITID;

    idtype_t idtype;
    id_t id;
    siginfo_t *info;
    int options = WEXITED;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_waitid(sqe, idtype, id, info, options, 0); }
};

} // namespace uring
