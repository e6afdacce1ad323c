// Layer 2: ring memory for IORING_SETUP_NO_MMAP rings.
//
// With NO_MMAP the kernel does not allocate the rings; user space hands it
// two areas through io_uring_params: the SQE array (sq_off.user_addr) and
// the "rings" area holding both ring headers, the CQE array and, unless
// NO_SQARRAY, the SQ index array (cq_off.user_addr). The memory is either
// the application's (io_uring_queue_init_mem) or ours (io_uring_queue_init
// with NO_MMAP): one 4 KiB page when the SQEs fit in it, else a 2 MiB huge
// page, plus a second page or huge page for the rings if they don't fit too.
#pragma once

#include "internal.h"

namespace bareuring::ring {

// The two areas' sizes for `entries` and p's flags/cq_entries, following the
// same clamping rules as the kernel. Returns 0 or -EINVAL.
struct no_mmap_sizes {
    std::size_t sqes;  // page-rounded SQE array
    std::size_t rings; // headers + CQEs (+ SQ index array), not rounded
    unsigned sq_entries;
    unsigned cq_entries;
};
int compute_no_mmap_sizes(unsigned entries, const io_uring_params &p, no_mmap_sizes *out) noexcept;

// Bytes of memory a ring needs (SQE area + page-rounded rings area): what
// io_uring_memory_size_params reports and io_uring_queue_init_mem returns.
inline std::size_t no_mmap_total(const no_mmap_sizes &s) noexcept
{
    return s.sqes + ((s.rings + kPageSize - 1) & ~(kPageSize - 1));
}

// Lays the two areas out in buf (app memory, int_flags gets APP_MEM) or in
// memory we map (buf == nullptr), records them in ring->sq/cq (sqes,
// ring_ptr, sqes_sz, ring_sz) and in p->sq_off.user_addr/cq_off.user_addr.
// Returns the bytes used (> 0) or -errno (-ENOMEM: buffer too small).
long place_no_mmap_rings(unsigned entries, io_uring_params *p, io_uring *ring, void *buf,
                         std::size_t buf_size) noexcept;

} // namespace bareuring::ring
