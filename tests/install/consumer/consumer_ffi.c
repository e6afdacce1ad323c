/*
 * A liburing-ffi user: calls the header's inline helpers as real functions,
 * the way a foreign-language binding does. C cannot name those symbols
 * while <liburing.h> makes them static inline, so each is declared under
 * another C name bound to the real symbol with an asm label; the inline
 * versions are never used, so only the library's definitions are linked.
 */
#include <liburing.h>

#include <stdio.h>

#include "mapped_liburing.h"

#define FFI(ret, name, params) ret ffi_##name params __asm__(#name)
FFI(struct io_uring_sqe *, io_uring_get_sqe, (struct io_uring *));
FFI(void, io_uring_prep_nop, (struct io_uring_sqe *));
FFI(void, io_uring_sqe_set_data64, (struct io_uring_sqe *, __u64));
FFI(unsigned, io_uring_sq_ready, (const struct io_uring *));
FFI(int, io_uring_wait_cqe, (struct io_uring *, struct io_uring_cqe **));
FFI(__u64, io_uring_cqe_get_data64, (const struct io_uring_cqe *));
FFI(void, io_uring_cqe_seen, (struct io_uring *, struct io_uring_cqe *));
FFI(unsigned, io_uring_cq_ready, (const struct io_uring *));

int main(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ok;

	if (io_uring_queue_init(4, &ring, 0) < 0) {
		printf("queue_init failed\n");
		return 1;
	}
	sqe = ffi_io_uring_get_sqe(&ring);
	ffi_io_uring_prep_nop(sqe);
	ffi_io_uring_sqe_set_data64(sqe, 42);
	ok = ffi_io_uring_sq_ready(&ring) == 1 && io_uring_submit(&ring) == 1 &&
	     ffi_io_uring_wait_cqe(&ring, &cqe) == 0 && ffi_io_uring_cqe_get_data64(cqe) == 42 &&
	     cqe->res == 0;
	if (ok) {
		ffi_io_uring_cqe_seen(&ring, cqe);
		ok = ffi_io_uring_cq_ready(&ring) == 0;
	}
	io_uring_queue_exit(&ring);

	printf("version: %d.%d\n", io_uring_major_version(), io_uring_minor_version());
	printf("header: %d.%d\n", IO_URING_VERSION_MAJOR, IO_URING_VERSION_MINOR);
	printf("nop: %s\n", ok ? "ok" : "FAILED");
	print_mapped_liburing();
	return ok ? 0 : 1;
}
