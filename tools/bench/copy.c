/* SPDX-License-Identifier: MIT */
/*
 * File copy with linked read→write pairs: each slot reads one block into
 * its buffer with IOSQE_IO_LINK and writes it at the same offset; QD slots
 * are in flight at once.
 *
 *   copy SRC DST [QD [BLOCK]]      (defaults: 32 slots of 128 KiB)
 *
 * A short read cuts the link (the write completes with -ECANCELED), so a
 * slot whose pair did not move the whole block simply re-queues the same
 * block; the regular, page-cached files used here make that rare.
 */
#include <fcntl.h>
#include <liburing.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

struct slot {
	uint64_t off;
	unsigned len;
	int read_res, write_res;
	int pending; /* CQEs still expected for this pair */
};

struct copier {
	struct io_uring ring;
	int in, out;
	unsigned qd, block;
	uint64_t size, next_off;
	char *bufs;
	struct slot *slots;
};

static void queue_pair(struct copier *c, unsigned i)
{
	struct slot *s = &c->slots[i];
	char *buf = c->bufs + (size_t)i * c->block;
	struct io_uring_sqe *rd = io_uring_get_sqe(&c->ring);
	struct io_uring_sqe *wr = io_uring_get_sqe(&c->ring);

	if (!rd || !wr)
		bench_die("io_uring_get_sqe", EBUSY);
	io_uring_prep_read(rd, c->in, buf, s->len, s->off);
	rd->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(rd, (uint64_t)i << 1);
	io_uring_prep_write(wr, c->out, buf, s->len, s->off);
	io_uring_sqe_set_data64(wr, (uint64_t)i << 1 | 1);
	s->pending = 2;
}

/* Gives slot i the next block; returns 0 when the file is exhausted. */
static int claim_block(struct copier *c, unsigned i)
{
	struct slot *s = &c->slots[i];
	uint64_t left = c->size - c->next_off;

	if (!left)
		return 0;
	s->off = c->next_off;
	s->len = left < c->block ? (unsigned)left : c->block;
	c->next_off += s->len;
	queue_pair(c, i);
	return 1;
}

/* Both CQEs of slot i are in: accept the block or redo it. */
static int finish_pair(struct copier *c, unsigned i)
{
	struct slot *s = &c->slots[i];

	if (s->read_res < 0 && s->read_res != -ECANCELED)
		bench_die("read", s->read_res);
	if (s->write_res < 0 && s->write_res != -ECANCELED)
		bench_die("write", s->write_res);
	if (s->read_res != (int)s->len || s->write_res != (int)s->len) {
		queue_pair(c, i); /* short or cut link: copy the same block again */
		return 1;
	}
	return claim_block(c, i);
}

static void run(struct copier *c)
{
	unsigned active = 0;

	for (unsigned i = 0; i < c->qd; i++)
		active += (unsigned)claim_block(c, i);
	while (active) {
		int ret = io_uring_submit_and_wait(&c->ring, 1);
		if (ret < 0)
			bench_die("io_uring_submit_and_wait", ret);

		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_for_each_cqe(&c->ring, head, cqe) {
			unsigned i = (unsigned)(cqe->user_data >> 1);
			struct slot *s = &c->slots[i];

			if (cqe->user_data & 1)
				s->write_res = cqe->res;
			else
				s->read_res = cqe->res;
			if (--s->pending == 0 && !finish_pair(c, i))
				active--;
			n++;
		}
		(void)head;
		io_uring_cq_advance(&c->ring, n);
	}
}

int main(int argc, char **argv)
{
	struct copier c;
	struct stat st;
	int ret;

	memset(&c, 0, sizeof(c));
	if (argc < 3) {
		fprintf(stderr, "usage: copy SRC DST [QD [BLOCK]]\n");
		return 2;
	}
	c.qd = argc > 3 ? (unsigned)bench_arg(argc, argv, 3, "QD") : 32;
	c.block = argc > 4 ? (unsigned)bench_arg(argc, argv, 4, "BLOCK") : 128 * 1024;
	if (!c.qd || c.qd > 512 || !c.block)
		bench_die("bad QD or BLOCK", EINVAL);

	c.in = open(argv[1], O_RDONLY);
	if (c.in < 0 || fstat(c.in, &st))
		bench_die(argv[1], errno);
	c.out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (c.out < 0)
		bench_die(argv[2], errno);
	c.size = (uint64_t)st.st_size;

	if (posix_memalign((void **)&c.bufs, 4096, (size_t)c.qd * c.block))
		bench_die("posix_memalign", ENOMEM);
	c.slots = calloc(c.qd, sizeof(*c.slots));
	ret = io_uring_queue_init(2 * c.qd, &c.ring, 0);
	if (ret)
		bench_die("io_uring_queue_init", ret);

	uint64_t t0 = bench_now_ns();
	run(&c);
	uint64_t t1 = bench_now_ns();

	io_uring_queue_exit(&c.ring);
	if (close(c.out))
		bench_die("close", errno);
	close(c.in);
	bench_result(c.size, t1 - t0);
	return 0;
}
