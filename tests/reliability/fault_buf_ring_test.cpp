// Fault sweep over the calls that create or drop ring memory after setup:
// io_uring_setup_buf_ring (application-allocated and IOU_PBUF_RING_MMAP) and
// io_uring_free_buf_ring. io_uring_resize_rings is in fault_resize_test.cpp.
#include "fault_sweep.h"

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

} // namespace
