// Typed file operations against real files in a private temp directory:
// each test checks the effect on the file system, not only res.
#include "cxx_test_util.h"

#include <sys/stat.h>

#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include "support/temp_dir.h"

namespace {

using cxx_test::make_ring;
using cxx_test::run1;

class FileOps : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(dir.ok());
        file = uring::unique_fd(dir.create("f"));
        ASSERT_TRUE(file);
    }
    std::string contents() const
    {
        std::string s(4096, '\0');
        ssize_t n = ::pread(file.get(), s.data(), s.size(), 0);
        s.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return s;
    }
    off_t size() const
    {
        struct stat st {};
        ::fstat(file.get(), &st);
        return st.st_size;
    }

    bareuring_test::TempDir dir;
    uring::unique_fd file;
    uring::ring ring = make_ring(16);
};

TEST_F(FileOps, WriteThenRead)
{
    static_assert(uring::write::opcode == IORING_OP_WRITE && uring::read::opcode == IORING_OP_READ);
    EXPECT_EQ(run1(ring, uring::write{file, std::string_view("hello world"), 0}).res, 11);
    EXPECT_EQ(contents(), "hello world");
    std::array<char, 5> buf{};
    EXPECT_EQ(run1(ring, uring::read{file, buf, 6}).res, 5);
    EXPECT_EQ(std::string_view(buf.data(), 5), "world");
    // Past the end: 0 bytes.
    EXPECT_EQ(run1(ring, uring::read{file, buf, 100}).res, 0);
}

TEST_F(FileOps, CurrentPositionAppends)
{
    EXPECT_EQ(run1(ring, uring::write{file, std::string_view("abc")}).res, 3);
    EXPECT_EQ(run1(ring, uring::write{file, std::string_view("def")}).res, 3);
    EXPECT_EQ(contents(), "abcdef");
    EXPECT_EQ(::lseek(file.get(), 0, SEEK_CUR), 6);
}

TEST_F(FileOps, VectoredWriteAndRead)
{
    static_assert(uring::writev::opcode == IORING_OP_WRITEV && uring::readv::opcode == IORING_OP_READV);
    char a[] = "one-", b[] = "two-", c[] = "three";
    const iovec out[] = {{a, 4}, {b, 4}, {c, 5}};
    EXPECT_EQ(run1(ring, uring::writev{file, out, 0}).res, 13);
    EXPECT_EQ(contents(), "one-two-three");
    char x[3]{}, y[10]{}; // initialised: valgrind cannot see io_uring's writes
    const iovec in[] = {{x, sizeof x}, {y, sizeof y}};
    EXPECT_EQ(run1(ring, uring::readv{file, in, 2}).res, 11);
    EXPECT_EQ(std::string(x, 3), "e-t");
    EXPECT_EQ(std::string(y, 8), "wo-three");
}

TEST_F(FileOps, FixedBuffers)
{
    static_assert(uring::read_fixed::opcode == IORING_OP_READ_FIXED);
    static_assert(uring::write_fixed::opcode == IORING_OP_WRITE_FIXED);
    alignas(64) static std::array<char, 4096> region;
    region.fill(0);
    const iovec reg[] = {{region.data(), region.size()}};
    auto r = ring.register_buffers(reg);
    ASSERT_TRUE(r) << r.error().message();
    std::memcpy(region.data() + 100, "fixed!", 6);
    EXPECT_EQ(run1(ring, uring::write_fixed{file, std::span(region).subspan(100, 6), 0, 0}).res, 6);
    EXPECT_EQ(contents(), "fixed!");
    EXPECT_EQ(run1(ring, uring::read_fixed{file, std::span(region).subspan(2000, 3), 1, 0}).res, 3);
    EXPECT_EQ(std::string(region.data() + 2000, 3), "ixe");
    // Outside the registered buffer: refused by the kernel.
    std::array<char, 8> other{};
    EXPECT_EQ(run1(ring, uring::read_fixed{file, other, 0, 0}).res, -EFAULT);
    EXPECT_TRUE(ring.unregister_buffers());
}

TEST_F(FileOps, FsyncAndFdatasync)
{
    static_assert(uring::fsync::opcode == IORING_OP_FSYNC);
    EXPECT_EQ(run1(ring, uring::write{file, std::string_view("x"), 0}).res, 1);
    EXPECT_EQ(run1(ring, uring::fsync{file}).res, 0);
    EXPECT_EQ(run1(ring, uring::fsync{file, IORING_FSYNC_DATASYNC}).res, 0);
    EXPECT_EQ(run1(ring, uring::fsync{uring::fd{-1}}).res, -EBADF);
}

TEST_F(FileOps, Fallocate)
{
    static_assert(uring::fallocate::opcode == IORING_OP_FALLOCATE);
    EXPECT_EQ(run1(ring, uring::fallocate{file, 0, 0, 8192}).res, 0);
    EXPECT_EQ(size(), 8192);
}

TEST_F(FileOps, Ftruncate)
{
    CXX_SKIP_UNLESS_SUPPORTED(ring, uring::ftruncate);
    EXPECT_EQ(run1(ring, uring::write{file, std::string_view("0123456789"), 0}).res, 10);
    EXPECT_EQ(run1(ring, uring::ftruncate{file, 4}).res, 0);
    EXPECT_EQ(contents(), "0123");
}

TEST_F(FileOps, OpenatAndClose)
{
    static_assert(uring::openat::opcode == IORING_OP_OPENAT && uring::close::opcode == IORING_OP_CLOSE);
    ASSERT_EQ(::pwrite(file.get(), "content", 7, 0), 7);
    const std::string path = dir.file("f");
    uring::io_result o = run1(ring, uring::openat{uring::cwd, path});
    ASSERT_GE(o.res, 0) << o.error().message();
    std::array<char, 7> buf{};
    EXPECT_EQ(::pread(o.res, buf.data(), buf.size(), 0), 7);
    EXPECT_EQ(std::string(buf.data(), 7), "content");
    EXPECT_EQ(run1(ring, uring::close{uring::fd{o.res}}).res, 0);
    EXPECT_EQ(::fcntl(o.res, F_GETFD), -1); // really closed
    const std::string missing = dir.file("missing");
    EXPECT_EQ(run1(ring, uring::openat{uring::cwd, missing}).res, -ENOENT);
    // Relative to a directory fd, creating a file.
    uring::unique_fd d(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    uring::io_result created =
        run1(ring, uring::openat{d.borrow(), "new", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600});
    ASSERT_GE(created.res, 0);
    ::close(created.res);
    struct stat st {};
    EXPECT_EQ(::stat(dir.file("new").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileOps, OpenatDirectAndCloseDirect)
{
    ASSERT_EQ(::pwrite(file.get(), "direct", 6, 0), 6);
    ASSERT_TRUE(ring.register_files_sparse(4));
    const std::string path = dir.file("f");
    uring::io_result o = run1(ring, uring::openat_direct{uring::cwd, path, O_RDONLY, 0});
    ASSERT_GE(o.res, 0) << o.error().message(); // the allocated slot
    uring::fixed_file slot(o.value());
    std::array<char, 6> buf{};
    EXPECT_EQ(run1(ring, uring::read{slot, buf, 0}).res, 6);
    EXPECT_EQ(std::string(buf.data(), 6), "direct");
    // close on a fixed_file empties the slot (io_uring_prep_close_direct).
    EXPECT_EQ(run1(ring, uring::close{slot}).res, 0);
    EXPECT_EQ(run1(ring, uring::read{slot, buf, 0}).res, -EBADF);
    // An explicit slot.
    EXPECT_EQ(run1(ring, uring::openat_direct{uring::cwd, path, O_RDONLY, 0, 2}).res, 0);
    EXPECT_EQ(run1(ring, uring::read{uring::fixed_file{2}, buf, 0}).res, 6);
}

TEST_F(FileOps, Statx)
{
    static_assert(uring::statx::opcode == IORING_OP_STATX);
    ASSERT_EQ(::pwrite(file.get(), "12345", 5, 0), 5);
    const std::string path = dir.file("f");
    struct ::statx st {};
    EXPECT_EQ(run1(ring, uring::statx{uring::cwd, path, 0, STATX_SIZE | STATX_MODE, &st}).res, 0);
    EXPECT_EQ(st.stx_size, 5u);
    EXPECT_TRUE(S_ISREG(st.stx_mode));
    struct ::statx by_fd {};
    EXPECT_EQ(run1(ring, uring::statx{file.borrow(), "", AT_EMPTY_PATH, STATX_SIZE, &by_fd}).res, 0);
    EXPECT_EQ(by_fd.stx_size, 5u);
}

TEST_F(FileOps, MkdirRenameUnlink)
{
    static_assert(uring::mkdirat::opcode == IORING_OP_MKDIRAT && uring::renameat::opcode == IORING_OP_RENAMEAT &&
                  uring::unlinkat::opcode == IORING_OP_UNLINKAT);
    const std::string sub = dir.file("sub"), from = dir.file("f"), to = dir.file("sub/g");
    EXPECT_EQ(run1(ring, uring::mkdirat{uring::cwd, sub, 0700}).res, 0);
    struct stat st {};
    ASSERT_EQ(::stat(sub.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(run1(ring, uring::mkdirat{uring::cwd, sub}).res, -EEXIST);

    EXPECT_EQ(run1(ring, uring::renameat{uring::cwd, from, uring::cwd, to}).res, 0);
    EXPECT_NE(::stat(from.c_str(), &st), 0);
    EXPECT_EQ(::stat(to.c_str(), &st), 0);

    EXPECT_EQ(run1(ring, uring::unlinkat{uring::cwd, to}).res, 0);
    EXPECT_NE(::stat(to.c_str(), &st), 0);
    EXPECT_EQ(run1(ring, uring::unlinkat{uring::cwd, sub}).res, -EISDIR);
    EXPECT_EQ(run1(ring, uring::unlinkat{uring::cwd, sub, AT_REMOVEDIR}).res, 0);
    EXPECT_NE(::stat(sub.c_str(), &st), 0);
}

TEST_F(FileOps, SpliceAndTee)
{
    static_assert(uring::splice::opcode == IORING_OP_SPLICE && uring::tee::opcode == IORING_OP_TEE);
    auto a = cxx_test::make_pipe();
    auto b = cxx_test::make_pipe();
    ASSERT_EQ(::write(a.write_end.get(), "spliced!", 8), 8);
    // tee duplicates a's data into b without consuming it ...
    EXPECT_EQ(run1(ring, uring::tee{a.read_end, b.write_end, 8}).res, 8);
    // ... then splice moves it from a into the file at offset 2.
    EXPECT_EQ(run1(ring, uring::splice{a.read_end, -1, file, 2, 8}).res, 8);
    EXPECT_EQ(contents(), std::string("\0\0spliced!", 10));
    char buf[16];
    EXPECT_EQ(::read(b.read_end.get(), buf, sizeof buf), 8);
    EXPECT_EQ(std::string(buf, 8), "spliced!");
    // A fixed input file: SPLICE_F_FD_IN_FIXED, set by the op.
    ASSERT_EQ(::write(a.write_end.get(), "xy", 2), 2);
    const int fds[] = {a.read_end.get()};
    ASSERT_TRUE(ring.register_files(fds));
    io_uring_sqe *sqe = ring.prepare(uring::splice{uring::fixed_file{0}, -1, file, 0, 2});
    ASSERT_NE(sqe, nullptr);
    EXPECT_TRUE(sqe->splice_flags & SPLICE_F_FD_IN_FIXED);
    EXPECT_FALSE(sqe->flags & IOSQE_FIXED_FILE); // the output is a plain fd
    ASSERT_TRUE(ring.submit_and_wait(1));
    auto c = ring.wait();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->res(), 2);
    ring.seen(*c);
    EXPECT_EQ(contents().substr(0, 2), "xy");
}

} // namespace
