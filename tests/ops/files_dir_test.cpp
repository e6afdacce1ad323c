// Directory-entry operations through the ring: renameat, unlinkat, mkdirat,
// symlinkat, linkat and their AT_FDCWD wrappers. The effect is checked with
// lstat/readlink on the temp directory.
#include "ops_support.h"

#include <sys/stat.h>

namespace {

class FilesDir : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(dir_.ok());
        dirfd_.reset(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        ASSERT_GE(dirfd_.get(), 0);
    }

    ops::TempDir dir_;
    ops::ScopedFd dirfd_;
};

TEST_P(FilesDir, RenameatMovesEntry)
{
    OPS_REQUIRE_OP(IORING_OP_RENAMEAT);
    ASSERT_TRUE(ops::write_all(dir_.file("old"), "payload"));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_renameat(sqe, dirfd_.get(), "old", dirfd_.get(), "new", 0);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_FALSE(ops::exists(dir_.file("old")));
    EXPECT_EQ(ops::read_all(dir_.file("new")), "payload");
}

TEST_P(FilesDir, RenameatNoreplaceRefusesExistingTarget)
{
    OPS_REQUIRE_OP(IORING_OP_RENAMEAT);
    ASSERT_TRUE(ops::write_all(dir_.file("a"), "A"));
    ASSERT_TRUE(ops::write_all(dir_.file("b"), "B"));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_renameat(sqe, dirfd_.get(), "a", dirfd_.get(), "b", RENAME_NOREPLACE);
    });
    EXPECT_EQ(c.res, -EEXIST) << "the rename flags travel in the SQE";
    EXPECT_EQ(ops::read_all(dir_.file("a")), "A");
    EXPECT_EQ(ops::read_all(dir_.file("b")), "B");
}

TEST_P(FilesDir, RenameWrapperUsesCwd)
{
    OPS_REQUIRE_OP(IORING_OP_RENAMEAT);
    ASSERT_TRUE(ops::write_all(dir_.file("x"), "xx"));
    const std::string from = dir_.file("x"), to = dir_.file("y");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_rename(sqe, from.c_str(), to.c_str()); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_FALSE(ops::exists(from));
    EXPECT_EQ(ops::read_all(to), "xx");
}

TEST_P(FilesDir, UnlinkatRemovesFile)
{
    OPS_REQUIRE_OP(IORING_OP_UNLINKAT);
    ASSERT_TRUE(ops::write_all(dir_.file("f"), "z"));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_unlinkat(sqe, dirfd_.get(), "f", 0); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_FALSE(ops::exists(dir_.file("f")));
}

TEST_P(FilesDir, UnlinkatRemovedirOnlyWithFlag)
{
    OPS_REQUIRE_OP(IORING_OP_UNLINKAT);
    ASSERT_EQ(::mkdir(dir_.file("d").c_str(), 0700), 0);
    ops::Cqe plain = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_unlinkat(sqe, dirfd_.get(), "d", 0); });
    EXPECT_EQ(plain.res, -EISDIR);
    EXPECT_TRUE(ops::exists(dir_.file("d")));
    ops::Cqe rmdir = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_unlinkat(sqe, dirfd_.get(), "d", AT_REMOVEDIR);
    }, 2);
    EXPECT_EQ(rmdir.res, 0);
    EXPECT_FALSE(ops::exists(dir_.file("d")));
}

TEST_P(FilesDir, UnlinkWrapperMissingIsEnoent)
{
    OPS_REQUIRE_OP(IORING_OP_UNLINKAT);
    const std::string path = dir_.file("nothing");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_unlink(sqe, path.c_str(), 0); });
    EXPECT_EQ(c.res, -ENOENT);
}

TEST_P(FilesDir, MkdiratCreatesDirectoryWithMode)
{
    OPS_REQUIRE_OP(IORING_OP_MKDIRAT);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_mkdirat(sqe, dirfd_.get(), "sub", 0700); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    struct stat st;
    ASSERT_EQ(::lstat(dir_.file("sub").c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);

    ops::Cqe again = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_mkdirat(sqe, dirfd_.get(), "sub", 0700); }, 2);
    EXPECT_EQ(again.res, -EEXIST);
}

TEST_P(FilesDir, MkdirWrapper)
{
    OPS_REQUIRE_OP(IORING_OP_MKDIRAT);
    const std::string path = dir_.file("m");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_mkdir(sqe, path.c_str(), 0755); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    struct stat st;
    ASSERT_EQ(::lstat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST_P(FilesDir, SymlinkatCreatesLinkWithTarget)
{
    OPS_REQUIRE_OP(IORING_OP_SYMLINKAT);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_symlinkat(sqe, "some/target", dirfd_.get(), "lnk");
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    char buf[64] = {};
    ssize_t n = ::readlink(dir_.file("lnk").c_str(), buf, sizeof buf - 1);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "some/target");
}

TEST_P(FilesDir, SymlinkWrapper)
{
    OPS_REQUIRE_OP(IORING_OP_SYMLINKAT);
    ASSERT_TRUE(ops::write_all(dir_.file("real"), "through the link"));
    const std::string target = dir_.file("real"), link = dir_.file("sl");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_symlink(sqe, target.c_str(), link.c_str()); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(ops::read_all(link), "through the link");
}

TEST_P(FilesDir, LinkatCreatesHardLink)
{
    OPS_REQUIRE_OP(IORING_OP_LINKAT);
    ASSERT_TRUE(ops::write_all(dir_.file("orig"), "shared inode"));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_linkat(sqe, dirfd_.get(), "orig", dirfd_.get(), "hard", 0);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    struct stat a, b;
    ASSERT_EQ(::stat(dir_.file("orig").c_str(), &a), 0);
    ASSERT_EQ(::stat(dir_.file("hard").c_str(), &b), 0);
    EXPECT_EQ(a.st_ino, b.st_ino);
    EXPECT_EQ(a.st_nlink, 2u);
}

TEST_P(FilesDir, LinkatFollowFlagResolvesSymlink)
{
    OPS_REQUIRE_OP(IORING_OP_LINKAT);
    ASSERT_TRUE(ops::write_all(dir_.file("orig"), "o"));
    ASSERT_EQ(::symlink("orig", dir_.file("sym").c_str()), 0);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_linkat(sqe, dirfd_.get(), "sym", dirfd_.get(), "followed", AT_SYMLINK_FOLLOW);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    // With AT_SYMLINK_FOLLOW the new name is a hard link to the regular file.
    struct stat st;
    ASSERT_EQ(::lstat(dir_.file("followed").c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_P(FilesDir, LinkWrapper)
{
    OPS_REQUIRE_OP(IORING_OP_LINKAT);
    ASSERT_TRUE(ops::write_all(dir_.file("p"), "q"));
    const std::string from = dir_.file("p"), to = dir_.file("p2");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_link(sqe, from.c_str(), to.c_str(), 0); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(ops::read_all(to), "q");
}

OPS_INSTANTIATE(FilesDir);

} // namespace
