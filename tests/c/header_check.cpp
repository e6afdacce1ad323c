// Compile-only check of <liburing.h> as C++ (run with -fsyntax-only in every
// C++ standard mode, with _GNU_SOURCE defined and explicitly undefined; see
// CMakeLists.txt). Included twice on purpose: the include guards must hold.
#include <liburing.h>
#include <liburing.h>

#if !defined(IO_URING_VERSION_MAJOR) || IO_URING_VERSION_MAJOR != 2 || IO_URING_VERSION_MINOR != 15
#error "this is not the 2.15-compatible bareuring header"
#endif

#ifndef _GNU_SOURCE
// Without _GNU_SOURCE the header must not declare this; a C function of the
// same name with another signature would conflict.
extern "C" int io_uring_register_iowq_aff(void);
#endif

// Every API function is noexcept in C++ (bar four upstream omissions).
static_assert(noexcept(io_uring_submit(nullptr)), "exported functions are noexcept");
static_assert(noexcept(io_uring_prep_nop(nullptr)), "inline helpers are noexcept");

int header_check(struct io_uring *ring);
int header_check(struct io_uring *ring)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    struct io_uring_cqe *cqe;
    unsigned head, n = 0;

    if (sqe) {
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, 1);
        io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    }
    io_uring_for_each_cqe(ring, head, cqe) {
        n += static_cast<unsigned>(cqe->res == 0) + (head & 0u);
    }
    io_uring_cq_advance(ring, n);
    if (io_uring_peek_cqe(ring, &cqe) == 0)
        io_uring_cqe_seen(ring, cqe);
#ifdef _GNU_SOURCE
    (void)&io_uring_register_iowq_aff;
    (void)&io_uring_prep_ftruncate;
#endif
    return static_cast<int>(n) + io_uring_submit(ring);
}
