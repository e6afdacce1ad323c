/* The size benchmark of tests/nolibc/size-report.sh: one NOP through a ring
 * and back. The same source is built against Debian's liburing and against
 * bareuring, each linked -static -O2, so the difference in program size is
 * what each library pulls in. Exit status 0 if the NOP completed. */
#include <liburing.h>

int main(void)
{
    struct io_uring ring;
    struct io_uring_sqe *sqe;
    struct io_uring_cqe *cqe;
    int ok;

    if (io_uring_queue_init(8, &ring, 0) < 0)
        return 1;
    sqe = io_uring_get_sqe(&ring);
    io_uring_prep_nop(sqe);
    sqe->user_data = 42;
    ok = io_uring_submit_and_wait(&ring, 1) == 1 && io_uring_wait_cqe(&ring, &cqe) == 0 &&
         cqe->user_data == 42 && cqe->res == 0;
    if (ok)
        io_uring_cqe_seen(&ring, cqe);
    io_uring_queue_exit(&ring);
    return ok ? 0 : 1;
}
