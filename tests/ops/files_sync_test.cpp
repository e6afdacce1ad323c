// Space, cache and durability operations on files: fallocate, ftruncate,
// fadvise/fadvise64, madvise/madvise64, sync_file_range and fsync.
//
// Where the effect is visible it is checked (size, blocks, holes, page-cache
// residency via mincore, anonymous memory being zapped). For the sync family
// durability is not observable from a test, so besides the result the tests
// show that the flags reach the kernel (a bad flag is refused) and that the
// data is intact.
#include "ops_support.h"

#include <sys/mman.h>
#include <sys/stat.h>

namespace {

constexpr std::size_t kPage = 4096;

class FilesSync : public ops::OpsTest {
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

    off_t size() const
    {
        struct stat st;
        return ::fstat(fd_.get(), &st) == 0 ? st.st_size : -1;
    }

    // Writes n pattern bytes and makes them clean in the page cache.
    void fill(std::size_t n)
    {
        const std::string data = ops::pattern(n);
        ASSERT_EQ(::pwrite(fd_.get(), data.data(), n, 0), static_cast<ssize_t>(n));
        ASSERT_EQ(::fsync(fd_.get()), 0);
    }

    // Pages of the first `pages` pages of the file that are in the page cache.
    int resident_pages(std::size_t pages)
    {
        void *map = ::mmap(nullptr, pages * kPage, PROT_READ, MAP_SHARED, fd_.get(), 0);
        if (map == MAP_FAILED)
            return -1;
        std::vector<unsigned char> vec(pages);
        int count = -1;
        if (::mincore(map, pages * kPage, vec.data()) == 0) {
            count = 0;
            for (unsigned char v : vec)
                count += v & 1;
        }
        ::munmap(map, pages * kPage);
        return count;
    }

    ops::TempDir dir_;
    ops::ScopedFd fd_;
};

TEST_P(FilesSync, FallocateExtendsFile)
{
    OPS_REQUIRE_OP(IORING_OP_FALLOCATE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fallocate(sqe, fd_.get(), 0, 0, 256 * 1024); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(size(), 256 * 1024);
}

TEST_P(FilesSync, FallocateKeepSizeReservesBlocks)
{
    OPS_REQUIRE_OP(IORING_OP_FALLOCATE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fallocate(sqe, fd_.get(), FALLOC_FL_KEEP_SIZE, 0, 256 * 1024);
    });
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "temp filesystem does not support FALLOC_FL_KEEP_SIZE";
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    struct stat st;
    ASSERT_EQ(::fstat(fd_.get(), &st), 0);
    EXPECT_EQ(st.st_size, 0) << "mode reached the kernel: size kept";
    EXPECT_GE(st.st_blocks, 256 * 1024 / 512) << "but the blocks are allocated";
}

TEST_P(FilesSync, FallocatePunchHoleZeroesRange)
{
    OPS_REQUIRE_OP(IORING_OP_FALLOCATE);
    fill(4 * kPage);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fallocate(sqe, fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, kPage, kPage);
    });
    if (c.res == -EOPNOTSUPP)
        GTEST_SKIP() << "temp filesystem does not support hole punching";
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(size(), static_cast<off_t>(4 * kPage));
    std::string got(4 * kPage, '\0');
    ASSERT_EQ(::pread(fd_.get(), got.data(), got.size(), 0), static_cast<ssize_t>(got.size()));
    const std::string want = ops::pattern(4 * kPage);
    EXPECT_EQ(got.substr(0, kPage), want.substr(0, kPage));
    EXPECT_EQ(got.substr(kPage, kPage), std::string(kPage, '\0')) << "offset and length both reached the kernel";
    EXPECT_EQ(got.substr(2 * kPage), want.substr(2 * kPage));
}

TEST_P(FilesSync, FtruncateShrinksAndGrows)
{
    OPS_REQUIRE_OP(IORING_OP_FTRUNCATE);
    ASSERT_EQ(::pwrite(fd_.get(), "0123456789abcdef", 16, 0), 16);
    ops::Cqe shrink = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_ftruncate(sqe, fd_.get(), 10); });
    ASSERT_EQ(shrink.res, 0) << std::strerror(-shrink.res);
    EXPECT_EQ(size(), 10);
    EXPECT_EQ(ops::read_all(dir_.file("f")), "0123456789");

    ops::Cqe grow = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_ftruncate(sqe, fd_.get(), 20); }, 2);
    ASSERT_EQ(grow.res, 0) << std::strerror(-grow.res);
    EXPECT_EQ(ops::read_all(dir_.file("f")), std::string("0123456789") + std::string(10, '\0'));
}

TEST_P(FilesSync, FtruncateNegativeLengthIsEinval)
{
    OPS_REQUIRE_OP(IORING_OP_FTRUNCATE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_ftruncate(sqe, fd_.get(), -1); });
    EXPECT_EQ(c.res, -EINVAL);
}

TEST_P(FilesSync, FadviseDontneedDropsCleanPages)
{
    OPS_REQUIRE_OP(IORING_OP_FADVISE);
    fill(8 * kPage);
    ASSERT_EQ(resident_pages(8), 8) << "freshly written pages are cached";
    // The whole range: the page cache may hold the file in one large folio,
    // which DONTNEED can only drop as a whole.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fadvise(sqe, fd_.get(), 0, 8 * kPage, POSIX_FADV_DONTNEED);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(resident_pages(8), 0);
}

TEST_P(FilesSync, FadviseBadAdviceIsEinval)
{
    OPS_REQUIRE_OP(IORING_OP_FADVISE);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fadvise(sqe, fd_.get(), 0, 0, 12345); });
    EXPECT_EQ(c.res, -EINVAL);
}

TEST_P(FilesSync, Fadvise64UsesFullLength)
{
    OPS_REQUIRE_OP(IORING_OP_FADVISE);
    fill(8 * kPage);
    ASSERT_EQ(resident_pages(8), 8);
    // 4 GiB + 1 page: cut to 32 bits this would be a single page, which
    // would leave (at least) most of the file cached.
    const off_t len = (off_t{1} << 32) + static_cast<off_t>(kPage);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_fadvise64(sqe, fd_.get(), 0, len, POSIX_FADV_DONTNEED);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(resident_pages(8), 0) << "the 64-bit length covers the whole file";
}

TEST_P(FilesSync, MadviseDontneedZapsAnonymousMemory)
{
    OPS_REQUIRE_OP(IORING_OP_MADVISE);
    const std::size_t len = 4 * kPage;
    void *map = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(map, MAP_FAILED);
    auto *bytes = static_cast<unsigned char *>(map);
    std::memset(bytes, 0xAA, len);
    // Advise only the first two pages.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_madvise(sqe, map, 2 * kPage, MADV_DONTNEED); });
    EXPECT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(bytes[0], 0) << "private anonymous pages read back as zero after DONTNEED";
    EXPECT_EQ(bytes[2 * kPage - 1], 0);
    EXPECT_EQ(bytes[2 * kPage], 0xAA) << "pages outside the length are untouched";
    ::munmap(map, len);
}

TEST_P(FilesSync, Madvise64ZapsAnonymousMemory)
{
    OPS_REQUIRE_OP(IORING_OP_MADVISE);
    const std::size_t len = 4 * kPage;
    void *map = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(map, MAP_FAILED);
    auto *bytes = static_cast<unsigned char *>(map);
    std::memset(bytes, 0x55, len);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_madvise64(sqe, map, static_cast<off_t>(3 * kPage), MADV_DONTNEED);
    });
    EXPECT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(bytes[0], 0);
    EXPECT_EQ(bytes[3 * kPage - 1], 0) << "the length in the 64-bit slot was used";
    EXPECT_EQ(bytes[3 * kPage], 0x55);
    ::munmap(map, len);
}

TEST_P(FilesSync, SyncFileRangeWritesRange)
{
    OPS_REQUIRE_OP(IORING_OP_SYNC_FILE_RANGE);
    const std::string data = ops::pattern(3 * kPage);
    ASSERT_EQ(::pwrite(fd_.get(), data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_sync_file_range(sqe, fd_.get(), static_cast<unsigned>(data.size()), 0,
                                      SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                          SYNC_FILE_RANGE_WAIT_AFTER);
    });
    EXPECT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_EQ(ops::read_all(dir_.file("f")), data);

    // An undefined flag bit is refused: the flags field reaches the kernel.
    ops::Cqe bad = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_sync_file_range(sqe, fd_.get(), 0, 0, 0x80);
    }, 2);
    EXPECT_EQ(bad.res, -EINVAL);
}

TEST_P(FilesSync, FsyncAfterLinkedWrite)
{
    OPS_REQUIRE_OP(IORING_OP_FSYNC);
    const std::string data = ops::pattern(1000, 3);
    OPS_SQE(w, ring());
    io_uring_prep_write(w, fd_.get(), data.data(), static_cast<unsigned>(data.size()), 0);
    io_uring_sqe_set_flags(w, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(w, 1);
    OPS_SQE(s, ring());
    io_uring_prep_fsync(s, fd_.get(), 0);
    io_uring_sqe_set_data64(s, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 1).res, static_cast<int>(data.size()));
    EXPECT_EQ(ops::by_data(cqes, 2).res, 0);
    EXPECT_EQ(ops::read_all(dir_.file("f")), data);
}

TEST_P(FilesSync, FsyncDatasyncAndBadFlags)
{
    OPS_REQUIRE_OP(IORING_OP_FSYNC);
    ASSERT_EQ(::pwrite(fd_.get(), "abc", 3, 0), 3);
    ops::Cqe ds = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fsync(sqe, fd_.get(), IORING_FSYNC_DATASYNC); });
    EXPECT_EQ(ds.res, 0) << std::strerror(-ds.res);
    EXPECT_EQ(ops::read_all(dir_.file("f")), "abc");
    ops::Cqe bad = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fsync(sqe, fd_.get(), 0x40); }, 2);
    EXPECT_EQ(bad.res, -EINVAL) << "fsync_flags reach the kernel";
}

TEST_P(FilesSync, FsyncBadFdIsEbadf)
{
    OPS_REQUIRE_OP(IORING_OP_FSYNC);
    int fd = ::dup(fd_.get());
    ASSERT_GE(fd, 0);
    ::close(fd);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_fsync(sqe, fd, 0); });
    EXPECT_EQ(c.res, -EBADF);
}

OPS_INSTANTIATE(FilesSync);

} // namespace
