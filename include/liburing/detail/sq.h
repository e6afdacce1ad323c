/* SPDX-License-Identifier: MIT */
/*
 * Submission-queue fast path of <liburing.h>: handing out SQEs and
 * measuring the SQ. Included by <liburing.h> only (inside its extern "C").
 *
 * The SQ ring protocol (docs/ring-layout.md):
 *   - io_uring_get_sqe() hands out slot `sqe_tail & ring_mask` and bumps the
 *     library-local sqe_tail; the kernel sees nothing yet;
 *   - io_uring_submit() publishes sqe_tail to *sq.ktail (store-release under
 *     SQPOLL, where the poller reads it concurrently) and enters the kernel;
 *   - the kernel consumes SQEs and advances *sq.khead.
 * All indices are free-running 32-bit counters; `tail - head` is exact
 * across wraparound.
 */
#ifndef LIBURING_DETAIL_SQ_H
#define LIBURING_DETAIL_SQ_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/sq.h>"
#endif

/* SQ index shift: an SQE128 ring's slots are two 64-byte SQEs wide. */
IOURINGINLINE unsigned io_uring_sqe_shift_from_flags(unsigned flags) LIBURING_NOEXCEPT
{
	return !!(flags & IORING_SETUP_SQE128);
}

IOURINGINLINE unsigned io_uring_sqe_shift(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return io_uring_sqe_shift_from_flags(ring->flags);
}

/* The kernel's SQ head. Under SQPOLL the poller thread advances it while we
 * run, so load-acquire (pairs with the poller's store-release after it has
 * read the SQEs: a slot below the head is free to reuse). Otherwise the head
 * moves only inside our own io_uring_enter calls and a plain load is exact. */
IOURINGINLINE unsigned io_uring_load_sq_head(const struct io_uring *ring) LIBURING_NOEXCEPT
{
#if defined(__x86_64__) || defined(__i386__)
	/* On x86 every load already has acquire semantics (an acquire load is
	 * a plain MOV), so skip the SQPOLL test: same instruction, one branch
	 * and one load of ring->flags fewer on the get_sqe fast path. */
	return io_uring_smp_load_acquire(ring->sq.khead);
#else
	if (ring->flags & IORING_SETUP_SQPOLL)
		return io_uring_smp_load_acquire(ring->sq.khead);
	return *ring->sq.khead;
#endif
}

/* Matches liburing's io_uring_sq_ready: SQEs handed out, not yet consumed. */
IOURINGINLINE unsigned io_uring_sq_ready(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return ring->sq.sqe_tail - io_uring_load_sq_head(ring);
}

/* Matches liburing's io_uring_sq_space_left. */
IOURINGINLINE unsigned io_uring_sq_space_left(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return ring->sq.ring_entries - io_uring_sq_ready(ring);
}

/* Matches liburing's io_uring_sqring_wait: only an SQPOLL ring can be full
 * with nothing for us to submit; then wait for the poller to make room. */
IOURINGINLINE int io_uring_sqring_wait(struct io_uring *ring) LIBURING_NOEXCEPT
{
	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return 0;
	if (io_uring_sq_space_left(ring))
		return 0;
	return __io_uring_sqring_wait(ring);
}

/* Reset the SQE fields that not every prep helper writes, so a recycled slot
 * carries nothing over. The fields every helper writes (opcode, fd, off,
 * addr, len) and user_data are left for the caller. */
IOURINGINLINE void io_uring_initialize_sqe(struct io_uring_sqe *sqe) LIBURING_NOEXCEPT
{
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/* The body of io_uring_get_sqe (see below). */
IOURINGINLINE struct io_uring_sqe *_io_uring_get_sqe(struct io_uring *ring) LIBURING_NOEXCEPT
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned head = io_uring_load_sq_head(ring);
	unsigned tail = sq->sqe_tail;
	unsigned idx;
	struct io_uring_sqe *sqe;

	/* Free-running indices: tail - head is the number in flight. */
	if (tail - head >= sq->ring_entries)
		return NULL;

	idx = tail & sq->ring_mask;
	/* A 128-byte SQE spans two slots. Written as a predictable branch
	 * rather than a variable shift: cheaper on the common 64-byte ring. */
	if (uring_unlikely(ring->flags & IORING_SETUP_SQE128))
		idx <<= 1;
	sqe = &sq->sqes[idx];
	sq->sqe_tail = tail + 1;
	io_uring_initialize_sqe(sqe);
	return sqe;
}

/* Matches liburing's io_uring_get_sqe: the next free SQE, or NULL when the
 * SQ is full. Inside the library this is the exported function instead (for
 * binaries built against old headers that call it). */
#ifndef BAREURING_INTERNAL
IOURINGINLINE struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring) LIBURING_NOEXCEPT
{
	return _io_uring_get_sqe(ring);
}
#endif

/*
 * Matches liburing's io_uring_get_sqe128: a 128-byte SQE. On an SQE128 ring
 * every SQE is that big. On an SQE_MIXED ring a big SQE spans two adjacent
 * 64-byte slots, which must not straddle the end of the ring: if only the
 * last slot is left before the wrap, it is filled with a NOP whose success
 * CQE is suppressed, and the big SQE starts at slot 0.
 */
IOURINGINLINE struct io_uring_sqe *io_uring_get_sqe128(struct io_uring *ring) LIBURING_NOEXCEPT
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned head, tail, free_slots;
	struct io_uring_sqe *sqe;

	if (ring->flags & IORING_SETUP_SQE128)
		return _io_uring_get_sqe(ring);
	if (!(ring->flags & IORING_SETUP_SQE_MIXED))
		return NULL;

	head = io_uring_load_sq_head(ring);
	tail = sq->sqe_tail;
	free_slots = sq->ring_entries - (tail - head);

	if ((tail & sq->ring_mask) == sq->ring_mask) {
		if (free_slots < 3)
			return NULL;
		sqe = &sq->sqes[tail & sq->ring_mask];
		io_uring_initialize_sqe(sqe);
		io_uring_prep_nop(sqe);
		sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
		tail++;
	} else if (free_slots < 2) {
		return NULL;
	}

	sqe = &sq->sqes[tail & sq->ring_mask];
	sq->sqe_tail = tail + 2;
	io_uring_initialize_sqe(sqe);
	return sqe;
}

#endif /* LIBURING_DETAIL_SQ_H */
