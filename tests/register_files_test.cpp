// The registered (direct) file table: io_uring_register_files / _tags /
// _sparse / _update / _update_tag / unregister_files / file_alloc_range.
// Ops run with IOSQE_FIXED_FILE, naming a slot instead of an fd.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <sys/resource.h>
#include <unistd.h>

#include <climits>

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

struct Pipe {
    int rd = -1, wr = -1;
    Pipe()
    {
        int p[2];
        if (::pipe(p) == 0) {
            rd = p[0];
            wr = p[1];
        }
    }
    ~Pipe()
    {
        if (rd >= 0)
            ::close(rd);
        if (wr >= 0)
            ::close(wr);
    }
};

// WRITE of `text` to registered slot `slot`; returns the CQE result.
int write_fixed_file(io_uring *ring, int slot, const char *text)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (sqe == nullptr)
        return -EBUSY;
    io_uring_prep_write(sqe, slot, text, static_cast<unsigned>(std::strlen(text)), 0);
    io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
    sqe->user_data = 0x55;
    if (io_uring_submit(ring) != 1)
        return -EIO;
    Cqe cqe;
    int ret = bareuring_test::wait_one(ring, &cqe);
    return ret < 0 ? ret : cqe.res;
}

// Reads what is waiting in the pipe (non-blocking), as a string.
std::string drain(int fd)
{
    char buf[128];
    int fl = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    ssize_t n = ::read(fd, buf, sizeof buf);
    ::fcntl(fd, F_SETFL, fl);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

} // namespace

TEST(RegisterFiles, WriteThroughARegisteredSlot)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    Pipe a, b;
    int files[3] = {-1, a.wr, b.wr};
    ASSERT_EQ(io_uring_register_files(ring.get(), files, 3), 0);

    EXPECT_EQ(write_fixed_file(ring.get(), 1, "to a"), 4);
    EXPECT_EQ(write_fixed_file(ring.get(), 2, "to b"), 4);
    EXPECT_EQ(drain(a.rd), "to a");
    EXPECT_EQ(drain(b.rd), "to b");
    // Slot 0 was registered empty; slot 3 does not exist.
    EXPECT_EQ(write_fixed_file(ring.get(), 0, "x"), -EBADF);
    EXPECT_EQ(write_fixed_file(ring.get(), 3, "x"), -EBADF);

    EXPECT_EQ(io_uring_register_files(ring.get(), files, 3), -EBUSY);
    EXPECT_EQ(io_uring_unregister_files(ring.get()), 0);
    EXPECT_EQ(io_uring_unregister_files(ring.get()), -ENXIO);
    EXPECT_EQ(write_fixed_file(ring.get(), 1, "x"), -EBADF);
}

TEST(RegisterFiles, UpdatedSlotIsUsedAndSkipKeepsASlot)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    Pipe a, b;
    int files[2] = {a.wr, -1};
    ASSERT_EQ(io_uring_register_files(ring.get(), files, 2), 0);

    // Slot 0 kept (SKIP), slot 1 filled with b.
    int upd[2] = {IORING_REGISTER_FILES_SKIP, b.wr};
    ASSERT_EQ(io_uring_register_files_update(ring.get(), 0, upd, 2), 2);
    EXPECT_EQ(write_fixed_file(ring.get(), 0, "still a"), 7);
    EXPECT_EQ(write_fixed_file(ring.get(), 1, "now b"), 5);
    EXPECT_EQ(drain(a.rd), "still a");
    EXPECT_EQ(drain(b.rd), "now b");

    // Clearing slot 0 with -1.
    int clr = -1;
    ASSERT_EQ(io_uring_register_files_update(ring.get(), 0, &clr, 1), 1);
    EXPECT_EQ(write_fixed_file(ring.get(), 0, "x"), -EBADF);

    // The tagged update form.
    __u64 tag = 0;
    ASSERT_EQ(io_uring_register_files_update_tag(ring.get(), 0, &a.wr, &tag, 1), 1);
    EXPECT_EQ(write_fixed_file(ring.get(), 0, "a again"), 7);
    EXPECT_EQ(drain(a.rd), "a again");

    // Out of range and bad fds.
    EXPECT_EQ(io_uring_register_files_update(ring.get(), 2, &a.wr, 1), -EINVAL);
    int badfd = 1000000;
    EXPECT_EQ(io_uring_register_files_update(ring.get(), 0, &badfd, 1), -EBADF);
}

TEST(RegisterFiles, SparseAndTaggedTables)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    if (!(ring->features & IORING_FEAT_RSRC_TAGS))
        GTEST_SKIP() << "kernel without IORING_FEAT_RSRC_TAGS (5.13+)";
    ASSERT_EQ(io_uring_register_files_sparse(ring.get(), 16), 0);
    Pipe a;
    EXPECT_EQ(write_fixed_file(ring.get(), 15, "x"), -EBADF);
    __u64 tag = 0x1234;
    ASSERT_EQ(io_uring_register_files_update_tag(ring.get(), 15, &a.wr, &tag, 1), 1);
    EXPECT_EQ(write_fixed_file(ring.get(), 15, "sparse"), 6);
    EXPECT_EQ(drain(a.rd), "sparse");
    // Unregistering releases the tagged file: its tag is posted.
    ASSERT_EQ(io_uring_unregister_files(ring.get()), 0);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 0x1234u);

    int files[2] = {a.wr, a.wr};
    __u64 tags[2] = {1, 2};
    ASSERT_EQ(io_uring_register_files_tags(ring.get(), files, tags, 2), 0);
    EXPECT_EQ(write_fixed_file(ring.get(), 1, "tagged"), 6);
    EXPECT_EQ(drain(a.rd), "tagged");
}

TEST(RegisterFiles, AllocRangeConfinesAutoAllocatedSlots)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    ASSERT_EQ(io_uring_register_files_sparse(ring.get(), 8), 0);
    int ret = io_uring_register_file_alloc_range(ring.get(), 4, 2);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_FILE_ALLOC_RANGE (6.0+)";
    ASSERT_EQ(ret, 0);

    int got[3];
    for (int i = 0; i < 3; ++i) {
        io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
        ASSERT_NE(sqe, nullptr);
        io_uring_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_WRONLY, 0, IORING_FILE_INDEX_ALLOC);
        ASSERT_EQ(io_uring_submit(ring.get()), 1);
        Cqe cqe;
        ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
        got[i] = cqe.res;
    }
    EXPECT_GE(got[0], 4);
    EXPECT_LT(got[0], 6);
    EXPECT_GE(got[1], 4);
    EXPECT_LT(got[1], 6);
    EXPECT_NE(got[0], got[1]);
    EXPECT_EQ(got[2], -ENFILE) << "the range holds only two slots";
    // And the allocated slot is usable.
    EXPECT_EQ(write_fixed_file(ring.get(), got[0], "null"), 4);

    // A range past the table.
    EXPECT_EQ(io_uring_register_file_alloc_range(ring.get(), 6, 4), -EINVAL);
}

TEST(RegisterFiles, EmfileRaisesTheSoftLimitOnceAndRetries)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 512)
        GTEST_SKIP() << "hard RLIMIT_NOFILE too low to test the bump";
    rlimit low = saved;
    low.rlim_cur = 64;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);

    // 100 slots > 64: the kernel says -EMFILE, the library raises the soft
    // limit by 100 (to 164) and the retry succeeds.
    int ret = io_uring_register_files_sparse(ring.get(), 100);
    rlimit now{};
    ::getrlimit(RLIMIT_NOFILE, &now);
    ::setrlimit(RLIMIT_NOFILE, &saved);
    EXPECT_EQ(ret, 0);
    EXPECT_EQ(now.rlim_cur, 164u);
}

TEST(RegisterFiles, BadArgumentsReturnTheKernelErrorAndLeakNothing)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const int fds = count_open_fds();
    Pipe a;
    const int fds_with_pipe = count_open_fds();
    ASSERT_EQ(fds_with_pipe, fds + 2);

    EXPECT_EQ(io_uring_register_files(ring.get(), nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files(ring.get(), &a.wr, 0), -EINVAL);
    int badfd = 1000000;
    EXPECT_EQ(io_uring_register_files(ring.get(), &badfd, 1), -EBADF);
    // A ring cannot register itself.
    int self = ring->ring_fd;
    EXPECT_EQ(io_uring_register_files(ring.get(), &self, 1), -EBADF);
    EXPECT_EQ(io_uring_register_files_sparse(ring.get(), 0), -EINVAL);
    EXPECT_EQ(io_uring_register_files_sparse(ring.get(), UINT_MAX), -EMFILE);
    EXPECT_EQ(io_uring_register_files_update(ring.get(), 0, &a.wr, 1), -ENXIO);
    EXPECT_EQ(io_uring_register_files_update_tag(ring.get(), 0, &a.wr, nullptr, 1), -ENXIO);
    // The FILES2 form without an fd array is the kernel's sparse table.
    EXPECT_EQ(io_uring_register_files_tags(ring.get(), nullptr, nullptr, 1), 0);
    EXPECT_EQ(io_uring_register_files_update(ring.get(), 0, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files_update(ring.get(), 1, &a.wr, 1), -EINVAL);
    EXPECT_EQ(io_uring_unregister_files(ring.get()), 0);

    EXPECT_EQ(io_uring_register_files(nullptr, &a.wr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files_tags(nullptr, &a.wr, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files_sparse(nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files_update(nullptr, 0, &a.wr, 1), -EFAULT);
    EXPECT_EQ(io_uring_register_files_update_tag(nullptr, 0, &a.wr, nullptr, 1), -EFAULT);
    EXPECT_EQ(io_uring_unregister_files(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_register_file_alloc_range(nullptr, 0, 1), -EFAULT);

    EXPECT_EQ(count_open_fds(), fds_with_pipe);
}
