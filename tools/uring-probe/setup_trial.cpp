// One throw-away io_uring_setup(2) call (see setup_trial.h).
#include "setup_trial.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace uring_probe {
namespace {

constexpr std::size_t kPage = 4096;

std::size_t page_round(std::size_t n) { return (n + kPage - 1) & ~(kPage - 1); }

unsigned roundup_pow2(unsigned n)
{
    unsigned r = 1;
    while (r < n)
        r <<= 1;
    return r;
}

// Memory for a NO_MMAP ring: the SQE area, then the rings area, each on its
// own pages. Sized for the largest slots (128-byte SQEs, 32-byte CQEs) and
// an SQ index array, so one size fits every flag combination.
class user_memory {
public:
    user_memory(unsigned entries, unsigned cq_entries)
    {
        const unsigned sq = roundup_pow2(entries);
        unsigned cq = roundup_pow2(cq_entries);
        if (cq < 2 * sq)
            cq = 2 * sq;
        sqes_len_ = page_round(std::size_t{sq} * 128);
        len_ = sqes_len_ + page_round(64 + std::size_t{cq} * 32 + std::size_t{sq} * 4);
        void *p = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        base_ = p == MAP_FAILED ? nullptr : static_cast<char *>(p);
    }
    ~user_memory()
    {
        if (base_)
            munmap(base_, len_);
    }
    user_memory(const user_memory &) = delete;
    user_memory &operator=(const user_memory &) = delete;

    [[nodiscard]] bool ok() const { return base_ != nullptr; }
    void place(io_uring_params *p) const
    {
        p->sq_off.user_addr = reinterpret_cast<std::uintptr_t>(base_);
        p->cq_off.user_addr = reinterpret_cast<std::uintptr_t>(base_ + sqes_len_);
    }

private:
    char *base_ = nullptr;
    std::size_t len_ = 0;
    std::size_t sqes_len_ = 0;
};

// A ring with a real fd, only for ATTACH_WQ to point at.
class helper_ring {
public:
    helper_ring() { ok_ = io_uring_queue_init(2, &ring_, 0) == 0; }
    ~helper_ring()
    {
        if (ok_)
            io_uring_queue_exit(&ring_);
    }
    helper_ring(const helper_ring &) = delete;
    helper_ring &operator=(const helper_ring &) = delete;

    [[nodiscard]] bool ok() const { return ok_; }
    [[nodiscard]] int fd() const { return ring_.ring_fd; }

private:
    io_uring ring_{};
    bool ok_ = false;
};

// Releases what io_uring_setup returned: a real fd, or with
// REGISTERED_FD_ONLY an index in this task's registered-ring table.
void release(int fd, unsigned flags)
{
    if (flags & IORING_SETUP_REGISTERED_FD_ONLY) {
        io_uring_rsrc_update up{};
        up.offset = static_cast<unsigned>(fd);
        (void)io_uring_register(static_cast<unsigned>(fd),
                                IORING_UNREGISTER_RING_FDS | IORING_REGISTER_USE_REGISTERED_RING, &up, 1);
    } else {
        close(fd);
    }
}

} // namespace

int try_setup(unsigned entries, const setup_attempt &a, io_uring_params *out)
{
    io_uring_params p{};
    p.flags = a.flags;
    p.cq_entries = a.cq_entries;
    p.sq_thread_cpu = a.sq_thread_cpu;

    // Both live until the ring is released: the kernel holds on to them.
    std::optional<helper_ring> wq;
    if (a.attach_wq) {
        if (!wq.emplace().ok())
            return -ENOMEM;
        p.wq_fd = static_cast<unsigned>(wq->fd());
    }
    std::optional<user_memory> mem;
    if (a.user_memory) {
        if (!mem.emplace(entries, a.cq_entries).ok())
            return -ENOMEM;
        mem->place(&p);
    }

    const int fd = io_uring_setup(entries, &p);
    if (fd < 0)
        return fd;
    if (out)
        *out = p;
    release(fd, p.flags);
    return 0;
}

} // namespace uring_probe
