// Reads and writes on a regular file: read/write, readv/writev (and the *2
// forms with RWF_* flags), read_fixed/write_fixed and readv_fixed/
// writev_fixed on registered buffers. The file content is checked with
// pread, the read results against what pwrite put there.
#include "ops_support.h"

#include <sys/uio.h>

namespace {

class ReadWrite : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(dir_.ok());
        fd_.reset(dir_.create("f"));
        ASSERT_GE(fd_.get(), 0);
    }

    std::string file() { return ops::read_all(dir_.file("f")); }

    void put(const std::string &data, off_t off = 0)
    {
        ASSERT_EQ(::pwrite(fd_.get(), data.data(), data.size(), off), static_cast<ssize_t>(data.size()));
    }

    // One registered buffer of kFixedSize bytes (index 0).
    static constexpr std::size_t kFixedSize = 16384;
    void register_fixed()
    {
        fixed_.assign(kFixedSize, '\0');
        iovec iov{fixed_.data(), fixed_.size()};
        int ret = io_uring_register_buffers(ring(), &iov, 1);
        ASSERT_EQ(ret, 0) << "io_uring_register_buffers: " << std::strerror(-ret);
    }

    ops::TempDir dir_;
    ops::ScopedFd fd_;
    std::string fixed_;
};

TEST_P(ReadWrite, WriteAtOffsetThenRead)
{
    OPS_REQUIRE_OP(IORING_OP_WRITE);
    OPS_REQUIRE_OP(IORING_OP_READ);
    put(std::string(10, '-'));
    const std::string data = "written by the ring";
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_write(sqe, fd_.get(), data.data(), static_cast<unsigned>(data.size()), 4);
    });
    ASSERT_EQ(w.res, static_cast<int>(data.size())) << std::strerror(-w.res);
    EXPECT_EQ(file(), "----" + data);

    char buf[64] = {};
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_read(sqe, fd_.get(), buf, sizeof buf, 2); }, 2);
    ASSERT_EQ(r.res, static_cast<int>(2 + data.size())) << "short read at EOF";
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(r.res)), "--" + data);
}

TEST_P(ReadWrite, OffsetMinusOneUsesFilePosition)
{
    OPS_REQUIRE_OP(IORING_OP_WRITE);
    if (!(ring_obj().features() & IORING_FEAT_RW_CUR_POS))
        GTEST_SKIP() << "kernel lacks IORING_FEAT_RW_CUR_POS";
    ASSERT_EQ(::write(fd_.get(), "head:", 5), 5);
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_write(sqe, fd_.get(), "tail", 4, static_cast<__u64>(-1));
    });
    ASSERT_EQ(w.res, 4);
    EXPECT_EQ(file(), "head:tail");
    EXPECT_EQ(::lseek(fd_.get(), 0, SEEK_CUR), 9) << "the file position advanced";
}

TEST_P(ReadWrite, WritevGathersReadvScatters)
{
    OPS_REQUIRE_OP(IORING_OP_WRITEV);
    OPS_REQUIRE_OP(IORING_OP_READV);
    std::string a = "alpha-", b = "beta-", c = "gamma";
    iovec out[3] = {{a.data(), a.size()}, {b.data(), b.size()}, {c.data(), c.size()}};
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_writev(sqe, fd_.get(), out, 3, 0); });
    ASSERT_EQ(w.res, 16) << std::strerror(-w.res);
    EXPECT_EQ(file(), "alpha-beta-gamma");

    char x[3], y[4], z[20] = {};
    iovec in[3] = {{x, sizeof x}, {y, sizeof y}, {z, sizeof z}};
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_readv(sqe, fd_.get(), in, 3, 1); }, 2);
    ASSERT_EQ(r.res, 15);
    EXPECT_EQ(std::string(x, 3), "lph");
    EXPECT_EQ(std::string(y, 4), "a-be");
    EXPECT_EQ(std::string(z, 8), "ta-gamma");
}

TEST_P(ReadWrite, Writev2AppendFlagIgnoresOffset)
{
    OPS_REQUIRE_OP(IORING_OP_WRITEV);
    put("base");
    std::string more = "+more";
    iovec iov{more.data(), more.size()};
    // Offset 0 would overwrite; RWF_APPEND must win, so the flag is in the SQE.
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_writev2(sqe, fd_.get(), &iov, 1, 0, RWF_APPEND); });
    ASSERT_EQ(w.res, 5) << std::strerror(-w.res);
    EXPECT_EQ(file(), "base+more");
}

TEST_P(ReadWrite, Readv2WithFlags)
{
    OPS_REQUIRE_OP(IORING_OP_READV);
    put("0123456789");
    char buf[4];
    iovec iov{buf, sizeof buf};
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_readv2(sqe, fd_.get(), &iov, 1, 6, RWF_NOWAIT); });
    ASSERT_EQ(r.res, 4) << std::strerror(-r.res);
    EXPECT_EQ(std::string(buf, 4), "6789");
    // An undefined RWF bit is refused.
    ops::Cqe bad = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_readv2(sqe, fd_.get(), &iov, 1, 0, static_cast<int>(0x40000000));
    }, 2);
    EXPECT_EQ(bad.res, -EOPNOTSUPP);
}

TEST_P(ReadWrite, WriteFixedFromRegisteredBuffer)
{
    OPS_REQUIRE_OP(IORING_OP_WRITE_FIXED);
    ASSERT_NO_FATAL_FAILURE(register_fixed());
    const std::string data = ops::pattern(5000);
    // Data placed at an inner address of the registered buffer.
    std::memcpy(fixed_.data() + 100, data.data(), data.size());
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_write_fixed(sqe, fd_.get(), fixed_.data() + 100, static_cast<unsigned>(data.size()), 0, 0);
    });
    ASSERT_EQ(w.res, static_cast<int>(data.size())) << std::strerror(-w.res);
    EXPECT_EQ(file(), data);
}

TEST_P(ReadWrite, ReadFixedIntoRegisteredBuffer)
{
    OPS_REQUIRE_OP(IORING_OP_READ_FIXED);
    ASSERT_NO_FATAL_FAILURE(register_fixed());
    const std::string data = ops::pattern(6000, 9);
    put(data);
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_read_fixed(sqe, fd_.get(), fixed_.data() + 4096, 3000, 1000, 0);
    });
    ASSERT_EQ(r.res, 3000) << std::strerror(-r.res);
    EXPECT_EQ(fixed_.substr(4096, 3000), data.substr(1000, 3000));
}

TEST_P(ReadWrite, FixedOutsideRegisteredBufferFails)
{
    OPS_REQUIRE_OP(IORING_OP_READ_FIXED);
    ASSERT_NO_FATAL_FAILURE(register_fixed());
    put("xxxx");
    char other[16];
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_read_fixed(sqe, fd_.get(), other, 4, 0, 0); });
    EXPECT_EQ(r.res, -EFAULT) << "buf_index selects the registered range the address must lie in";
}

TEST_P(ReadWrite, WritevFixedGathersFromRegisteredBuffer)
{
    OPS_REQUIRE_OP(IORING_OP_WRITEV_FIXED);
    ASSERT_NO_FATAL_FAILURE(register_fixed());
    std::memcpy(fixed_.data() + 10, "first|", 6);
    std::memcpy(fixed_.data() + 9000, "second", 6);
    iovec iov[2] = {{fixed_.data() + 10, 6}, {fixed_.data() + 9000, 6}};
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_writev_fixed(sqe, fd_.get(), iov, 2, 0, 0, 0); });
    ASSERT_EQ(w.res, 12) << std::strerror(-w.res);
    EXPECT_EQ(file(), "first|second");
}

TEST_P(ReadWrite, ReadvFixedScattersIntoRegisteredBuffer)
{
    OPS_REQUIRE_OP(IORING_OP_READV_FIXED);
    ASSERT_NO_FATAL_FAILURE(register_fixed());
    put("scatter-me-please");
    iovec iov[2] = {{fixed_.data() + 1, 8}, {fixed_.data() + 12000, 9}};
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_readv_fixed(sqe, fd_.get(), iov, 2, 0, 0, 0); });
    ASSERT_EQ(r.res, 17) << std::strerror(-r.res);
    EXPECT_EQ(fixed_.substr(1, 8), "scatter-");
    EXPECT_EQ(fixed_.substr(12000, 9), "me-please");
}

TEST_P(ReadWrite, ChainedWriteThenReadSeesData)
{
    OPS_REQUIRE_OP(IORING_OP_WRITE);
    // IOSQE_IO_LINK: the read starts only after the write completed.
    const std::string data = ops::pattern(777, 5);
    std::string back(data.size(), '\0');
    OPS_SQE(w, ring());
    io_uring_prep_write(w, fd_.get(), data.data(), static_cast<unsigned>(data.size()), 0);
    io_uring_sqe_set_flags(w, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(w, 1);
    OPS_SQE(r, ring());
    io_uring_prep_read(r, fd_.get(), back.data(), static_cast<unsigned>(back.size()), 0);
    io_uring_sqe_set_data64(r, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 777);
    EXPECT_EQ(ops::by_data(cqes, 2).res, 777);
    EXPECT_EQ(back, data);
}

OPS_INSTANTIATE(ReadWrite);

} // namespace
