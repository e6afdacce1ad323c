// One throw-away io_uring_setup(2) call: create a ring with exactly the given
// parameters, note what the kernel said, and release it at once. Used to ask
// the kernel "do you accept this?" without the library adding flags of its
// own (io_uring_queue_init adds IORING_SETUP_NO_SQARRAY, for instance).
#pragma once

#include <liburing.h>

namespace uring_probe {

struct setup_attempt {
    unsigned flags = 0;         // io_uring_params.flags
    unsigned cq_entries = 0;    // io_uring_params.cq_entries (read with CQSIZE)
    unsigned sq_thread_cpu = 0; // io_uring_params.sq_thread_cpu (read with SQ_AFF)
    bool attach_wq = false;     // wq_fd = the fd of a helper ring (ATTACH_WQ)
    bool user_memory = false;   // supply sq_off/cq_off.user_addr (NO_MMAP)
};

// 0 if the kernel accepted `a` for `entries` SQ entries, else -errno. On
// success *out (if given) receives the params the kernel filled in.
[[nodiscard]] int try_setup(unsigned entries, const setup_attempt &a, io_uring_params *out = nullptr);

} // namespace uring_probe
