/*
 * The smallest real liburing program: one NOP through a ring. Built by
 * install_check.sh against an installed bareuring only, through pkg-config
 * and through find_package(bareuring), linked statically and dynamically.
 */
#include <liburing.h>

#include <stdio.h>
#include <string.h>

#include "mapped_liburing.h"

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
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 42);
	ok = io_uring_submit(&ring) == 1 && io_uring_wait_cqe(&ring, &cqe) == 0 &&
	     cqe->user_data == 42 && cqe->res == 0;
	if (ok)
		io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);

	printf("version: %d.%d\n", io_uring_major_version(), io_uring_minor_version());
	printf("header: %d.%d\n", IO_URING_VERSION_MAJOR, IO_URING_VERSION_MINOR);
	printf("nop: %s\n", ok ? "ok" : "FAILED");
	print_mapped_liburing();
	return ok ? 0 : 1;
}
