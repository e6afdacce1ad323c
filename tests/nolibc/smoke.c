/* The no-libc liburing.a at work, linked statically next to glibc's libc.a.
 *
 * The static link itself is half the test: both archives are searched for
 * the same program, so a memset or errno of ours would clash with libc's.
 * The program then runs each library path the no-libc build implements
 * differently: raw syscalls (setup, enter, register, mmap/munmap), the
 * mmap-backed allocator (probe), the app-side mmap (buffer ring), the
 * library's own memcpy (ring resize, which copies SQEs) and the RLIMIT_NOFILE
 * path of file registration. It also uses libc's memset/memcpy itself.
 * Prints nothing on success; each failure names its check. */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,        \
                    __LINE__, #cond);                                     \
            ++failures;                                                   \
        }                                                                 \
    } while (0)

/* One NOP through the ring; returns its cqe->res, or a negative error. */
static int nop_roundtrip(struct io_uring *ring, unsigned long long tag)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    struct io_uring_cqe *cqe;
    int ret;

    if (!sqe)
        return -EBUSY;
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, tag);
    ret = io_uring_submit_and_wait(ring, 1);
    if (ret != 1)
        return ret < 0 ? ret : -EIO;
    ret = io_uring_wait_cqe(ring, &cqe);
    if (ret)
        return ret;
    ret = io_uring_cqe_get_data64(cqe) == tag ? cqe->res : -EIO;
    io_uring_cqe_seen(ring, cqe);
    return ret;
}

static void check_probe(struct io_uring *ring)
{
    struct io_uring_probe *probe = io_uring_get_probe_ring(ring);

    CHECK(probe != NULL);
    if (probe) {
        CHECK(io_uring_opcode_supported(probe, IORING_OP_NOP));
        CHECK(probe->last_op >= IORING_OP_READ);
        io_uring_free_probe(probe);
    }
    probe = io_uring_get_probe();
    CHECK(probe != NULL);
    io_uring_free_probe(probe);
    io_uring_free_probe(NULL);
}

static void check_buf_ring(struct io_uring *ring)
{
    int err = 1;
    struct io_uring_buf_ring *br = io_uring_setup_buf_ring(ring, 8, 3, 0, &err);

    CHECK(br != NULL && err == 0);
    if (br)
        CHECK(io_uring_free_buf_ring(ring, br, 8, 3) == 0);
}

/* A read from a pipe through a registered file: the data must arrive, and
 * an invalid registration must fail with -EBADF without touching errno. */
static void check_files_and_read(struct io_uring *ring)
{
    int fds[2], bad = 12345;
    char buf[16];
    struct io_uring_sqe *sqe;
    struct io_uring_cqe *cqe;

    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "nolibc", 6) == 6);
    errno = 0;
    CHECK(io_uring_register_files(ring, &bad, 1) == -EBADF);
    CHECK(errno == 0);
    CHECK(io_uring_register_files(ring, fds, 1) == 0);

    memset(buf, 0, sizeof(buf));
    sqe = io_uring_get_sqe(ring);
    io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
    sqe->flags |= IOSQE_FIXED_FILE;
    CHECK(io_uring_submit_and_wait(ring, 1) == 1);
    CHECK(io_uring_wait_cqe(ring, &cqe) == 0);
    CHECK(cqe->res == 6 && memcmp(buf, "nolibc", 6) == 0);
    io_uring_cqe_seen(ring, cqe);

    CHECK(io_uring_unregister_files(ring) == 0);
    close(fds[0]);
    close(fds[1]);
}

/* Resizing copies the pending SQEs with the library's memcpy (the kernel
 * resizes DEFER_TASKRUN rings only, hence main's setup flags). */
static void check_resize(struct io_uring *ring)
{
    struct io_uring_params p;
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    struct io_uring_cqe *cqe;
    int ret;

    memset(&p, 0, sizeof(p));
    p.sq_entries = 16;
    p.cq_entries = 32;
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 77);
    ret = io_uring_resize_rings(ring, &p);
    if (ret == -EINVAL || ret == -EOPNOTSUPP) {
        /* kernel without resize: just flush the pending NOP */
        io_uring_submit(ring);
    } else {
        CHECK(ret == 0);
        CHECK(io_uring_submit(ring) == 1);
    }
    CHECK(io_uring_wait_cqe(ring, &cqe) == 0);
    CHECK(io_uring_cqe_get_data64(cqe) == 77);
    io_uring_cqe_seen(ring, cqe);
}

int main(void)
{
    struct io_uring ring, copy;
    int ret = io_uring_queue_init(8, &ring, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);

    if (ret) {
        fprintf(stderr, "io_uring_queue_init: %d\n", ret);
        return 1;
    }
    memcpy(&copy, &ring, sizeof(ring)); /* libc's memcpy, in the same link */
    CHECK(copy.ring_fd == ring.ring_fd);

    CHECK(nop_roundtrip(&ring, 1) == 0);
    check_probe(&ring);
    check_buf_ring(&ring);
    check_files_and_read(&ring);
    check_resize(&ring);
    CHECK(nop_roundtrip(&ring, 2) == 0);
    io_uring_queue_exit(&ring);

    /* io_uring_setup failure comes back as -errno; errno stays. */
    errno = 0;
    CHECK(io_uring_queue_init(0, &ring, 0) == -EINVAL);
    CHECK(errno == 0);
    return failures ? 1 : 0;
}
