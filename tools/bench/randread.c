/* SPDX-License-Identifier: MIT */
/*
 * 4 KiB random reads from a page-cached file at a fixed queue depth.
 *
 *   randread FILE QD TOTAL plain|buf|file|both
 *
 *   plain  io_uring_prep_read into per-slot buffers
 *   buf    registered buffers: io_uring_prep_read_fixed
 *   file   registered file: IOSQE_FIXED_FILE on index 0
 *   both   buf + file
 *
 * Offsets come from a fixed-seed xorshift stream, so both libraries read
 * the same blocks in the same order. The loop keeps QD reads in flight:
 * fill, io_uring_submit_and_wait(1), reap everything ready, refill.
 * Build with -DBENCH_NO_REGISTERED when the library lacks
 * io_uring_register_buffers/_files; only "plain" then works.
 */
#include <fcntl.h>
#include <liburing.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

#define BLOCK 4096u

struct job {
	struct io_uring ring;
	int fd;
	int use_buf, use_file;
	unsigned qd;
	uint64_t nblocks, rng;
	char *bufs;          /* qd blocks, one per slot */
	unsigned *free_slots; /* stack of idle slots */
	unsigned nfree;
};

static void queue_read(struct job *j, unsigned slot)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&j->ring);
	uint64_t off = (bench_rand(&j->rng) % j->nblocks) * BLOCK;
	char *buf = j->bufs + (size_t)slot * BLOCK;
	int fd = j->use_file ? 0 : j->fd;

	if (!sqe)
		bench_die("io_uring_get_sqe", EBUSY);
	if (j->use_buf)
		io_uring_prep_read_fixed(sqe, fd, buf, BLOCK, off, (int)slot);
	else
		io_uring_prep_read(sqe, fd, buf, BLOCK, off);
	if (j->use_file)
		sqe->flags |= IOSQE_FIXED_FILE;
	io_uring_sqe_set_data64(sqe, slot);
}

static void run(struct job *j, unsigned long long total)
{
	unsigned long long queued = 0, done = 0;

	while (done < total) {
		while (j->nfree && queued < total) {
			queue_read(j, j->free_slots[--j->nfree]);
			queued++;
		}
		int ret = io_uring_submit_and_wait(&j->ring, 1);
		if (ret < 0)
			bench_die("io_uring_submit_and_wait", ret);

		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_for_each_cqe(&j->ring, head, cqe) {
			if (cqe->res != (int)BLOCK)
				bench_die("read", cqe->res < 0 ? cqe->res : EIO);
			j->free_slots[j->nfree++] = (unsigned)cqe->user_data;
			n++;
		}
		(void)head;
		io_uring_cq_advance(&j->ring, n);
		done += n;
	}
}

static void register_resources(struct job *j)
{
#ifndef BENCH_NO_REGISTERED
	int ret;

	if (j->use_buf) {
		struct iovec *iov = calloc(j->qd, sizeof(*iov));

		for (unsigned i = 0; i < j->qd; i++) {
			iov[i].iov_base = j->bufs + (size_t)i * BLOCK;
			iov[i].iov_len = BLOCK;
		}
		ret = io_uring_register_buffers(&j->ring, iov, j->qd);
		if (ret)
			bench_die("io_uring_register_buffers", ret);
		free(iov);
	}
	if (j->use_file) {
		ret = io_uring_register_files(&j->ring, &j->fd, 1);
		if (ret)
			bench_die("io_uring_register_files", ret);
	}
#else
	if (j->use_buf || j->use_file)
		bench_die("built without registration support", ENOSYS);
#endif
}

int main(int argc, char **argv)
{
	struct job j;
	struct stat st;
	const char *mode;
	int ret;

	memset(&j, 0, sizeof(j));
	if (argc < 5) {
		fprintf(stderr, "usage: randread FILE QD TOTAL plain|buf|file|both\n");
		return 2;
	}
	j.qd = (unsigned)bench_arg(argc, argv, 2, "QD");
	unsigned long long total = bench_arg(argc, argv, 3, "TOTAL");
	mode = argv[4];
	j.use_buf = !strcmp(mode, "buf") || !strcmp(mode, "both");
	j.use_file = !strcmp(mode, "file") || !strcmp(mode, "both");
	if (!j.use_buf && !j.use_file && strcmp(mode, "plain"))
		bench_die("mode must be plain|buf|file|both", EINVAL);
	if (j.qd == 0 || j.qd > 1024)
		bench_die("QD must be 1..1024", EINVAL);

	j.fd = open(argv[1], O_RDONLY);
	if (j.fd < 0 || fstat(j.fd, &st))
		bench_die(argv[1], errno);
	j.nblocks = (uint64_t)st.st_size / BLOCK;
	if (!j.nblocks)
		bench_die("file smaller than one block", EINVAL);
	j.rng = 0x9e3779b97f4a7c15ull;

	if (posix_memalign((void **)&j.bufs, BLOCK, (size_t)j.qd * BLOCK))
		bench_die("posix_memalign", ENOMEM);
	memset(j.bufs, 0, (size_t)j.qd * BLOCK);
	j.free_slots = malloc(j.qd * sizeof(*j.free_slots));
	for (unsigned i = 0; i < j.qd; i++)
		j.free_slots[j.nfree++] = i;

	ret = io_uring_queue_init(j.qd, &j.ring, 0);
	if (ret)
		bench_die("io_uring_queue_init", ret);
	register_resources(&j);

	uint64_t t0 = bench_now_ns();
	run(&j, total);
	uint64_t t1 = bench_now_ns();

	io_uring_queue_exit(&j.ring);
	close(j.fd);
	bench_result(total, t1 - t0);
	return 0;
}
