// Shared helpers for the per-opcode round-trip tests in tests/ops/: a ring
// per test (default or DEFER_TASKRUN|SINGLE_ISSUER), "submit and reap with a
// bounded wait" so that a broken library fails instead of hanging, a cached
// kernel probe for skipping missing opcodes, loopback socket pairs and a
// provided-buffer ring.
#pragma once

#include <liburing.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace ops {

using bareuring_test::ScopedFd;
using bareuring_test::TempDir;

// ---------------------------------------------------------------------------
// Ring kinds every family runs on.

struct RingKind {
    const char *name;
    unsigned flags;
};

inline const RingKind kRingKinds[] = {
    {"Default", 0},
    // Completions are only run when the task waits: this catches tests (or
    // library paths) that expect a CQE without entering the kernel.
    {"DeferTaskrun", IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER},
};

// gtest prints the kind by name in failure messages.
inline void PrintTo(const RingKind &kind, std::ostream *os) { *os << kind.name; }

struct KindName {
    std::string operator()(const ::testing::TestParamInfo<RingKind> &info) const { return info.param.name; }
};

// A ring that is torn down at scope exit.
class Ring {
public:
    Ring() { std::memset(&ring_, 0, sizeof ring_); }
    ~Ring() { exit(); }
    Ring(const Ring &) = delete;
    Ring &operator=(const Ring &) = delete;

    int init(unsigned entries, unsigned flags)
    {
        io_uring_params p;
        std::memset(&p, 0, sizeof p);
        p.flags = flags;
        int ret = io_uring_queue_init_params(entries, &ring_, &p);
        live_ = ret == 0;
        features_ = p.features;
        return ret;
    }
    void exit()
    {
        if (live_)
            io_uring_queue_exit(&ring_);
        live_ = false;
    }
    io_uring *get() { return &ring_; }
    unsigned features() const { return features_; }
    int fd() const { return ring_.ring_fd; }

private:
    io_uring ring_;
    bool live_ = false;
    unsigned features_ = 0;
};

// ---------------------------------------------------------------------------
// Probe: asked once per process, on a plain ring.

inline const io_uring_probe *probe()
{
    static io_uring_probe *p = io_uring_get_probe();
    return p;
}

inline bool op_supported(int op)
{
    const io_uring_probe *p = probe();
    return p && io_uring_opcode_supported(p, op);
}

// Skips the test (with the reason) when the kernel lacks an opcode.
#define OPS_REQUIRE_OP(op)                                                                           \
    do {                                                                                             \
        if (!::ops::op_supported(op))                                                                \
            GTEST_SKIP() << #op " is not supported by this kernel (probe)";                          \
    } while (0)

// ---------------------------------------------------------------------------
// Completions.

struct Cqe {
    std::uint64_t user_data = 0;
    std::int32_t res = INT_MIN; // INT_MIN: no CQE arrived (see reap)
    std::uint32_t flags = 0;

    bool more() const { return flags & IORING_CQE_F_MORE; }
    bool has_buffer() const { return flags & IORING_CQE_F_BUFFER; }
    unsigned buffer_id() const { return flags >> IORING_CQE_BUFFER_SHIFT; }
};

// Generous bound for any single completion: nothing here needs more than
// milliseconds, the bound only turns a hang into a failure.
inline constexpr long kWaitMs = 5000;

inline long long now_ms()
{
    timespec t;
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<long long>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

// Waits (bounded) for the next CQE and consumes it. Returns 0 or -errno
// (-ETIME when nothing arrived in time).
//
// io_uring_wait_cqe_timeout may report -ETIME before its timeout has
// passed: like liburing, it gives up after one kernel wait that returned
// without a CQE (the kernel can return early, e.g. after running task work
// on a DEFER_TASKRUN ring). So the wait is repeated until the deadline.
inline int reap(io_uring *ring, Cqe *out, long timeout_ms = kWaitMs)
{
    const long long deadline = now_ms() + timeout_ms;
    io_uring_cqe *cqe = nullptr;
    int ret;
    for (;;) {
        long long left = deadline - now_ms();
        if (left < 1)
            left = 1;
        __kernel_timespec ts{};
        ts.tv_sec = left / 1000;
        ts.tv_nsec = (left % 1000) * 1000000L;
        cqe = nullptr;
        ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
        if (ret == -ETIME && now_ms() < deadline)
            continue;
        break;
    }
    if (ret < 0)
        return ret;
    if (!cqe)
        return -EAGAIN;
    out->user_data = cqe->user_data;
    out->res = cqe->res;
    out->flags = cqe->flags;
    io_uring_cqe_seen(ring, cqe);
    return 0;
}

// Submits everything queued and reaps exactly n CQEs in arrival order. A
// missing CQE is reported as a failure and shows up as res == INT_MIN.
inline std::vector<Cqe> submit_and_reap(io_uring *ring, unsigned n, long timeout_ms = kWaitMs)
{
    std::vector<Cqe> out;
    int sub = io_uring_submit(ring);
    if (sub < 0) {
        ADD_FAILURE() << "io_uring_submit: " << std::strerror(-sub);
        out.resize(n);
        return out;
    }
    for (unsigned i = 0; i < n; ++i) {
        Cqe c;
        int ret = reap(ring, &c, timeout_ms);
        if (ret < 0)
            ADD_FAILURE() << "CQE " << i + 1 << " of " << n << " did not arrive: " << std::strerror(-ret);
        out.push_back(c);
    }
    return out;
}

// Finds the CQE with user_data ud (completion order between independent
// requests is not specified). Returns a res == INT_MIN dummy if absent.
inline Cqe by_data(const std::vector<Cqe> &cqes, std::uint64_t ud)
{
    for (const Cqe &c : cqes)
        if (c.user_data == ud)
            return c;
    ADD_FAILURE() << "no CQE with user_data " << ud;
    return Cqe{};
}

// One request: prep it with the callable, tag it with ud, submit, reap its
// CQE. The prep callable receives the SQE.
template <typename Prep>
inline Cqe run(io_uring *ring, Prep &&prep, std::uint64_t ud = 1)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe) {
        ADD_FAILURE() << "io_uring_get_sqe returned NULL";
        return Cqe{};
    }
    prep(sqe);
    io_uring_sqe_set_data64(sqe, ud);
    std::vector<Cqe> c = submit_and_reap(ring, 1);
    EXPECT_EQ(c[0].user_data, ud);
    return c[0];
}

// True if a CQE is ready now. Enters the kernel first (without waiting) so
// that deferred task work on a DEFER_TASKRUN ring has had its chance to post.
inline bool cqe_ready(io_uring *ring)
{
    io_uring_get_events(ring);
    io_uring_cqe *cqe = nullptr;
    return io_uring_peek_cqe(ring, &cqe) == 0 && cqe;
}

// Queues an SQE or fails the test (for use in TEST bodies).
#define OPS_SQE(var, ring)                                                                           \
    io_uring_sqe *var = io_uring_get_sqe(ring);                                                      \
    ASSERT_NE(var, nullptr) << "io_uring_get_sqe returned NULL"

// ---------------------------------------------------------------------------
// Test fixture parametrised over ring kinds: ring() is ready in the body.

class OpsTest : public ::testing::TestWithParam<RingKind> {
protected:
    static constexpr unsigned kEntries = 32;

    void SetUp() override
    {
        int ret = ring_.init(kEntries, GetParam().flags);
        if (ret == -EINVAL && GetParam().flags)
            GTEST_SKIP() << "kernel refuses ring flags of kind " << GetParam().name;
        ASSERT_EQ(ret, 0) << "io_uring_queue_init_params: " << std::strerror(-ret);
    }

    io_uring *ring() { return ring_.get(); }
    Ring &ring_obj() { return ring_; }
    bool defer_taskrun() const { return GetParam().flags & IORING_SETUP_DEFER_TASKRUN; }

    Ring ring_;
};

#define OPS_INSTANTIATE(Suite) INSTANTIATE_TEST_SUITE_P(Rings, Suite, ::testing::ValuesIn(::ops::kRingKinds), ::ops::KindName())

// ---------------------------------------------------------------------------
// Files.

inline std::string read_all(const std::string &path)
{
    std::string out;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "<open failed: " + std::string(std::strerror(errno)) + ">";
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

inline bool write_all(const std::string &path, const std::string &data)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    return ok;
}

inline bool exists(const std::string &path)
{
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0;
}

// Deterministic non-trivial content, so that a misplaced byte shows.
inline std::string pattern(std::size_t n, unsigned seed = 1)
{
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
    return s;
}

// True if fd refers to an open file description (fcntl works on it).
inline bool fd_valid(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

// ---------------------------------------------------------------------------
// Loopback sockets (plain syscalls: these are the fixtures, not the subject).

inline sockaddr_in loopback_any_port()
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    return sa;
}

// A listening TCP socket on 127.0.0.1 with a kernel-chosen port.
inline int tcp_listener(sockaddr_in *bound)
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa = loopback_any_port();
    socklen_t len = sizeof sa;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0 || ::listen(fd, 16) < 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len) < 0) {
        ::close(fd);
        return -1;
    }
    *bound = sa;
    return fd;
}

// A connected TCP pair over 127.0.0.1 (client, server side). Returns false
// on failure.
inline bool tcp_pair(int *client, int *server)
{
    sockaddr_in sa;
    int lfd = tcp_listener(&sa);
    if (lfd < 0)
        return false;
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok = c >= 0 && ::connect(c, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    int s = ok ? ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC) : -1;
    ::close(lfd);
    if (!ok || s < 0) {
        if (c >= 0)
            ::close(c);
        return false;
    }
    // Small writes go out at once: the tests read what they just sent.
    int one = 1;
    ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *client = c;
    *server = s;
    return true;
}

// Two UDP sockets on 127.0.0.1, each bound; *a_addr/*b_addr get their names.
inline bool udp_pair(int *a, int *b, sockaddr_in *a_addr, sockaddr_in *b_addr)
{
    int fds[2] = {-1, -1};
    sockaddr_in *addrs[2] = {a_addr, b_addr};
    for (int i = 0; i < 2; ++i) {
        fds[i] = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa = loopback_any_port();
        socklen_t len = sizeof sa;
        if (fds[i] < 0 || ::bind(fds[i], reinterpret_cast<sockaddr *>(&sa), sizeof sa) < 0 ||
            ::getsockname(fds[i], reinterpret_cast<sockaddr *>(&sa), &len) < 0) {
            for (int j = 0; j <= i; ++j)
                if (fds[j] >= 0)
                    ::close(fds[j]);
            return false;
        }
        *addrs[i] = sa;
    }
    *a = fds[0];
    *b = fds[1];
    return true;
}

// Reads exactly n bytes from a blocking fd (or fewer at EOF/error).
inline std::string read_exact(int fd, std::size_t n)
{
    std::string out;
    char buf[4096];
    while (out.size() < n) {
        std::size_t want = n - out.size() < sizeof buf ? n - out.size() : sizeof buf;
        ssize_t r = ::read(fd, buf, want);
        if (r <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(r));
    }
    return out;
}

// ---------------------------------------------------------------------------
// Provided-buffer ring: nbufs buffers of size bytes each, all published, in
// group bgid. Buffers are handed back with recycle().

class BufRing {
public:
    BufRing() = default;
    ~BufRing()
    {
        if (br_)
            io_uring_free_buf_ring(ring_, br_, nbufs_, bgid_);
    }
    BufRing(const BufRing &) = delete;
    BufRing &operator=(const BufRing &) = delete;

    // Returns 0 or -errno from io_uring_setup_buf_ring.
    int init(io_uring *ring, unsigned nbufs, unsigned size, int bgid)
    {
        ring_ = ring;
        nbufs_ = nbufs;
        size_ = size;
        bgid_ = bgid;
        mem_.assign(static_cast<std::size_t>(nbufs) * size, '\0');
        int err = 0;
        br_ = io_uring_setup_buf_ring(ring, nbufs, bgid, 0, &err);
        if (!br_)
            return err ? err : -ENOMEM;
        for (unsigned i = 0; i < nbufs; ++i)
            io_uring_buf_ring_add(br_, data(i), size, static_cast<unsigned short>(i),
                                  io_uring_buf_ring_mask(nbufs), static_cast<int>(i));
        io_uring_buf_ring_advance(br_, static_cast<int>(nbufs));
        return 0;
    }

    char *data(unsigned bid) { return mem_.data() + static_cast<std::size_t>(bid) * size_; }
    unsigned size() const { return size_; }
    int bgid() const { return bgid_; }
    io_uring_buf_ring *get() { return br_; }

    void recycle(unsigned bid)
    {
        io_uring_buf_ring_add(br_, data(bid), size_, static_cast<unsigned short>(bid),
                              io_uring_buf_ring_mask(nbufs_), 0);
        io_uring_buf_ring_advance(br_, 1);
    }

private:
    io_uring *ring_ = nullptr;
    io_uring_buf_ring *br_ = nullptr;
    unsigned nbufs_ = 0;
    unsigned size_ = 0;
    int bgid_ = 0;
    std::string mem_;
};

} // namespace ops
