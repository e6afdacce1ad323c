// The smaller registration calls: NAPI, clock, memory regions (+ the
// io_uring_register_wait_reg stub), ring-less queries, zero-copy receive and
// BPF filters. The last two need hardware or a kernel newer than this
// machine's 6.18; those tests go as far as the kernel allows and skip with
// the reason.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <liburing/io_uring/bpf_filter.h>
#include <liburing/io_uring/query.h>
#include <net/if.h>
#include <sys/mman.h>

#include <climits>
#include <ctime>

using bareuring_test::count_mappings;
using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

// nr_register_opcodes from IO_URING_QUERY_OPCODES, or -errno.
int register_opcode_count()
{
    io_uring_query_opcode op{};
    io_uring_query_hdr hdr{};
    hdr.query_op = IO_URING_QUERY_OPCODES;
    hdr.query_data = reinterpret_cast<__u64>(&op);
    hdr.size = sizeof op;
    int ret = io_uring_register_query(&hdr);
    if (ret < 0)
        return ret;
    if (hdr.result < 0)
        return hdr.result;
    return static_cast<int>(op.nr_register_opcodes);
}

} // namespace

TEST(Napi, RegisterReturnsPreviousSettingsAndUnregisterRestores)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_napi napi{};
    napi.busy_poll_to = 50;
    napi.prefer_busy_poll = 1;
    int ret = io_uring_register_napi(ring.get(), &napi);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_NAPI (6.9+)";
    ASSERT_EQ(ret, 0);
    // Busy polling has no NIC queue to act on here (loopback only); what this
    // machine can check is that the kernel kept the settings.
    io_uring_napi again{};
    again.busy_poll_to = 10;
    ASSERT_EQ(io_uring_register_napi(ring.get(), &again), 0);
    EXPECT_EQ(again.busy_poll_to, 50u) << "previous timeout written back";
    EXPECT_EQ(again.prefer_busy_poll, 1);

    io_uring_napi old{};
    ASSERT_EQ(io_uring_unregister_napi(ring.get(), &old), 0);
    EXPECT_EQ(old.busy_poll_to, 10u);
    EXPECT_EQ(io_uring_unregister_napi(ring.get(), nullptr), 0);

    io_uring_napi bad{};
    bad.pad[0] = 1; // padding must be zero
    EXPECT_EQ(io_uring_register_napi(ring.get(), &bad), -EINVAL);
    EXPECT_EQ(io_uring_register_napi(ring.get(), nullptr), -EINVAL);
    EXPECT_EQ(io_uring_register_napi(nullptr, &napi), -EFAULT);
    EXPECT_EQ(io_uring_unregister_napi(nullptr, nullptr), -EFAULT);
}

TEST(Clock, BoottimeIsAcceptedAndRealtimeIsNot)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_clock_register clk{};
    clk.clockid = CLOCK_BOOTTIME;
    int ret = io_uring_register_clock(ring.get(), &clk);
    if (ret == -EINVAL && register_opcode_count() < 0)
        GTEST_SKIP() << "kernel without IORING_REGISTER_CLOCK (6.12+)";
    ASSERT_EQ(ret, 0);
    // Timed waits still time out against the new clock.
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec ts{};
    ts.tv_nsec = 20 * 1000 * 1000;
    EXPECT_EQ(io_uring_wait_cqe_timeout(ring.get(), &cqe, &ts), -ETIME);

    clk.clockid = CLOCK_MONOTONIC;
    EXPECT_EQ(io_uring_register_clock(ring.get(), &clk), 0);
    clk.clockid = CLOCK_REALTIME;
    EXPECT_EQ(io_uring_register_clock(ring.get(), &clk), -EINVAL);
    io_uring_clock_register resv{};
    resv.clockid = CLOCK_MONOTONIC;
    resv.__resv[0] = 1;
    EXPECT_EQ(io_uring_register_clock(ring.get(), &resv), -EINVAL);
    EXPECT_EQ(io_uring_register_clock(ring.get(), nullptr), -EINVAL);
    EXPECT_EQ(io_uring_register_clock(nullptr, &clk), -EFAULT);
}

TEST(Region, RegisteredWaitArgumentDrivesATimedWait)
{
    TestRing ring;
    int ret = ring.init(8, IORING_SETUP_R_DISABLED);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_SETUP_R_DISABLED";
    ASSERT_EQ(ret, 0);
    void *mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    io_uring_region_desc rd{};
    rd.user_addr = reinterpret_cast<__u64>(mem);
    rd.size = 4096;
    rd.flags = IORING_MEM_REGION_TYPE_USER;
    io_uring_mem_region_reg mr{};
    mr.region_uptr = reinterpret_cast<__u64>(&rd);
    mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
    ret = io_uring_register_region(ring.get(), &mr);
    if (ret == -EINVAL && !(ring->features & IORING_FEAT_EXT_ARG)) {
        ::munmap(mem, 4096);
        GTEST_SKIP() << "kernel without IORING_REGISTER_MEM_REGION (6.13+)";
    }
    ASSERT_EQ(ret, 0);
    EXPECT_EQ(io_uring_register_region(ring.get(), &mr), -EBUSY) << "one region per ring";
    ASSERT_EQ(io_uring_enable_rings(ring.get()), 0);

    // Slot 1 of the region: a 30 ms timeout. Waiting with nothing in flight
    // times out, which proves the kernel read the registered descriptor.
    auto *waits = static_cast<io_uring_reg_wait *>(mem);
    waits[1].ts.tv_nsec = 30 * 1000 * 1000;
    waits[1].flags = IORING_REG_WAIT_TS;
    io_uring_cqe *cqe = nullptr;
    timespec t0{}, t1{};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT_EQ(io_uring_submit_and_wait_reg(ring.get(), &cqe, 1, 1), -ETIME);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    EXPECT_GE(ms, 25);
    ring.exit();
    ::munmap(mem, 4096);
}

TEST(Region, BadArguments)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    EXPECT_EQ(io_uring_register_region(ring.get(), nullptr), -EINVAL);
    // No descriptor behind region_uptr.
    io_uring_mem_region_reg mr{};
    EXPECT_EQ(io_uring_register_region(ring.get(), &mr), -EFAULT);
    // Reserved fields set.
    io_uring_region_desc rd{};
    rd.size = 4096;
    mr.region_uptr = reinterpret_cast<__u64>(&rd);
    mr.__resv[0] = 1;
    EXPECT_EQ(io_uring_register_region(ring.get(), &mr), -EINVAL);
    // A wait-argument region on a ring that is already running.
    mr.__resv[0] = 0;
    mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
    EXPECT_EQ(io_uring_register_region(ring.get(), &mr), -EINVAL);
    EXPECT_EQ(io_uring_register_region(nullptr, &mr), -EFAULT);
}

TEST(WaitReg, DeprecatedStubAlwaysFailsWithEinval)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    io_uring_reg_wait w[2] = {};
    EXPECT_EQ(io_uring_register_wait_reg(ring.get(), w, 2), -EINVAL);
    EXPECT_EQ(io_uring_register_wait_reg(ring.get(), nullptr, 0), -EINVAL);
    EXPECT_EQ(io_uring_register_wait_reg(nullptr, nullptr, -1), -EINVAL);
}

TEST(Query, OpcodesDescribeTheRunningKernel)
{
    io_uring_query_opcode op{};
    io_uring_query_hdr hdr{};
    hdr.query_op = IO_URING_QUERY_OPCODES;
    hdr.query_data = reinterpret_cast<__u64>(&op);
    hdr.size = sizeof op;
    int ret = io_uring_register_query(&hdr);
    if (ret == -EINVAL)
        GTEST_SKIP() << "kernel without IORING_REGISTER_QUERY (6.18+)";
    ASSERT_EQ(ret, 0);
    ASSERT_EQ(hdr.result, 0);
    EXPECT_GT(op.nr_request_opcodes, static_cast<unsigned>(IORING_OP_NOP));
    EXPECT_GT(op.nr_register_opcodes, static_cast<unsigned>(IORING_REGISTER_QUERY));
    EXPECT_TRUE(op.ring_setup_flags & IORING_SETUP_NO_SQARRAY);
    EXPECT_TRUE(op.enter_flags & IORING_ENTER_GETEVENTS);
    EXPECT_TRUE(op.sqe_flags & IOSQE_FIXED_FILE);
    EXPECT_GE(op.nr_query_opcodes, 1u);

    // A chain of two: the second entry is an unknown query op, which fails
    // in its own header only.
    io_uring_query_opcode op2{};
    io_uring_query_hdr unknown{};
    unknown.query_op = 1000;
    unknown.query_data = reinterpret_cast<__u64>(&op2);
    unknown.size = sizeof op2;
    hdr.next_entry = reinterpret_cast<__u64>(&unknown);
    ASSERT_EQ(io_uring_register_query(&hdr), 0);
    EXPECT_EQ(hdr.result, 0);
    EXPECT_EQ(unknown.result, -EOPNOTSUPP);

    // An empty chain is a successful no-op.
    EXPECT_EQ(io_uring_register_query(nullptr), 0);
    io_uring_query_hdr bad{};
    bad.query_op = IO_URING_QUERY_OPCODES;
    bad.query_data = reinterpret_cast<__u64>(&op);
    bad.size = sizeof op;
    bad.next_entry = 8; // unmapped
    EXPECT_EQ(io_uring_register_query(&bad), -EFAULT);
}

TEST(Zcrx, IfqRegistrationNeedsAZeroCopyCapableNic)
{
    TestRing ring;
    io_uring_params p{};
    p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQE32;
    ASSERT_EQ(ring.init_params(8, &p), 0);
    const int fds = count_open_fds();
    const int maps = count_mappings();
    EXPECT_EQ(io_uring_register_ifq(ring.get(), nullptr), -EINVAL);
    EXPECT_EQ(io_uring_register_ifq(nullptr, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_register_zcrx_ctrl(nullptr, nullptr), -EFAULT);

    // Loopback has no hardware RX queues with header split: the kernel
    // refuses, and nothing leaks.
    io_uring_zcrx_ifq_reg reg{};
    reg.if_idx = if_nametoindex("lo");
    reg.if_rxq = 0;
    reg.rq_entries = 8;
    int ret = io_uring_register_ifq(ring.get(), &reg);
    EXPECT_LT(ret, 0);
    EXPECT_EQ(count_open_fds(), fds);
    EXPECT_EQ(count_mappings(), maps);

    zcrx_ctrl ctrl{};
    ctrl.op = ZCRX_CTRL_FLUSH_RQ;
    ret = io_uring_register_zcrx_ctrl(ring.get(), &ctrl);
    EXPECT_LT(ret, 0) << "no zcrx instance is registered";
    GTEST_SKIP() << "zero-copy receive needs a NIC with header split and flow steering; "
                    "this machine has loopback only (checked: calls reach the kernel and fail cleanly)";
}

TEST(BpfFilter, NeedsAKernelWithIoringRegisterBpfFilter)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    EXPECT_EQ(io_uring_register_bpf_filter(nullptr, nullptr), -EFAULT);
    const int nr = register_opcode_count();
    if (nr < 0 || nr <= static_cast<int>(IORING_REGISTER_BPF_FILTER)) {
        // The opcode is unknown to this kernel; the calls must still reach it
        // and come back with its answer.
        io_uring_bpf bpf{};
        bpf.cmd_type = IO_URING_BPF_CMD_FILTER;
        EXPECT_EQ(io_uring_register_bpf_filter(ring.get(), &bpf), -EINVAL);
        EXPECT_EQ(io_uring_register_bpf_filter_task(&bpf), -EINVAL);
        GTEST_SKIP() << "kernel without IORING_REGISTER_BPF_FILTER (6.19+); running kernel reports "
                     << nr << " register opcodes";
    }
    // Newer kernel: a malformed filter (no program) is refused.
    io_uring_bpf bpf{};
    bpf.cmd_type = IO_URING_BPF_CMD_FILTER;
    bpf.filter.opcode = IORING_OP_NOP;
    EXPECT_LT(io_uring_register_bpf_filter(ring.get(), &bpf), 0);
    EXPECT_EQ(io_uring_register_bpf_filter(ring.get(), nullptr), -EFAULT);
}
