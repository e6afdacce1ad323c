// Registered (fixed) buffers: io_uring_register_buffers / _tags / _sparse /
// _update_tag / unregister_buffers, and cloning them between rings. Each
// test reads through IORING_OP_READ_FIXED to see the kernel use the table.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <sys/uio.h>
#include <unistd.h>

#include <climits>

using bareuring_test::count_mappings;
using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

// A pipe holding `text`, ready to be read.
struct FilledPipe {
    int rd = -1, wr = -1;
    explicit FilledPipe(const char *text)
    {
        int p[2];
        if (::pipe(p) == 0) {
            rd = p[0];
            wr = p[1];
            if (::write(wr, text, std::strlen(text)) < 0) {
                ::close(rd);
                ::close(wr);
                rd = wr = -1;
            }
        }
    }
    ~FilledPipe()
    {
        if (rd >= 0)
            ::close(rd);
        if (wr >= 0)
            ::close(wr);
    }
};

// READ_FIXED of len bytes from fd into buf (which must lie in registered
// buffer buf_index). Returns the CQE result.
int read_fixed(io_uring *ring, int fd, void *buf, unsigned len, int buf_index)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (sqe == nullptr)
        return -EBUSY;
    io_uring_prep_read_fixed(sqe, fd, buf, len, 0, buf_index);
    sqe->user_data = 0x77;
    if (io_uring_submit(ring) != 1)
        return -EIO;
    Cqe cqe;
    int ret = bareuring_test::wait_one(ring, &cqe);
    if (ret < 0)
        return ret;
    EXPECT_EQ(cqe.user_data, 0x77u);
    return cqe.res;
}

} // namespace

TEST(RegisterBuffers, ReadFixedLandsInTheRegisteredBuffer)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    static char a[64], b[64];
    iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    ASSERT_EQ(io_uring_register_buffers(ring.get(), iov, 2), 0);

    FilledPipe pipe("fixed buffer one");
    ASSERT_GE(pipe.rd, 0);
    ASSERT_EQ(read_fixed(ring.get(), pipe.rd, b + 4, 16, 1), 16);
    EXPECT_EQ(std::memcmp(b + 4, "fixed buffer one", 16), 0);

    // An address outside the named buffer is refused by the kernel.
    ASSERT_EQ(::write(pipe.wr, "x", 1), 1);
    EXPECT_EQ(read_fixed(ring.get(), pipe.rd, a, 1, 1), -EFAULT);

    // Registering a second table on top of the first: busy.
    EXPECT_EQ(io_uring_register_buffers(ring.get(), iov, 2), -EBUSY);
    EXPECT_EQ(io_uring_unregister_buffers(ring.get()), 0);
    // No table any more.
    EXPECT_EQ(io_uring_unregister_buffers(ring.get()), -ENXIO);
    EXPECT_EQ(read_fixed(ring.get(), pipe.rd, a, 1, 0), -EFAULT);
}

TEST(RegisterBuffers, SparseSlotsAreFilledByUpdate)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int ret = io_uring_register_buffers_sparse(ring.get(), 4);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without sparse buffer registration (5.19+)";
    ASSERT_EQ(ret, 0);

    static char buf[32];
    FilledPipe pipe("sparse!");
    ASSERT_GE(pipe.rd, 0);
    // Slot 2 is still empty.
    EXPECT_EQ(read_fixed(ring.get(), pipe.rd, buf, 7, 2), -EFAULT);

    iovec iov = {buf, sizeof buf};
    __u64 tag = 0;
    EXPECT_EQ(io_uring_register_buffers_update_tag(ring.get(), 2, &iov, &tag, 1), 1);
    ASSERT_EQ(read_fixed(ring.get(), pipe.rd, buf, 7, 2), 7);
    EXPECT_EQ(std::memcmp(buf, "sparse!", 7), 0);

    // Past the end of the table.
    EXPECT_EQ(io_uring_register_buffers_update_tag(ring.get(), 4, &iov, &tag, 1), -EINVAL);
    EXPECT_EQ(io_uring_register_buffers_update_tag(ring.get(), 3, &iov, &tag, 2), -EINVAL);
}

TEST(RegisterBuffers, TagIsPostedWhenTheBufferIsReleased)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    if (!(ring->features & IORING_FEAT_RSRC_TAGS))
        GTEST_SKIP() << "kernel without IORING_FEAT_RSRC_TAGS (5.13+)";
    static char a[16], b[16];
    iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    __u64 tags[2] = {0xa1, 0xb2};
    ASSERT_EQ(io_uring_register_buffers_tags(ring.get(), iov, tags, 2), 0);
    EXPECT_FALSE(bareuring_test::cqe_pending(ring.get()));

    // Replacing slot 1 releases the old buffer: its tag comes back as a CQE.
    iovec repl = {b, 8};
    __u64 new_tag = 0xc3;
    ASSERT_EQ(io_uring_register_buffers_update_tag(ring.get(), 1, &repl, &new_tag, 1), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 0xb2u);
    EXPECT_EQ(cqe.res, 0);

    // Dropping the whole table releases the rest.
    ASSERT_EQ(io_uring_unregister_buffers(ring.get()), 0);
    std::uint64_t seen[2] = {};
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    seen[0] = cqe.user_data;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    seen[1] = cqe.user_data;
    EXPECT_TRUE((seen[0] == 0xa1 && seen[1] == 0xc3) || (seen[0] == 0xc3 && seen[1] == 0xa1))
        << std::hex << seen[0] << " " << seen[1];
}

TEST(RegisterBuffers, BadArgumentsReturnTheKernelErrorAndLeakNothing)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const int fds = count_open_fds();
    const int maps = count_mappings();
    static char a[16];
    iovec iov = {a, sizeof a};

    EXPECT_EQ(io_uring_register_buffers(ring.get(), nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_buffers(ring.get(), &iov, 0), -EINVAL);
    EXPECT_EQ(io_uring_register_buffers(ring.get(), &iov, UINT_MAX), -EINVAL);
    iovec bad = {nullptr, 16};
    EXPECT_EQ(io_uring_register_buffers(ring.get(), &bad, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_buffers_sparse(ring.get(), 0), -EINVAL);
    EXPECT_EQ(io_uring_register_buffers_sparse(ring.get(), UINT_MAX), -EINVAL);
    EXPECT_EQ(io_uring_register_buffers_update_tag(ring.get(), 0, &iov, nullptr, 1), -ENXIO);
    EXPECT_EQ(io_uring_unregister_buffers(ring.get()), -ENXIO);
    // The BUFFERS2 form without an iovec array is the kernel's sparse table.
    EXPECT_EQ(io_uring_register_buffers_tags(ring.get(), nullptr, nullptr, 1), 0);
    EXPECT_EQ(io_uring_register_buffers_update_tag(ring.get(), 0, nullptr, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_unregister_buffers(ring.get()), 0);

    EXPECT_EQ(io_uring_register_buffers(nullptr, &iov, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_buffers_tags(nullptr, &iov, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_buffers_sparse(nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_buffers_update_tag(nullptr, 0, &iov, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_unregister_buffers(nullptr), -EFAULT);

    // Still usable afterwards.
    EXPECT_EQ(io_uring_register_buffers(ring.get(), &iov, 1), 0);
    EXPECT_EQ(io_uring_unregister_buffers(ring.get()), 0);
    EXPECT_EQ(count_open_fds(), fds);
    EXPECT_EQ(count_mappings(), maps);
}

TEST(CloneBuffers, DestinationReadsThroughTheClonedTable)
{
    TestRing src, dst;
    ASSERT_EQ(src.init(), 0);
    ASSERT_EQ(dst.init(), 0);
    static char a[32], b[32];
    iovec iov[2] = {{a, sizeof a}, {b, sizeof b}};
    ASSERT_EQ(io_uring_register_buffers(src.get(), iov, 2), 0);

    int ret = io_uring_clone_buffers(dst.get(), src.get());
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_CLONE_BUFFERS (6.12+)";
    ASSERT_EQ(ret, 0);
    FilledPipe pipe("cloned");
    ASSERT_GE(pipe.rd, 0);
    ASSERT_EQ(read_fixed(dst.get(), pipe.rd, b, 6, 1), 6);
    EXPECT_EQ(std::memcmp(b, "cloned", 6), 0);

    // The destination already has a table now.
    EXPECT_EQ(io_uring_clone_buffers(dst.get(), src.get()), -EBUSY);
    // Replacing it is allowed with DST_REPLACE (6.13+).
    ret = __io_uring_clone_buffers(dst.get(), src.get(), IORING_REGISTER_DST_REPLACE);
    EXPECT_TRUE(ret == 0 || ret == -EINVAL) << ret;

    EXPECT_EQ(io_uring_clone_buffers(nullptr, src.get()), -EFAULT);
    EXPECT_EQ(io_uring_clone_buffers(dst.get(), nullptr), -EFAULT);
}

TEST(CloneBuffers, OffsetsAndRegisteredSourceRing)
{
    TestRing src, dst;
    ASSERT_EQ(src.init(), 0);
    ASSERT_EQ(dst.init(), 0);
    if (!(src->features & IORING_FEAT_REG_REG_RING))
        GTEST_SKIP() << "kernel without IORING_FEAT_REG_REG_RING (6.3+)";
    static char bufs[4][16];
    iovec iov[4];
    for (int i = 0; i < 4; ++i)
        iov[i] = {bufs[i], sizeof bufs[i]};
    ASSERT_EQ(io_uring_register_buffers(src.get(), iov, 4), 0);
    // The source is named by its registered index (SRC_REGISTERED), and its
    // real fd is closed to prove it.
    ASSERT_EQ(io_uring_register_ring_fd(src.get()), 1);
    ASSERT_EQ(io_uring_close_ring_fd(src.get()), 1);

    // src[2..3] -> dst[0..1] of an otherwise empty table.
    int ret = io_uring_clone_buffers_offset(dst.get(), src.get(), 0, 2, 2, 0);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without clone offsets (6.13+)";
    ASSERT_EQ(ret, 0);
    FilledPipe pipe("offset3");
    ASSERT_GE(pipe.rd, 0);
    // dst slot 1 is src slot 3.
    ASSERT_EQ(read_fixed(dst.get(), pipe.rd, bufs[3], 7, 1), 7);
    EXPECT_EQ(std::memcmp(bufs[3], "offset3", 7), 0);
    ASSERT_EQ(::write(pipe.wr, "z", 1), 1);
    EXPECT_EQ(read_fixed(dst.get(), pipe.rd, bufs[0], 1, 0), -EFAULT) << "dst slot 0 is src slot 2, not 0";

    // A range past the end of the source table.
    EXPECT_EQ(io_uring_clone_buffers_offset(dst.get(), src.get(), 0, 3, 2, IORING_REGISTER_DST_REPLACE), -EOVERFLOW);
}
