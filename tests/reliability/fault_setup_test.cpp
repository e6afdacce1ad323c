// Fault sweep over ring creation: every io_uring_queue_init* flavour,
// io_uring_queue_mmap, and the calls that build a throw-away ring
// (io_uring_get_probe, io_uring_mlock_size) or touch the mappings
// (io_uring_ring_dontfork).
//
// After a failed init the struct io_uring holds nothing: liburing's contract
// is that io_uring_queue_exit is then not called, and the fd/maps counts
// prove nothing was left behind. io_uring_queue_init retries once without
// IORING_SETUP_NO_SQARRAY when the first attempt fails with -EINVAL, so an
// injected EINVAL anywhere in that attempt may end in a working ring.
#include "fault_sweep.h"

#include <sys/mman.h>

#include <cstring>

namespace {

using reliability::Scenario;

constexpr unsigned kEntries = 8;

enum class InitKind { QueueInit, Params, Mem };

// State shared by the steps of one init scenario.
struct InitState {
    io_uring ring;
    io_uring_params params;
    bool live = false;
    void *mem = nullptr;
    size_t mem_size = 0;
};

Scenario init_scenario(const char *name, InitKind kind, unsigned flags, unsigned cq_entries, InitState &st)
{
    Scenario s;
    s.name = name;
    s.prepare = [&st, kind, flags, cq_entries] {
        std::memset(&st.ring, 0xAB, sizeof st.ring); // setup must not rely on a zeroed struct
        std::memset(&st.params, 0, sizeof st.params);
        st.params.flags = flags;
        st.params.cq_entries = cq_entries;
        st.params.sq_thread_idle = 10;
        st.live = false;
        if (kind == InitKind::Mem) {
            // Room for the SQ-array layout too, which the EINVAL fallback needs.
            st.mem_size = 2 * static_cast<size_t>(io_uring_memory_size(kEntries, flags));
            void *p = ::mmap(nullptr, st.mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            ASSERT_NE(p, MAP_FAILED);
            st.mem = p;
        }
    };
    s.call = [&st, kind, flags] {
        switch (kind) {
        case InitKind::QueueInit: return static_cast<long>(io_uring_queue_init(kEntries, &st.ring, flags));
        case InitKind::Params: return static_cast<long>(io_uring_queue_init_params(kEntries, &st.ring, &st.params));
        case InitKind::Mem:
            return static_cast<long>(io_uring_queue_init_mem(kEntries, &st.ring, &st.params, st.mem, st.mem_size));
        }
        return -1L;
    };
    s.on_success = [&st, kind](long ret) {
        if (kind == InitKind::Mem) {
            ASSERT_GT(ret, 0) << "io_uring_queue_init_mem returns the bytes used";
        } else {
            ASSERT_EQ(ret, 0);
        }
        st.live = true;
        reliability::expect_nop_roundtrip(&st.ring, 0x5eed);
    };
    s.release = [&st] {
        if (st.live)
            io_uring_queue_exit(&st.ring);
        st.live = false;
        if (st.mem)
            ::munmap(st.mem, st.mem_size);
        st.mem = nullptr;
    };
    // The whole first attempt runs with NO_SQARRAY added; any -EINVAL from
    // it triggers the documented fallback, which then succeeds.
    s.may_recover = [](unsigned long, int err) { return err == EINVAL; };
    return s;
}

TEST(FaultSetup, QueueInitDefault)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init", InitKind::QueueInit, 0, 0, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitSqpoll)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init(SQPOLL)", InitKind::QueueInit, IORING_SETUP_SQPOLL, 0, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitNoMmapLibraryMemory)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init(NO_MMAP)", InitKind::QueueInit, IORING_SETUP_NO_MMAP, 0, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitSqe128Cqe32)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init(SQE128|CQE32)", InitKind::QueueInit,
                               IORING_SETUP_SQE128 | IORING_SETUP_CQE32, 0, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitParamsCqSize)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init_params(CQSIZE)", InitKind::Params,
                               IORING_SETUP_CQSIZE, 64, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitParamsSqpollNoMmap)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init_params(SQPOLL|NO_MMAP)", InitKind::Params,
                               IORING_SETUP_SQPOLL | IORING_SETUP_NO_MMAP, 0, st);
    reliability::sweep(s);
}

TEST(FaultSetup, QueueInitMem)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init_mem", InitKind::Mem, 0, 0, st);
    reliability::sweep(s);
}

// REGISTERED_FD_ONLY: the "fd" is a registered index, released through
// io_uring_register rather than close() when a later step fails.
TEST(FaultSetup, QueueInitParamsRegisteredFdOnly)
{
    InitState st;
    Scenario s = init_scenario("io_uring_queue_init_params(REGISTERED_FD_ONLY)", InitKind::Params,
                               IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY, 0, st);
    reliability::sweep(s);
}

// io_uring_queue_mmap on a ring the caller created: the fd stays the
// caller's whether or not the call fails.
TEST(FaultSetup, QueueMmap)
{
    struct {
        io_uring ring;
        io_uring_params params;
        int fd = -1;
        bool live = false;
    } st;
    Scenario s;
    s.name = "io_uring_queue_mmap";
    s.prepare = [&] {
        std::memset(&st.params, 0, sizeof st.params);
        st.fd = io_uring_setup(kEntries, &st.params);
        ASSERT_GE(st.fd, 0);
        st.live = false;
    };
    s.call = [&] { return static_cast<long>(io_uring_queue_mmap(st.fd, &st.params, &st.ring)); };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        st.live = true;
        reliability::expect_nop_roundtrip(&st.ring, 7);
    };
    s.on_failure = [&](unsigned long, int) {
        // The caller's ring is intact: mapping it again works.
        ASSERT_EQ(io_uring_queue_mmap(st.fd, &st.params, &st.ring), 0);
        st.live = true;
        reliability::expect_nop_roundtrip(&st.ring, 8);
    };
    s.release = [&] {
        if (st.live)
            io_uring_queue_exit(&st.ring); // closes the fd too
        else
            ::close(st.fd);
        st.live = false;
    };
    reliability::sweep(s);
}

TEST(FaultSetup, GetProbe)
{
    io_uring_probe *probe = nullptr;
    Scenario s;
    s.name = "io_uring_get_probe";
    s.prepare = [&] { probe = nullptr; };
    s.call = [&] {
        probe = io_uring_get_probe();
        return probe ? 0L : reliability::kNullResult;
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_GT(probe->last_op, IORING_OP_NOP);
        EXPECT_TRUE(io_uring_opcode_supported(probe, IORING_OP_NOP));
    };
    s.release = [&] {
        io_uring_free_probe(probe);
        probe = nullptr;
    };
    s.expected = [](unsigned long, int) { return reliability::kNullResult; };
    s.may_recover = [](unsigned long, int err) { return err == EINVAL; };
    reliability::sweep(s);
}

TEST(FaultSetup, GetProbeRing)
{
    io_uring ring;
    io_uring_probe *probe = nullptr;
    Scenario s;
    s.name = "io_uring_get_probe_ring";
    s.prepare = [&] { ASSERT_EQ(io_uring_queue_init(kEntries, &ring, 0), 0); };
    s.call = [&] {
        probe = io_uring_get_probe_ring(&ring);
        return probe ? 0L : reliability::kNullResult;
    };
    s.on_success = [&](long ret) {
        ASSERT_EQ(ret, 0);
        EXPECT_TRUE(io_uring_opcode_supported(probe, IORING_OP_NOP));
    };
    s.on_failure = [&](unsigned long, int) { reliability::expect_nop_roundtrip(&ring, 1); };
    s.release = [&] {
        io_uring_free_probe(probe);
        probe = nullptr;
        io_uring_queue_exit(&ring);
    };
    s.expected = [](unsigned long, int) { return reliability::kNullResult; };
    reliability::sweep(s);
}

TEST(FaultSetup, MlockSize)
{
    Scenario s;
    s.name = "io_uring_mlock_size";
    s.prepare = [] {};
    s.call = [] { return static_cast<long>(io_uring_mlock_size(kEntries, 0)); };
    s.on_success = [](long ret) { EXPECT_GE(ret, 0); };
    s.release = [] {};
    // The probe ring's failure is not the caller's: without its feature
    // bits the library cannot rule out memlock accounting and answers with
    // the full ring size (as liburing does). An injected EINVAL is first
    // absorbed by the NO_SQARRAY fallback, which then yields the real
    // answer (0 on 5.12+ kernels).
    s.expected = [](unsigned long, int) { return static_cast<long>(io_uring_memory_size(kEntries, 0)); };
    s.may_recover = [](unsigned long, int err) { return err == EINVAL; };
    reliability::sweep(s);
}

TEST(FaultSetup, RingDontfork)
{
    io_uring ring;
    Scenario s;
    s.name = "io_uring_ring_dontfork";
    s.prepare = [&] { ASSERT_EQ(io_uring_queue_init(kEntries, &ring, 0), 0); };
    s.call = [&] { return static_cast<long>(io_uring_ring_dontfork(&ring)); };
    s.on_success = [&](long ret) {
        EXPECT_EQ(ret, 0);
        reliability::expect_nop_roundtrip(&ring, 2);
    };
    // A partial madvise changes nothing the parent sees: the ring works, and
    // the call can simply be repeated.
    s.on_failure = [&](unsigned long, int) {
        reliability::expect_nop_roundtrip(&ring, 3);
        EXPECT_EQ(io_uring_ring_dontfork(&ring), 0);
    };
    s.release = [&] { io_uring_queue_exit(&ring); };
    reliability::sweep(s);
}

} // namespace
