// Exported ring setup and teardown: io_uring_queue_init*, io_uring_queue_mmap,
// io_uring_queue_exit, io_uring_ring_dontfork.
#include "internal.h"

#include "ring/setup.h"

#include <sys/mman.h>

using namespace bareuring;

// liburing: io_uring_queue_init_params. p is in/out: the kernel fills the
// offsets and features; p->flags keeps IORING_SETUP_NO_SQARRAY if it was
// added.
BAREURING_API int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
                                             struct io_uring_params *p) noexcept
{
    const long ret = ring::create_or_mark_closed(entries, ring, p, nullptr, 0);
    return ret < 0 ? static_cast<int>(ret) : 0;
}

// liburing: io_uring_queue_init.
BAREURING_API int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags) noexcept
{
    io_uring_params p{};
    p.flags = flags;
    return io_uring_queue_init_params(entries, ring, &p);
}

// liburing: io_uring_queue_init_mem. Returns the bytes of buf the ring uses.
// A NULL params or buffer is a bad address (-EFAULT), as for every pointer
// the library itself would have to dereference.
BAREURING_API int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring, struct io_uring_params *p,
                                          void *buf, size_t buf_size) noexcept
{
    if (!p || !buf)
        return -EFAULT;
    p->flags |= IORING_SETUP_NO_MMAP;
    return static_cast<int>(ring::create_or_mark_closed(entries, ring, p, buf, buf_size));
}

// liburing: io_uring_queue_mmap.
BAREURING_API int io_uring_queue_mmap(int fd, struct io_uring_params *p, struct io_uring *ring) noexcept
{
    return ring::attach(fd, p, ring);
}

// liburing: io_uring_queue_exit.
BAREURING_API void io_uring_queue_exit(struct io_uring *ring) noexcept
{
    if (ring)
        ring::destroy(ring);
}

// liburing: io_uring_ring_dontfork. A forked child that inherited the
// mappings could otherwise keep the ring's pages (and its view of them)
// alive; MADV_DONTFORK leaves them out of the child. A NULL ring is a bad
// address (-EFAULT); a struct without ring mappings is not a ring (-EINVAL).
BAREURING_API int io_uring_ring_dontfork(struct io_uring *ring) noexcept
{
    if (!ring)
        return -EFAULT;
    if (!ring->sq.ring_ptr || !ring->sq.sqes || !ring->cq.ring_ptr)
        return -EINVAL;

    const std::size_t sqes_len =
        sizeof(io_uring_sqe) * (std::size_t{ring->sq.ring_entries} << io_uring_sqe_shift(ring));
    if (int ret = sys::madvise(ring->sq.sqes, sqes_len, MADV_DONTFORK))
        return ret;
    if (int ret = sys::madvise(ring->sq.ring_ptr, ring->sq.ring_sz, MADV_DONTFORK))
        return ret;
    if (ring->cq.ring_ptr != ring->sq.ring_ptr)
        return sys::madvise(ring->cq.ring_ptr, ring->cq.ring_sz, MADV_DONTFORK);
    return 0;
}
