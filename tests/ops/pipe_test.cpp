// Pipes through the ring: pipe and pipe_direct create them, splice and tee
// move data between pipes and files, read_multishot drains a pipe into a
// provided-buffer ring. The data that comes out the other end is checked.
#include "ops_support.h"

namespace {

class Pipes : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        ASSERT_TRUE(dir_.ok());
    }

    // A plain pipe from pipe2(), used as a fixture.
    void make_pipe(ops::ScopedFd *r, ops::ScopedFd *w)
    {
        int p[2];
        ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
        r->reset(p[0]);
        w->reset(p[1]);
    }

    ops::TempDir dir_;
};

TEST_P(Pipes, PipeCreatesConnectedFds)
{
    OPS_REQUIRE_OP(IORING_OP_PIPE);
    int fds[2] = {-1, -1};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_pipe(sqe, fds, O_CLOEXEC); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    ops::ScopedFd r(fds[0]), w(fds[1]);
    ASSERT_GE(r.get(), 0);
    ASSERT_GE(w.get(), 0);
    EXPECT_TRUE(::fcntl(r.get(), F_GETFD) & FD_CLOEXEC) << "pipe_flags reached the kernel";
    ASSERT_EQ(::write(w.get(), "through", 7), 7);
    EXPECT_EQ(ops::read_exact(r.get(), 7), "through");
}

TEST_P(Pipes, PipeDirectFillsFixedSlots)
{
    OPS_REQUIRE_OP(IORING_OP_PIPE);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 8), 0);
    int fds[2] = {-1, -1};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_pipe_direct(sqe, fds, 0, 3); });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    // The kernel reports the slots it used: consecutive from the one asked for.
    EXPECT_EQ(fds[0], 3);
    EXPECT_EQ(fds[1], 4);

    const char msg[] = "fixed pipe";
    ops::Cqe w = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_write(sqe, fds[1], msg, sizeof msg - 1, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
    }, 2);
    ASSERT_EQ(w.res, static_cast<int>(sizeof msg - 1)) << std::strerror(-w.res);
    char buf[32] = {};
    ops::Cqe r = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_read(sqe, fds[0], buf, sizeof buf, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
    }, 3);
    ASSERT_EQ(r.res, static_cast<int>(sizeof msg - 1));
    EXPECT_EQ(std::string(buf, sizeof msg - 1), msg);
}

TEST_P(Pipes, PipeDirectAllocPicksSlots)
{
    OPS_REQUIRE_OP(IORING_OP_PIPE);
    ASSERT_EQ(io_uring_register_files_sparse(ring(), 4), 0);
    int fds[2] = {-1, -1};
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_pipe_direct(sqe, fds, 0, IORING_FILE_INDEX_ALLOC);
    });
    ASSERT_EQ(c.res, 0) << std::strerror(-c.res);
    EXPECT_GE(fds[0], 0);
    EXPECT_LT(fds[0], 4);
    EXPECT_GE(fds[1], 0);
    EXPECT_LT(fds[1], 4);
    EXPECT_NE(fds[0], fds[1]);
}

TEST_P(Pipes, SpliceFileToPipeAndBack)
{
    OPS_REQUIRE_OP(IORING_OP_SPLICE);
    const std::string data = ops::pattern(3000, 4);
    ASSERT_TRUE(ops::write_all(dir_.file("src"), data));
    ops::ScopedFd src(::open(dir_.file("src").c_str(), O_RDONLY | O_CLOEXEC));
    ops::ScopedFd dst(dir_.create("dst"));
    ASSERT_GE(src.get(), 0);
    ASSERT_GE(dst.get(), 0);
    ops::ScopedFd pr, pw;
    ASSERT_NO_FATAL_FAILURE(make_pipe(&pr, &pw));

    // file[500..2500) -> pipe, then pipe -> dst at offset 10.
    ops::Cqe in = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_splice(sqe, src.get(), 500, pw.get(), -1, 2000, 0);
    });
    ASSERT_EQ(in.res, 2000) << std::strerror(-in.res);
    ops::Cqe out = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_splice(sqe, pr.get(), -1, dst.get(), 10, 2000, 0);
    }, 2);
    ASSERT_EQ(out.res, 2000) << std::strerror(-out.res);
    EXPECT_EQ(ops::read_all(dir_.file("dst")), std::string(10, '\0') + data.substr(500, 2000));
    EXPECT_EQ(::lseek(src.get(), 0, SEEK_CUR), 0) << "an explicit off_in leaves the file position alone";
}

TEST_P(Pipes, SpliceFixedInput)
{
    OPS_REQUIRE_OP(IORING_OP_SPLICE);
    ASSERT_TRUE(ops::write_all(dir_.file("src"), "fixed-in"));
    ops::ScopedFd src(::open(dir_.file("src").c_str(), O_RDONLY | O_CLOEXEC));
    ops::ScopedFd pr, pw;
    ASSERT_NO_FATAL_FAILURE(make_pipe(&pr, &pw));
    int files[1] = {src.get()};
    ASSERT_EQ(io_uring_register_files(ring(), files, 1), 0);
    // fd_in is slot 0 because of SPLICE_F_FD_IN_FIXED; fd_out is a plain fd.
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_splice(sqe, 0, 0, pw.get(), -1, 8, SPLICE_F_FD_IN_FIXED);
    });
    ASSERT_EQ(c.res, 8) << std::strerror(-c.res);
    EXPECT_EQ(ops::read_exact(pr.get(), 8), "fixed-in");
}

TEST_P(Pipes, TeeDuplicatesWithoutConsuming)
{
    OPS_REQUIRE_OP(IORING_OP_TEE);
    ops::ScopedFd ar, aw, br, bw;
    ASSERT_NO_FATAL_FAILURE(make_pipe(&ar, &aw));
    ASSERT_NO_FATAL_FAILURE(make_pipe(&br, &bw));
    ASSERT_EQ(::write(aw.get(), "teeing", 6), 6);
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) { io_uring_prep_tee(sqe, ar.get(), bw.get(), 6, 0); });
    ASSERT_EQ(c.res, 6) << std::strerror(-c.res);
    EXPECT_EQ(ops::read_exact(br.get(), 6), "teeing");
    EXPECT_EQ(ops::read_exact(ar.get(), 6), "teeing") << "tee leaves the source pipe's data in place";
}

TEST_P(Pipes, ReadMultishotIntoBufferRing)
{
    OPS_REQUIRE_OP(IORING_OP_READ_MULTISHOT);
    ops::ScopedFd pr, pw;
    ASSERT_NO_FATAL_FAILURE(make_pipe(&pr, &pw));
    ops::BufRing bufs;
    int ret = bufs.init(ring(), 4, 64, 7);
    if (ret == -EINVAL || ret == -ENOENT)
        GTEST_SKIP() << "provided buffer rings unavailable: " << std::strerror(-ret);
    ASSERT_EQ(ret, 0) << std::strerror(-ret);

    OPS_SQE(sqe, ring());
    io_uring_prep_read_multishot(sqe, pr.get(), 0, 0, bufs.bgid());
    io_uring_sqe_set_data64(sqe, 42);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    const char *chunks[] = {"first", "second chunk"};
    for (const char *chunk : chunks) {
        const std::size_t n = std::strlen(chunk);
        ASSERT_EQ(::write(pw.get(), chunk, n), static_cast<ssize_t>(n));
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0) << "one CQE per readable chunk";
        EXPECT_EQ(c.user_data, 42u);
        ASSERT_EQ(c.res, static_cast<int>(n)) << std::strerror(-c.res);
        ASSERT_TRUE(c.has_buffer());
        EXPECT_TRUE(c.more()) << "still armed";
        ASSERT_LT(c.buffer_id(), 4u);
        EXPECT_EQ(std::string(bufs.data(c.buffer_id()), n), chunk);
        bufs.recycle(c.buffer_id());
    }

    // EOF ends the multishot: res 0 and no F_MORE.
    pw.reset();
    ops::Cqe end;
    ASSERT_EQ(ops::reap(ring(), &end), 0);
    EXPECT_EQ(end.user_data, 42u);
    EXPECT_EQ(end.res, 0);
    EXPECT_FALSE(end.more());
}

OPS_INSTANTIATE(Pipes);

} // namespace
