// io_uring_queue_exit gives back everything setup took: the ring fd and every
// mapping, for each ring shape. Counted from /proc/self/fd and
// /proc/self/maps before init, while the ring is live, and after exit.
#include <liburing.h>

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>

#include "support/proc_counts.h"
#include "support/ring_shapes.h"
#include "support/ring_view.h"
#include "support/temp_dir.h"

namespace bt = bareuring_test;

namespace {

// Mappings a live ring of 8 entries adds to the process.
int expected_new_mappings(const io_uring &r, const bt::RingShape &shape)
{
    if (shape.app_memory)
        return 0; // the caller's buffer was mapped before counting
    if (r.flags & IORING_SETUP_NO_MMAP)
        return r.sq.ring_sz ? 2 : 1; // library pages: SQEs (+ rings if separate)
    // SQ ring, SQE array, and a CQ ring unless it shares the SQ mapping.
    return r.cq.ring_ptr == r.sq.ring_ptr ? 2 : 3;
}

class QueueExit : public ::testing::TestWithParam<bt::RingShape> {};

TEST_P(QueueExit, ReleasesEveryFdAndMapping)
{
    const bt::RingShape &shape = GetParam();
    bt::ShapedRing sr;
    sr.prepare(shape, 8);
    if (shape.app_memory) {
        ASSERT_NE(sr.app_mem, nullptr);
    }

    for (int cycle = 0; cycle < 3; ++cycle) {
        SCOPED_TRACE(testing::Message() << "cycle " << cycle);
        const int fds_before = bt::count_open_fds();
        const int maps_before = bt::count_mappings();
        ASSERT_GT(fds_before, 0);
        ASSERT_GT(maps_before, 0);

        BU_INIT_SHAPE_OR_SKIP(sr, shape, 8);
        // The counters see the ring: exactly one more fd, and its mappings.
        EXPECT_EQ(bt::count_open_fds(), fds_before + 1);
        EXPECT_EQ(bt::count_mappings(), maps_before + expected_new_mappings(sr.ring, shape));

        if (shape.does_io) {
            io_uring_sqe *sqe = io_uring_get_sqe(&sr.ring);
            ASSERT_NE(sqe, nullptr);
            io_uring_prep_nop(sqe);
            io_uring_sqe_set_data64(sqe, 5);
            ASSERT_EQ(io_uring_submit(&sr.ring), 1);
            io_uring_cqe cqe;
            ASSERT_EQ(bt::wait_one(&sr.ring, &cqe), 0);
            EXPECT_EQ(cqe.user_data, 5u);
        }

        sr.exit();
        EXPECT_EQ(bt::count_open_fds(), fds_before) << "ring fd leaked";
        EXPECT_EQ(bt::count_mappings(), maps_before) << "ring mapping leaked";
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, QueueExit, ::testing::ValuesIn(bt::ring_shapes()), bt::ShapeName());

// Requests still in flight at exit do not keep anything alive either (only
// on shapes where requests run).
class QueueExitBusy : public ::testing::TestWithParam<bt::RingShape> {};

TEST_P(QueueExitBusy, ExitWithPendingRequests)
{
    const bt::RingShape &shape = GetParam();
    bt::ShapedRing sr;
    sr.prepare(shape, 8);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    bt::ScopedFd rd(fds[0]), wr(fds[1]);
    const int fds_before = bt::count_open_fds();
    const int maps_before = bt::count_mappings();

    BU_INIT_SHAPE_OR_SKIP(sr, shape, 8);
    char buf[4];
    for (int i = 0; i < 4; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&sr.ring);
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_read(sqe, rd.get(), buf, sizeof buf, 0);
        io_uring_sqe_set_data64(sqe, i);
    }
    // Prepared but never submitted, too.
    io_uring_sqe *sqe = io_uring_get_sqe(&sr.ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    ASSERT_GE(io_uring_submit(&sr.ring), 0);
    sqe = io_uring_get_sqe(&sr.ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);

    sr.exit();
    EXPECT_EQ(bt::count_open_fds(), fds_before);
    EXPECT_EQ(bt::count_mappings(), maps_before);
}

INSTANTIATE_TEST_SUITE_P(Shapes, QueueExitBusy, ::testing::ValuesIn(bt::io_ring_shapes()), bt::ShapeName());

} // namespace
