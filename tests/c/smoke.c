/*
 * A plain C11 consumer of <liburing.h> linked against liburing.a only (no
 * C++ runtime): set up a ring, round-trip a NOP, write a temp file and read
 * it back, tear down. Exits 0 on success, 1 with a message on any failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <liburing.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "c_smoke: %s:%d: %s: ", __FILE__, \
				__LINE__, #cond);                          \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			return 1;                                          \
		}                                                          \
	} while (0)

/* Waits for one CQE, checks its user_data, returns its res via *res. */
static int reap(struct io_uring *ring, __u64 want_ud, int *res)
{
	struct io_uring_cqe *cqe = NULL;
	int ret = io_uring_wait_cqe(ring, &cqe);

	CHECK(ret == 0, "wait_cqe returned %d", ret);
	CHECK(cqe != NULL, "no cqe");
	CHECK(io_uring_cqe_get_data64(cqe) == want_ud, "user_data %llu, want %llu",
	      (unsigned long long)cqe->user_data, (unsigned long long)want_ud);
	*res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

static int run(struct io_uring *ring, int fd)
{
	static const char msg[] = "bareuring from C";
	char back[sizeof msg];
	struct io_uring_sqe *sqe;
	int res = -1, ret;

	/* NOP */
	sqe = io_uring_get_sqe(ring);
	CHECK(sqe != NULL, "get_sqe");
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 42);
	CHECK(sqe->opcode == IORING_OP_NOP && sqe->fd == -1, "nop prep");
	ret = io_uring_submit(ring);
	CHECK(ret == 1, "submit returned %d", ret);
	CHECK(*ring->sq.ktail == 1 && ring->sq.sqe_head == 1, "indices after submit");
	if (reap(ring, 42, &res))
		return 1;
	CHECK(res == 0, "nop res %d", res);
	CHECK(*ring->cq.khead == 1, "cq head %u", *ring->cq.khead);

	/* write, then read back */
	sqe = io_uring_get_sqe(ring);
	CHECK(sqe != NULL, "get_sqe");
	io_uring_prep_write(sqe, fd, msg, sizeof msg, 0);
	io_uring_sqe_set_data64(sqe, 1);
	CHECK(io_uring_submit(ring) == 1, "submit write");
	if (reap(ring, 1, &res))
		return 1;
	CHECK(res == (int)sizeof msg, "write res %d", res);

	memset(back, 0, sizeof back);
	sqe = io_uring_get_sqe(ring);
	CHECK(sqe != NULL, "get_sqe");
	io_uring_prep_read(sqe, fd, back, sizeof back, 0);
	io_uring_sqe_set_data64(sqe, 2);
	CHECK(io_uring_submit(ring) == 1, "submit read");
	if (reap(ring, 2, &res))
		return 1;
	CHECK(res == (int)sizeof msg, "read res %d", res);
	CHECK(memcmp(back, msg, sizeof msg) == 0, "read back '%s'", back);

	/* the iteration macro, from C */
	{
		unsigned head, n = 0, i;
		struct io_uring_cqe *cqe;

		for (i = 0; i < 3; i++) {
			sqe = io_uring_get_sqe(ring);
			CHECK(sqe != NULL, "get_sqe");
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, 100 + i);
		}
		CHECK(io_uring_submit_and_wait(ring, 3) == 3, "submit_and_wait");
		io_uring_for_each_cqe(ring, head, cqe) {
			CHECK(cqe->user_data == 100 + n, "iter user_data %llu at head %u",
			      (unsigned long long)cqe->user_data, head);
			n++;
		}
		CHECK(n == 3, "iterated %u", n);
		io_uring_cq_advance(ring, n);
		CHECK(io_uring_cq_ready(ring) == 0, "cq not empty");
	}
	return 0;
}

int main(void)
{
	struct io_uring ring;
	char path[] = "/tmp/bareuring-c-smoke-XXXXXX";
	int fd, ret, failed;

	fd = mkstemp(path);
	if (fd < 0) {
		perror("c_smoke: mkstemp");
		return 1;
	}
	unlink(path);

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret < 0) {
		fprintf(stderr, "c_smoke: queue_init: %s\n", strerror(-ret));
		close(fd);
		return 1;
	}
	failed = run(&ring, fd);
	io_uring_queue_exit(&ring);
	close(fd);
	if (!failed)
		printf("c_smoke: ok\n");
	return failed;
}
