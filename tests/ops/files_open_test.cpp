// Opening and closing files through the ring: openat/openat2 into the fd
// table and into the fixed-file table, close and close_direct,
// files_update, fixed_fd_install and statx. Each test checks the CQE and
// then uses the resulting descriptor (or its absence) with plain syscalls.
#include "ops_support.h"

#include <linux/openat2.h>
#include <sys/stat.h>

namespace {

class FilesOpen : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(dir_.ok());
        ASSERT_TRUE(ops::write_all(dir_.file("data"), content_));
    }

    // Reads the start of the file behind fixed slot `slot` via IORING_OP_READ.
    ops::Cqe read_fixed_slot(int slot, char *buf, unsigned len)
    {
        return ops::run(ring(), [&](io_uring_sqe *sqe) {
            io_uring_prep_read(sqe, slot, buf, len, 0);
            io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
        });
    }

    ops::TempDir dir_;
    const std::string content_ = ops::pattern(300);
};

TEST_P(FilesOpen, OpenatAbsolutePathGivesReadableFd)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    const std::string path = dir_.file("data");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_openat(sqe, AT_FDCWD, path.c_str(), O_RDONLY | O_CLOEXEC, 0);
    });
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    EXPECT_EQ(ops::read_exact(fd.get(), content_.size()), content_);
}

TEST_P(FilesOpen, OpenatRelativeToDirfdCreatesFile)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    ops::ScopedFd dirfd(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_GE(dirfd.get(), 0);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_openat(sqe, dirfd.get(), "created", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    });
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    ASSERT_EQ(::write(fd.get(), "xyz", 3), 3);
    EXPECT_EQ(ops::read_all(dir_.file("created")), "xyz");
    struct stat st;
    ASSERT_EQ(::stat(dir_.file("created").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777 & ~0640u, 0u) << "mode (minus umask) comes from the SQE";
}

TEST_P(FilesOpen, OpenatMissingFileIsEnoent)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    const std::string path = dir_.file("absent");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_openat(sqe, AT_FDCWD, path.c_str(), O_RDONLY, 0); });
    EXPECT_EQ(c.res, -ENOENT);
    EXPECT_FALSE(ops::exists(path));
}

TEST_P(FilesOpen, OpenWrappersUseCwd)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    const std::string path = dir_.file("data");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_open(sqe, path.c_str(), O_RDONLY | O_CLOEXEC, 0); });
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    EXPECT_EQ(ops::read_exact(fd.get(), content_.size()), content_);

    ASSERT_EQ(io_uring_register_files_sparse(ring(), 2), 0);
    ops::Cqe d = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_open_direct(sqe, path.c_str(), O_RDONLY, 0, 1); }, 2);
    ASSERT_EQ(d.res, 0) << std::strerror(-d.res);
    char buf[8] = {};
    ASSERT_EQ(read_fixed_slot(1, buf, sizeof buf).res, 8);
    EXPECT_EQ(std::string(buf, 8), content_.substr(0, 8));
}

TEST_P(FilesOpen, Openat2HonoursResolveFlags)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT2);
    ops::ScopedFd dirfd(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_GE(dirfd.get(), 0);
    open_how how{};
    how.flags = O_RDONLY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH;

    // Inside the directory: allowed.
    ops::Cqe ok = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_openat2(sqe, dirfd.get(), "data", &how); });
    ASSERT_GE(ok.res, 0) << std::strerror(-ok.res);
    ops::ScopedFd fd(ok.res);
    EXPECT_EQ(ops::read_exact(fd.get(), content_.size()), content_);

    // Escaping with "..": the open_how resolve flag must have reached the kernel.
    ops::Cqe escape =
        ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_openat2(sqe, dirfd.get(), "../", &how); }, 2);
    EXPECT_EQ(escape.res, -EXDEV);
}

TEST_P(FilesOpen, OpenatDirectIntoChosenSlot)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    const std::string path = dir_.file("data");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_openat_direct(sqe, AT_FDCWD, path.c_str(), O_RDONLY, 0, 2);
    });
    ASSERT_EQ(c.res, 0) << "direct open into a chosen slot reports 0: " << std::strerror(-c.res);

    char buf[64] = {};
    ops::Cqe r = read_fixed_slot(2, buf, sizeof buf);
    ASSERT_EQ(r.res, 64);
    EXPECT_EQ(std::string(buf, 64), content_.substr(0, 64));
    // The slot next to it stays empty.
    EXPECT_EQ(read_fixed_slot(1, buf, sizeof buf).res, -EBADF);
}

TEST_P(FilesOpen, OpenatDirectAllocReturnsSlot)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    const std::string path = dir_.file("data");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_openat_direct(sqe, AT_FDCWD, path.c_str(), O_RDONLY, 0, IORING_FILE_INDEX_ALLOC);
    });
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ASSERT_LT(c.res, 4);
    char buf[16] = {};
    ops::Cqe r = read_fixed_slot(c.res, buf, sizeof buf);
    ASSERT_EQ(r.res, 16);
    EXPECT_EQ(std::string(buf, 16), content_.substr(0, 16));
}

TEST_P(FilesOpen, Openat2DirectIntoChosenSlot)
{
    OPS_REQUIRE_OP(IORING_OP_OPENAT2);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    open_how how{};
    how.flags = O_RDONLY;
    how.resolve = RESOLVE_NO_SYMLINKS;
    const std::string path = dir_.file("data");
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_openat2_direct(sqe, AT_FDCWD, path.c_str(), &how, 0);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    char buf[32] = {};
    ops::Cqe r = read_fixed_slot(0, buf, sizeof buf);
    ASSERT_EQ(r.res, 32);
    EXPECT_EQ(std::string(buf, 32), content_.substr(0, 32));
}

TEST_P(FilesOpen, CloseReleasesFd)
{
    OPS_REQUIRE_OP(IORING_OP_CLOSE);
    int fd = ::open(dir_.file("data").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_close(sqe, fd); });
    EXPECT_EQ(c.res, 0);
    errno = 0;
    EXPECT_EQ(::fcntl(fd, F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
}

TEST_P(FilesOpen, CloseDirectEmptiesSlot)
{
    OPS_REQUIRE_OP(IORING_OP_CLOSE);
    ops::ScopedFd fd(::open(dir_.file("data").c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_GE(fd.get(), 0);
    int fds[2] = {-1, fd.get()};
    ASSERT_EQ(io_uring_register_files(ring(), fds, 2), 0);
    char buf[8];
    ASSERT_EQ(read_fixed_slot(1, buf, sizeof buf).res, 8) << "slot 1 is usable before close_direct";

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_close_direct(sqe, 1); });
    EXPECT_EQ(c.res, 0);
    EXPECT_EQ(read_fixed_slot(1, buf, sizeof buf).res, -EBADF);
    // The process fd is independent of the slot and still open.
    EXPECT_TRUE(ops::fd_valid(fd.get()));
}

TEST_P(FilesOpen, FilesUpdateFillsSlots)
{
    OPS_REQUIRE_OP(IORING_OP_FILES_UPDATE);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    ops::ScopedFd fd(::open(dir_.file("data").c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_GE(fd.get(), 0);
    int fds[1] = {fd.get()};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_files_update(sqe, fds, 1, 3); });
    EXPECT_EQ(c.res, 1) << "res counts the slots updated";
    char buf[10] = {};
    ops::Cqe r = read_fixed_slot(3, buf, sizeof buf);
    ASSERT_EQ(r.res, 10);
    EXPECT_EQ(std::string(buf, 10), content_.substr(0, 10));
}

TEST_P(FilesOpen, FilesUpdateAllocWritesBackSlots)
{
    OPS_REQUIRE_OP(IORING_OP_FILES_UPDATE);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    ops::ScopedFd a(::open(dir_.file("data").c_str(), O_RDONLY | O_CLOEXEC));
    ops::ScopedFd b(::open(dir_.file("data").c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_GE(a.get(), 0);
    ASSERT_GE(b.get(), 0);
    int fds[2] = {a.get(), b.get()};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_files_update(sqe, fds, 2, static_cast<int>(IORING_FILE_INDEX_ALLOC));
    });
    ASSERT_EQ(c.res, 2);
    // The kernel replaced each fd in the array with the slot it chose.
    EXPECT_NE(fds[0], fds[1]);
    for (int slot : fds) {
        ASSERT_GE(slot, 0);
        ASSERT_LT(slot, 4);
        char buf[4] = {};
        EXPECT_EQ(read_fixed_slot(slot, buf, sizeof buf).res, 4);
    }
}

TEST_P(FilesOpen, FixedFdInstallGivesProcessFd)
{
    OPS_REQUIRE_OP(IORING_OP_FIXED_FD_INSTALL);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 2), 0);
    const std::string path = dir_.file("data");
    ASSERT_EQ(ops::run(ring(), [&](io_uring_sqe *sqe) {
                  io_uring_prep_openat_direct(sqe, AT_FDCWD, path.c_str(), O_RDONLY, 0, 0);
              }).res,
              0);

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fixed_fd_install(sqe, 0, 0); }, 2);
    ASSERT_GE(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd fd(c.res);
    EXPECT_EQ(ops::read_exact(fd.get(), content_.size()), content_);
    EXPECT_TRUE(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) << "installed fds are O_CLOEXEC by default";

    ops::Cqe nc = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fixed_fd_install(sqe, 0, IORING_FIXED_FD_NO_CLOEXEC);
    }, 3);
    ASSERT_GE(nc.res, 0) << std::strerror(-nc.res);
    ops::ScopedFd fd2(nc.res);
    EXPECT_FALSE(::fcntl(fd2.get(), F_GETFD) & FD_CLOEXEC);
}

TEST_P(FilesOpen, StatxReportsSizeAndType)
{
    OPS_REQUIRE_OP(IORING_OP_STATX);
    const std::string path = dir_.file("data");
    struct statx stx;
    std::memset(&stx, 0xff, sizeof stx);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_statx(sqe, AT_FDCWD, path.c_str(), 0, STATX_SIZE | STATX_TYPE | STATX_INO, &stx);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_TRUE(stx.stx_mask & STATX_SIZE);
    EXPECT_EQ(stx.stx_size, content_.size());
    EXPECT_TRUE(S_ISREG(stx.stx_mode));
    EXPECT_EQ(stx.stx_ino, st.st_ino);
}

TEST_P(FilesOpen, StatxEmptyPathOnFd)
{
    OPS_REQUIRE_OP(IORING_OP_STATX);
    ops::ScopedFd fd(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_GE(fd.get(), 0);
    struct statx stx{};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_statx(sqe, fd.get(), "", AT_EMPTY_PATH, STATX_TYPE, &stx);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_TRUE(S_ISDIR(stx.stx_mode)) << "AT_EMPTY_PATH stats the dirfd itself";
}

OPS_INSTANTIATE(FilesOpen);

} // namespace
