/* NOP round trips through the C API: per round, BATCH x (io_uring_get_sqe +
 * io_uring_prep_nop + io_uring_sqe_set_data64), io_uring_submit_and_wait,
 * then every CQE reaped with io_uring_for_each_cqe + io_uring_cq_advance.
 * The twin of nop_cxx.cpp; ./run compares their instruction counts.
 *
 *   bench-cxx-nop-c ROUNDS [BATCH]
 */
#include <liburing.h>

#include <stdio.h>
#include <stdlib.h>

static void die(const char *what, int rc)
{
	fprintf(stderr, "%s: %d\n", what, rc);
	exit(1);
}

static unsigned reap(struct io_uring *ring, unsigned long long *sum)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		*sum += cqe->user_data;
		n++;
	}
	(void)head;
	io_uring_cq_advance(ring, n);
	return n;
}

int main(int argc, char **argv)
{
	unsigned long long rounds = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000;
	unsigned batch = argc > 2 ? (unsigned)atoi(argv[2]) : 32;
	unsigned long long sum = 0, id = 0;
	struct io_uring ring;
	int ret = io_uring_queue_init(batch, &ring, 0);

	if (ret < 0)
		die("io_uring_queue_init", ret);

	for (unsigned long long r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			if (!sqe)
				die("io_uring_get_sqe", 0);
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, ++id);
		}
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret != (int)batch)
			die("io_uring_submit_and_wait", ret);
		unsigned got = reap(&ring, &sum);
		while (got < batch) {
			struct io_uring_cqe *cqe;

			ret = io_uring_wait_cqe(&ring, &cqe);
			if (ret)
				die("io_uring_wait_cqe", ret);
			got += reap(&ring, &sum);
		}
	}
	io_uring_queue_exit(&ring);
	printf("%llu\n", sum);
	return 0;
}
