// Opcode probing: io_uring_get_probe / get_probe_ring / register_probe /
// free_probe, checked against what the kernel actually accepts.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <liburing/io_uring/query.h>
#include <sys/mman.h>
#include <unistd.h>

// tests/CMakeLists.txt says where the library under test takes a probe's
// memory from: 1 = libc's heap, 0 = the no-libc build's own mapping.
#ifndef BAREURING_TEST_LIBC_PROBES
#error "BAREURING_TEST_LIBC_PROBES must be defined (tests/CMakeLists.txt)"
#endif

using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

TEST(Probe, NopIsSupportedAndThePastTheEndOpcodeIsNot)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_probe *probe = io_uring_get_probe_ring(ring.get());
    ASSERT_NE(probe, nullptr);
    // The kernel fills ops_len = last_op + 1 entries, each naming itself.
    ASSERT_GE(probe->last_op, IORING_OP_NOP);
    EXPECT_EQ(probe->ops_len, probe->last_op + 1);
    for (unsigned i = 0; i < probe->ops_len; ++i)
        EXPECT_EQ(probe->ops[i].op, i);
    EXPECT_TRUE(probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
    EXPECT_TRUE(probe->ops[IORING_OP_READ].flags & IO_URING_OP_SUPPORTED);
    // Nothing past the last opcode is reported supported.
    const unsigned past = probe->last_op + 1u;
    ASSERT_LT(past, 256u);
    EXPECT_FALSE(probe->ops[past].flags & IO_URING_OP_SUPPORTED);

    // The kernel agrees: a NOP completes, the past-the-end opcode is refused.
    Cqe cqe;
    ASSERT_EQ(bareuring_test::nop_roundtrip(ring.get(), 1, &cqe), 0);
    EXPECT_EQ(cqe.res, 0);

    io_uring_sqe *sqe = io_uring_get_sqe(ring.get());
    ASSERT_NE(sqe, nullptr);
    io_uring_prep_nop(sqe);
    sqe->opcode = static_cast<__u8>(past);
    sqe->user_data = 2;
    ASSERT_EQ(io_uring_submit(ring.get()), 1);
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.user_data, 2u);
    EXPECT_EQ(cqe.res, -EINVAL);
    io_uring_free_probe(probe);
}

TEST(Probe, GetProbeWithoutARingMatchesTheRingProbe)
{
    const int fds_before = count_open_fds();
    io_uring_probe *global = io_uring_get_probe();
    ASSERT_NE(global, nullptr);
    // The temporary ring is gone again.
    EXPECT_EQ(count_open_fds(), fds_before);

    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_probe *local = io_uring_get_probe_ring(ring.get());
    ASSERT_NE(local, nullptr);
    EXPECT_EQ(global->last_op, local->last_op);
    EXPECT_EQ(global->ops_len, local->ops_len);
    for (unsigned i = 0; i < global->ops_len; ++i)
        EXPECT_EQ(global->ops[i].flags, local->ops[i].flags) << "opcode " << i;
    io_uring_free_probe(global);
    io_uring_free_probe(local);
    io_uring_free_probe(nullptr);
}

#if BAREURING_TEST_LIBC_PROBES
// Callers written before io_uring_free_probe existed release a probe with
// plain free(), and binaries built against Debian's liburing.so.2 (plocate)
// still do: wherever the library takes probes from libc, that must be
// valid. ASan builds also check that the pointer came from malloc.
TEST(Probe, ALibcProbeCanBeReleasedWithPlainFree)
{
    io_uring_probe *global = io_uring_get_probe();
    ASSERT_NE(global, nullptr);
    EXPECT_TRUE(global->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
    std::free(global);

    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_probe *local = io_uring_get_probe_ring(ring.get());
    ASSERT_NE(local, nullptr);
    EXPECT_TRUE(local->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
    std::free(local);
}
#else
// The no-libc build maps every probe on its own (sys/nolibc_alloc.cpp), so
// free() must not be used on it; io_uring_free_probe gives the mapping back.
TEST(Probe, ANoLibcProbeIsAMappingThatFreeProbeUnmaps)
{
    const auto page_size = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    for (int via_ring = 0; via_ring < 2; ++via_ring) {
        TestRing ring;
        ASSERT_EQ(ring.init(), 0);
        io_uring_probe *probe = via_ring ? io_uring_get_probe_ring(ring.get()) : io_uring_get_probe();
        ASSERT_NE(probe, nullptr);
        EXPECT_TRUE(probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
        void *page = reinterpret_cast<void *>(reinterpret_cast<std::uintptr_t>(probe) & ~(page_size - 1));
        unsigned char resident = 0;
        EXPECT_EQ(::mincore(page, page_size, &resident), 0);
        io_uring_free_probe(probe);
        // mincore on an address range with nothing mapped: ENOMEM.
        errno = 0;
        EXPECT_EQ(::mincore(page, page_size, &resident), -1);
        EXPECT_EQ(errno, ENOMEM);
    }
}
#endif

TEST(Probe, AgreesWithTheQueryInterface)
{
    io_uring_probe *probe = io_uring_get_probe();
    ASSERT_NE(probe, nullptr);
    io_uring_query_opcode op{};
    io_uring_query_hdr hdr{};
    hdr.query_op = IO_URING_QUERY_OPCODES;
    hdr.query_data = reinterpret_cast<__u64>(&op);
    hdr.size = sizeof(op);
    int ret = io_uring_register_query(&hdr);
    if (ret == -EINVAL) {
        io_uring_free_probe(probe);
        GTEST_SKIP() << "kernel without IORING_REGISTER_QUERY (6.18+)";
    }
    ASSERT_EQ(ret, 0);
    ASSERT_EQ(hdr.result, 0);
    EXPECT_EQ(op.nr_request_opcodes, probe->last_op + 1u);
    io_uring_free_probe(probe);
}

TEST(Probe, RegisterProbeNeedsZeroedMemoryAndARealRing)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    constexpr unsigned kOps = 8;
    alignas(8) unsigned char buf[sizeof(io_uring_probe) + kOps * sizeof(io_uring_probe_op)] = {};
    auto *p = reinterpret_cast<io_uring_probe *>(buf);
    // A short buffer is fine: the kernel fills only nr entries.
    ASSERT_EQ(io_uring_register_probe(ring.get(), p, kOps), 0);
    EXPECT_GE(p->last_op, IORING_OP_NOP);
    EXPECT_EQ(p->ops_len, kOps);
    EXPECT_TRUE(p->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
    // The same buffer again is no longer zeroed: the kernel says -EINVAL.
    EXPECT_EQ(io_uring_register_probe(ring.get(), p, kOps), -EINVAL);
    // No buffer (the kernel's answer is -EINVAL), and no ring at all.
    EXPECT_EQ(io_uring_register_probe(ring.get(), nullptr, kOps), -EINVAL);
    EXPECT_EQ(io_uring_register_probe(nullptr, p, kOps), -EFAULT);
    EXPECT_EQ(io_uring_get_probe_ring(nullptr), nullptr);
}

TEST(Probe, GetProbeRingOnAClosedRingFdFailsCleanly)
{
    // A ring struct whose fd is not a ring: the register fails, and the
    // library returns NULL without leaking its allocation (checked by ASan
    // builds) or any fd.
    io_uring fake;
    std::memset(&fake, 0, sizeof fake);
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    fake.ring_fd = p[0];
    fake.enter_ring_fd = p[0];
    const int fds_before = count_open_fds();
    EXPECT_EQ(io_uring_get_probe_ring(&fake), nullptr);
    EXPECT_EQ(io_uring_register_probe(&fake, nullptr, 0), -EOPNOTSUPP);
    EXPECT_EQ(count_open_fds(), fds_before);
    ::close(p[0]);
    ::close(p[1]);
}
