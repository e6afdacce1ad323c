// Layer 2: where the rings live and how struct io_uring points into them.
//
// After io_uring_setup(2) the kernel reports, in io_uring_params, the byte
// offset of every SQ ring field (sq_off) and CQ ring field (cq_off) inside
// its ring memory. This file turns those offsets into the pointers of
// struct io_uring_sq / io_uring_cq, mapping the memory first when the kernel
// owns it. docs/ring-layout.md explains each region and field.
#pragma once

#include "internal.h"

namespace bareuring::ring {

// Bytes per SQ slot / CQ slot for a ring created with `flags`.
inline constexpr std::size_t sqe_size(unsigned flags) noexcept
{
    return (flags & IORING_SETUP_SQE128) ? 128 : 64;
}
inline constexpr std::size_t cqe_size(unsigned flags) noexcept
{
    return (flags & IORING_SETUP_CQE32) ? 32 : 16;
}

inline constexpr std::size_t page_round(std::size_t n) noexcept
{
    return (n + kPageSize - 1) & ~(kPageSize - 1);
}

// Byte lengths of the three kernel regions, from the params the kernel
// filled. With IORING_FEAT_SINGLE_MMAP the SQ and CQ rings are one mapping,
// so both lengths become the larger of the two.
struct region_sizes {
    std::size_t sq_ring;
    std::size_t cq_ring;
    std::size_t sqes;
};
region_sizes kernel_region_sizes(const io_uring_params &p) noexcept;

// Maps the SQ ring, CQ ring (unless shared) and SQE array of ring fd `fd`
// into `sq`/`cq` (ring_ptr, ring_sz, sqes, sqes_sz). On failure nothing
// stays mapped. Returns 0 or -errno. (liburing: io_uring_mmap.)
int map_kernel_regions(int fd, const io_uring_params &p, io_uring_sq *sq, io_uring_cq *cq) noexcept;

// Points every k* field of sq/cq at its place inside ring_ptr, copies
// ring_mask/ring_entries, and sets sq.array (unless NO_SQARRAY) and
// cq.kflags (if the kernel has CQ flags). Needs sq->ring_ptr, cq->ring_ptr.
void point_into_rings(const io_uring_params &p, io_uring_sq *sq, io_uring_cq *cq) noexcept;

// Unmaps what map_kernel_regions (or the NO_MMAP allocator) mapped, using
// only the sizes recorded in the ring — the same rule queue_exit follows.
void unmap_regions(io_uring_sq *sq, io_uring_cq *cq) noexcept;

// Checks the structural invariants the rest of the library relies on,
// right after setup: power-of-two ring sizes with mask = entries - 1, the
// CQ at least as large as the SQ, every k* pointer inside its mapping.
[[nodiscard]] bool invariants_hold(const io_uring *ring, const io_uring_params &p) noexcept;

// Fills the SQ index array with the identity map array[i] = i. Done once:
// SQEs are then consumed in ring order and the array is never rewritten.
void fill_identity_sq_array(io_uring_sq *sq) noexcept;

} // namespace bareuring::ring
