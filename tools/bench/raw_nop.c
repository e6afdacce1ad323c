/* SPDX-License-Identifier: MIT */
/*
 * The floor for the NOP benchmark: the same round trips as nop.c with no
 * library at all — our own io_uring_setup, mmap of the rings and a bare
 * `syscall` instruction. It does only what any correct program must: write
 * the whole SQE (slots are reused, so stale fields must not leak into the
 * next request), publish the SQ tail, enter with GETEVENTS, read the CQEs
 * and publish the CQ head. Anything a library spends above this is its
 * overhead.
 *
 *   raw_nop BATCH TOTAL
 */
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

struct raw_ring {
	int fd;
	unsigned sq_mask, cq_mask;
	unsigned *sq_ktail, *sq_khead;
	unsigned *cq_ktail, *cq_khead;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* Direct syscall: libc's syscall() wrapper would add its own instructions
 * to what is meant to be the minimum. */
static inline long raw_enter(int fd, unsigned submit, unsigned wait_nr, unsigned flags)
{
	long ret;
	register long r10 __asm__("r10") = flags;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)__NR_io_uring_enter), "D"((long)fd), "S"((long)submit),
			   "d"((long)wait_nr), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void raw_setup(struct raw_ring *r, unsigned entries)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(__NR_io_uring_setup, entries, &p);
	if (r->fd < 0)
		bench_die("io_uring_setup", errno);
	if (!(p.features & IORING_FEAT_SINGLE_MMAP))
		bench_die("kernel lacks IORING_FEAT_SINGLE_MMAP", EINVAL);

	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (cq_len > sq_len)
		sq_len = cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		bench_die("mmap rings", errno);
	cq = sq; /* one mapping holds both rings (FEAT_SINGLE_MMAP) */
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		bench_die("mmap sqes", errno);

	r->sq_khead = (unsigned *)(sq + p.sq_off.head);
	r->sq_ktail = (unsigned *)(sq + p.sq_off.tail);
	r->sq_mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	r->cq_khead = (unsigned *)(cq + p.cq_off.head);
	r->cq_ktail = (unsigned *)(cq + p.cq_off.tail);
	r->cq_mask = *(unsigned *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	/* The SQ index array maps slot i to SQE i once and for all. */
	unsigned *array = (unsigned *)(sq + p.sq_off.array);
	for (unsigned i = 0; i < p.sq_entries; i++)
		array[i] = i;
}

__attribute__((noinline)) static uint64_t nop_loop(struct raw_ring *r, unsigned batch,
						   unsigned long long rounds)
{
	const struct io_uring_sqe tmpl = { .opcode = IORING_OP_NOP };
	unsigned tail = *r->sq_ktail;
	unsigned head = *r->cq_khead;
	uint64_t sum = 0, id = 0;

	for (unsigned long long rd = 0; rd < rounds; rd++) {
		for (unsigned i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = &r->sqes[tail++ & r->sq_mask];

			*sqe = tmpl;
			sqe->user_data = ++id;
		}
		/* The enter below orders the tail store on x86; the compiler
		 * barrier keeps the SQE stores before it. */
		__atomic_store_n(r->sq_ktail, tail, __ATOMIC_RELEASE);
		long ret = raw_enter(r->fd, batch, batch, IORING_ENTER_GETEVENTS);
		if (ret != (long)batch)
			bench_die("io_uring_enter", ret < 0 ? (int)ret : 0);

		unsigned got = 0;
		for (;;) {
			unsigned ctail = __atomic_load_n(r->cq_ktail, __ATOMIC_ACQUIRE);

			while (head != ctail) {
				sum += r->cqes[head++ & r->cq_mask].user_data;
				got++;
			}
			__atomic_store_n(r->cq_khead, head, __ATOMIC_RELEASE);
			if (got >= batch)
				break;
			ret = raw_enter(r->fd, 0, batch - got, IORING_ENTER_GETEVENTS);
			if (ret < 0)
				bench_die("io_uring_enter (wait)", (int)ret);
		}
	}
	return sum;
}

int main(int argc, char **argv)
{
	unsigned batch = (unsigned)bench_arg(argc, argv, 1, "BATCH");
	unsigned long long total = bench_arg(argc, argv, 2, "TOTAL");
	struct raw_ring ring;

	if (batch == 0 || batch > 256)
		bench_die("BATCH must be 1..256", EINVAL);
	raw_setup(&ring, 256);

	unsigned long long rounds = total / batch;
	uint64_t t0 = bench_now_ns();
	uint64_t sum = nop_loop(&ring, batch, rounds);
	uint64_t t1 = bench_now_ns();

	unsigned long long n = rounds * batch;
	if (sum != (uint64_t)n * (n + 1) / 2)
		bench_die("user_data checksum mismatch", 0);
	close(ring.fd);
	bench_result(n, t1 - t0);
	return 0;
}
