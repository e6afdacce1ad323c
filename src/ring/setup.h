// Layer 2: creating and destroying a ring.
#pragma once

#include "internal.h"

namespace bareuring::ring {

// Creates a ring: io_uring_setup(2), then maps (or, with NO_MMAP, places)
// its memory and fills *ring exactly as liburing 2.15 does. Tries
// IORING_SETUP_NO_SQARRAY first and falls back on -EINVAL unless the caller
// asked for it. buf/buf_size: caller memory for io_uring_queue_init_mem.
// Returns 0 (or, with NO_MMAP, the bytes of memory used) or -errno; on
// failure nothing is left open or mapped.
long create(unsigned entries, io_uring *ring, io_uring_params *p, void *buf, std::size_t buf_size) noexcept;

// create(), and on failure leaves ring_fd/enter_ring_fd at -1 so that a
// io_uring_queue_exit on the failed ring touches nothing.
long create_or_mark_closed(unsigned entries, io_uring *ring, io_uring_params *p, void *buf,
                           std::size_t buf_size) noexcept;

// Fills *ring for an existing ring fd whose params the kernel returned:
// maps the regions and sets every field. Returns 0 or -errno.
// (liburing: io_uring_queue_mmap — which does not fill the SQ index array.)
int attach(int fd, io_uring_params *p, io_uring *ring) noexcept;

// Drops the ring's registered index and closes its fd, leaving ring_fd and
// enter_ring_fd at -1; the mappings stay. destroy() and a failed resize
// use it.
void release_fds(io_uring *ring) noexcept;

// Releases everything create/attach acquired.
void destroy(io_uring *ring) noexcept;

} // namespace bareuring::ring
