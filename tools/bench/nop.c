/* SPDX-License-Identifier: MIT */
/*
 * NOP round trips: per round, `batch` × (get_sqe + prep_nop + set_data64),
 * one io_uring_submit_and_wait(batch), then reap all `batch` CQEs.
 *
 *   nop BATCH TOTAL [each|wait]
 *
 * Reaping styles: "each" walks io_uring_for_each_cqe and hands the slots
 * back with one io_uring_cq_advance (the batch idiom); "wait" calls
 * io_uring_wait_cqe + io_uring_cqe_seen per CQE (the one-at-a-time idiom,
 * which exercises the inline peek path). TOTAL is rounded down to a
 * multiple of BATCH. The timed work is all inside nop_loop() so callgrind
 * can count exactly it (--toggle-collect=nop_loop).
 */
#include <liburing.h>

#include "bench.h"

enum reap_style { REAP_EACH, REAP_WAIT };

static unsigned reap_each(struct io_uring *ring, uint64_t *sum)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(ring, head, cqe) {
		*sum += cqe->user_data;
		n++;
	}
	(void)head; /* the macro needs it; we count instead */
	io_uring_cq_advance(ring, n);
	return n;
}

__attribute__((noinline)) static uint64_t nop_loop(struct io_uring *ring, unsigned batch,
						   unsigned long long rounds, enum reap_style style)
{
	uint64_t sum = 0, id = 0;

	for (unsigned long long r = 0; r < rounds; r++) {
		for (unsigned i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, ++id);
		}
		int ret = io_uring_submit_and_wait(ring, batch);
		if (ret != (int)batch)
			bench_die("io_uring_submit_and_wait", ret < 0 ? ret : 0);

		if (style == REAP_EACH) {
			/* NOPs complete inline, so one pass normally sees all. */
			unsigned got = reap_each(ring, &sum);
			while (got < batch) {
				struct io_uring_cqe *cqe;

				ret = io_uring_wait_cqe(ring, &cqe);
				if (ret)
					bench_die("io_uring_wait_cqe", ret);
				got += reap_each(ring, &sum);
			}
		} else {
			for (unsigned i = 0; i < batch; i++) {
				struct io_uring_cqe *cqe;

				ret = io_uring_wait_cqe(ring, &cqe);
				if (ret)
					bench_die("io_uring_wait_cqe", ret);
				sum += cqe->user_data;
				io_uring_cqe_seen(ring, cqe);
			}
		}
	}
	return sum;
}

int main(int argc, char **argv)
{
	unsigned batch = (unsigned)bench_arg(argc, argv, 1, "BATCH");
	unsigned long long total = bench_arg(argc, argv, 2, "TOTAL");
	enum reap_style style = REAP_EACH;
	struct io_uring ring;
	int ret;

	if (argc > 3 && !strcmp(argv[3], "wait"))
		style = REAP_WAIT;
	if (batch == 0 || batch > 256)
		bench_die("BATCH must be 1..256", EINVAL);

	/* Same ring size for every batch, so only the batch varies. */
	ret = io_uring_queue_init(256, &ring, 0);
	if (ret)
		bench_die("io_uring_queue_init", ret);

	unsigned long long rounds = total / batch;
	uint64_t t0 = bench_now_ns();
	uint64_t sum = nop_loop(&ring, batch, rounds, style);
	uint64_t t1 = bench_now_ns();

	/* Every user_data 1..n came back exactly once. */
	unsigned long long n = rounds * batch;
	if (sum != (uint64_t)n * (n + 1) / 2)
		bench_die("user_data checksum mismatch", 0);

	io_uring_queue_exit(&ring);
	bench_result(n, t1 - t0);
	return 0;
}
