/* SPDX-License-Identifier: MIT */
/*
 * bench_setup_buf_ring: io_uring_setup_buf_ring where the library has it
 * (liburing >= 2.4, and bareuring), otherwise the same steps by hand —
 * Debian's liburing 2.3 predates that helper but has
 * io_uring_register_buf_ring. Setup only; nothing here is timed.
 */
#ifndef BUF_RING_COMPAT_H
#define BUF_RING_COMPAT_H

#include <liburing.h>
#include <sys/mman.h>

#if defined(IO_URING_CHECK_VERSION)
#if !IO_URING_CHECK_VERSION(2, 4)
#define BENCH_HAVE_SETUP_BUF_RING 1
#endif
#endif

static inline struct io_uring_buf_ring *bench_setup_buf_ring(struct io_uring *ring,
							      unsigned entries, int bgid, int *err)
{
#ifdef BENCH_HAVE_SETUP_BUF_RING
	return io_uring_setup_buf_ring(ring, entries, bgid, 0, err);
#else
	struct io_uring_buf_reg reg;
	size_t len = entries * sizeof(struct io_uring_buf);
	struct io_uring_buf_ring *br =
		mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);

	if (br == MAP_FAILED) {
		*err = -ENOMEM;
		return NULL;
	}
	io_uring_buf_ring_init(br);
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)br;
	reg.ring_entries = entries;
	reg.bgid = (unsigned short)bgid;
	*err = io_uring_register_buf_ring(ring, &reg, 0);
	if (*err) {
		munmap(br, len);
		return NULL;
	}
	return br;
#endif
}

#endif /* BUF_RING_COMPAT_H */
