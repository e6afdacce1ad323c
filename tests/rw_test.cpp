// read / write / readv / writev against a file in a private temp dir, on
// every ring shape that does I/O. Each prep is checked byte for byte, each
// submit against the indices, and the data is read back and compared.
#include <liburing.h>

#include <sys/uio.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "support/ring_shapes.h"
#include "support/ring_view.h"
#include "support/temp_dir.h"

namespace bt = bareuring_test;

namespace {

class ReadWrite : public ::testing::TestWithParam<bt::RingShape> {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir_.ok());
        fd_.reset(dir_.create("data"));
        ASSERT_GE(fd_.get(), 0);
    }

    // Submits everything prepared so far and checks the published indices:
    // all of it flushed to *ktail, and (without SQPOLL) consumed.
    void submit_expect(io_uring &ring, int n)
    {
        const unsigned tail = ring.sq.sqe_tail;
        // io_uring_submit returns what the kernel has not consumed yet
        // (tail - *khead); under SQPOLL an earlier request may already
        // have completed while its head update is still to come.
        ASSERT_TRUE(bt::wait_sq_consumed(ring));
        ASSERT_EQ(io_uring_submit(&ring), n);
        EXPECT_EQ(ring.sq.sqe_head, tail);
        EXPECT_EQ(ring.sq.sqe_tail, tail);
        EXPECT_EQ(*ring.sq.ktail, tail);
        if (!(ring.flags & IORING_SETUP_SQPOLL)) {
            EXPECT_EQ(*ring.sq.khead, tail);
        }
    }

    // Reaps one CQE and checks it, and that the CQ head moved by one.
    void reap_expect(io_uring &ring, std::uint64_t ud, int res)
    {
        const unsigned head = *ring.cq.khead;
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring, &cqe), 0);
        EXPECT_EQ(cqe.user_data, ud);
        EXPECT_EQ(cqe.res, res) << std::strerror(cqe.res < 0 ? -cqe.res : 0);
        EXPECT_EQ(*ring.cq.khead, head + 1);
    }

    bt::TempDir dir_;
    bt::ScopedFd fd_;
};

std::vector<unsigned char> pattern(size_t n, unsigned seed)
{
    std::vector<unsigned char> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = static_cast<unsigned char>((i * 131 + seed) ^ (i >> 8));
    return v;
}

TEST_P(ReadWrite, WriteThenRead)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const int fd = fd_.get();

    const auto out = pattern(8192, 1);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_write(sqe, fd, out.data(), unsigned(out.size()), 0);
    io_uring_sqe_set_data64(sqe, 1);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_WRITE, fd, bt::ptr_u64(out.data()), 8192, 0, 1)));
    submit_expect(ring, 1);
    reap_expect(ring, 1, 8192);

    // The whole file back, then a slice at an odd offset.
    std::vector<unsigned char> in(8192, 0);
    sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, fd, in.data(), unsigned(in.size()), 0);
    io_uring_sqe_set_data64(sqe, 2);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_READ, fd, bt::ptr_u64(in.data()), 8192, 0, 2)));
    submit_expect(ring, 1);
    reap_expect(ring, 2, 8192);
    EXPECT_EQ(in, out);

    std::vector<unsigned char> slice(100, 0);
    sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, fd, slice.data(), 100, 4097);
    io_uring_sqe_set_data64(sqe, 3);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_READ, fd, bt::ptr_u64(slice.data()), 100, 4097, 3)));
    submit_expect(ring, 1);
    reap_expect(ring, 3, 100);
    EXPECT_EQ(0, std::memcmp(slice.data(), out.data() + 4097, 100));

    // Reading at EOF returns 0 bytes.
    sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, fd, slice.data(), 100, 8192);
    io_uring_sqe_set_data64(sqe, 4);
    submit_expect(ring, 1);
    reap_expect(ring, 4, 0);
}

TEST_P(ReadWrite, WritevThenReadvWithDifferentSplits)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const int fd = fd_.get();

    auto a = pattern(100, 2), b = pattern(3000, 3), c = pattern(1, 4);
    iovec wv[3] = {{a.data(), a.size()}, {b.data(), b.size()}, {c.data(), c.size()}};
    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_writev(sqe, fd, wv, 3, 512);
    io_uring_sqe_set_data64(sqe, 10);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_WRITEV, fd, bt::ptr_u64(wv), 3, 512, 10)));
    submit_expect(ring, 1);
    reap_expect(ring, 10, 3101);

    std::vector<unsigned char> expect;
    expect.insert(expect.end(), a.begin(), a.end());
    expect.insert(expect.end(), b.begin(), b.end());
    expect.insert(expect.end(), c.begin(), c.end());

    std::vector<unsigned char> x(2000, 0), y(1101, 0);
    iovec rv[2] = {{x.data(), x.size()}, {y.data(), y.size()}};
    sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_readv(sqe, fd, rv, 2, 512);
    io_uring_sqe_set_data64(sqe, 11);
    EXPECT_TRUE(bt::SqeEquals(sqe, bt::rw_sqe(IORING_OP_READV, fd, bt::ptr_u64(rv), 2, 512, 11)));
    submit_expect(ring, 1);
    reap_expect(ring, 11, 3101);
    EXPECT_EQ(0, std::memcmp(x.data(), expect.data(), 2000));
    EXPECT_EQ(0, std::memcmp(y.data(), expect.data() + 2000, 1101));

    // The hole before offset 512 reads back as zeros (the file is sparse).
    std::vector<unsigned char> hole(512, 0xFF);
    iovec hv[1] = {{hole.data(), hole.size()}};
    sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_readv(sqe, fd, hv, 1, 0);
    io_uring_sqe_set_data64(sqe, 12);
    submit_expect(ring, 1);
    reap_expect(ring, 12, 512);
    EXPECT_EQ(hole, std::vector<unsigned char>(512, 0));
}

// Several writes at distinct offsets in one submit, then one read of all.
TEST_P(ReadWrite, BatchOfWritesThenOneRead)
{
    bt::ShapedRing sr;
    BU_INIT_SHAPE_OR_SKIP(sr, GetParam(), 8);
    io_uring &ring = sr.ring;
    const int fd = fd_.get();

    std::vector<std::vector<unsigned char>> blocks;
    for (unsigned i = 0; i < 8; ++i)
        blocks.push_back(pattern(512, 10 + i));
    for (unsigned i = 0; i < 8; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        ASSERT_NE(sqe, nullptr) << i;
        io_uring_prep_write(sqe, fd, blocks[i].data(), 512, 512ull * i);
        io_uring_sqe_set_data64(sqe, 100 + i);
    }
    EXPECT_EQ(io_uring_sq_ready(&ring), 8u);
    submit_expect(ring, 8);

    std::vector<int> seen(8, 0);
    for (unsigned n = 0; n < 8; ++n) {
        io_uring_cqe cqe;
        ASSERT_EQ(bt::wait_one(&ring, &cqe), 0);
        ASSERT_GE(cqe.user_data, 100u);
        ASSERT_LT(cqe.user_data, 108u);
        EXPECT_EQ(cqe.res, 512);
        ++seen[cqe.user_data - 100];
    }
    EXPECT_EQ(seen, std::vector<int>(8, 1));

    std::vector<unsigned char> all(4096, 0);
    io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_read(sqe, fd, all.data(), 4096, 0);
    io_uring_sqe_set_data64(sqe, 200);
    submit_expect(ring, 1);
    reap_expect(ring, 200, 4096);
    for (unsigned i = 0; i < 8; ++i)
        EXPECT_EQ(0, std::memcmp(all.data() + 512 * i, blocks[i].data(), 512)) << "block " << i;
}

INSTANTIATE_TEST_SUITE_P(Shapes, ReadWrite, ::testing::ValuesIn(bt::io_ring_shapes()), bt::ShapeName());

} // namespace
