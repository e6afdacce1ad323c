// Layer 2: ring creation and teardown (see setup.h and docs/ring-layout.md).
#include "ring/setup.h"

#include "ring/layout.h"
#include "ring/no_mmap.h"

namespace bareuring::ring {
namespace {

// The fields that do not depend on where the memory came from.
void finish_fields(int fd, const io_uring_params &p, io_uring *ring) noexcept
{
    ring->features = p.features;
    ring->flags = p.flags;
    ring->enter_ring_fd = fd;
    if (p.flags & IORING_SETUP_REGISTERED_FD_ONLY) {
        // The "fd" is an index into the task's registered ring table; there
        // is no real descriptor to mmap, poll or close.
        ring->ring_fd = -1;
        ring->int_flags |= kIntFlagRegRing | kIntFlagRegRegRing;
    } else {
        ring->ring_fd = fd;
    }
    // IOPOLL completions are found only by polling inside io_uring_enter
    // (the SQPOLL thread polls on its own), so reaping must enter.
    if ((p.flags & IORING_SETUP_IOPOLL) && !(p.flags & IORING_SETUP_SQPOLL))
        ring->int_flags |= kIntFlagCqEnter;
}

// Closes a ring handle that setup just created, real fd or registered index.
void close_new_ring(int fd, const io_uring_params &p) noexcept
{
    if (p.flags & IORING_SETUP_REGISTERED_FD_ONLY) {
        io_uring_rsrc_update up{};
        up.offset = static_cast<unsigned>(fd);
        sys::io_uring_register(static_cast<unsigned>(fd),
                               IORING_UNREGISTER_RING_FDS | IORING_REGISTER_USE_REGISTERED_RING, &up, 1);
    } else {
        sys::close(fd);
    }
}

long create_once(unsigned entries, io_uring *ring, io_uring_params *p, void *buf, std::size_t buf_size) noexcept
{
    __builtin_memset(ring, 0, sizeof(*ring));
    if ((p->flags & IORING_SETUP_REGISTERED_FD_ONLY) && !(p->flags & IORING_SETUP_NO_MMAP))
        return -EINVAL;

    long used = 0;
    if (p->flags & IORING_SETUP_NO_MMAP) {
        used = place_no_mmap_rings(entries, p, ring, buf, buf_size);
        if (used < 0)
            return used;
    }

    const int fd = sys::io_uring_setup(entries, p);
    if (fd < 0) {
        unmap_regions(&ring->sq, &ring->cq);
        __builtin_memset(ring, 0, sizeof(*ring));
        return fd;
    }

    if (!(p->flags & IORING_SETUP_NO_MMAP)) {
        if (int ret = map_kernel_regions(fd, *p, &ring->sq, &ring->cq)) {
            close_new_ring(fd, *p);
            __builtin_memset(ring, 0, sizeof(*ring));
            return ret;
        }
    }
    point_into_rings(*p, &ring->sq, &ring->cq);

    if (!invariants_hold(ring, *p)) {
        // The kernel reported a layout we cannot drive safely.
        unmap_regions(&ring->sq, &ring->cq);
        close_new_ring(fd, *p);
        __builtin_memset(ring, 0, sizeof(*ring));
        return -EFAULT;
    }

    fill_identity_sq_array(&ring->sq);
    finish_fields(fd, *p, ring);
    return used;
}

} // namespace

long create(unsigned entries, io_uring *ring, io_uring_params *p, void *buf, std::size_t buf_size) noexcept
{
    if (!ring || !p)
        return -EFAULT;
    // Without an SQ index array the kernel reads SQEs in ring order, which is
    // all liburing's API ever does; older kernels reject the flag.
    const unsigned asked = p->flags;
    if (asked & IORING_SETUP_NO_SQARRAY)
        return create_once(entries, ring, p, buf, buf_size);

    p->flags = asked | IORING_SETUP_NO_SQARRAY;
    long ret = create_once(entries, ring, p, buf, buf_size);
    if (ret == -EINVAL) {
        p->flags = asked;
        ret = create_once(entries, ring, p, buf, buf_size);
    }
    return ret;
}

long create_or_mark_closed(unsigned entries, io_uring *ring, io_uring_params *p, void *buf,
                           std::size_t buf_size) noexcept
{
    const long ret = create(entries, ring, p, buf, buf_size);
    if (ret < 0 && ring) {
        // A zeroed ring would name fd 0: make a stray io_uring_queue_exit
        // after a failed init harmless instead of closing stdin.
        ring->ring_fd = -1;
        ring->enter_ring_fd = -1;
    }
    return ret;
}

int attach(int fd, io_uring_params *p, io_uring *ring) noexcept
{
    if (!ring || !p)
        return -EFAULT;
    __builtin_memset(ring, 0, sizeof(*ring));
    if (int ret = map_kernel_regions(fd, *p, &ring->sq, &ring->cq))
        return ret;
    point_into_rings(*p, &ring->sq, &ring->cq);
    // liburing 2.15 leaves the index array untouched here, so a ring with an
    // SQ array that is attached this way submits slot 0 over and over. The
    // identity map is what every submission path assumes: write it.
    fill_identity_sq_array(&ring->sq);
    finish_fields(fd, *p, ring);
    // io_uring_queue_mmap is given a ring that exists already: the fd stays
    // the caller's, registered or not.
    ring->ring_fd = fd;
    ring->int_flags = static_cast<std::uint8_t>(ring->int_flags & ~(kIntFlagRegRing | kIntFlagRegRegRing));
    return 0;
}

void release_fds(io_uring *ring) noexcept
{
    // A failed unregister leaves the slot to the kernel, which drops it
    // when the thread exits; the struct forgets it either way.
    if (ring->int_flags & kIntFlagRegRing)
        io_uring_unregister_ring_fd(ring);
    if (ring->ring_fd != -1)
        sys::close(ring->ring_fd);
    ring->ring_fd = -1;
    ring->enter_ring_fd = -1;
    ring->int_flags = static_cast<std::uint8_t>(ring->int_flags & ~(kIntFlagRegRing | kIntFlagRegRegRing));
}

void destroy(io_uring *ring) noexcept
{
    if (!(ring->int_flags & kIntFlagAppMem))
        unmap_regions(&ring->sq, &ring->cq);
    release_fds(ring);
}

} // namespace bareuring::ring
