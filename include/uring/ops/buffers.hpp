// Legacy provided buffers: provide_buffers, remove_buffers.
//
// The kernel keeps a list of buffers per group and a request flagged
// IOSQE_BUFFER_SELECT with that group takes one when it has data (the CQE
// says which: IORING_CQE_F_BUFFER and the id above IORING_CQE_BUFFER_SHIFT).
// A consumed buffer is not given back by itself: provide it again. Ring
// mapped buffers (buffer_ring.hpp) are the faster successor; these work on
// every kernel since 5.7.
#pragma once

#include <liburing.h>

#include <climits>
#include <cstddef>
#include <cstdint>

#include "../buffer.hpp"

namespace uring {

// io_uring_prep_provide_buffers: hands `memory`, cut into buffers of
// `buffer_size` bytes, to group `group` with ids first_id, first_id + 1, ...
// (the number of buffers is memory.size() / buffer_size). The memory must
// stay valid until the buffers are consumed or removed.
struct provide_buffers {
    static constexpr io_uring_op opcode = IORING_OP_PROVIDE_BUFFERS;

    mutable_buffer memory;
    unsigned buffer_size;
    std::uint16_t group;
    std::uint16_t first_id = 0;

    [[nodiscard]] constexpr int count() const noexcept
    {
        if (buffer_size == 0)
            return 0;
        std::size_t n = memory.size() / buffer_size;
        return n > INT_MAX ? INT_MAX : static_cast<int>(n);
    }

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        int len = buffer_size > INT_MAX ? INT_MAX : static_cast<int>(buffer_size);
        io_uring_prep_provide_buffers(sqe, memory.data(), len, count(), group, first_id);
    }
};

// io_uring_prep_remove_buffers: takes up to `count` unused buffers of group
// `group` back from the kernel; res is how many it removed (0 when the group
// has none left; -ENOENT for a group that never existed or, on older
// kernels, an emptied one).
struct remove_buffers {
    static constexpr io_uring_op opcode = IORING_OP_REMOVE_BUFFERS;

    unsigned count;
    std::uint16_t group;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_remove_buffers(sqe, count > INT_MAX ? INT_MAX : static_cast<int>(count), group);
    }
};

} // namespace uring
