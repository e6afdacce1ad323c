// Provided-buffer rings: a ring of io_uring_buf the application fills and
// the kernel consumes, one per buffer group id (bgid).
#include "register_common.h"

#include <sys/mman.h>

using namespace bareuring;

namespace {

size_t buf_ring_bytes(unsigned nentries) noexcept
{
    return static_cast<size_t>(nentries) * sizeof(io_uring_buf);
}

// The application allocates the ring (the normal case on x86_64): anonymous
// private memory, registered by address; unmapped again if the kernel says
// no.
io_uring_buf_ring *app_allocated(io_uring *ring, io_uring_buf_reg *reg, unsigned flags, int *err) noexcept
{
    const size_t len = buf_ring_bytes(reg->ring_entries);
    void *mem = sys::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (sys::is_error(mem)) {
        *err = sys::error_of(mem);
        return nullptr;
    }
    reg->ring_addr = user_ptr(mem);
    int ret = io_uring_register_buf_ring(ring, reg, flags);
    if (ret != 0) {
        sys::munmap(mem, len);
        *err = ret;
        return nullptr;
    }
    return static_cast<io_uring_buf_ring *>(mem);
}

// The caller asked for IOU_PBUF_RING_MMAP: the kernel allocates the ring and
// we map it from the ring fd at IORING_OFF_PBUF_RING | bgid << shift.
// liburing takes this path only on hppa; on other targets it would hand the
// kernel an address together with MMAP, which cannot work, so honouring the
// flag here is a strict improvement. Unregistered again if the map fails.
io_uring_buf_ring *kernel_allocated(io_uring *ring, io_uring_buf_reg *reg, unsigned flags, int *err) noexcept
{
    int ret = io_uring_register_buf_ring(ring, reg, flags);
    if (ret != 0) {
        *err = ret;
        return nullptr;
    }
    const std::uint64_t off = IORING_OFF_PBUF_RING |
                              (static_cast<std::uint64_t>(reg->bgid) << IORING_OFF_PBUF_SHIFT);
    void *mem = sys::mmap(nullptr, buf_ring_bytes(reg->ring_entries), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_POPULATE, ring->ring_fd, off);
    if (sys::is_error(mem)) {
        *err = sys::error_of(mem);
        io_uring_unregister_buf_ring(ring, reg->bgid);
        return nullptr;
    }
    return static_cast<io_uring_buf_ring *>(mem);
}

} // namespace

// io_uring_register_buf_ring: note that flags is ORed into the caller's
// reg->flags, which liburing callers can observe.
BAREURING_API int io_uring_register_buf_ring(struct io_uring *ring, struct io_uring_buf_reg *reg,
                                             unsigned int flags) noexcept
{
    if (ring == nullptr || reg == nullptr)
        return -EFAULT;
    reg->flags |= static_cast<__u16>(flags);
    return ring_register(ring, IORING_REGISTER_PBUF_RING, reg, 1);
}

// io_uring_unregister_buf_ring: only bgid matters to the kernel.
BAREURING_API int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid) noexcept
{
    io_uring_buf_reg reg{};
    reg.bgid = static_cast<__u16>(bgid);
    return register_on(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

// io_uring_setup_buf_ring: allocate + register + tail = 0. NULL and
// *err = -errno on failure, with nothing left mapped or registered. err may
// be NULL (liburing would crash; we just do not report).
BAREURING_API struct io_uring_buf_ring *io_uring_setup_buf_ring(struct io_uring *ring, unsigned int nentries,
                                                                int bgid, unsigned int flags, int *err) noexcept
{
    int local_err = 0;
    int *e = err != nullptr ? err : &local_err;
    *e = 0;
    if (ring == nullptr) {
        *e = kNullRing;
        return nullptr;
    }

    io_uring_buf_reg reg{};
    reg.ring_entries = nentries;
    reg.bgid = static_cast<__u16>(bgid);

    io_uring_buf_ring *br = (flags & IOU_PBUF_RING_MMAP) ? kernel_allocated(ring, &reg, flags, e)
                                                         : app_allocated(ring, &reg, flags, e);
    if (br != nullptr)
        br->tail = 0;
    return br;
}

// io_uring_free_buf_ring: unregister first; only if the kernel let go of it
// is the memory unmapped (otherwise it may still be in use).
BAREURING_API int io_uring_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br,
                                         unsigned int nentries, int bgid) noexcept
{
    int ret = io_uring_unregister_buf_ring(ring, bgid);
    if (ret != 0)
        return ret;
    if (br != nullptr)
        sys::munmap(br, buf_ring_bytes(nentries));
    return 0;
}

// io_uring_buf_ring_head: the kernel's consumption head for a group
// (IORING_REGISTER_PBUF_STATUS). -ENOENT for an unknown group.
BAREURING_API int io_uring_buf_ring_head(struct io_uring *ring, int buf_group, uint16_t *head) noexcept
{
    if (head == nullptr)
        return -EFAULT;
    io_uring_buf_status status{};
    status.buf_group = static_cast<__u32>(buf_group);
    int ret = register_on(ring, IORING_REGISTER_PBUF_STATUS, &status, 1);
    if (ret != 0)
        return ret;
    *head = static_cast<uint16_t>(status.head);
    return 0;
}
