// Fault sweep over the calls that create or drop ring memory after setup:
// io_uring_setup_buf_ring (application-allocated and IOU_PBUF_RING_MMAP),
// io_uring_free_buf_ring and io_uring_resize_rings.
#include "fault_sweep.h"

#include <cstring>

namespace {

using reliability::on_ring;
using reliability::RingFx;
using reliability::Scenario;
using reliability::sweep;

constexpr unsigned kBufEntries = 16;

// setup_buf_ring reports failures as NULL + *err; call() folds that into
// the usual -errno result.
void setup_buf_ring_sweep(const char *name, unsigned flags)
{
    RingFx fx;
    io_uring_buf_ring *br = nullptr;
    const int bgid = 7;
    Scenario s;
    s.name = name;
    s.prepare = [&] { br = nullptr; };
    s.call = [&] {
        int err = 12345;
        br = io_uring_setup_buf_ring(&fx.ring, kBufEntries, bgid, flags, &err);
        if (br) {
            EXPECT_EQ(err, 0) << "*err must be 0 on success";
            return 0L;
        }
        EXPECT_LT(err, 0) << "NULL without an error code";
        return static_cast<long>(err);
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        ASSERT_NE(br, nullptr);
        EXPECT_EQ(br->tail, 0);
        uint16_t head = 1;
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, bgid, &head), 0);
        EXPECT_EQ(head, 0);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(br, nullptr);
        uint16_t head = 0;
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, bgid, &head), -ENOENT)
            << "the group stayed registered after a failed setup";
        // The group id is free again.
        int err = 0;
        br = io_uring_setup_buf_ring(&fx.ring, kBufEntries, bgid, flags, &err);
        ASSERT_NE(br, nullptr) << "retry failed: " << err;
    };
    s.release = [&] {
        if (br) {
            EXPECT_EQ(io_uring_free_buf_ring(&fx.ring, br, kBufEntries, bgid), 0);
        }
        br = nullptr;
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultBufRing, SetupAppAllocated) { setup_buf_ring_sweep("io_uring_setup_buf_ring", 0); }

TEST(FaultBufRing, SetupKernelAllocated)
{
    setup_buf_ring_sweep("io_uring_setup_buf_ring(IOU_PBUF_RING_MMAP)", IOU_PBUF_RING_MMAP);
}

TEST(FaultBufRing, Free)
{
    RingFx fx;
    io_uring_buf_ring *br = nullptr;
    const int bgid = 2;
    Scenario s;
    s.name = "io_uring_free_buf_ring";
    s.prepare = [&] {
        int err = 0;
        br = io_uring_setup_buf_ring(&fx.ring, kBufEntries, bgid, 0, &err);
        ASSERT_NE(br, nullptr) << err;
    };
    s.call = [&] { return static_cast<long>(io_uring_free_buf_ring(&fx.ring, br, kBufEntries, bgid)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        br = nullptr;
        uint16_t head = 0;
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, bgid, &head), -ENOENT);
    };
    // Still registered and still mapped: the ring memory is writable and
    // the group can be freed for real.
    s.on_failure = [&](unsigned long, int) {
        uint16_t head = 1;
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, bgid, &head), 0);
        io_uring_buf_ring_add(br, nullptr, 0, 0, io_uring_buf_ring_mask(kBufEntries), 0);
    };
    s.release = [&] {
        if (br) {
            EXPECT_EQ(io_uring_free_buf_ring(&fx.ring, br, kBufEntries, bgid), 0);
        }
        br = nullptr;
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// Resizing needs a DEFER_TASKRUN ring. The kernel swaps the rings inside
// the register call; the library then maps the new regions. When one of
// those mmaps fails (seam calls 2.. below) the kernel has already moved on
// and the ring cannot be driven any more: the library reports the error
// and the only safe thing left is io_uring_queue_exit, which must still
// release everything. A failure of the register call itself (point 1)
// leaves the ring as it was.
TEST(FaultResize, ResizeRings)
{
    RingFx fx;
    io_uring_params p{};
    Scenario s;
    s.name = "io_uring_resize_rings";
    s.prepare = [&] {
        // A pending NOP and an unflushed SQE travel across the resize.
        io_uring_sqe *sqe = io_uring_get_sqe(&fx.ring);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, 1);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        sqe = io_uring_get_sqe(&fx.ring);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, 2);
        std::memset(&p, 0, sizeof p);
        p.sq_entries = 32;
        p.cq_entries = 64;
    };
    s.call = [&] { return static_cast<long>(io_uring_resize_rings(&fx.ring, &p)); };
    auto reap_both = [&] {
        ASSERT_EQ(io_uring_submit_and_wait(&fx.ring, 2), 1);
        for (__u64 want = 1; want <= 2; ++want) {
            io_uring_cqe *cqe = nullptr;
            ASSERT_EQ(io_uring_wait_cqe(&fx.ring, &cqe), 0);
            EXPECT_EQ(cqe->user_data, want);
            io_uring_cqe_seen(&fx.ring, cqe);
        }
        reliability::expect_idle(&fx.ring);
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(fx.ring.sq.ring_entries, 32u);
        EXPECT_EQ(fx.ring.cq.ring_entries, 64u);
        reap_both();
    };
    s.on_failure = [&](unsigned long point, int) {
        if (point == 1) {
            EXPECT_EQ(fx.ring.sq.ring_entries, 8u);
            reap_both();
        }
        // point >= 2: see above; release() exits the ring and the
        // footprint check proves the old and any new mappings are gone.
    };
    Scenario r = on_ring(fx, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER, s);
    sweep(r);
}

} // namespace
