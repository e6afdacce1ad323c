// One NOP through the ring, with the six head/tail indices read after each
// step: the library's two private ones (sq.sqe_tail, sq.sqe_head) and the
// four shared with the kernel (*sq.ktail, *sq.khead, *cq.ktail, *cq.khead).
#pragma once

#include <liburing.h>

#include <string>
#include <vector>

namespace uring_layout {

struct indices {
    unsigned sqe_tail;
    unsigned sqe_head;
    unsigned sq_ktail;
    unsigned sq_khead;
    unsigned cq_ktail;
    unsigned cq_khead;
};

struct walk_step {
    std::string call;   // what was just called
    std::string result; // what it returned
    std::string why;    // what the step does to the ring
    indices after;
};

struct walk_result {
    int error = 0; // 0, or -errno of the step that failed (the walk stops)
    std::vector<walk_step> steps;
};

// Runs get_sqe, prep_nop, submit, wait_cqe, cqe_seen on `ring`.
[[nodiscard]] walk_result walk_one_nop(io_uring *ring);

} // namespace uring_layout
