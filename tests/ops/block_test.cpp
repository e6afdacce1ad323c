// Block-device uring_cmd: io_uring_prep_cmd_discard on a loop device backed
// by a temp file. The loop device is attached with LO_FLAGS_AUTOCLEAR, so
// it detaches by itself when the test closes it, even after a failure.
// Skips when loop devices are not available (not root, no loop driver).
#include "ops_support.h"

#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>

namespace {

class BlockCmd : public ops::OpsTest {
protected:
    static constexpr std::size_t kSize = 1 << 20;

    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        OPS_REQUIRE_OP(IORING_OP_URING_CMD);
        ASSERT_TRUE(dir_.ok());
        backing_.reset(dir_.create("disk"));
        ASSERT_GE(backing_.get(), 0);
        const std::string data(kSize, 'D');
        ASSERT_EQ(::pwrite(backing_.get(), data.data(), data.size(), 0), static_cast<ssize_t>(kSize));

        ops::ScopedFd ctl(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
        if (ctl.get() < 0)
            GTEST_SKIP() << "no /dev/loop-control (" << std::strerror(errno) << ")";
        // A free device may be taken by someone else between GET_FREE and
        // CONFIGURE (EBUSY): try a few times.
        for (int attempt = 0; attempt < 5; ++attempt) {
            int n = ::ioctl(ctl.get(), LOOP_CTL_GET_FREE);
            if (n < 0)
                GTEST_SKIP() << "LOOP_CTL_GET_FREE: " << std::strerror(errno);
            const std::string path = "/dev/loop" + std::to_string(n);
            int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
            if (fd < 0)
                GTEST_SKIP() << "open " << path << ": " << std::strerror(errno);
            loop_config cfg{};
            cfg.fd = static_cast<__u32>(backing_.get());
            cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
            if (::ioctl(fd, LOOP_CONFIGURE, &cfg) == 0) {
                dev_.reset(fd);
                break;
            }
            int err = errno;
            ::close(fd);
            if (err != EBUSY)
                GTEST_SKIP() << "LOOP_CONFIGURE: " << std::strerror(err);
        }
        if (dev_.get() < 0)
            GTEST_SKIP() << "no free loop device";
    }

    ops::TempDir dir_;
    ops::ScopedFd backing_, dev_;
};

TEST_P(BlockCmd, DiscardZeroesRange)
{
    // Discard 64 KiB at offset 128 KiB.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_cmd_discard(sqe, dev_.get(), 128 * 1024, 64 * 1024);
    });
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel/loop device does not serve BLOCK_URING_CMD_DISCARD";
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);

    // The loop driver punched a hole in the backing file: zeros there,
    // untouched data around it.
    std::string got(kSize, '\0');
    ASSERT_EQ(::pread(backing_.get(), got.data(), got.size(), 0), static_cast<ssize_t>(kSize));
    EXPECT_EQ(got.substr(128 * 1024 - 16, 16), std::string(16, 'D'));
    EXPECT_EQ(got.substr(128 * 1024, 64 * 1024), std::string(64 * 1024, '\0'));
    EXPECT_EQ(got.substr(192 * 1024, 16), std::string(16, 'D'));
}

TEST_P(BlockCmd, DiscardMisalignedIsEinval)
{
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_cmd_discard(sqe, dev_.get(), 1, 512); });
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "kernel/loop device does not serve BLOCK_URING_CMD_DISCARD";
    EXPECT_EQ(c.res, -EINVAL) << "offset and length reached the kernel";
}

OPS_INSTANTIATE(BlockCmd);

} // namespace
