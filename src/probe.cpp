// Opcode probing: which IORING_OP_* the running kernel supports.
#include "register_common.h"

#include "sys/memory.h"

using namespace bareuring;

namespace {

// Room for every opcode an 8-bit op field can name.
constexpr unsigned kProbeOps = 256;

} // namespace

// io_uring_register_probe: the caller's buffer must hold nr zeroed
// io_uring_probe_op entries after the header.
BAREURING_API int io_uring_register_probe(struct io_uring *ring, struct io_uring_probe *p, unsigned nr) noexcept
{
    return register_on(ring, IORING_REGISTER_PROBE, p, nr);
}

// io_uring_get_probe_ring: zeroed, as the kernel requires. In the libc build
// it comes from calloc, because callers may release it with plain free();
// the no-libc build maps it (sys/memory.h), and then only
// io_uring_free_probe may release it. NULL on any failure.
BAREURING_API struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring) noexcept
{
    if (ring == nullptr)
        return nullptr;
    const size_t len = sizeof(io_uring_probe) + kProbeOps * sizeof(io_uring_probe_op);
    auto *probe = static_cast<io_uring_probe *>(sys::alloc_zeroed(len));
    if (probe == nullptr)
        return nullptr;
    if (ring_register(ring, IORING_REGISTER_PROBE, probe, kProbeOps) < 0) {
        sys::release(probe);
        return nullptr;
    }
    return probe;
}

// io_uring_get_probe: the same through a throw-away two-entry ring.
BAREURING_API struct io_uring_probe *io_uring_get_probe(void) noexcept
{
    io_uring tmp;
    if (io_uring_queue_init(2, &tmp, 0) < 0)
        return nullptr;
    io_uring_probe *probe = io_uring_get_probe_ring(&tmp);
    io_uring_queue_exit(&tmp);
    return probe;
}

// io_uring_free_probe: the counterpart of the allocation above; NULL is fine.
BAREURING_API void io_uring_free_probe(struct io_uring_probe *probe) noexcept
{
    sys::release(probe);
}
