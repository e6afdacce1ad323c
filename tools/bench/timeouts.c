/* SPDX-License-Identifier: MIT */
/*
 * Timeout throughput: TOTAL io_uring_prep_timeout requests with a short
 * relative timeout, INFLIGHT of them armed at once, measured until the last
 * one has fired. Each must complete with -ETIME.
 *
 *   timeouts TOTAL INFLIGHT NSEC
 */
#include <liburing.h>

#include "bench.h"

int main(int argc, char **argv)
{
	unsigned long long total = bench_arg(argc, argv, 1, "TOTAL");
	unsigned inflight = (unsigned)bench_arg(argc, argv, 2, "INFLIGHT");
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = (long long)bench_arg(argc, argv, 3, "NSEC") };
	unsigned long long queued = 0, done = 0;
	struct io_uring ring;
	int ret;

	if (!inflight || inflight > 4096)
		bench_die("INFLIGHT must be 1..4096", EINVAL);
	ret = io_uring_queue_init(inflight, &ring, 0);
	if (ret)
		bench_die("io_uring_queue_init", ret);

	uint64_t t0 = bench_now_ns();
	while (done < total) {
		/* The kernel copies the timespec at submit, so one serves all. */
		while (queued - done < inflight && queued < total) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			if (!sqe)
				bench_die("io_uring_get_sqe", EBUSY);
			io_uring_prep_timeout(sqe, &ts, 0, 0);
			io_uring_sqe_set_data64(sqe, ++queued);
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR)
			bench_die("io_uring_submit_and_wait", ret);

		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_for_each_cqe(&ring, head, cqe) {
			if (cqe->res != -ETIME)
				bench_die("timeout result", cqe->res < 0 ? cqe->res : EINVAL);
			n++;
		}
		(void)head;
		io_uring_cq_advance(&ring, n);
		done += n;
	}
	uint64_t t1 = bench_now_ns();

	io_uring_queue_exit(&ring);
	bench_result(total, t1 - t0);
	return 0;
}
