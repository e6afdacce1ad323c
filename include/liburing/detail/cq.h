/* SPDX-License-Identifier: MIT */
/*
 * Completion-queue fast path of <liburing.h>: reading, iterating and
 * consuming CQEs. Included by <liburing.h> only (inside its extern "C").
 *
 * The CQ ring protocol (docs/ring-layout.md):
 *   - the kernel writes CQEs, then store-releases *cq.ktail;
 *   - we load-acquire *cq.ktail, read the CQEs in [head, tail), then
 *     store-release *cq.khead so the kernel may reuse those slots.
 * Indices are free-running 32-bit counters: `tail - head` is the number of
 * ready entries even after the counters wrap past 2^32, and a slot is
 * `index & ring_mask`.
 */
#ifndef LIBURING_DETAIL_CQ_H
#define LIBURING_DETAIL_CQ_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/cq.h>"
#endif

/* CQ index shift: a CQE32 ring's slots are two 16-byte CQEs wide. */
IOURINGINLINE unsigned io_uring_cqe_shift_from_flags(unsigned flags) LIBURING_NOEXCEPT
{
	return !!(flags & IORING_SETUP_CQE32);
}

IOURINGINLINE unsigned io_uring_cqe_shift(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return io_uring_cqe_shift_from_flags(ring->flags);
}

/* 16-byte CQ slots this CQE takes: 2 for a 32-byte CQE on a CQE_MIXED ring.
 * (liburing declares this one without LIBURING_NOEXCEPT; we match.) */
IOURINGINLINE unsigned io_uring_cqe_nr(const struct io_uring_cqe *cqe)
{
	return 1U + !!(cqe->flags & IORING_CQE_F_32);
}

/* Matches liburing's io_uring_cqe_iter_init: one snapshot of [head, tail). */
IOURINGINLINE struct io_uring_cqe_iter
io_uring_cqe_iter_init(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	struct io_uring_cqe_iter iter;

	iter.cqes = ring->cq.cqes;
	iter.mask = ring->cq.ring_mask;
	iter.shift = io_uring_cqe_shift(ring);
	/* Only the application writes the CQ head, so a plain load is exact. */
	iter.head = *ring->cq.khead;
	/* Pairs with the kernel's store-release of the CQ tail: every CQE
	 * below this tail is fully written before we read it. */
	iter.tail = io_uring_smp_load_acquire(ring->cq.ktail);
	return iter;
}

/* Matches liburing's io_uring_cqe_iter_next. Filler (IORING_CQE_F_SKIP)
 * entries are returned like any other; callers that care test the flag. */
IOURINGINLINE bool io_uring_cqe_iter_next(struct io_uring_cqe_iter *iter,
					  struct io_uring_cqe **cqe) LIBURING_NOEXCEPT
{
	if (iter->head == iter->tail)
		return false;
	*cqe = &iter->cqes[(iter->head & iter->mask) << iter->shift];
	iter->head += io_uring_cqe_nr(*cqe);
	return true;
}

/*
 * Visit every CQE ready at loop start without consuming it; `head` is the
 * CQ index of the current entry. Afterwards call io_uring_cq_advance() with
 * the number of slots seen (the count of CQEs, except on CQE_MIXED rings).
 */
#define io_uring_for_each_cqe(ring, head, cqe)				\
	for (struct io_uring_cqe_iter __bareuring_cqe_iter =		\
		     io_uring_cqe_iter_init(ring);			\
	     ((head) = __bareuring_cqe_iter.head,			\
	      io_uring_cqe_iter_next(&__bareuring_cqe_iter, &(cqe)));)

/* Matches liburing's io_uring_cq_advance: hand nr CQ slots back. */
IOURINGINLINE void io_uring_cq_advance(struct io_uring *ring, unsigned nr) LIBURING_NOEXCEPT
{
	if (nr) {
		struct io_uring_cq *cq = &ring->cq;

		/* Release: our reads of the consumed CQEs complete before the
		 * new head is visible. The kernel reads the head (READ_ONCE)
		 * to find free slots and only then stores new CQEs into them,
		 * a dependency that orders its writes after our reads. */
		io_uring_smp_store_release(cq->khead, *cq->khead + nr);
	}
}

/* Matches liburing's io_uring_cqe_seen: consume the CQE from peek/wait. */
IOURINGINLINE void io_uring_cqe_seen(struct io_uring *ring, struct io_uring_cqe *cqe) LIBURING_NOEXCEPT
{
	if (cqe)
		io_uring_cq_advance(ring, io_uring_cqe_nr(cqe));
}

/* Matches liburing's io_uring_cq_ready: CQ slots posted but not consumed. */
IOURINGINLINE unsigned io_uring_cq_ready(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	/* Acquire pairs with the kernel's tail release (see iter_init). */
	return io_uring_smp_load_acquire(ring->cq.ktail) - *ring->cq.khead;
}

/* True while the kernel holds completions that did not fit in the CQ ring;
 * any io_uring_enter with GETEVENTS moves them in. */
IOURINGINLINE bool io_uring_cq_has_overflow(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	return IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW;
}

/* Matches liburing's io_uring_cq_eventfd_enabled. */
IOURINGINLINE bool io_uring_cq_eventfd_enabled(const struct io_uring *ring) LIBURING_NOEXCEPT
{
	if (!ring->cq.kflags)
		return true;
	return !(*ring->cq.kflags & IORING_CQ_EVENTFD_DISABLED);
}

/* Matches liburing's io_uring_cq_eventfd_toggle: the flag word belongs to
 * the application; the kernel only reads it before signalling. */
IOURINGINLINE int io_uring_cq_eventfd_toggle(struct io_uring *ring, bool enabled) LIBURING_NOEXCEPT
{
	unsigned flags;

	if (enabled == io_uring_cq_eventfd_enabled(ring))
		return 0;
	if (!ring->cq.kflags)
		return -EOPNOTSUPP;

	flags = *ring->cq.kflags;
	if (enabled)
		flags &= ~IORING_CQ_EVENTFD_DISABLED;
	else
		flags |= IORING_CQ_EVENTFD_DISABLED;
	IO_URING_WRITE_ONCE(*ring->cq.kflags, flags);
	return 0;
}

/*
 * Entries the application must never see: IORING_CQE_F_SKIP fillers on
 * CQE_MIXED rings, and the completions of the library's own timeout SQE on
 * kernels without IORING_FEAT_EXT_ARG. Consumes such an entry and keeps a
 * failed timeout's result (normally -ETIME) in *err for the waiter.
 */
_LOCAL_INLINE bool io_uring_skip_cqe(struct io_uring *ring, struct io_uring_cqe *cqe, int *err)
	LIBURING_NOEXCEPT
{
	if (!(cqe->flags & IORING_CQE_F_SKIP)) {
		if ((ring->features & IORING_FEAT_EXT_ARG) || cqe->user_data != LIBURING_UDATA_TIMEOUT)
			return false;
		if (cqe->res < 0)
			*err = cqe->res;
	}
	io_uring_cq_advance(ring, io_uring_cqe_nr(cqe));
	return true;
}

/* Matches liburing's __io_uring_peek_cqe: the first CQE the application
 * should see, or NULL. Never enters the kernel. */
IOURINGINLINE int __io_uring_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				      unsigned *nr_available) LIBURING_NOEXCEPT
{
	struct io_uring_cqe *cqe;
	unsigned available;
	int err = 0;

	do {
		/* Acquire pairs with the kernel's tail release. */
		unsigned tail = io_uring_smp_load_acquire(ring->cq.ktail);
		unsigned head = *ring->cq.khead;

		cqe = NULL;
		available = tail - head; /* wraps correctly: free-running u32 */
		if (!available)
			break;
		cqe = &ring->cq.cqes[(head & ring->cq.ring_mask) << io_uring_cqe_shift(ring)];
		if (!io_uring_skip_cqe(ring, cqe, &err))
			break;
		cqe = NULL;
	} while (!err);

	*cqe_ptr = cqe;
	if (nr_available)
		*nr_available = available;
	return err;
}

/* Matches liburing's io_uring_wait_cqe_nr. */
IOURINGINLINE int io_uring_wait_cqe_nr(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
				       unsigned wait_nr) LIBURING_NOEXCEPT
{
	return __io_uring_get_cqe(ring, cqe_ptr, 0, wait_nr, NULL);
}

/* Matches liburing's io_uring_peek_cqe: -EAGAIN when nothing is ready,
 * entering the kernel only when completions could be waiting there (IOPOLL
 * reaping, overflowed CQEs, or pending task work). */
IOURINGINLINE int io_uring_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr) LIBURING_NOEXCEPT
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL) && *cqe_ptr)
		return 0;
	if (!(ring->flags & IORING_SETUP_IOPOLL) &&
	    !(IO_URING_READ_ONCE(*ring->sq.kflags) & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)))
		return -EAGAIN;
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 0);
}

/* Matches liburing's io_uring_wait_cqe: returns a CQE without a syscall
 * when one is ready. */
IOURINGINLINE int io_uring_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr) LIBURING_NOEXCEPT
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL) && *cqe_ptr)
		return 0;
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 1);
}

#endif /* LIBURING_DETAIL_CQ_H */
