// Extended attributes through the ring: setxattr/getxattr on a path and
// fsetxattr/fgetxattr on an fd. Values are cross-checked with the xattr
// syscalls. Skips when the temp filesystem has no user xattrs.
#include "ops_support.h"

#include <sys/xattr.h>

namespace {

class Xattr : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(dir_.ok());
        path_ = dir_.file("f");
        fd_.reset(dir_.create("f"));
        ASSERT_GE(fd_.get(), 0);
        if (::fsetxattr(fd_.get(), "user.probe", "1", 1, 0) != 0) {
            if (errno == ENOTSUP || errno == EOPNOTSUPP)
                GTEST_SKIP() << "temp filesystem (" << dir_.path() << ") has no user xattr support";
            FAIL() << "fsetxattr: " << std::strerror(errno);
        }
        ASSERT_EQ(::fremovexattr(fd_.get(), "user.probe"), 0);
    }

    std::string sys_get(const char *name)
    {
        char buf[256];
        ssize_t n = ::getxattr(path_.c_str(), name, buf, sizeof buf);
        if (n >= 0)
            return std::string(buf, static_cast<std::size_t>(n));
        // Built with append, not "<" + std::string(...): GCC 12 at -O3
        // reports a false -Wrestrict on that operator+ form.
        std::string error("<");
        error.append(std::strerror(errno)).append(">");
        return error;
    }

    ops::TempDir dir_;
    std::string path_;
    ops::ScopedFd fd_;
};

TEST_P(Xattr, SetxattrOnPath)
{
    OPS_REQUIRE_OP(IORING_OP_SETXATTR);
    const char value[] = "path-value";
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_setxattr(sqe, "user.pathattr", value, path_.c_str(), 0, sizeof value - 1);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(sys_get("user.pathattr"), "path-value");
}

TEST_P(Xattr, SetxattrCreateFlagRefusesExisting)
{
    OPS_REQUIRE_OP(IORING_OP_SETXATTR);
    ASSERT_EQ(::setxattr(path_.c_str(), "user.k", "old", 3, 0), 0);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_setxattr(sqe, "user.k", "new", path_.c_str(), XATTR_CREATE, 3);
    });
    EXPECT_EQ(c.res, -EEXIST);
    EXPECT_EQ(sys_get("user.k"), "old");
}

TEST_P(Xattr, GetxattrOnPath)
{
    OPS_REQUIRE_OP(IORING_OP_GETXATTR);
    ASSERT_EQ(::setxattr(path_.c_str(), "user.g", "fetched!", 8, 0), 0);
    char buf[64] = {};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_getxattr(sqe, "user.g", buf, path_.c_str(), sizeof buf);
    });
    ASSERT_EQ(c.res, 8) << "res is the value length";
    EXPECT_EQ(std::string(buf, 8), "fetched!");
}

TEST_P(Xattr, GetxattrMissingIsEnodata)
{
    OPS_REQUIRE_OP(IORING_OP_GETXATTR);
    char buf[16];
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_getxattr(sqe, "user.none", buf, path_.c_str(), sizeof buf);
    });
    EXPECT_EQ(c.res, -ENODATA);
}

TEST_P(Xattr, FsetxattrOnFd)
{
    OPS_REQUIRE_OP(IORING_OP_FSETXATTR);
    const char value[] = "fd-value";
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fsetxattr(sqe, fd_.get(), "user.fdattr", value, 0, sizeof value - 1);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(sys_get("user.fdattr"), "fd-value");

    // XATTR_REPLACE on a missing name fails: flags reach the kernel.
    ops::Cqe rep = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fsetxattr(sqe, fd_.get(), "user.absent", value, XATTR_REPLACE, sizeof value - 1);
    }, 2);
    EXPECT_EQ(rep.res, -ENODATA);
}

TEST_P(Xattr, FgetxattrOnFd)
{
    OPS_REQUIRE_OP(IORING_OP_FGETXATTR);
    ASSERT_EQ(::fsetxattr(fd_.get(), "user.fg", "via fd", 6, 0), 0);
    char buf[32] = {};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fgetxattr(sqe, fd_.get(), "user.fg", buf, sizeof buf);
    });
    ASSERT_EQ(c.res, 6);
    EXPECT_EQ(std::string(buf, 6), "via fd");

    // A zero-length buffer asks for the size only.
    ops::Cqe sz = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fgetxattr(sqe, fd_.get(), "user.fg", nullptr, 0);
    }, 2);
    EXPECT_EQ(sz.res, 6);

    // Too small a buffer: -ERANGE.
    ops::Cqe small = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fgetxattr(sqe, fd_.get(), "user.fg", buf, 2);
    }, 3);
    EXPECT_EQ(small.res, -ERANGE);
}

OPS_INSTANTIATE(Xattr);

} // namespace
