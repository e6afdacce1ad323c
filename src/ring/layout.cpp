// Layer 2: mapping the kernel's ring regions and pointing struct io_uring
// into them.
#include "ring/layout.h"

#include <sys/mman.h>

namespace bareuring::ring {
namespace {

template <typename T = unsigned> T *at(void *base, std::uint32_t offset) noexcept
{
    return reinterpret_cast<T *>(static_cast<char *>(base) + offset);
}

} // namespace

region_sizes kernel_region_sizes(const io_uring_params &p) noexcept
{
    region_sizes s{};
    // The SQ ring ends with the index array (sq_entries u32s); the CQ ring
    // ends with the CQE array.
    s.sq_ring = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    s.cq_ring = p.cq_off.cqes + p.cq_entries * cqe_size(p.flags);
    if (p.features & IORING_FEAT_SINGLE_MMAP) {
        if (s.cq_ring > s.sq_ring)
            s.sq_ring = s.cq_ring;
        s.cq_ring = s.sq_ring;
    }
    s.sqes = p.sq_entries * sqe_size(p.flags);
    return s;
}

int map_kernel_regions(int fd, const io_uring_params &p, io_uring_sq *sq, io_uring_cq *cq) noexcept
{
    const region_sizes size = kernel_region_sizes(p);
    constexpr int prot = PROT_READ | PROT_WRITE;
    constexpr int flags = MAP_SHARED | MAP_POPULATE;

    void *sq_ring = sys::mmap(nullptr, size.sq_ring, prot, flags, fd, IORING_OFF_SQ_RING);
    if (sys::is_error(sq_ring))
        return sys::error_of(sq_ring);

    void *cq_ring = sq_ring;
    if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
        cq_ring = sys::mmap(nullptr, size.cq_ring, prot, flags, fd, IORING_OFF_CQ_RING);
        if (sys::is_error(cq_ring)) {
            sys::munmap(sq_ring, size.sq_ring);
            return sys::error_of(cq_ring);
        }
    }

    void *sqes = sys::mmap(nullptr, size.sqes, prot, flags, fd, IORING_OFF_SQES);
    if (sys::is_error(sqes)) {
        if (cq_ring != sq_ring)
            sys::munmap(cq_ring, size.cq_ring);
        sys::munmap(sq_ring, size.sq_ring);
        return sys::error_of(sqes);
    }

    sq->ring_ptr = sq_ring;
    sq->ring_sz = size.sq_ring;
    cq->ring_ptr = cq_ring;
    cq->ring_sz = size.cq_ring;
    sq->sqes = static_cast<io_uring_sqe *>(sqes);
    sq->sqes_sz = static_cast<unsigned>(size.sqes);
    return 0;
}

void point_into_rings(const io_uring_params &p, io_uring_sq *sq, io_uring_cq *cq) noexcept
{
    void *s = sq->ring_ptr;
    sq->khead = at(s, p.sq_off.head);
    sq->ktail = at(s, p.sq_off.tail);
    sq->kring_mask = at(s, p.sq_off.ring_mask);
    sq->kring_entries = at(s, p.sq_off.ring_entries);
    sq->kflags = at(s, p.sq_off.flags);
    sq->kdropped = at(s, p.sq_off.dropped);
    sq->array = (p.flags & IORING_SETUP_NO_SQARRAY) ? nullptr : at(s, p.sq_off.array);
    // The kernel wrote these before io_uring_setup returned and never
    // changes them (except io_uring_resize_rings, which rebuilds the ring).
    sq->ring_mask = *sq->kring_mask;
    sq->ring_entries = *sq->kring_entries;

    void *c = cq->ring_ptr;
    cq->khead = at(c, p.cq_off.head);
    cq->ktail = at(c, p.cq_off.tail);
    cq->kring_mask = at(c, p.cq_off.ring_mask);
    cq->kring_entries = at(c, p.cq_off.ring_entries);
    cq->koverflow = at(c, p.cq_off.overflow);
    cq->cqes = at<io_uring_cqe>(c, p.cq_off.cqes);
    // Kernels before 5.8 have no CQ flags word and report offset 0.
    cq->kflags = p.cq_off.flags ? at(c, p.cq_off.flags) : nullptr;
    cq->ring_mask = *cq->kring_mask;
    cq->ring_entries = *cq->kring_entries;
}

void unmap_regions(io_uring_sq *sq, io_uring_cq *cq) noexcept
{
    if (sq->sqes && sq->sqes_sz)
        sys::munmap(sq->sqes, sq->sqes_sz);
    if (sq->ring_ptr && sq->ring_sz)
        sys::munmap(sq->ring_ptr, sq->ring_sz);
    if (cq->ring_ptr && cq->ring_ptr != sq->ring_ptr && cq->ring_sz)
        sys::munmap(cq->ring_ptr, cq->ring_sz);
}

bool invariants_hold(const io_uring *ring, const io_uring_params &p) noexcept
{
    const io_uring_sq &sq = ring->sq;
    const io_uring_cq &cq = ring->cq;
    auto pow2 = [](unsigned n) { return n && !(n & (n - 1)); };

    if (!pow2(sq.ring_entries) || sq.ring_mask != sq.ring_entries - 1)
        return false;
    if (!pow2(cq.ring_entries) || cq.ring_mask != cq.ring_entries - 1)
        return false;
    if (sq.ring_entries != p.sq_entries || cq.ring_entries != p.cq_entries)
        return false;
    if (cq.ring_entries < sq.ring_entries)
        return false;
    // Fresh ring: nothing submitted, nothing completed.
    if (*sq.khead != *sq.ktail || *cq.khead != *cq.ktail)
        return false;
    if (sq.ring_sz) {
        // The highest SQ field must lie inside the mapping we made.
        const std::size_t end = (p.flags & IORING_SETUP_NO_SQARRAY)
                                    ? p.sq_off.dropped + sizeof(unsigned)
                                    : p.sq_off.array + sq.ring_entries * sizeof(unsigned);
        if (end > sq.ring_sz)
            return false;
    }
    if (cq.ring_sz && p.cq_off.cqes + cq.ring_entries * cqe_size(p.flags) > cq.ring_sz)
        return false;
    return true;
}

void fill_identity_sq_array(io_uring_sq *sq) noexcept
{
    if (!sq->array)
        return;
    for (unsigned i = 0; i < sq->ring_entries; i++)
        sq->array[i] = i;
}

} // namespace bareuring::ring
