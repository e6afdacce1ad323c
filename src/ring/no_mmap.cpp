// Layer 2: ring memory for IORING_SETUP_NO_MMAP rings (see no_mmap.h).
#include "ring/no_mmap.h"

#include "ring/layout.h"

#include <linux/mman.h>
#include <sys/mman.h>

namespace bareuring::ring {
namespace {

constexpr unsigned kMaxSqEntries = 32768;
constexpr unsigned kMaxCqEntries = 2 * kMaxSqEntries;
constexpr std::size_t kHugePage = 2u << 20;
// struct io_rings' header in front of the CQE array.
constexpr std::size_t kRingsHeader = 64;

unsigned roundup_pow2(unsigned n) noexcept
{
    unsigned r = 1;
    while (r < n)
        r <<= 1;
    return r;
}

// Anonymous shared memory for one area: a page, or a 2 MiB huge page.
void *map_area(std::size_t need, std::size_t *mapped) noexcept
{
    int flags = MAP_SHARED | MAP_ANONYMOUS;
    std::size_t len = kPageSize;
    if (need > kPageSize) {
        flags |= MAP_HUGETLB | MAP_HUGE_2MB;
        len = kHugePage;
    }
    *mapped = len;
    return sys::mmap(nullptr, len, PROT_READ | PROT_WRITE, flags, -1, 0);
}

} // namespace

int compute_no_mmap_sizes(unsigned entries, const io_uring_params &p, no_mmap_sizes *out) noexcept
{
    if (!entries)
        return -EINVAL;
    if (entries > kMaxSqEntries) {
        if (!(p.flags & IORING_SETUP_CLAMP))
            return -EINVAL;
        entries = kMaxSqEntries;
    }
    const unsigned sq = roundup_pow2(entries);
    unsigned cq = 2 * sq;
    if (p.flags & IORING_SETUP_CQSIZE) {
        if (!p.cq_entries)
            return -EINVAL;
        cq = p.cq_entries;
        if (cq > kMaxCqEntries) {
            if (!(p.flags & IORING_SETUP_CLAMP))
                return -EINVAL;
            cq = kMaxCqEntries;
        }
        cq = roundup_pow2(cq);
        if (cq < sq)
            return -EINVAL;
    }

    out->sq_entries = sq;
    out->cq_entries = cq;
    out->sqes = page_round(sq * sqe_size(p.flags));
    out->rings = kRingsHeader + cq * cqe_size(p.flags);
    if (!(p.flags & IORING_SETUP_NO_SQARRAY))
        out->rings += sq * sizeof(unsigned);
    return 0;
}

long place_no_mmap_rings(unsigned entries, io_uring_params *p, io_uring *ring, void *buf,
                         std::size_t buf_size) noexcept
{
    no_mmap_sizes size;
    if (int ret = compute_no_mmap_sizes(entries, *p, &size))
        return ret;
    const std::size_t total = no_mmap_total(size);

    char *sqes;
    char *rings;
    if (buf) {
        if (buf_size < total)
            return -ENOMEM;
        sqes = static_cast<char *>(buf);
        rings = sqes + size.sqes;
        ring->int_flags |= kIntFlagAppMem;
        // Nothing of ours to unmap at exit: sizes stay 0.
    } else {
        if (size.sqes > kHugePage || size.rings > kHugePage)
            return -ENOMEM;
        std::size_t mapped;
        void *area = map_area(size.sqes, &mapped);
        if (sys::is_error(area))
            return sys::error_of(area);
        sqes = static_cast<char *>(area);
        ring->sq.sqes_sz = static_cast<unsigned>(mapped);
        if (size.sqes + size.rings <= mapped) {
            rings = sqes + size.sqes;
        } else {
            void *second = map_area(size.rings, &mapped);
            if (sys::is_error(second)) {
                sys::munmap(area, ring->sq.sqes_sz);
                ring->sq.sqes_sz = 0;
                return sys::error_of(second);
            }
            rings = static_cast<char *>(second);
            ring->sq.ring_sz = mapped;
        }
    }

    ring->sq.sqes = reinterpret_cast<io_uring_sqe *>(sqes);
    ring->sq.ring_ptr = rings;
    ring->cq.ring_ptr = rings;
    p->sq_off.user_addr = reinterpret_cast<std::uintptr_t>(sqes);
    p->cq_off.user_addr = reinterpret_cast<std::uintptr_t>(rings);
    return static_cast<long>(total);
}

} // namespace bareuring::ring
