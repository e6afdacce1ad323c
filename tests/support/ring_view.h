// Looking at a ring the way the kernel sees it: the raw bytes of SQE slots,
// and the six head/tail indices (the library's two private ones plus the
// four shared with the kernel). Tests assert these exactly after every prep
// and every submit, so that an off-by-one in the library shows up at the
// step that caused it.
#pragma once

#include <liburing.h>

#include <time.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <string>

namespace bareuring_test {

// ---- ring handle ---------------------------------------------------------

// io_uring_queue_exit at scope exit, for tests that create the ring
// themselves. Call release() first when a test tears down explicitly.
class RingGuard {
public:
    explicit RingGuard(io_uring *ring) : ring_(ring) {}
    ~RingGuard()
    {
        if (ring_)
            io_uring_queue_exit(ring_);
    }
    RingGuard(const RingGuard &) = delete;
    RingGuard &operator=(const RingGuard &) = delete;
    void release() { ring_ = nullptr; }

private:
    io_uring *ring_;
};

// ---- indices -------------------------------------------------------------

struct RingIndices {
    unsigned sqe_head; // ring.sq.sqe_head (library-local)
    unsigned sqe_tail; // ring.sq.sqe_tail (library-local)
    unsigned sq_khead; // *ring.sq.khead   (kernel writes)
    unsigned sq_ktail; // *ring.sq.ktail   (library publishes)
    unsigned cq_khead; // *ring.cq.khead   (application consumes)
    unsigned cq_ktail; // *ring.cq.ktail   (kernel posts)
    bool operator==(const RingIndices &) const = default;
};

inline void PrintTo(const RingIndices &i, std::ostream *os)
{
    *os << "{sqe_head=" << i.sqe_head << " sqe_tail=" << i.sqe_tail << " *sq.khead=" << i.sq_khead
        << " *sq.ktail=" << i.sq_ktail << " *cq.khead=" << i.cq_khead << " *cq.ktail=" << i.cq_ktail << "}";
}

// The shared words are read with acquire loads: the kernel (or an SQPOLL
// thread) may be writing them concurrently.
inline RingIndices indices(const io_uring &r)
{
    return RingIndices{
        r.sq.sqe_head,
        r.sq.sqe_tail,
        __atomic_load_n(r.sq.khead, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.sq.ktail, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.cq.khead, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.cq.ktail, __ATOMIC_ACQUIRE),
    };
}

// Under SQPOLL the kernel thread posts a NOP's CQE before it publishes the
// new SQ head (it completes requests inline, then commits the head), so a
// reaped CQE does not yet imply *sq.khead has moved. Tests that assert exact
// indices wait here until everything flushed has been consumed. Without
// SQPOLL the head moved inside io_uring_enter and this returns at once. The
// bound (about 10 s) only guards against a hang.
inline bool wait_sq_consumed(const io_uring &r)
{
    for (int i = 0; i < 100000; ++i) {
        if (__atomic_load_n(r.sq.khead, __ATOMIC_ACQUIRE) == r.sq.sqe_head)
            return true;
        const timespec ts{0, 100000};
        ::nanosleep(&ts, nullptr);
    }
    return false;
}

// ---- slots ---------------------------------------------------------------

inline bool has_sqe128(const io_uring &r) { return (r.flags & IORING_SETUP_SQE128) != 0; }
inline bool has_cqe32(const io_uring &r) { return (r.flags & IORING_SETUP_CQE32) != 0; }
inline std::size_t sqe_bytes(const io_uring &r) { return has_sqe128(r) ? 128 : 64; }

// The SQE slot that SQ index `index` maps to (computed here, not by the
// library): byte offset (index & mask) * sqe size from the SQE array base.
inline io_uring_sqe *sqe_slot(const io_uring &r, unsigned index)
{
    auto *base = reinterpret_cast<unsigned char *>(r.sq.sqes);
    return reinterpret_cast<io_uring_sqe *>(base + std::size_t(index & r.sq.ring_mask) * sqe_bytes(r));
}

inline io_uring_cqe *cqe_slot(const io_uring &r, unsigned index)
{
    auto *base = reinterpret_cast<unsigned char *>(r.cq.cqes);
    return reinterpret_cast<io_uring_cqe *>(base + std::size_t(index & r.cq.ring_mask) * (has_cqe32(r) ? 32 : 16));
}

// ---- SQE bytes -----------------------------------------------------------

inline constexpr unsigned char kStalePattern = 0xA5;

// An all-zero SQE: what get_sqe + a full prep + set_data produce for every
// field the prep does not name (get_sqe zeroes the other eight fields and the
// prep writes opcode/fd/off/addr/len; user_data is set by the caller).
inline io_uring_sqe zero_sqe()
{
    io_uring_sqe s;
    std::memset(&s, 0, sizeof s);
    return s;
}

inline std::string hex_bytes(const void *p, std::size_t n)
{
    std::string out;
    const auto *b = static_cast<const unsigned char *>(p);
    char tmp[4];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(tmp, sizeof tmp, "%02x", b[i]);
        out += tmp;
        out += (i % 16 == 15) ? '\n' : ' ';
    }
    return out;
}

// Byte-exact comparison with a readable diff: every differing offset.
inline ::testing::AssertionResult BytesEqual(const void *actual, const void *expected, std::size_t n)
{
    if (std::memcmp(actual, expected, n) == 0)
        return ::testing::AssertionSuccess();
    auto r = ::testing::AssertionFailure();
    const auto *a = static_cast<const unsigned char *>(actual);
    const auto *e = static_cast<const unsigned char *>(expected);
    r << "bytes differ:";
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != e[i])
            r << " [" << i << "] got 0x" << std::hex << unsigned(a[i]) << " want 0x" << unsigned(e[i]) << std::dec;
    r << "\nactual:\n" << hex_bytes(actual, n) << "expected:\n" << hex_bytes(expected, n);
    return r;
}

// The 64-byte SQE proper.
inline ::testing::AssertionResult SqeEquals(const io_uring_sqe *actual, const io_uring_sqe &expected)
{
    return BytesEqual(actual, &expected, sizeof(io_uring_sqe));
}

// Expected SQE for a prep helper of the io_uring_prep_rw family, with
// user_data set: everything else is zero.
inline io_uring_sqe rw_sqe(unsigned char opcode, int fd, std::uint64_t addr, unsigned len, std::uint64_t off,
                           std::uint64_t user_data)
{
    io_uring_sqe s = zero_sqe();
    s.opcode = opcode;
    s.fd = fd;
    s.addr = addr;
    s.len = len;
    s.off = off;
    s.user_data = user_data;
    return s;
}

inline std::uint64_t ptr_u64(const void *p) { return reinterpret_cast<std::uintptr_t>(p); }

// Fills every SQE slot of the ring with kStalePattern, so that a test can
// tell which bytes get_sqe and the prep helpers write.
inline void poison_sqes(const io_uring &r)
{
    std::memset(r.sq.sqes, kStalePattern, std::size_t(r.sq.ring_entries) * sqe_bytes(r));
}

// What get_sqe leaves in a poisoned slot: the eight fields it initialises are
// zero, everything else (opcode, fd, off, addr, len, user_data) is stale.
inline io_uring_sqe stale_sqe_after_get()
{
    io_uring_sqe s;
    std::memset(&s, kStalePattern, sizeof s);
    s.flags = 0;
    s.ioprio = 0;
    s.rw_flags = 0;
    s.buf_index = 0;
    s.personality = 0;
    s.file_index = 0;
    s.addr3 = 0;
    s.__pad2[0] = 0;
    return s;
}

// Reaps exactly one CQE with io_uring_wait_cqe, copies it out and marks it
// seen. Returns the wait result.
inline int wait_one(io_uring *ring, io_uring_cqe *out)
{
    io_uring_cqe *cqe = nullptr;
    int ret = io_uring_wait_cqe(ring, &cqe);
    if (ret < 0)
        return ret;
    if (!cqe)
        return -ENODATA;
    *out = *cqe;
    io_uring_cqe_seen(ring, cqe);
    return 0;
}

} // namespace bareuring_test
