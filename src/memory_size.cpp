// Exported sizing helpers: io_uring_memory_size*, io_uring_mlock_size*.
#include "internal.h"

#include "ring/no_mmap.h"

using namespace bareuring;

// liburing: io_uring_memory_size_params — the bytes a ring with these
// parameters occupies, computed without a syscall (the same number
// io_uring_queue_init_mem returns). A NULL p is a bad address (-EFAULT).
BAREURING_API ssize_t io_uring_memory_size_params(unsigned entries, struct io_uring_params *p) noexcept
{
    if (!p)
        return -EFAULT;
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
// means creating a ring of the same size (default flags) once.
//
// That probe ring can fail for reasons that say nothing about the answer:
// on an old kernel, precisely because the memlock budget the caller is
// asking about is used up (-ENOMEM), or because io_uring is disabled or
// memory is short. Its error is not the caller's, so it is not returned:
// without the feature bits the library cannot rule out memlock accounting
// and answers with the full size, checking the caller's parameters on the
// way (-EINVAL for bad entries or CQ sizes). That is also liburing's
// behaviour. On 5.12+ kernels flags are not validated, as in liburing.
BAREURING_API ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p) noexcept
{
    if (!p)
        return -EFAULT;
    io_uring probe_ring;
    io_uring_params probe{};
    if (io_uring_queue_init_params(entries, &probe_ring, &probe) == 0) {
        io_uring_queue_exit(&probe_ring);
        if (probe.features & IORING_FEAT_NATIVE_WORKERS)
            return 0;
    }
    return io_uring_memory_size_params(entries, p);
}

// liburing: io_uring_mlock_size.
BAREURING_API ssize_t io_uring_mlock_size(unsigned entries, unsigned flags) noexcept
{
    io_uring_params p{};
    p.flags = flags;
    return io_uring_mlock_size_params(entries, &p);
}
