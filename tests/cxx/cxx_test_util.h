// Helpers shared by the C++ API tests: rings, loopback sockets, pipes, and
// running one operation on a bare ring.
#pragma once

#include <uring/uring.hpp>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <string>
#include <mutex>
#include <thread>
#include <utility>

namespace cxx_test {

inline uring::ring make_ring(unsigned entries = 32, unsigned flags = 0)
{
    auto r = uring::ring::create(uring::setup_options(entries, flags));
    if (!r) {
        ADD_FAILURE() << "ring::create: " << r.error().message();
        std::abort();
    }
    return std::move(*r);
}

// Tests never wait for a CQE longer than this: a bug fails the test
// instead of hanging it.
inline constexpr auto patience = std::chrono::seconds(10);

// Waits for the next CQE and returns (user_data, result).
inline std::pair<std::uint64_t, uring::io_result> next_cqe(uring::ring &r)
{
    auto c = r.wait_for(patience);
    if (!c) {
        ADD_FAILURE() << "no CQE: " << c.error().message();
        return {~std::uint64_t{0}, uring::io_result{-ETIME, 0}};
    }
    std::pair<std::uint64_t, uring::io_result> out{c->raw_user_data(), c->result()};
    r.seen(*c);
    return out;
}

// Prepares op, submits, waits for its CQE and consumes it.
template <class Op>
uring::io_result run1(uring::ring &r, Op &&op)
{
    io_uring_sqe *sqe = r.prepare(std::forward<Op>(op));
    EXPECT_NE(sqe, nullptr);
    auto s = r.submit();
    EXPECT_TRUE(s) << s.error().message();
    return next_cqe(r).second;
}

// Runs op through the event loop (co_await loop.run(op)) and returns what
// the co_await yielded.
template <class Op>
uring::io_result await1(uring::event_loop &loop, Op op)
{
    return loop.block_on([](uring::event_loop &l, Op o) -> uring::task<uring::io_result> {
        uring::io_result r = co_await l.run(std::move(o));
        co_return r;
    }(loop, std::move(op)));
}

// Reads exactly n bytes from a blocking socket (fewer on EOF or error,
// or when nothing arrives within `patience`).
inline std::string read_exactly(int fd, std::size_t n)
{
    std::string out(n, '\0');
    std::size_t got = 0;
    auto deadline = std::chrono::steady_clock::now() + patience;
    while (got < n && std::chrono::steady_clock::now() < deadline) {
        ssize_t r = ::recv(fd, out.data() + got, n - got, MSG_DONTWAIT);
        if (r > 0)
            got += static_cast<std::size_t>(r);
        else if (r == 0)
            break;
        else if (errno == EAGAIN)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        else
            break;
    }
    out.resize(got);
    return out;
}

// A connected TCP pair over 127.0.0.1, set up with plain syscalls.
struct tcp_pair {
    uring::unique_fd a, b;
};

inline uring::unique_fd make_listener(sockaddr_in &addr)
{
    uring::unique_fd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int one = 1;
    ::setsockopt(l.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(l.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(l.get(), 16) != 0 ||
        ::getsockname(l.get(), reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        ADD_FAILURE() << "listener setup failed";
    return l;
}

inline uring::unique_fd connect_to(const sockaddr_in &addr)
{
    uring::unique_fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (::connect(s.get(), reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0)
        ADD_FAILURE() << "connect failed";
    return s;
}

inline tcp_pair make_tcp_pair()
{
    sockaddr_in addr;
    uring::unique_fd l = make_listener(addr);
    tcp_pair p;
    p.a = connect_to(addr);
    p.b = uring::unique_fd(::accept4(l.get(), nullptr, nullptr, SOCK_CLOEXEC));
    EXPECT_TRUE(p.b.valid());
    return p;
}

// Shrinks the buffers of a connected TCP pair and fills `from`'s send
// queue (non-blocking sends until EAGAIN): a further send from `from` has to
// wait until `to` reads. Returns the bytes queued.
inline std::size_t stall_tcp(int from, int to)
{
    int small = 4096;
    ::setsockopt(from, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    ::setsockopt(to, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    std::string chunk(4096, 'f');
    std::size_t queued = 0;
    for (;;) {
        ssize_t n = ::send(from, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0)
            break;
        queued += static_cast<std::size_t>(n);
    }
    return queued;
}

struct pipe_pair {
    uring::unique_fd read_end, write_end;
};

inline pipe_pair make_pipe()
{
    int p[2];
    EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
    return {uring::unique_fd(p[0]), uring::unique_fd(p[1])};
}

// Open descriptors of this process (to check that nothing leaks).
inline int open_fd_count()
{
    int n = 0;
    if (DIR *d = ::opendir("/proc/self/fd")) {
        while (dirent *e = ::readdir(d))
            n += e->d_name[0] != '.';
        ::closedir(d);
    }
    return n - 1; // the DIR's own descriptor
}

inline double ms_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Data waiting in a socket or pipe, read without blocking (-1 if none).
inline ssize_t read_now(int fd, void *buf, size_t n)
{
    return ::recv(fd, buf, n, MSG_DONTWAIT);
}

// Fails the whole program if a test runs longer than `limit`: coroutine
// tests block in event_loop calls, and a bug there should fail fast, not
// hang until the CTest timeout.
class watchdog {
public:
    explicit watchdog(std::chrono::seconds limit = patience)
        : thread_([this, limit] {
              std::unique_lock lock(mutex_);
              if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
                  std::fprintf(stderr, "watchdog: test still running after %llds\n",
                               static_cast<long long>(limit.count()));
                  std::_Exit(3);
              }
          })
    {
    }
    ~watchdog()
    {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

} // namespace cxx_test

#define CXX_SKIP_UNLESS_SUPPORTED(ring, Op)                                                                 \
    do {                                                                                                    \
        if (!(ring).supports<Op>())                                                                         \
            GTEST_SKIP() << #Op " (opcode " << static_cast<int>(Op::opcode) << ") is not supported by this " \
                         << "kernel";                                                                       \
    } while (0)
