// Provided-buffer rings: io_uring_setup_buf_ring / free_buf_ring /
// register_buf_ring / unregister_buf_ring / buf_ring_head, consumed by recv
// on a TCP loopback connection.
#include "register_test_util.h"
#include "support/proc_counts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

using bareuring_test::count_mappings;
using bareuring_test::count_open_fds;
using bareuring_test::Cqe;
using bareuring_test::TestRing;

namespace {

// A connected TCP pair over 127.0.0.1.
struct TcpPair {
    int client = -1, server = -1;
    TcpPair()
    {
        int lst = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (lst < 0 || ::bind(lst, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            ::listen(lst, 1) != 0 || ::getsockname(lst, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
            if (lst >= 0)
                ::close(lst);
            return;
        }
        client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (client >= 0 && ::connect(client, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0)
            server = ::accept4(lst, nullptr, nullptr, SOCK_CLOEXEC);
        int one = 1;
        if (client >= 0)
            ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::close(lst);
    }
    ~TcpPair()
    {
        if (client >= 0)
            ::close(client);
        if (server >= 0)
            ::close(server);
    }
    bool ok() const { return client >= 0 && server >= 0; }
};

constexpr unsigned kEntries = 4;
constexpr unsigned kBufLen = 64;

unsigned bid_of(const Cqe &c) { return c.flags >> IORING_CQE_BUFFER_SHIFT; }

void refill(io_uring_buf_ring *br, char (*bufs)[kBufLen], unsigned n)
{
    for (unsigned i = 0; i < n; ++i)
        io_uring_buf_ring_add(br, bufs[i], kBufLen, static_cast<unsigned short>(i),
                              io_uring_buf_ring_mask(kEntries), static_cast<int>(i));
    io_uring_buf_ring_advance(br, static_cast<int>(n));
}

// Queues a recv that picks its buffer from group bgid; multishot if asked.
void queue_recv(io_uring *ring, int fd, int bgid, bool multishot, std::uint64_t ud)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    ASSERT_NE(sqe, nullptr);
    if (multishot)
        io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
    else
        io_uring_prep_recv(sqe, fd, nullptr, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = static_cast<__u16>(bgid);
    sqe->user_data = ud;
    ASSERT_EQ(io_uring_submit(ring), 1);
}

bool kernel_has_multishot_recv()
{
    io_uring_probe *p = io_uring_get_probe();
    if (p == nullptr)
        return false;
    // Multishot recv came with IORING_OP_SOCKET's generation (6.0); the probe
    // cannot see flags, so use an opcode of the same release as a proxy.
    bool ok = p->last_op >= IORING_OP_SEND_ZC;
    io_uring_free_probe(p);
    return ok;
}

} // namespace

TEST(BufRing, MultishotRecvConsumesBuffersInOrderAndRefills)
{
    TestRing ring;
    ASSERT_EQ(ring.init(16), 0);
    if (!kernel_has_multishot_recv())
        GTEST_SKIP() << "kernel without multishot recv (6.0+)";
    int err = 1;
    io_uring_buf_ring *br = io_uring_setup_buf_ring(ring.get(), kEntries, 3, 0, &err);
    if (br == nullptr && err == -EINVAL)
        GTEST_SKIP() << "kernel without provided-buffer rings (5.19+)";
    ASSERT_NE(br, nullptr) << err;
    EXPECT_EQ(err, 0);
    EXPECT_EQ(br->tail, 0);

    static char bufs[kEntries][kBufLen];
    refill(br, bufs, kEntries);
    uint16_t head = 0xffff;
    ASSERT_EQ(io_uring_buf_ring_head(ring.get(), 3, &head), 0);
    EXPECT_EQ(head, 0);

    TcpPair tcp;
    ASSERT_TRUE(tcp.ok());
    queue_recv(ring.get(), tcp.server, 3, true, 99);

    unsigned expected_head = 0;
    for (int round = 0; round < 2; ++round) {
        for (unsigned i = 0; i < kEntries; ++i) {
            std::string msg = "round" + std::to_string(round) + "-msg" + std::to_string(i);
            ASSERT_EQ(::send(tcp.client, msg.data(), msg.size(), 0), static_cast<ssize_t>(msg.size()));
            Cqe cqe;
            ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
            EXPECT_EQ(cqe.user_data, 99u);
            ASSERT_EQ(cqe.res, static_cast<int>(msg.size()));
            ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
            EXPECT_TRUE(cqe.flags & IORING_CQE_F_MORE) << "multishot stays armed";
            EXPECT_EQ(bid_of(cqe), i) << "buffers are consumed in ring order";
            EXPECT_EQ(std::string(bufs[bid_of(cqe)], msg.size()), msg);
            ++expected_head;
        }
        ASSERT_EQ(io_uring_buf_ring_head(ring.get(), 3, &head), 0);
        EXPECT_EQ(head, expected_head);
        if (round == 0)
            refill(br, bufs, kEntries);
    }

    // Out of buffers: the next message ends the multishot with -ENOBUFS.
    ASSERT_EQ(::send(tcp.client, "x", 1, 0), 1);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    EXPECT_EQ(cqe.res, -ENOBUFS);
    EXPECT_FALSE(cqe.flags & IORING_CQE_F_MORE);

    EXPECT_EQ(io_uring_free_buf_ring(ring.get(), br, kEntries, 3), 0);
    EXPECT_EQ(io_uring_buf_ring_head(ring.get(), 3, &head), -ENOENT);
}

TEST(BufRing, KernelAllocatedRingWithPbufRingMmap)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const int maps = count_mappings();
    int err = 1;
    io_uring_buf_ring *br = io_uring_setup_buf_ring(ring.get(), kEntries, 5, IOU_PBUF_RING_MMAP, &err);
    if (br == nullptr && err == -EINVAL)
        GTEST_SKIP() << "kernel without IOU_PBUF_RING_MMAP (6.4+)";
    ASSERT_NE(br, nullptr) << err;
    static char bufs[kEntries][kBufLen];
    refill(br, bufs, 1);

    TcpPair tcp;
    ASSERT_TRUE(tcp.ok());
    queue_recv(ring.get(), tcp.server, 5, false, 1);
    ASSERT_EQ(::send(tcp.client, "kernel ring", 11, 0), 11);
    Cqe cqe;
    ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
    ASSERT_EQ(cqe.res, 11);
    ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
    EXPECT_EQ(bid_of(cqe), 0u);
    EXPECT_EQ(std::memcmp(bufs[0], "kernel ring", 11), 0);

    EXPECT_EQ(io_uring_free_buf_ring(ring.get(), br, kEntries, 5), 0);
    EXPECT_EQ(count_mappings(), maps);
}

TEST(BufRing, IncrementalConsumptionReusesTheSameBuffer)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int err = 1;
    io_uring_buf_ring *br = io_uring_setup_buf_ring(ring.get(), kEntries, 6, IOU_PBUF_RING_INC, &err);
    if (br == nullptr && err == -EINVAL)
        GTEST_SKIP() << "kernel without IOU_PBUF_RING_INC (6.12+)";
    ASSERT_NE(br, nullptr) << err;
    static char bufs[kEntries][kBufLen];
    refill(br, bufs, 1);

    TcpPair tcp;
    ASSERT_TRUE(tcp.ok());
    const char *parts[2] = {"abcdefghij", "0123456789"};
    for (int i = 0; i < 2; ++i) {
        queue_recv(ring.get(), tcp.server, 6, false, 10 + i);
        ASSERT_EQ(::send(tcp.client, parts[i], 10, 0), 10);
        Cqe cqe;
        ASSERT_EQ(bareuring_test::wait_one(ring.get(), &cqe), 0);
        ASSERT_EQ(cqe.res, 10);
        ASSERT_TRUE(cqe.flags & IORING_CQE_F_BUFFER);
        EXPECT_EQ(bid_of(cqe), 0u);
        EXPECT_TRUE(cqe.flags & IORING_CQE_F_BUF_MORE) << "buffer 0 still has room";
    }
    // Both pieces landed back to back in buffer 0.
    EXPECT_EQ(std::memcmp(bufs[0], "abcdefghij0123456789", 20), 0);
    EXPECT_EQ(io_uring_free_buf_ring(ring.get(), br, kEntries, 6), 0);
}

TEST(BufRing, RegisterWithCallerMemoryOrsTheFlags)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    const size_t len = kEntries * sizeof(io_uring_buf);
    void *mem = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    ASSERT_NE(mem, MAP_FAILED);
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<__u64>(mem);
    reg.ring_entries = kEntries;
    reg.bgid = 9;
    int ret = io_uring_register_buf_ring(ring.get(), &reg, 0);
    if (ret == -EINVAL) {
        ::munmap(mem, len);
        GTEST_SKIP() << "kernel without provided-buffer rings (5.19+)";
    }
    ASSERT_EQ(ret, 0);
    // Same group again.
    EXPECT_EQ(io_uring_register_buf_ring(ring.get(), &reg, 0), -EEXIST);
    EXPECT_EQ(io_uring_unregister_buf_ring(ring.get(), 9), 0);
    EXPECT_EQ(io_uring_unregister_buf_ring(ring.get(), 9), -ENOENT);

    // flags are ORed into the caller's struct before the call.
    reg.flags = 0;
    ret = io_uring_register_buf_ring(ring.get(), &reg, IOU_PBUF_RING_INC);
    EXPECT_EQ(reg.flags, IOU_PBUF_RING_INC);
    if (ret == 0) {
        EXPECT_EQ(io_uring_unregister_buf_ring(ring.get(), 9), 0);
    }
    ::munmap(mem, len);
}

TEST(BufRing, BadArgumentsReturnErrorsAndLeakNothing)
{
    TestRing ring;
    ASSERT_EQ(ring.init(), 0);
    int err = 0;
    io_uring_buf_ring *good = io_uring_setup_buf_ring(ring.get(), kEntries, 1, 0, &err);
    if (good == nullptr && err == -EINVAL)
        GTEST_SKIP() << "kernel without provided-buffer rings (5.19+)";
    ASSERT_NE(good, nullptr);
    const int maps = count_mappings();
    const int fds = count_open_fds();

    // Not a power of two, zero, too many, duplicate group, unknown flag.
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), 3, 2, 0, &err), nullptr);
    EXPECT_EQ(err, -EINVAL);
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), 0, 2, 0, &err), nullptr);
    EXPECT_EQ(err, -EINVAL);
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), 65536, 2, 0, &err), nullptr);
    EXPECT_EQ(err, -EINVAL);
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), kEntries, 1, 0, &err), nullptr);
    EXPECT_EQ(err, -EEXIST);
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), kEntries, 2, 0x8000, &err), nullptr);
    EXPECT_EQ(err, -EINVAL);
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), kEntries, 1, IOU_PBUF_RING_MMAP, &err), nullptr);
    EXPECT_EQ(err, -EEXIST);
    // NULL ring; NULL err is tolerated.
    err = 0;
    EXPECT_EQ(io_uring_setup_buf_ring(nullptr, kEntries, 2, 0, &err), nullptr);
    EXPECT_EQ(err, -EFAULT);
    EXPECT_EQ(io_uring_setup_buf_ring(ring.get(), 3, 2, 0, nullptr), nullptr);
    EXPECT_EQ(count_mappings(), maps);
    EXPECT_EQ(count_open_fds(), fds);

    EXPECT_EQ(io_uring_register_buf_ring(ring.get(), nullptr, 0), -EFAULT);
    EXPECT_EQ(io_uring_register_buf_ring(nullptr, nullptr, 0), -EFAULT);
    io_uring_buf_reg zero_addr{};
    zero_addr.ring_entries = kEntries;
    zero_addr.bgid = 2;
    EXPECT_EQ(io_uring_register_buf_ring(ring.get(), &zero_addr, 0), -EFAULT);
    EXPECT_EQ(io_uring_unregister_buf_ring(ring.get(), 2), -ENOENT);
    EXPECT_EQ(io_uring_unregister_buf_ring(nullptr, 1), -EFAULT);
    // Unknown group: unregister fails and the memory is kept.
    EXPECT_EQ(io_uring_free_buf_ring(ring.get(), good, kEntries, 2), -ENOENT);
    uint16_t head = 0;
    EXPECT_EQ(io_uring_buf_ring_head(ring.get(), 2, &head), -ENOENT);
    EXPECT_EQ(io_uring_buf_ring_head(ring.get(), 1, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_buf_ring_head(nullptr, 1, &head), -EFAULT);

    // The good ring is intact and frees cleanly.
    EXPECT_EQ(io_uring_buf_ring_head(ring.get(), 1, &head), 0);
    EXPECT_EQ(head, 0);
    ASSERT_TRUE(bareuring_test::find_mapping(good).has_value());
    EXPECT_EQ(io_uring_free_buf_ring(ring.get(), good, kEntries, 1), 0);
    EXPECT_FALSE(bareuring_test::find_mapping(good).has_value()) << "the ring memory was unmapped";
}
