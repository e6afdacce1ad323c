// Exported sizing helpers: io_uring_memory_size*, io_uring_mlock_size*.
#include "internal.h"

#include "ring/no_mmap.h"

using namespace bareuring;

// liburing: io_uring_memory_size_params — the bytes a ring with these
// parameters occupies, computed without a syscall (the same number
// io_uring_queue_init_mem returns).
BAREURING_API ssize_t io_uring_memory_size_params(unsigned entries, struct io_uring_params *p) noexcept
{
    if (!p)
        return -EINVAL;
    ring::no_mmap_sizes size;
    if (int ret = ring::compute_no_mmap_sizes(entries, *p, &size))
        return ret;
    return static_cast<ssize_t>(ring::no_mmap_total(size));
}

// liburing: io_uring_memory_size.
BAREURING_API ssize_t io_uring_memory_size(unsigned entries, unsigned flags) noexcept
{
    io_uring_params p{};
    p.flags = flags;
    return io_uring_memory_size_params(entries, &p);
}

// liburing: io_uring_mlock_size_params — RLIMIT_MEMLOCK the ring would be
// charged. Kernels with IORING_FEAT_NATIVE_WORKERS (5.12+) account ring
// memory to the memory cgroup instead, so the answer there is 0. Asking
// means creating a small ring once.
BAREURING_API ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p) noexcept
{
    if (!p)
        return -EINVAL;
    io_uring probe_ring;
    io_uring_params probe{};
    int ret = io_uring_queue_init_params(entries, &probe_ring, &probe);
    if (ret < 0)
        return ret;
    io_uring_queue_exit(&probe_ring);
    if (probe.features & IORING_FEAT_NATIVE_WORKERS)
        return 0;
    return io_uring_memory_size_params(entries, p);
}

// liburing: io_uring_mlock_size.
BAREURING_API ssize_t io_uring_mlock_size(unsigned entries, unsigned flags) noexcept
{
    io_uring_params p{};
    p.flags = flags;
    return io_uring_mlock_size_params(entries, &p);
}
