// The "ring shapes" every core test runs over: one entry per io_uring setup
// variant whose memory layout or submit/reap path differs from the default.
// A test parametrised over kRingShapes proves a behaviour for all of them.
//
// Shapes that need a kernel feature skip (with the errno) when the kernel
// refuses them; the default shape never skips, so a library that fails to
// create a plain ring fails loudly.
#pragma once

#include <liburing.h>

#include <sys/mman.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

namespace bareuring_test {

struct RingShape {
    const char *name;
    unsigned flags;          // IORING_SETUP_* put in io_uring_params.flags
    unsigned cq_entries;     // io_uring_params.cq_entries (read with CQSIZE)
    unsigned sq_thread_idle; // io_uring_params.sq_thread_idle, ms (SQPOLL)
    bool app_memory;         // created with io_uring_queue_init_mem on caller memory
    bool does_io;            // NOPs and file I/O complete on it (IOPOLL: setup only)
};

// sq_thread_idle for SQPOLL shapes: short, so that idle/wakeup paths are hit
// in test time, but well above scheduling noise.
inline constexpr unsigned kSqThreadIdleMs = 20;

inline const std::vector<RingShape> &ring_shapes()
{
    static const std::vector<RingShape> shapes = {
        {"Default", 0, 0, 0, false, true},
        {"SqPoll", IORING_SETUP_SQPOLL, 0, kSqThreadIdleMs, false, true},
        {"Sqe128Cqe32", IORING_SETUP_SQE128 | IORING_SETUP_CQE32, 0, 0, false, true},
        {"DeferTaskrun", IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER, 0, 0, false, true},
        {"DeferTaskrunFlag",
         IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG, 0, 0, false, true},
        {"NoSqArray", IORING_SETUP_NO_SQARRAY, 0, 0, false, true},
        // 100 is deliberately not a power of two: the kernel rounds it up to 128.
        {"CqSize", IORING_SETUP_CQSIZE, 100, 0, false, true},
        {"IoPollSetupOnly", IORING_SETUP_IOPOLL, 0, 0, false, false},
        // io_uring_queue_init_mem ORs IORING_SETUP_NO_MMAP in by itself.
        {"NoMmapAppMem", 0, 0, 0, true, true},
        // NO_MMAP through io_uring_queue_init_params: the library allocates.
        {"NoMmapLibMem", IORING_SETUP_NO_MMAP, 0, 0, false, true},
    };
    return shapes;
}

// Shapes on which requests actually complete (everything but IOPOLL).
inline std::vector<RingShape> io_ring_shapes()
{
    std::vector<RingShape> out;
    for (const auto &s : ring_shapes())
        if (s.does_io)
            out.push_back(s);
    return out;
}

// For INSTANTIATE_TEST_SUITE_P: names the instance after the shape.
struct ShapeName {
    std::string operator()(const ::testing::TestParamInfo<RingShape> &info) const { return info.param.name; }
};

inline std::size_t page_round(std::size_t n) { return (n + 4095) & ~std::size_t{4095}; }

inline unsigned roundup_pow2(unsigned n)
{
    unsigned v = 1;
    while (v < n)
        v <<= 1;
    return v;
}

// Ring geometry as the kernel and liburing compute it from (entries, flags,
// cq_entries), derived here independently of the library.
struct Geometry {
    unsigned sq_entries;
    unsigned cq_entries;
    std::size_t sqe_size; // 64, or 128 with SQE128
    std::size_t cqe_size; // 16, or 32 with CQE32

    std::size_t sqe_area() const { return page_round(sq_entries * sqe_size); }
    // Ring header (64 bytes) + CQEs + the SQ index array when present.
    std::size_t rings_area(bool sq_array) const
    {
        return 64 + cq_entries * cqe_size + (sq_array ? 4u * sq_entries : 0u);
    }
    // Bytes of caller memory io_uring_queue_init_mem consumes.
    std::size_t app_memory_bytes(bool sq_array) const { return page_round(sqe_area() + rings_area(sq_array)); }
};

inline Geometry geometry(unsigned entries, unsigned flags, unsigned cq_entries)
{
    Geometry g;
    g.sq_entries = roundup_pow2(entries);
    g.cq_entries = (flags & IORING_SETUP_CQSIZE) ? roundup_pow2(cq_entries) : 2 * g.sq_entries;
    g.sqe_size = (flags & IORING_SETUP_SQE128) ? 128 : 64;
    g.cqe_size = (flags & IORING_SETUP_CQE32) ? 32 : 16;
    return g;
}

// A ring created in one of the shapes, torn down at scope exit.
class ShapedRing {
public:
    io_uring ring;
    io_uring_params params;
    void *app_mem = nullptr;    // caller memory for app_memory shapes
    std::size_t app_mem_size = 0;
    bool live = false;

    ShapedRing() { std::memset(&ring, 0, sizeof ring); std::memset(&params, 0, sizeof params); }
    ~ShapedRing()
    {
        exit();
        release_app_memory();
    }
    ShapedRing(const ShapedRing &) = delete;
    ShapedRing &operator=(const ShapedRing &) = delete;

    // Allocates the caller memory an app_memory shape needs. Separate from
    // init() so that resource counters can be sampled in between.
    void prepare(const RingShape &shape, unsigned entries)
    {
        if (!shape.app_memory || app_mem)
            return;
        // Sized with the SQ index array, the larger of the two layouts.
        app_mem_size = geometry(entries, shape.flags, shape.cq_entries).app_memory_bytes(true);
        void *p = ::mmap(nullptr, app_mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        app_mem = p == MAP_FAILED ? nullptr : p;
    }

    // Creates the ring. Returns what the init function returned: 0 (or the
    // bytes of caller memory used, for io_uring_queue_init_mem) or -errno.
    int init(const RingShape &shape, unsigned entries)
    {
        prepare(shape, entries);
        // Garbage first: setup must initialise every byte of struct io_uring.
        std::memset(&ring, 0xAB, sizeof ring);
        std::memset(&params, 0, sizeof params);
        params.flags = shape.flags;
        params.cq_entries = shape.cq_entries;
        params.sq_thread_idle = shape.sq_thread_idle;
        int ret;
        if (shape.app_memory) {
            if (!app_mem)
                return -ENOMEM;
            ret = io_uring_queue_init_mem(entries, &ring, &params, app_mem, app_mem_size);
        } else {
            ret = io_uring_queue_init_params(entries, &ring, &params);
        }
        live = ret >= 0;
        return ret;
    }

    void exit()
    {
        if (live)
            io_uring_queue_exit(&ring);
        live = false;
    }

    void release_app_memory()
    {
        if (app_mem)
            ::munmap(app_mem, app_mem_size);
        app_mem = nullptr;
    }
};

// Whether a failed setup of this shape means "kernel does not offer it"
// rather than a library bug. The default shape is never excused.
inline bool shape_may_be_refused(const RingShape &shape, int ret)
{
    return (shape.flags != 0 || shape.app_memory) && (ret == -EINVAL || ret == -EPERM);
}

} // namespace bareuring_test

// Creates `sr` (a ShapedRing) in `shape` with `entries`; skips the test with
// the errno when the kernel refuses a non-default shape, fails otherwise.
#define BU_INIT_SHAPE_OR_SKIP(sr, shape, entries)                                                   \
    do {                                                                                            \
        const int bu_ret_ = (sr).init((shape), (entries));                                          \
        if (::bareuring_test::shape_may_be_refused((shape), bu_ret_))                               \
            GTEST_SKIP() << "kernel refused ring shape " << (shape).name << ": "                    \
                         << std::strerror(-bu_ret_) << " (" << bu_ret_ << ")";                      \
        ASSERT_GE(bu_ret_, 0) << "setup of ring shape " << (shape).name << " failed: "              \
                              << std::strerror(-bu_ret_);                                           \
    } while (0)

// Creates a plain io_uring_queue_init ring or fails the test.
#define BU_QUEUE_INIT(ring, entries, flags)                                                         \
    do {                                                                                            \
        const int bu_ret_ = io_uring_queue_init((entries), &(ring), (flags));                       \
        ASSERT_EQ(bu_ret_, 0) << "io_uring_queue_init: " << std::strerror(-bu_ret_);                \
    } while (0)
