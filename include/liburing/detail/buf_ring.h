/* SPDX-License-Identifier: MIT */
/*
 * Provided-buffer rings and the probe test of <liburing.h>. Included by
 * <liburing.h> only (inside its extern "C"), after cq.h, whose
 * io_uring_cq_advance the combined buffer/CQ advance uses.
 *
 * The buffer ring protocol (IORING_REGISTER_PBUF_RING):
 *   - the application owns the 16-bit tail, which overlays bufs[0].resv;
 *   - it fills entries bufs[(tail + i) & mask] with plain stores, then
 *     store-releases the new tail;
 *   - the kernel load-acquires the tail before reading entries below it, and
 *     keeps its own head (io_uring_buf_ring_head asks for it).
 * Both indices are free-running u16 counters, so `tail - head` taken modulo
 * 2^16 is the number of buffers the kernel has not consumed yet.
 */
#ifndef LIBURING_DETAIL_BUF_RING_H
#define LIBURING_DETAIL_BUF_RING_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/buf_ring.h>"
#endif

/* 1 if the kernel that filled probe p supports opcode op, else 0 (also for
 * an op outside 0..p->last_op, so callers may pass any opcode number). */
IOURINGINLINE int io_uring_opcode_supported(const struct io_uring_probe *p, int op) LIBURING_NOEXCEPT
{
	if (op < 0 || op > p->last_op)
		return 0;
	return (p->ops[op].flags & IO_URING_OP_SUPPORTED) != 0;
}

/* Index mask of a ring with ring_entries (a power of two) entries. */
IOURINGINLINE int io_uring_buf_ring_mask(__u32 ring_entries) LIBURING_NOEXCEPT
{
	return (int)(ring_entries - 1);
}

/* Resets the tail of a ring that is not registered yet. A plain store: the
 * kernel cannot be looking at the ring before registration. */
IOURINGINLINE void io_uring_buf_ring_init(struct io_uring_buf_ring *br) LIBURING_NOEXCEPT
{
	br->tail = 0;
}

/* Fills the entry buf_offset places past the tail with buffer addr/len/bid.
 * Plain stores: the kernel does not read the entry until a later
 * io_uring_buf_ring_advance publishes it. */
IOURINGINLINE void io_uring_buf_ring_add(struct io_uring_buf_ring *br, void *addr, unsigned int len,
					 unsigned short bid, int mask, int buf_offset) LIBURING_NOEXCEPT
{
	/* Entry i is bufs[i]; bufs sits at offset 0 of the ring. Indexing from
	 * the ring pointer instead of through the zero-length bufs[0] member
	 * keeps GCC's -Warray-bounds quiet when the ring lives in an object of
	 * known size (a static or stack array) rather than in mmap'ed memory. */
	struct io_uring_buf *buf = (struct io_uring_buf *)(void *)br + ((br->tail + buf_offset) & mask);

	buf->addr = uring_ptr_to_u64(addr);
	buf->len = len;
	buf->bid = bid;
}

/* Publishes count entries added with io_uring_buf_ring_add. */
IOURINGINLINE void io_uring_buf_ring_advance(struct io_uring_buf_ring *br, int count) LIBURING_NOEXCEPT
{
	__u16 new_tail = (__u16)(br->tail + count);

	/* Release pairs with the kernel's load-acquire of the tail when it
	 * picks a buffer: the entries written above are visible first. */
	io_uring_smp_store_release(&br->tail, new_tail);
}

/* Returns buf_count buffers to the ring and consumes cq_count CQ slots, for
 * the common case of recycling the buffers of the CQEs just handled. */
IOURINGINLINE void __io_uring_buf_ring_cq_advance(struct io_uring *ring, struct io_uring_buf_ring *br,
						  int cq_count, int buf_count) LIBURING_NOEXCEPT
{
	/* Two release stores, buffer tail first: the buffers go back before
	 * the CQ slots that referred to them are handed back to the kernel.
	 * The first pairs with the kernel's acquire of the buffer tail, the
	 * second (in io_uring_cq_advance) with its acquire of the CQ head. */
	io_uring_buf_ring_advance(br, buf_count);
	io_uring_cq_advance(ring, (unsigned)cq_count);
}

/* Returns count buffers and consumes count CQ slots. */
IOURINGINLINE void io_uring_buf_ring_cq_advance(struct io_uring *ring, struct io_uring_buf_ring *br,
						int count) LIBURING_NOEXCEPT
{
	__io_uring_buf_ring_cq_advance(ring, br, count, count);
}

/* Buffers of group bgid the kernel has not consumed yet: our tail minus the
 * kernel's head (both u16, so the difference is taken modulo 2^16), or the
 * -errno of io_uring_buf_ring_head. The tail is read plainly: only we write
 * it. */
IOURINGINLINE int io_uring_buf_ring_available(struct io_uring *ring, struct io_uring_buf_ring *br,
					      unsigned short bgid) LIBURING_NOEXCEPT
{
	uint16_t head;
	int ret = io_uring_buf_ring_head(ring, bgid, &head);

	if (ret)
		return ret;
	return (uint16_t)(br->tail - head);
}

#endif /* LIBURING_DETAIL_BUF_RING_H */
