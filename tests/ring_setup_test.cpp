// Ring creation and teardown: what io_uring_queue_init* return, how entry
// counts are rounded, which argument errors are rejected before or by the
// kernel, and that failures report -errno without touching errno.
#include <liburing.h>

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

// ---- every shape ----------------------------------------------------------

class RingSetup : public ::testing::TestWithParam<bt::RingShape> {};

// Setup returns 0 (or the bytes of caller memory used), reports the rounded
// geometry back in the params, and keeps every requested flag.
TEST_P(RingSetup, ReportsGeometryAndKeepsRequestedFlags)
{
    const bt::RingShape &shape = GetParam();
    bt::ShapedRing sr;
    const int ret = sr.init(shape, 8);
    if (bt::shape_may_be_refused(shape, ret))
        GTEST_SKIP() << "kernel refused " << shape.name << ": " << std::strerror(-ret);
    ASSERT_GE(ret, 0) << std::strerror(-ret);

    const bt::Geometry g = bt::geometry(8, shape.flags, shape.cq_entries);
    EXPECT_EQ(sr.params.sq_entries, g.sq_entries);
    EXPECT_EQ(sr.params.cq_entries, g.cq_entries);
    EXPECT_EQ(sr.ring.flags & shape.flags, shape.flags) << std::hex << sr.ring.flags;
    EXPECT_EQ(sr.ring.flags, sr.params.flags) << "params.flags is in/out: it must show what the ring got";

    if (shape.app_memory) {
        // io_uring_queue_init_mem returns how much of the buffer it used.
        const bool sq_array = !(sr.ring.flags & IORING_SETUP_NO_SQARRAY);
        EXPECT_EQ(size_t(ret), g.app_memory_bytes(sq_array));
        EXPECT_TRUE(sr.ring.flags & IORING_SETUP_NO_MMAP);
    } else {
        EXPECT_EQ(ret, 0);
    }
}

// A ring can be torn down and created again in the same struct, repeatedly.
TEST_P(RingSetup, InitExitCycles)
{
    const bt::RingShape &shape = GetParam();
    for (int cycle = 0; cycle < 3; ++cycle) {
        SCOPED_TRACE(cycle);
        bt::ShapedRing sr;
        BU_INIT_SHAPE_OR_SKIP(sr, shape, 4);
        EXPECT_GE(sr.ring.ring_fd, 0);
        sr.exit();
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, RingSetup, ::testing::ValuesIn(bt::ring_shapes()), bt::ShapeName());

// ---- argument handling ----------------------------------------------------

// Entry counts are rounded up to a power of two; the CQ gets twice as many.
TEST(RingSetupArgs, NonPowerOfTwoEntriesRoundUp)
{
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    ASSERT_EQ(io_uring_queue_init_params(5, &ring, &p), 0);
    bt::RingGuard guard(&ring);
    EXPECT_EQ(p.sq_entries, 8u);
    EXPECT_EQ(p.cq_entries, 16u);
    EXPECT_EQ(ring.sq.ring_entries, 8u);
    EXPECT_EQ(ring.cq.ring_entries, 16u);
}

// liburing first asks for NO_SQARRAY; a kernel that has it (6.6+, so 6.18)
// keeps it, and the bit is visible in ring.flags and in params.flags.
TEST(RingSetupArgs, DefaultRingUsesNoSqArray)
{
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    ASSERT_EQ(io_uring_queue_init_params(8, &ring, &p), 0);
    bt::RingGuard guard(&ring);
    EXPECT_EQ(ring.flags, unsigned(IORING_SETUP_NO_SQARRAY));
    EXPECT_EQ(p.flags, unsigned(IORING_SETUP_NO_SQARRAY));
    EXPECT_EQ(ring.sq.array, nullptr);
}

// io_uring_queue_init is queue_init_params with params.flags = flags.
TEST(RingSetupArgs, QueueInitPassesFlags)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, IORING_SETUP_SQE128), 0);
    bt::RingGuard guard(&ring);
    EXPECT_EQ(ring.flags, unsigned(IORING_SETUP_SQE128 | IORING_SETUP_NO_SQARRAY));
}

TEST(RingSetupArgs, ZeroEntriesIsEinvalAndErrnoUntouched)
{
    io_uring ring;
    errno = 4242;
    EXPECT_EQ(io_uring_queue_init(0, &ring, 0), -EINVAL);
    EXPECT_EQ(errno, 4242) << "liburing functions return -errno and leave errno alone";
}

// The kernel caps the SQ at 32768 entries; beyond that only CLAMP succeeds.
TEST(RingSetupArgs, TooManyEntriesNeedsClamp)
{
    io_uring ring;
    errno = 4242;
    EXPECT_EQ(io_uring_queue_init(32769, &ring, 0), -EINVAL);
    EXPECT_EQ(errno, 4242);

    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CLAMP;
    ASSERT_EQ(io_uring_queue_init_params(100000, &ring, &p), 0);
    bt::RingGuard guard(&ring);
    EXPECT_EQ(p.sq_entries, 32768u);
    EXPECT_EQ(p.cq_entries, 65536u);
    EXPECT_EQ(ring.sq.ring_entries, 32768u);
    EXPECT_EQ(ring.sq.ring_mask, 32767u);
}

// CQSIZE needs a CQ at least as large as the SQ.
TEST(RingSetupArgs, CqSizeSmallerThanSqIsEinval)
{
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = 4;
    EXPECT_EQ(io_uring_queue_init_params(16, &ring, &p), -EINVAL);

    std::memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = 0;
    EXPECT_EQ(io_uring_queue_init_params(16, &ring, &p), -EINVAL);
}

// The library rejects REGISTERED_FD_ONLY without NO_MMAP itself: there would
// be no fd to mmap the rings through.
TEST(RingSetupArgs, RegisteredFdOnlyNeedsNoMmap)
{
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_REGISTERED_FD_ONLY;
    errno = 4242;
    EXPECT_EQ(io_uring_queue_init_params(8, &ring, &p), -EINVAL);
    EXPECT_EQ(errno, 4242);
}

// ---- caller memory ----------------------------------------------------------

class AppMemory {
public:
    explicit AppMemory(size_t size) : size_(size)
    {
        void *p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ptr_ = p == MAP_FAILED ? nullptr : p;
    }
    ~AppMemory()
    {
        if (ptr_)
            ::munmap(ptr_, size_);
    }
    void *get() const { return ptr_; }
    size_t size() const { return size_; }

private:
    size_t size_;
    void *ptr_;
};

// 64 default entries: 4096 bytes of SQEs + 64 + 128*16 bytes of rings, page
// rounded = 8192 (the figure in the spec), the same number
// io_uring_memory_size reports without creating anything.
TEST(RingSetupMem, InitMemReturnsBytesUsed)
{
    EXPECT_EQ(io_uring_memory_size(64, 0), 8192);
    io_uring_params q;
    std::memset(&q, 0, sizeof q);
    EXPECT_EQ(io_uring_memory_size_params(64, &q), 8192);

    AppMemory mem(16384);
    ASSERT_NE(mem.get(), nullptr);
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    const int ret = io_uring_queue_init_mem(64, &ring, &p, mem.get(), mem.size());
    if (ret == -EINVAL || ret == -EPERM)
        GTEST_SKIP() << "NO_MMAP refused: " << std::strerror(-ret);
    ASSERT_EQ(ret, 8192);
    bt::RingGuard guard(&ring);
    EXPECT_EQ(static_cast<void *>(ring.sq.sqes), mem.get());
    EXPECT_EQ(p.sq_off.user_addr, bt::ptr_u64(mem.get()));
    EXPECT_EQ(p.cq_off.user_addr, bt::ptr_u64(mem.get()) + 4096);
    EXPECT_TRUE(ring.int_flags & 0x02) << "APP_MEM";
}

TEST(RingSetupMem, InitMemTooSmallIsEnomem)
{
    AppMemory mem(8192);
    ASSERT_NE(mem.get(), nullptr);
    io_uring ring;
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    // 64 entries need 8192 bytes; one byte short must be refused.
    EXPECT_EQ(io_uring_queue_init_mem(64, &ring, &p, mem.get(), 8191), -ENOMEM);
}

// memory_size follows the geometry: SQE128 doubles the SQE area, CQE32 the
// CQE area, CQSIZE sets the CQ count.
TEST(RingSetupMem, MemorySizeMatchesGeometry)
{
    struct Case {
        unsigned entries, flags, cq_entries;
    };
    const Case cases[] = {
        {1, 0, 0},
        {8, 0, 0},
        {64, IORING_SETUP_SQE128, 0},
        {64, IORING_SETUP_CQE32, 0},
        {100, IORING_SETUP_CQSIZE, 1000},
        {64, IORING_SETUP_NO_SQARRAY, 0},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(testing::Message() << c.entries << " flags 0x" << std::hex << c.flags);
        io_uring_params p;
        std::memset(&p, 0, sizeof p);
        p.flags = c.flags;
        p.cq_entries = c.cq_entries;
        const bt::Geometry g = bt::geometry(c.entries, c.flags, c.cq_entries);
        const bool sq_array = !(c.flags & IORING_SETUP_NO_SQARRAY);
        EXPECT_EQ(io_uring_memory_size_params(c.entries, &p),
                  ssize_t(g.sqe_area() + bt::page_round(g.rings_area(sq_array))));
    }
    EXPECT_EQ(io_uring_memory_size(0, 0), -EINVAL);
}

} // namespace
