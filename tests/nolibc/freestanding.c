/* A program with no libc at all: its own _start, no start files, linked
 * with -nostdlib -static against the no-libc liburing.a and libgcc only.
 * It runs one NOP through a ring and exits with status 0 if the completion
 * came back right. This is the embedding case docs/embedding.md describes:
 * liburing.a must then bring everything it uses.
 *
 * x86_64 only (the entry code and the exit syscall are written per
 * architecture). <liburing.h> still comes from the libc headers, for types
 * and constants only; nothing from libc is called. */
#include <liburing.h>

#if !defined(__x86_64__)
#error "freestanding.c has entry code for x86_64 only"
#endif

/* The kernel enters with the stack 16-byte aligned and nothing to return
 * to; a C function expects the stack to be 16-byte aligned *before* the
 * call pushes the return address. */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  and $-16, %rsp\n"
        "  call freestanding_main\n"
        "  mov %eax, %edi\n"
        "  mov $231, %eax\n" /* exit_group */
        "  syscall\n"
        "  hlt\n");

int freestanding_main(void);

int freestanding_main(void)
{
    struct io_uring ring;
    struct io_uring_sqe *sqe;
    struct io_uring_cqe *cqe;
    struct io_uring_probe *probe;
    int status = 0;

    if (io_uring_queue_init(4, &ring, 0) != 0)
        return 1;
    sqe = io_uring_get_sqe(&ring);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, 0xfeed);
    if (io_uring_submit_and_wait(&ring, 1) != 1 || io_uring_wait_cqe(&ring, &cqe) != 0)
        status = 2;
    else if (io_uring_cqe_get_data64(cqe) != 0xfeed || cqe->res != 0)
        status = 3;
    else
        io_uring_cqe_seen(&ring, cqe);

    /* the mmap-backed allocator, with no malloc anywhere in the process */
    probe = io_uring_get_probe_ring(&ring);
    if (!probe || !io_uring_opcode_supported(probe, IORING_OP_NOP))
        status = 4;
    io_uring_free_probe(probe);

    io_uring_queue_exit(&ring);
    return status;
}
