// Every field of struct io_uring right after setup, recomputed here from the
// io_uring_params the kernel returned (and from /proc/self/maps and
// /proc/self/fd), never from the library's own arithmetic. The layout and
// meaning of these fields are ABI: inline code compiled into applications,
// including code from older liburing headers, reads them directly.
#include <liburing.h>

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "support/proc_counts.h"
#include "support/ring_shapes.h"
#include "support/ring_view.h"

namespace bt = bareuring_test;

namespace {

unsigned *at(void *base, unsigned off)
{
    return reinterpret_cast<unsigned *>(static_cast<char *>(base) + off);
}

// The parts of the layout that do not depend on the shape.
static_assert(sizeof(io_uring) == 216);
static_assert(offsetof(io_uring, cq) == 104);
static_assert(offsetof(io_uring, flags) == 192);
static_assert(offsetof(io_uring, int_flags) == 208);
static_assert(offsetof(io_uring_sq, sqe_head) == 64);
static_assert(offsetof(io_uring_sq, sqes_sz) == 96);
static_assert(offsetof(io_uring_cq, cqes) == 48);
static_assert(offsetof(io_uring_cq, ring_mask) == 72);

constexpr std::size_t kHugePage = 2u << 20;

// Checks the pointers into the shared rings and the kernel's initial values.
void check_ring_pointers(const io_uring &r, const io_uring_params &p)
{
    void *sqp = r.sq.ring_ptr;
    void *cqp = r.cq.ring_ptr;
    ASSERT_NE(sqp, nullptr);
    ASSERT_NE(cqp, nullptr);

    EXPECT_EQ(r.sq.khead, at(sqp, p.sq_off.head));
    EXPECT_EQ(r.sq.ktail, at(sqp, p.sq_off.tail));
    EXPECT_EQ(r.sq.kring_mask, at(sqp, p.sq_off.ring_mask));
    EXPECT_EQ(r.sq.kring_entries, at(sqp, p.sq_off.ring_entries));
    EXPECT_EQ(r.sq.kflags, at(sqp, p.sq_off.flags));
    EXPECT_EQ(r.sq.kdropped, at(sqp, p.sq_off.dropped));

    EXPECT_EQ(r.cq.khead, at(cqp, p.cq_off.head));
    EXPECT_EQ(r.cq.ktail, at(cqp, p.cq_off.tail));
    EXPECT_EQ(r.cq.kring_mask, at(cqp, p.cq_off.ring_mask));
    EXPECT_EQ(r.cq.kring_entries, at(cqp, p.cq_off.ring_entries));
    EXPECT_EQ(r.cq.koverflow, at(cqp, p.cq_off.overflow));
    EXPECT_EQ(static_cast<void *>(r.cq.cqes), static_cast<void *>(at(cqp, p.cq_off.cqes)));
    // cq.kflags exists only if the kernel reported an offset for it.
    if (p.cq_off.flags != 0) {
        EXPECT_EQ(r.cq.kflags, at(cqp, p.cq_off.flags));
    } else {
        EXPECT_EQ(r.cq.kflags, nullptr);
    }

    // Local copies agree with the kernel's words and with the params.
    EXPECT_EQ(r.sq.ring_entries, p.sq_entries);
    EXPECT_EQ(r.sq.ring_mask, p.sq_entries - 1);
    EXPECT_EQ(r.sq.ring_mask, *r.sq.kring_mask);
    EXPECT_EQ(r.sq.ring_entries, *r.sq.kring_entries);
    EXPECT_EQ(r.cq.ring_entries, p.cq_entries);
    EXPECT_EQ(r.cq.ring_mask, p.cq_entries - 1);
    EXPECT_EQ(r.cq.ring_mask, *r.cq.kring_mask);
    EXPECT_EQ(r.cq.ring_entries, *r.cq.kring_entries);

    // A fresh ring: all four indices and both counters are zero.
    EXPECT_EQ(bt::indices(r), (bt::RingIndices{0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(*r.sq.kdropped, 0u);
    EXPECT_EQ(*r.cq.koverflow, 0u);

    // SQ index array: absent with NO_SQARRAY, else the identity map.
    if (r.flags & IORING_SETUP_NO_SQARRAY) {
        EXPECT_EQ(r.sq.array, nullptr);
    } else {
        ASSERT_EQ(r.sq.array, at(sqp, p.sq_off.array));
        for (unsigned i = 0; i < r.sq.ring_entries; ++i)
            ASSERT_EQ(r.sq.array[i], i) << "index " << i;
    }
}

// A kernel mapping of the ring fd: starts exactly at ptr, spans len bytes
// rounded to a page, and is backed by the io_uring anon inode.
void expect_ring_mapping(const void *ptr, std::size_t len, const char *what)
{
    SCOPED_TRACE(what);
    auto m = bt::find_mapping(ptr);
    ASSERT_TRUE(m.has_value()) << "no mapping at " << ptr;
    EXPECT_EQ(m->start, reinterpret_cast<std::uintptr_t>(ptr));
    EXPECT_EQ(m->end - m->start, bt::page_round(len));
    EXPECT_NE(m->path.find("io_uring"), std::string::npos) << m->path;
}

void check_fields(const bt::ShapedRing &sr, const bt::RingShape &shape, unsigned entries)
{
    const io_uring &r = sr.ring;
    const io_uring_params &p = sr.params;
    const bool no_mmap = (r.flags & IORING_SETUP_NO_MMAP) != 0;
    const std::size_t sqe_size = (r.flags & IORING_SETUP_SQE128) ? 128 : 64;
    const std::size_t cqe_size = (r.flags & IORING_SETUP_CQE32) ? 32 : 16;

    // ---- struct io_uring scalars
    EXPECT_EQ(r.flags, p.flags);
    EXPECT_EQ(r.flags & shape.flags, shape.flags);
    // On a kernel with NO_SQARRAY (6.6+) liburing always ends up with it.
    EXPECT_TRUE(r.flags & IORING_SETUP_NO_SQARRAY) << std::hex << r.flags;
    if (shape.app_memory) {
        EXPECT_TRUE(no_mmap);
    }
    EXPECT_EQ(r.features, p.features);
    EXPECT_TRUE(r.features & IORING_FEAT_SINGLE_MMAP);
    EXPECT_GE(r.ring_fd, 0);
    EXPECT_EQ(r.enter_ring_fd, r.ring_fd);
    EXPECT_EQ(bt::fd_target(r.ring_fd), "anon_inode:[io_uring]");

    unsigned char want_int_flags = 0;
    if ((r.flags & IORING_SETUP_IOPOLL) && !(r.flags & IORING_SETUP_SQPOLL))
        want_int_flags |= 0x04; // CQ_ENTER: reaping must always enter the kernel
    if (shape.app_memory)
        want_int_flags |= 0x02; // APP_MEM: queue_exit must not unmap
    EXPECT_EQ(unsigned(r.int_flags), unsigned(want_int_flags));
    EXPECT_EQ(r.pad[0], 0);
    EXPECT_EQ(r.pad[1], 0);
    EXPECT_EQ(r.pad[2], 0);
    EXPECT_EQ(r.pad2, 0u);
    EXPECT_EQ(r.sq.pad, 0u);
    EXPECT_EQ(r.cq.pad[0], 0u);
    EXPECT_EQ(r.cq.pad[1], 0u);

    const bt::Geometry g = bt::geometry(entries, shape.flags, shape.cq_entries);
    EXPECT_EQ(p.sq_entries, g.sq_entries);
    EXPECT_EQ(p.cq_entries, g.cq_entries);

    check_ring_pointers(r, p);

    // ---- where the memory is, and what queue_exit will unmap
    if (!no_mmap) {
        std::size_t sq_sz = p.sq_off.array + p.sq_entries * 4u;
        std::size_t cq_sz = p.cq_off.cqes + p.cq_entries * cqe_size;
        if (r.features & IORING_FEAT_SINGLE_MMAP)
            sq_sz = cq_sz = std::max(sq_sz, cq_sz);
        EXPECT_EQ(r.sq.ring_sz, sq_sz);
        EXPECT_EQ(r.cq.ring_sz, cq_sz);
        if (r.features & IORING_FEAT_SINGLE_MMAP) {
            EXPECT_EQ(r.cq.ring_ptr, r.sq.ring_ptr);
        }
        EXPECT_EQ(r.sq.sqes_sz, p.sq_entries * sqe_size);
        expect_ring_mapping(r.sq.ring_ptr, r.sq.ring_sz, "SQ ring");
        expect_ring_mapping(r.sq.sqes, r.sq.sqes_sz, "SQE array");
    } else if (shape.app_memory) {
        // SQEs at the start of the caller's buffer, rings right after the
        // page-rounded SQE area; nothing for the library to unmap.
        EXPECT_EQ(static_cast<void *>(r.sq.sqes), sr.app_mem);
        EXPECT_EQ(r.sq.ring_ptr, static_cast<char *>(sr.app_mem) + g.sqe_area());
        EXPECT_EQ(r.cq.ring_ptr, r.sq.ring_ptr);
        EXPECT_EQ(r.sq.ring_sz, 0u);
        EXPECT_EQ(r.cq.ring_sz, 0u);
        EXPECT_EQ(r.sq.sqes_sz, 0u);
        EXPECT_EQ(p.sq_off.user_addr, bt::ptr_u64(r.sq.sqes));
        EXPECT_EQ(p.cq_off.user_addr, bt::ptr_u64(r.sq.ring_ptr));
    } else {
        // NO_MMAP, library-allocated: a page (or 2 MiB huge page) for the
        // SQEs; the rings follow in it when they fit, else in a second one.
        const bool sq_array = !(r.flags & IORING_SETUP_NO_SQARRAY);
        const std::size_t first = g.sq_entries * g.sqe_size <= 4096 ? 4096 : kHugePage;
        EXPECT_EQ(r.sq.sqes_sz, first);
        EXPECT_EQ(p.sq_off.user_addr, bt::ptr_u64(r.sq.sqes));
        EXPECT_EQ(p.cq_off.user_addr, bt::ptr_u64(r.sq.ring_ptr));
        EXPECT_EQ(r.cq.ring_ptr, r.sq.ring_ptr);
        EXPECT_EQ(r.cq.ring_sz, 0u);
        if (g.app_memory_bytes(sq_array) <= first) {
            EXPECT_EQ(r.sq.ring_ptr, reinterpret_cast<char *>(r.sq.sqes) + g.sqe_area());
            EXPECT_EQ(r.sq.ring_sz, 0u);
        } else {
            const std::size_t second = g.rings_area(sq_array) <= 4096 ? 4096 : kHugePage;
            EXPECT_EQ(r.sq.ring_sz, second);
            auto m = bt::find_mapping(r.sq.ring_ptr);
            ASSERT_TRUE(m.has_value());
            EXPECT_EQ(m->start, reinterpret_cast<std::uintptr_t>(r.sq.ring_ptr));
        }
        auto m = bt::find_mapping(r.sq.sqes);
        ASSERT_TRUE(m.has_value());
        EXPECT_EQ(m->start, reinterpret_cast<std::uintptr_t>(r.sq.sqes));
    }
}

class RingFields : public ::testing::TestWithParam<bt::RingShape> {};

TEST_P(RingFields, MatchParamsAfterSetup)
{
    const bt::RingShape &shape = GetParam();
    for (unsigned entries : {1u, 8u, 64u}) {
        SCOPED_TRACE(testing::Message() << "entries " << entries);
        bt::ShapedRing sr;
        BU_INIT_SHAPE_OR_SKIP(sr, shape, entries);
        check_fields(sr, shape, entries);
        if (HasFatalFailure())
            return;
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, RingFields, ::testing::ValuesIn(bt::ring_shapes()), bt::ShapeName());

// io_uring_queue_mmap on a ring made with the raw io_uring_setup: the only way
// to get a ring that keeps its SQ index array on a NO_SQARRAY-capable kernel.
TEST(RingFieldsMmap, RawSetupPlusQueueMmap)
{
    io_uring_params p;
    std::memset(&p, 0, sizeof p);
    const int fd = io_uring_setup(8, &p);
    ASSERT_GE(fd, 0) << std::strerror(-fd);
    io_uring ring;
    std::memset(&ring, 0xAB, sizeof ring);
    const int ret = io_uring_queue_mmap(fd, &p, &ring);
    if (ret != 0)
        ::close(fd);
    ASSERT_EQ(ret, 0) << std::strerror(-ret);
    bt::RingGuard guard(&ring);

    EXPECT_EQ(ring.ring_fd, fd);
    EXPECT_EQ(ring.enter_ring_fd, fd);
    EXPECT_EQ(ring.flags, p.flags);
    EXPECT_EQ(ring.flags & IORING_SETUP_NO_SQARRAY, 0u);
    EXPECT_EQ(ring.features, p.features);
    EXPECT_EQ(unsigned(ring.int_flags), 0u);
    EXPECT_EQ(ring.pad2, 0u);
    EXPECT_EQ(ring.sq.sqe_head, 0u);
    EXPECT_EQ(ring.sq.sqe_tail, 0u);

    void *sqp = ring.sq.ring_ptr;
    ASSERT_NE(sqp, nullptr);
    EXPECT_EQ(ring.sq.khead, at(sqp, p.sq_off.head));
    EXPECT_EQ(ring.sq.ktail, at(sqp, p.sq_off.tail));
    ASSERT_EQ(ring.sq.array, at(sqp, p.sq_off.array));
    EXPECT_EQ(ring.sq.ring_sz, std::max<std::size_t>(p.sq_off.array + p.sq_entries * 4u,
                                                     p.cq_off.cqes + p.cq_entries * 16u));
    EXPECT_EQ(ring.sq.sqes_sz, p.sq_entries * 64u);
    EXPECT_EQ(ring.cq.ring_ptr, sqp);
    EXPECT_EQ(ring.cq.khead, at(sqp, p.cq_off.head));

    // 2.15's queue_mmap leaves the index array as the kernel made it (all
    // zeros); a fixed library may write the identity map. Anything else is
    // garbage.
    bool all_zero = true, identity = true;
    for (unsigned i = 0; i < p.sq_entries; ++i) {
        all_zero = all_zero && ring.sq.array[i] == 0;
        identity = identity && ring.sq.array[i] == i;
    }
    EXPECT_TRUE(all_zero || identity);
}

} // namespace
