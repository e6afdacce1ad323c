// Fixed (registered) buffers: the table IORING_OP_READ_FIXED/WRITE_FIXED and
// the zero-copy send/receive paths index with sqe->buf_index.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_buffers: IORING_REGISTER_BUFFERS with the iovec array
// itself as the argument.
BAREURING_API int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
                                            unsigned nr_iovecs) noexcept
{
    return register_on(ring, IORING_REGISTER_BUFFERS, iovecs, nr_iovecs);
}

// io_uring_register_buffers_tags: the BUFFERS2 form, which carries a tag per
// buffer; the kernel posts a CQE with the tag once a buffer is released.
// nr_args is the size of the descriptor, not a count.
BAREURING_API int io_uring_register_buffers_tags(struct io_uring *ring, const struct iovec *iovecs,
                                                 const __u64 *tags, unsigned nr) noexcept
{
    io_uring_rsrc_register reg{};
    reg.nr = nr;
    reg.data = user_ptr(iovecs);
    reg.tags = user_ptr(tags);
    return register_on(ring, IORING_REGISTER_BUFFERS2, &reg, sizeof(reg));
}

// io_uring_register_buffers_sparse: reserves nr empty slots, to be filled
// later with io_uring_register_buffers_update_tag.
BAREURING_API int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr) noexcept
{
    io_uring_rsrc_register reg{};
    reg.nr = nr;
    reg.flags = IORING_RSRC_REGISTER_SPARSE;
    return register_on(ring, IORING_REGISTER_BUFFERS2, &reg, sizeof(reg));
}

// io_uring_register_buffers_update_tag: replaces slots [off, off + nr).
// Returns the number of slots updated.
BAREURING_API int io_uring_register_buffers_update_tag(struct io_uring *ring, unsigned off,
                                                       const struct iovec *iovecs, const __u64 *tags,
                                                       unsigned nr) noexcept
{
    io_uring_rsrc_update2 up{};
    up.offset = off;
    up.data = user_ptr(iovecs);
    up.tags = user_ptr(tags);
    up.nr = nr;
    return register_on(ring, IORING_REGISTER_BUFFERS_UPDATE, &up, sizeof(up));
}

// io_uring_unregister_buffers.
BAREURING_API int io_uring_unregister_buffers(struct io_uring *ring) noexcept
{
    return register_on(ring, IORING_UNREGISTER_BUFFERS, nullptr, 0);
}
