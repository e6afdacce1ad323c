// Fault sweep over the io_uring_register_* family and the raw syscall
// wrappers. Each failed registration must leave the kernel-side state as it
// was (nothing half-registered, nothing half-removed) and the ring usable;
// the checks below read that state back through the kernel.
#include "fault_sweep.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sched.h>
#include <unistd.h>

#include <liburing/io_uring/bpf_filter.h>
#include <liburing/io_uring/query.h>

#include <cstring>

namespace {

using reliability::on_ring;
using reliability::RingFx;
using reliability::Scenario;
using reliability::sweep;

// A pipe for fixed-file and fixed-buffer writes; closed at scope exit.
struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() { EXPECT_EQ(::pipe2(fd, O_CLOEXEC | O_NONBLOCK), 0); }
    ~Pipe()
    {
        ::close(fd[0]);
        ::close(fd[1]);
    }
    void drain() const
    {
        char buf[64];
        while (::read(fd[0], buf, sizeof buf) > 0) {
        }
    }
};

// Runs one prepared SQE and returns its CQE result.
int run_one(io_uring *ring, io_uring_sqe *sqe)
{
    io_uring_sqe_set_data64(sqe, 0xf1);
    if (io_uring_submit(ring) != 1)
        return -10000;
    io_uring_cqe *cqe = nullptr;
    if (io_uring_wait_cqe(ring, &cqe) != 0 || !cqe)
        return -10001;
    int res = cqe->res;
    io_uring_cqe_seen(ring, cqe);
    return res;
}

// Writes one byte through registered-file slot `slot`: 1 if the slot holds
// the pipe's write end, -EBADF if it is empty or there is no table.
int write_via_fixed_file(io_uring *ring, int slot, const Pipe &p)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe)
        return -10002;
    static const char byte = 'x';
    io_uring_prep_write(sqe, slot, &byte, 1, 0);
    sqe->flags |= IOSQE_FIXED_FILE;
    int res = run_one(ring, sqe);
    p.drain();
    return res;
}

// Writes one byte from registered buffer `index` into the pipe: 1 if the
// buffer is registered, -EFAULT if the slot is empty or there is no table.
int write_via_fixed_buffer(io_uring *ring, unsigned index, const char *buf, const Pipe &p)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe)
        return -10002;
    io_uring_prep_write_fixed(sqe, p.fd[1], buf, 1, 0, static_cast<int>(index));
    int res = run_one(ring, sqe);
    p.drain();
    return res;
}

alignas(4096) char g_buf[4096];
iovec g_iov{g_buf, sizeof g_buf};
__u64 g_tag = 0x7a6;

// ---- registered buffers ----------------------------------------------------

TEST(FaultRegister, RegisterBuffers)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_buffers";
    s.call = [&] { return static_cast<long>(io_uring_register_buffers(&fx.ring, &g_iov, 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 0, g_buf, p), 1);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(io_uring_unregister_buffers(&fx.ring), -ENXIO) << "a table was left registered";
        EXPECT_EQ(io_uring_register_buffers(&fx.ring, &g_iov, 1), 0);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterBuffersTags)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_buffers_tags";
    s.call = [&] { return static_cast<long>(io_uring_register_buffers_tags(&fx.ring, &g_iov, &g_tag, 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 0, g_buf, p), 1);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_buffers(&fx.ring), -ENXIO); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterBuffersSparse)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_register_buffers_sparse";
    s.call = [&] { return static_cast<long>(io_uring_register_buffers_sparse(&fx.ring, 4)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_unregister_buffers(&fx.ring), 0);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_buffers(&fx.ring), -ENXIO); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterBuffersUpdateTag)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_buffers_update_tag";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_buffers_sparse(&fx.ring, 4), 0); };
    s.call = [&] {
        return static_cast<long>(io_uring_register_buffers_update_tag(&fx.ring, 2, &g_iov, &g_tag, 1));
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 1);
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 2, g_buf, p), 1);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 2, g_buf, p), -EFAULT) << "slot 2 was filled anyway";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterBuffers)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_unregister_buffers";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_buffers(&fx.ring, &g_iov, 1), 0); };
    s.call = [&] { return static_cast<long>(io_uring_unregister_buffers(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 0, g_buf, p), -EFAULT);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(write_via_fixed_buffer(&fx.ring, 0, g_buf, p), 1) << "the table went away anyway";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- registered files ------------------------------------------------------

TEST(FaultRegister, RegisterFiles)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_files";
    s.call = [&] { return static_cast<long>(io_uring_register_files(&fx.ring, &p.fd[1], 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 0, p), 1);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_files(&fx.ring), -ENXIO); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterFilesTags)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_files_tags";
    s.call = [&] { return static_cast<long>(io_uring_register_files_tags(&fx.ring, &p.fd[1], &g_tag, 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 0, p), 1);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_files(&fx.ring), -ENXIO); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterFilesSparse)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_files_sparse";
    s.call = [&] { return static_cast<long>(io_uring_register_files_sparse(&fx.ring, 4)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 0, p), -EBADF) << "sparse slots are empty";
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_files(&fx.ring), -ENXIO); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// The -EMFILE path: a table larger than RLIMIT_NOFILE makes the library
// raise the soft limit (prlimit64 get + set) and try again, so this one
// call has four seam points. A failure in either prlimit step leaves the
// kernel's -EMFILE as the answer.
TEST(FaultRegister, RegisterFilesSparseRaisesNofileLimit)
{
    RingFx fx;
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    const rlim_t low = 256;
    const unsigned nr = 300;
    if (saved.rlim_max < low + nr)
        GTEST_SKIP() << "hard RLIMIT_NOFILE too low";
    Scenario s;
    s.name = "io_uring_register_files_sparse(EMFILE retry)";
    s.prepare = [&] {
        rlimit lim = saved;
        lim.rlim_cur = low;
        ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lim), 0);
    };
    s.call = [&] { return static_cast<long>(io_uring_register_files_sparse(&fx.ring, nr)); };
    // Success with nr above the soft limit we set proves the limit was
    // raised: the kernel checks nr against it. (Not read back with
    // getrlimit: valgrind virtualises RLIMIT_NOFILE.)
    s.on_success = [&](long ret) { ASSERT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_files(&fx.ring), -ENXIO); };
    s.release = [&] { ::setrlimit(RLIMIT_NOFILE, &saved); };
    // Seam calls: 1 register (the kernel says -EMFILE), 2 prlimit get,
    // 3 prlimit set, 4 register again.
    s.expected = [](unsigned long point, int err) { return (point == 2 || point == 3) ? -EMFILE : -err; };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterFilesUpdateTag)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_files_update_tag";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_files_sparse(&fx.ring, 4), 0); };
    s.call = [&] {
        return static_cast<long>(io_uring_register_files_update_tag(&fx.ring, 1, &p.fd[1], &g_tag, 1));
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 1);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 1, p), 1);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 1, p), -EBADF) << "slot 1 was filled anyway";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterFilesUpdate)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_register_files_update";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_files_sparse(&fx.ring, 4), 0); };
    s.call = [&] { return static_cast<long>(io_uring_register_files_update(&fx.ring, 3, &p.fd[1], 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 1);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 3, p), 1);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(write_via_fixed_file(&fx.ring, 3, p), -EBADF); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterFiles)
{
    RingFx fx;
    Pipe p;
    Scenario s;
    s.name = "io_uring_unregister_files";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_files(&fx.ring, &p.fd[1], 1), 0); };
    s.call = [&] { return static_cast<long>(io_uring_unregister_files(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(write_via_fixed_file(&fx.ring, 0, p), -EBADF) << "slot 0 still resolves";
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(write_via_fixed_file(&fx.ring, 0, p), 1); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterFileAllocRange)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_register_file_alloc_range";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_files_sparse(&fx.ring, 8), 0); };
    s.call = [&] { return static_cast<long>(io_uring_register_file_alloc_range(&fx.ring, 4, 4)); };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_register_file_alloc_range(&fx.ring, 4, 4), 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- eventfd ----------------------------------------------------------------

Scenario eventfd_scenario(RingFx &fx, int &efd, bool async)
{
    Scenario s;
    s.name = async ? "io_uring_register_eventfd_async" : "io_uring_register_eventfd";
    s.prepare = [&efd] {
        efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        ASSERT_GE(efd, 0);
    };
    s.call = [&fx, &efd, async] {
        return static_cast<long>(async ? io_uring_register_eventfd_async(&fx.ring, efd)
                                       : io_uring_register_eventfd(&fx.ring, efd));
    };
    s.on_success = [&fx](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_unregister_eventfd(&fx.ring), 0);
    };
    s.on_failure = [&fx](unsigned long, int) { EXPECT_EQ(io_uring_unregister_eventfd(&fx.ring), -ENXIO); };
    s.release = [&efd] { ::close(efd); };
    return on_ring(fx, 0, s);
}

TEST(FaultRegister, RegisterEventfd)
{
    RingFx fx;
    int efd = -1;
    Scenario s = eventfd_scenario(fx, efd, false);
    sweep(s);
}

TEST(FaultRegister, RegisterEventfdAsync)
{
    RingFx fx;
    int efd = -1;
    Scenario s = eventfd_scenario(fx, efd, true);
    sweep(s);
}

TEST(FaultRegister, UnregisterEventfd)
{
    RingFx fx;
    int efd = -1;
    Scenario s;
    s.name = "io_uring_unregister_eventfd";
    s.prepare = [&] {
        efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        ASSERT_GE(efd, 0);
        ASSERT_EQ(io_uring_register_eventfd(&fx.ring, efd), 0);
    };
    s.call = [&] { return static_cast<long>(io_uring_unregister_eventfd(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_unregister_eventfd(&fx.ring), -ENXIO);
    };
    s.on_failure = [&](unsigned long, int) {
        // Still registered: a completion signals the eventfd.
        reliability::expect_nop_roundtrip(&fx.ring, 4);
        eventfd_t v = 0;
        EXPECT_EQ(::eventfd_read(efd, &v), 0);
        EXPECT_EQ(v, 1u);
    };
    s.release = [&] { ::close(efd); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- probe, personality, restrictions ----------------------------------------

TEST(FaultRegister, RegisterProbe)
{
    RingFx fx;
    constexpr unsigned kOps = 256;
    alignas(8) static unsigned char mem[sizeof(io_uring_probe) + kOps * sizeof(io_uring_probe_op)];
    auto *probe = reinterpret_cast<io_uring_probe *>(mem);
    Scenario s;
    s.name = "io_uring_register_probe";
    s.prepare = [&] { std::memset(mem, 0, sizeof mem); };
    s.call = [&] { return static_cast<long>(io_uring_register_probe(&fx.ring, probe, kOps)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_GT(probe->last_op, IORING_OP_NOP);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(probe->last_op, 0) << "probe filled on failure"; };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterPersonality)
{
    RingFx fx;
    int id = 0;
    Scenario s;
    s.name = "io_uring_register_personality";
    s.call = [&] {
        id = io_uring_register_personality(&fx.ring);
        return static_cast<long>(id);
    };
    s.on_success = [&](long ret) {
        ASSERT_GT(ret, 0);
        EXPECT_EQ(io_uring_unregister_personality(&fx.ring, id), 0);
    };
    s.on_failure = [&](unsigned long, int) {
        // Ids are allocated from 1: id 1 must not exist after a failure.
        EXPECT_EQ(io_uring_unregister_personality(&fx.ring, 1), -EINVAL);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterPersonality)
{
    RingFx fx;
    int id = 0;
    Scenario s;
    s.name = "io_uring_unregister_personality";
    s.prepare = [&] {
        id = io_uring_register_personality(&fx.ring);
        ASSERT_GT(id, 0);
    };
    s.call = [&] { return static_cast<long>(io_uring_unregister_personality(&fx.ring, id)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_unregister_personality(&fx.ring, id), -EINVAL);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_personality(&fx.ring, id), 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterRestrictions)
{
    RingFx fx;
    io_uring_restriction res[1]{};
    res[0].opcode = IORING_RESTRICTION_SQE_OP;
    res[0].sqe_op = IORING_OP_NOP;
    Scenario s;
    s.name = "io_uring_register_restrictions";
    s.call = [&] { return static_cast<long>(io_uring_register_restrictions(&fx.ring, res, 1)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        ASSERT_EQ(io_uring_enable_rings(&fx.ring), 0);
        reliability::expect_nop_roundtrip(&fx.ring, 5);
    };
    // Restrictions can be registered once: a second attempt succeeds only if
    // the failed one registered nothing.
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_register_restrictions(&fx.ring, res, 1), 0); };
    Scenario r = on_ring(fx, IORING_SETUP_R_DISABLED, s);
    sweep(r);
}

TEST(FaultRegister, EnableRings)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_enable_rings";
    s.call = [&] { return static_cast<long>(io_uring_enable_rings(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        reliability::expect_nop_roundtrip(&fx.ring, 6);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(io_uring_get_events(&fx.ring), -EBADFD) << "the ring is enabled although the call failed";
        ASSERT_EQ(io_uring_enable_rings(&fx.ring), 0);
        reliability::expect_nop_roundtrip(&fx.ring, 6);
    };
    Scenario r = on_ring(fx, IORING_SETUP_R_DISABLED, s);
    sweep(r);
}

// ---- io-wq -------------------------------------------------------------------

TEST(FaultRegister, RegisterIowqAff)
{
    RingFx fx;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    Scenario s;
    s.name = "io_uring_register_iowq_aff";
    s.call = [&] { return static_cast<long>(io_uring_register_iowq_aff(&fx.ring, sizeof set, &set)); };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&fx.ring, 9); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterIowqAff)
{
    RingFx fx;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    Scenario s;
    s.name = "io_uring_unregister_iowq_aff";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_iowq_aff(&fx.ring, sizeof set, &set), 0); };
    s.call = [&] { return static_cast<long>(io_uring_unregister_iowq_aff(&fx.ring)); };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_iowq_aff(&fx.ring), 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterIowqMaxWorkers)
{
    RingFx fx;
    unsigned values[2];
    Scenario s;
    s.name = "io_uring_register_iowq_max_workers";
    s.prepare = [&] { values[0] = values[1] = 0; }; // 0 = query only
    s.call = [&] { return static_cast<long>(io_uring_register_iowq_max_workers(&fx.ring, values)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_GT(values[0], 0u) << "the kernel reports the current bounded limit";
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(values[0], 0u);
        EXPECT_EQ(values[1], 0u);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- registered ring fd --------------------------------------------------------

TEST(FaultRegister, RegisterRingFd)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_register_ring_fd";
    s.call = [&] { return static_cast<long>(io_uring_register_ring_fd(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 1);
        EXPECT_TRUE(fx.ring.int_flags & IORING_ENTER_REGISTERED_RING);
        reliability::expect_nop_roundtrip(&fx.ring, 10);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_FALSE(fx.ring.int_flags & IORING_ENTER_REGISTERED_RING);
        EXPECT_EQ(fx.ring.enter_ring_fd, fx.ring.ring_fd);
        reliability::expect_nop_roundtrip(&fx.ring, 11);
        EXPECT_EQ(io_uring_register_ring_fd(&fx.ring), 1);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterRingFd)
{
    RingFx fx;
    Scenario s;
    s.name = "io_uring_unregister_ring_fd";
    s.prepare = [&] { ASSERT_EQ(io_uring_register_ring_fd(&fx.ring), 1); };
    s.call = [&] { return static_cast<long>(io_uring_unregister_ring_fd(&fx.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 1);
        EXPECT_EQ(fx.ring.enter_ring_fd, fx.ring.ring_fd);
        reliability::expect_nop_roundtrip(&fx.ring, 12);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_TRUE(fx.ring.int_flags & IORING_ENTER_REGISTERED_RING);
        reliability::expect_nop_roundtrip(&fx.ring, 13);
        EXPECT_EQ(io_uring_unregister_ring_fd(&fx.ring), 1);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- provided-buffer rings (registration calls; setup/free: fault_buf_ring) -----

struct BufRingMem {
    void *mem = nullptr;
    static constexpr unsigned kEntries = 8;
    void map()
    {
        mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ASSERT_NE(mem, MAP_FAILED);
    }
    void unmap()
    {
        if (mem)
            ::munmap(mem, 4096);
        mem = nullptr;
    }
    io_uring_buf_reg reg(unsigned short bgid) const
    {
        io_uring_buf_reg r{};
        r.ring_addr = reinterpret_cast<__u64>(mem);
        r.ring_entries = kEntries;
        r.bgid = bgid;
        return r;
    }
};

TEST(FaultRegister, RegisterBufRing)
{
    RingFx fx;
    BufRingMem m;
    io_uring_buf_reg reg{};
    uint16_t head = 0;
    Scenario s;
    s.name = "io_uring_register_buf_ring";
    s.prepare = [&] {
        m.map();
        reg = m.reg(3);
    };
    s.call = [&] { return static_cast<long>(io_uring_register_buf_ring(&fx.ring, &reg, 0)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, 3, &head), 0);
        EXPECT_EQ(io_uring_unregister_buf_ring(&fx.ring, 3), 0);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, 3, &head), -ENOENT); };
    s.release = [&] { m.unmap(); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterBufRing)
{
    RingFx fx;
    BufRingMem m;
    io_uring_buf_reg reg{};
    uint16_t head = 0;
    Scenario s;
    s.name = "io_uring_unregister_buf_ring";
    s.prepare = [&] {
        m.map();
        reg = m.reg(4);
        ASSERT_EQ(io_uring_register_buf_ring(&fx.ring, &reg, 0), 0);
    };
    s.call = [&] { return static_cast<long>(io_uring_unregister_buf_ring(&fx.ring, 4)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, 4, &head), -ENOENT);
    };
    s.on_failure = [&](unsigned long, int) {
        EXPECT_EQ(io_uring_buf_ring_head(&fx.ring, 4, &head), 0);
        EXPECT_EQ(io_uring_unregister_buf_ring(&fx.ring, 4), 0);
    };
    // Unregistered before the memory goes (the ring exits after release).
    s.release = [&] {
        io_uring_unregister_buf_ring(&fx.ring, 4);
        m.unmap();
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, BufRingHead)
{
    RingFx fx;
    BufRingMem m;
    io_uring_buf_reg reg{};
    uint16_t head = 0xffff;
    Scenario s;
    s.name = "io_uring_buf_ring_head";
    s.prepare = [&] {
        m.map();
        reg = m.reg(5);
        ASSERT_EQ(io_uring_register_buf_ring(&fx.ring, &reg, 0), 0);
        head = 0xffff;
    };
    s.call = [&] { return static_cast<long>(io_uring_buf_ring_head(&fx.ring, 5, &head)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(head, 0);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(head, 0xffff) << "*head written on failure"; };
    s.release = [&] {
        io_uring_unregister_buf_ring(&fx.ring, 5);
        m.unmap();
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- synchronous cancel and message ------------------------------------------

TEST(FaultRegister, RegisterSyncCancel)
{
    RingFx fx;
    Pipe p;
    constexpr __u64 kPoll = 0xca11;
    io_uring_sync_cancel_reg reg{};
    auto next_cqe = [&](io_uring_cqe *out) {
        io_uring_cqe *cqe = nullptr;
        int ret = io_uring_peek_cqe(&fx.ring, &cqe);
        if (ret == 0) {
            *out = *cqe;
            io_uring_cqe_seen(&fx.ring, cqe);
        }
        return ret;
    };
    Scenario s;
    s.name = "io_uring_register_sync_cancel";
    s.prepare = [&] {
        // A poll on an empty pipe: pending until cancelled.
        io_uring_sqe *sqe = io_uring_get_sqe(&fx.ring);
        io_uring_prep_poll_add(sqe, p.fd[0], POLLIN);
        io_uring_sqe_set_data64(sqe, kPoll);
        ASSERT_EQ(io_uring_submit(&fx.ring), 1);
        std::memset(&reg, 0, sizeof reg);
        reg.addr = kPoll;
        reg.timeout.tv_sec = -1;
        reg.timeout.tv_nsec = -1;
    };
    s.call = [&] { return static_cast<long>(io_uring_register_sync_cancel(&fx.ring, &reg)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        io_uring_cqe cqe{};
        ASSERT_EQ(next_cqe(&cqe), 0);
        EXPECT_EQ(cqe.user_data, kPoll);
        EXPECT_EQ(cqe.res, -ECANCELED);
    };
    s.on_failure = [&](unsigned long, int) {
        io_uring_cqe cqe{};
        EXPECT_EQ(next_cqe(&cqe), -EAGAIN) << "the poll was cancelled anyway";
        ASSERT_EQ(io_uring_register_sync_cancel(&fx.ring, &reg), 0);
        ASSERT_EQ(next_cqe(&cqe), 0);
        EXPECT_EQ(cqe.user_data, kPoll);
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterSyncMsg)
{
    RingFx fx; // the target ring
    io_uring_sqe sqe{};
    Scenario s;
    s.name = "io_uring_register_sync_msg";
    s.prepare = [&] {
        std::memset(&sqe, 0, sizeof sqe);
        io_uring_prep_msg_ring(&sqe, fx.ring.ring_fd, 0x77, 0x1234, 0);
    };
    s.call = [&] { return static_cast<long>(io_uring_register_sync_msg(&sqe)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        io_uring_cqe *cqe = nullptr;
        ASSERT_EQ(io_uring_peek_cqe(&fx.ring, &cqe), 0);
        EXPECT_EQ(cqe->user_data, 0x1234u);
        EXPECT_EQ(cqe->res, 0x77);
        io_uring_cqe_seen(&fx.ring, cqe);
    };
    s.on_failure = [&](unsigned long, int) {
        io_uring_cqe *cqe = nullptr;
        EXPECT_EQ(io_uring_peek_cqe(&fx.ring, &cqe), -EAGAIN) << "the message was delivered anyway";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

// ---- NAPI, clock, query, region ------------------------------------------------

TEST(FaultRegister, RegisterNapi)
{
    RingFx fx;
    io_uring_napi napi{};
    Scenario s;
    s.name = "io_uring_register_napi";
    s.prepare = [&] {
        std::memset(&napi, 0, sizeof napi);
        napi.busy_poll_to = 50;
    };
    s.call = [&] { return static_cast<long>(io_uring_register_napi(&fx.ring, &napi)); };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, 0); };
    s.on_failure = [&](unsigned long, int) {
        io_uring_napi old{};
        ASSERT_EQ(io_uring_unregister_napi(&fx.ring, &old), 0);
        EXPECT_EQ(old.busy_poll_to, 0u) << "NAPI settings applied although the call failed";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, UnregisterNapi)
{
    RingFx fx;
    io_uring_napi napi{};
    Scenario s;
    s.name = "io_uring_unregister_napi";
    s.prepare = [&] {
        std::memset(&napi, 0, sizeof napi);
        napi.busy_poll_to = 50;
        ASSERT_EQ(io_uring_register_napi(&fx.ring, &napi), 0);
        std::memset(&napi, 0, sizeof napi);
    };
    s.call = [&] { return static_cast<long>(io_uring_unregister_napi(&fx.ring, &napi)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(napi.busy_poll_to, 50u);
    };
    s.on_failure = [&](unsigned long, int) {
        io_uring_napi old{};
        ASSERT_EQ(io_uring_unregister_napi(&fx.ring, &old), 0);
        EXPECT_EQ(old.busy_poll_to, 50u) << "NAPI went away although the call failed";
    };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterClock)
{
    RingFx fx;
    io_uring_clock_register clk{};
    clk.clockid = CLOCK_BOOTTIME;
    Scenario s;
    s.name = "io_uring_register_clock";
    s.call = [&] { return static_cast<long>(io_uring_register_clock(&fx.ring, &clk)); };
    s.on_success = [&](long ret) { EXPECT_EQ(ret, 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterQuery)
{
    io_uring_query_opcode op{};
    io_uring_query_hdr hdr{};
    Scenario s;
    s.name = "io_uring_register_query";
    s.prepare = [&] {
        std::memset(&op, 0, sizeof op);
        std::memset(&hdr, 0, sizeof hdr);
        hdr.query_op = IO_URING_QUERY_OPCODES;
        hdr.query_data = reinterpret_cast<__u64>(&op);
        hdr.size = sizeof op;
    };
    s.call = [&] { return static_cast<long>(io_uring_register_query(&hdr)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_GT(op.nr_request_opcodes, 0u);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(op.nr_request_opcodes, 0u); };
    sweep(s);
}

TEST(FaultRegister, RegisterRegion)
{
    RingFx fx;
    void *mem = nullptr;
    io_uring_region_desc rd{};
    io_uring_mem_region_reg mr{};
    Scenario s;
    s.name = "io_uring_register_region";
    s.prepare = [&] {
        mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
        ASSERT_NE(mem, MAP_FAILED);
        std::memset(&rd, 0, sizeof rd);
        rd.user_addr = reinterpret_cast<__u64>(mem);
        rd.size = 4096;
        rd.flags = IORING_MEM_REGION_TYPE_USER;
        std::memset(&mr, 0, sizeof mr);
        mr.region_uptr = reinterpret_cast<__u64>(&rd);
        mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
    };
    s.call = [&] { return static_cast<long>(io_uring_register_region(&fx.ring, &mr)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_register_region(&fx.ring, &mr), -EBUSY);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_register_region(&fx.ring, &mr), 0); };
    s.release = [&] {
        if (fx.live)
            io_uring_queue_exit(&fx.ring); // before the region's memory goes
        fx.live = false;
        ::munmap(mem, 4096);
    };
    Scenario r = on_ring(fx, IORING_SETUP_R_DISABLED, s);
    sweep(r);
}

// ---- calls whose baseline is a kernel error on this machine ----------------------
// (no zero-copy capable NIC, no BPF filter support): the sweep still proves
// that an injected failure is passed through unchanged and nothing leaks.

TEST(FaultRegister, RegisterIfq)
{
    RingFx fx;
    io_uring_zcrx_ifq_reg reg{};
    Scenario s;
    s.name = "io_uring_register_ifq";
    s.call = [&] { return static_cast<long>(io_uring_register_ifq(&fx.ring, &reg)); };
    s.on_success = [&](long ret) { EXPECT_LT(ret, 0) << "zeroed ifq registration accepted"; };
    Scenario r = on_ring(fx, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQE32, s);
    sweep(r);
}

TEST(FaultRegister, RegisterZcrxCtrl)
{
    RingFx fx;
    zcrx_ctrl ctrl{};
    Scenario s;
    s.name = "io_uring_register_zcrx_ctrl";
    s.call = [&] { return static_cast<long>(io_uring_register_zcrx_ctrl(&fx.ring, &ctrl)); };
    s.on_success = [&](long ret) { EXPECT_LT(ret, 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterBpfFilter)
{
    RingFx fx;
    io_uring_bpf bpf{};
    Scenario s;
    s.name = "io_uring_register_bpf_filter";
    s.call = [&] { return static_cast<long>(io_uring_register_bpf_filter(&fx.ring, &bpf)); };
    s.on_success = [&](long ret) { EXPECT_LT(ret, 0); };
    Scenario r = on_ring(fx, 0, s);
    sweep(r);
}

TEST(FaultRegister, RegisterBpfFilterTask)
{
    io_uring_bpf bpf{};
    Scenario s;
    s.name = "io_uring_register_bpf_filter_task";
    s.call = [&] { return static_cast<long>(io_uring_register_bpf_filter_task(&bpf)); };
    s.on_success = [&](long ret) { EXPECT_LT(ret, 0); };
    sweep(s);
}

// ---- cloning registered buffers ---------------------------------------------------

enum class CloneFn { Clone, CloneOffset, RawClone, RawCloneOffset };

void clone_sweep(const char *name, CloneFn fn, bool src_registered)
{
    RingFx dst;
    io_uring src;
    ASSERT_EQ(io_uring_queue_init(8, &src, 0), 0);
    ASSERT_EQ(io_uring_register_buffers(&src, &g_iov, 1), 0);
    if (src_registered) {
        ASSERT_EQ(io_uring_register_ring_fd(&src), 1);
    }
    Scenario s;
    s.name = name;
    s.call = [&] {
        switch (fn) {
        case CloneFn::Clone: return static_cast<long>(io_uring_clone_buffers(&dst.ring, &src));
        case CloneFn::CloneOffset:
            return static_cast<long>(io_uring_clone_buffers_offset(&dst.ring, &src, 0, 0, 1, 0));
        case CloneFn::RawClone: return static_cast<long>(__io_uring_clone_buffers(&dst.ring, &src, 0));
        case CloneFn::RawCloneOffset:
            return static_cast<long>(__io_uring_clone_buffers_offset(&dst.ring, &src, 0, 0, 1, 0));
        }
        return -1L;
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_EQ(io_uring_unregister_buffers(&dst.ring), 0);
    };
    s.on_failure = [&](unsigned long, int) { EXPECT_EQ(io_uring_unregister_buffers(&dst.ring), -ENXIO); };
    Scenario r = on_ring(dst, 0, s);
    sweep(r);
    io_uring_queue_exit(&src);
}

TEST(FaultRegister, CloneBuffers) { clone_sweep("io_uring_clone_buffers", CloneFn::Clone, false); }
TEST(FaultRegister, CloneBuffersRegisteredSource)
{
    clone_sweep("io_uring_clone_buffers(registered src)", CloneFn::Clone, true);
}
TEST(FaultRegister, CloneBuffersOffset) { clone_sweep("io_uring_clone_buffers_offset", CloneFn::CloneOffset, false); }
TEST(FaultRegister, RawCloneBuffers) { clone_sweep("__io_uring_clone_buffers", CloneFn::RawClone, false); }
TEST(FaultRegister, RawCloneBuffersOffset)
{
    clone_sweep("__io_uring_clone_buffers_offset", CloneFn::RawCloneOffset, false);
}

// ---- the raw system-call wrappers ----------------------------------------------------

TEST(FaultRaw, Setup)
{
    io_uring_params p{};
    int fd = -1;
    Scenario s;
    s.name = "io_uring_setup";
    s.prepare = [&] { std::memset(&p, 0, sizeof p); };
    s.call = [&] {
        fd = io_uring_setup(4, &p);
        return static_cast<long>(fd);
    };
    s.on_success = [&](long ret) { EXPECT_GE(ret, 0); };
    s.release = [&] {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    };
    sweep(s);
}

TEST(FaultRaw, EnterAndRegister)
{
    RingFx fx;
    Scenario enter;
    enter.name = "io_uring_enter";
    enter.call = [&] {
        return static_cast<long>(io_uring_enter(fx.ring.ring_fd, 0, 0, IORING_ENTER_GETEVENTS, nullptr));
    };
    enter.on_success = [](long ret) { EXPECT_EQ(ret, 0); };
    Scenario r1 = on_ring(fx, 0, enter);
    sweep(r1);

    Scenario enter2;
    enter2.name = "io_uring_enter2";
    enter2.call = [&] {
        io_uring_getevents_arg arg{};
        __kernel_timespec ts{0, 0};
        arg.ts = reinterpret_cast<__u64>(&ts);
        return static_cast<long>(io_uring_enter2(fx.ring.ring_fd, 0, 0, IORING_ENTER_EXT_ARG, &arg, sizeof arg));
    };
    enter2.on_success = [](long ret) { EXPECT_EQ(ret, 0); };
    Scenario r2 = on_ring(fx, 0, enter2);
    sweep(r2);

    Scenario reg;
    reg.name = "io_uring_register";
    reg.call = [&] {
        return static_cast<long>(io_uring_register(fx.ring.ring_fd, IORING_REGISTER_PERSONALITY, nullptr, 0));
    };
    reg.on_success = [](long ret) { EXPECT_GT(ret, 0); };
    Scenario r3 = on_ring(fx, 0, reg);
    sweep(r3);
}

} // namespace
