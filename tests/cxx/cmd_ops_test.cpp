// uring_cmd operations: socket commands on loopback sockets (SIOCINQ,
// SIOCOUTQ, getsockopt, setsockopt, the raw socket_command) compared with
// what the plain syscalls say, and a block-device discard on a loop device
// backed by a file in a private temp directory.
#include "cxx_test_util.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace {

using cxx_test::await1;
using cxx_test::make_ring;

// Waits (up to `patience`) until fd is readable.
bool wait_readable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(cxx_test::patience).count())) == 1;
}

int ioctl_int(int fd, unsigned long request)
{
    int v = -1;
    return ::ioctl(fd, request, &v) == 0 ? v : -errno;
}

#define CXX_SKIP_IF_NO_SOCKET_CMD(res)                                                                      \
    do {                                                                                                    \
        if ((res) == -EOPNOTSUPP || (res) == -EINVAL)                                                       \
            GTEST_SKIP() << "socket uring_cmd answers " << std::strerror(-(res))                            \
                         << ": this kernel lacks io_uring socket commands (Linux 6.7)";                     \
    } while (0)

TEST(SocketCmd, SiocinqCountsQueuedBytes)
{
    static_assert(uring::socket_inq::opcode == IORING_OP_URING_CMD);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::socket_inq);
    auto p = cxx_test::make_tcp_pair();
    uring::io_result empty = await1(loop, uring::socket_inq{p.a});
    CXX_SKIP_IF_NO_SOCKET_CMD(empty.res);
    EXPECT_EQ(empty.res, 0);

    ASSERT_EQ(::send(p.b.get(), "7 bytes", 7, 0), 7);
    ASSERT_TRUE(wait_readable(p.a.get()));
    EXPECT_EQ(await1(loop, uring::socket_inq{p.a}).res, 7);
    char buf[3];
    ASSERT_EQ(::recv(p.a.get(), buf, 3, 0), 3);
    EXPECT_EQ(await1(loop, uring::socket_inq{p.a}).res, 4);
    EXPECT_EQ(ioctl_int(p.a.get(), SIOCINQ), 4);
}

TEST(SocketCmd, SiocoutqCountsUnsentBytes)
{
    static_assert(uring::socket_outq::opcode == IORING_OP_URING_CMD);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::socket_outq);
    auto p = cxx_test::make_tcp_pair();
    uring::io_result idle = await1(loop, uring::socket_outq{p.a});
    CXX_SKIP_IF_NO_SOCKET_CMD(idle.res);
    // The receiver reads nothing, so what it cannot take stays queued at
    // the sender; the queue only ever shrinks.
    ASSERT_GT(cxx_test::stall_tcp(p.a.get(), p.b.get()), 0u);
    int before = ioctl_int(p.a.get(), SIOCOUTQ);
    uring::io_result q = await1(loop, uring::socket_outq{p.a});
    int after = ioctl_int(p.a.get(), SIOCOUTQ);
    ASSERT_GT(after, 0);
    EXPECT_LE(q.res, before);
    EXPECT_GE(q.res, after);
}

TEST(SocketCmd, GetsockoptAndSetsockopt)
{
    static_assert(uring::getsockopt::opcode == IORING_OP_URING_CMD &&
                  uring::setsockopt::opcode == IORING_OP_URING_CMD);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::getsockopt);
    auto p = cxx_test::make_tcp_pair();

    int type = -1;
    uring::io_result g = await1(loop, uring::getsockopt{p.a, SOL_SOCKET, SO_TYPE, std::span(&type, 1)});
    CXX_SKIP_IF_NO_SOCKET_CMD(g.res);
    EXPECT_EQ(g.res, static_cast<int>(sizeof type)); // the option's length
    EXPECT_EQ(type, SOCK_STREAM);

    int keepalive = 0;
    socklen_t len = sizeof keepalive;
    ASSERT_EQ(::getsockopt(p.a.get(), SOL_SOCKET, SO_KEEPALIVE, &keepalive, &len), 0);
    ASSERT_EQ(keepalive, 0);
    const int on = 1;
    uring::io_result s = await1(loop, uring::setsockopt{p.a, SOL_SOCKET, SO_KEEPALIVE, std::span(&on, 1)});
    EXPECT_EQ(s.res, 0) << s.error().message();
    ASSERT_EQ(::getsockopt(p.a.get(), SOL_SOCKET, SO_KEEPALIVE, &keepalive, &len), 0);
    EXPECT_EQ(keepalive, 1);
    // And read back through the ring.
    int seen = -1;
    EXPECT_EQ(await1(loop, uring::getsockopt{p.a, SOL_SOCKET, SO_KEEPALIVE, std::span(&seen, 1)}).res,
              static_cast<int>(sizeof seen));
    EXPECT_EQ(seen, 1);
}

TEST(SocketCmd, RawSocketCommandOnAFixedFile)
{
    static_assert(uring::socket_command::opcode == IORING_OP_URING_CMD);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::socket_command);
    // UDP: SIOCINQ is the size of the next datagram.
    uring::unique_fd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)), tx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof addr;
    ASSERT_EQ(::bind(rx.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    ASSERT_EQ(::getsockname(rx.get(), reinterpret_cast<sockaddr *>(&addr), &alen), 0);
    int fds[] = {rx.get()};
    ASSERT_TRUE(loop.get_ring().register_files(fds));
    uring::io_result none = await1(loop, uring::socket_command{uring::fixed_file{0}, SOCKET_URING_OP_SIOCINQ});
    CXX_SKIP_IF_NO_SOCKET_CMD(none.res);
    EXPECT_EQ(none.res, 0);
    for (std::size_t n : {11u, 3u}) {
        std::string d(n, 'd');
        ASSERT_EQ(::sendto(tx.get(), d.data(), d.size(), 0, reinterpret_cast<sockaddr *>(&addr), sizeof addr),
                  static_cast<ssize_t>(n));
    }
    ASSERT_TRUE(wait_readable(rx.get()));
    EXPECT_EQ(await1(loop, uring::socket_command{uring::fixed_file{0}, SOCKET_URING_OP_SIOCINQ}).res, 11);
    char buf[16];
    ASSERT_EQ(::recv(rx.get(), buf, sizeof buf, 0), 11);
    EXPECT_EQ(await1(loop, uring::socket_command{uring::fixed_file{0}, SOCKET_URING_OP_SIOCINQ}).res, 3);
}

// ---- discard ------------------------------------------------------------

// A loop device over a file, detached again at the end.
class loop_device {
public:
    // Attaches `backing`; on failure valid() is false and why() says why.
    explicit loop_device(int backing)
    {
        uring::unique_fd ctl(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
        if (!ctl) {
            why_ = std::string("cannot open /dev/loop-control: ") + std::strerror(errno);
            return;
        }
        for (int attempt = 0; attempt < 5; ++attempt) {
            int n = ::ioctl(ctl.get(), LOOP_CTL_GET_FREE);
            if (n < 0) {
                why_ = std::string("LOOP_CTL_GET_FREE: ") + std::strerror(errno);
                return;
            }
            std::string path = "/dev/loop" + std::to_string(n);
            uring::unique_fd dev(::open(path.c_str(), O_RDWR | O_CLOEXEC));
            if (!dev) {
                why_ = "cannot open " + path + ": " + std::strerror(errno);
                return;
            }
            loop_config cfg{};
            cfg.fd = static_cast<__u32>(backing);
            cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
            if (::ioctl(dev.get(), LOOP_CONFIGURE, &cfg) == 0) {
                dev_ = std::move(dev);
                return;
            }
            if (errno != EBUSY) { // EBUSY: someone else took it first
                why_ = "LOOP_CONFIGURE on " + path + ": " + std::strerror(errno);
                return;
            }
        }
        why_ = "no free loop device";
    }
    ~loop_device()
    {
        if (dev_)
            ::ioctl(dev_.get(), LOOP_CLR_FD, 0);
    }
    loop_device(const loop_device &) = delete;
    loop_device &operator=(const loop_device &) = delete;

    [[nodiscard]] bool valid() const { return dev_.valid(); }
    [[nodiscard]] const std::string &why() const { return why_; }
    [[nodiscard]] const uring::unique_fd &fd() const { return dev_; }

private:
    uring::unique_fd dev_;
    std::string why_;
};

TEST(DiscardCmd, ZeroesTheRangeOnALoopDevice)
{
    static_assert(uring::discard::opcode == IORING_OP_URING_CMD);
    cxx_test::watchdog wd;
    bareuring_test::TempDir dir;
    ASSERT_TRUE(dir.ok());
    uring::unique_fd backing(dir.create("disk"));
    constexpr std::size_t size = 64 * 1024;
    ASSERT_EQ(::ftruncate(backing.get(), size), 0);
    loop_device dev(backing.get());
    if (!dev.valid())
        GTEST_SKIP() << "no loop device to discard on (" << dev.why() << ")";

    std::vector<char> data(size, 'D');
    ASSERT_EQ(::pwrite(dev.fd().get(), data.data(), size, 0), static_cast<ssize_t>(size));
    ASSERT_EQ(::fsync(dev.fd().get()), 0);

    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::discard);
    uring::io_result r = await1(loop, uring::discard{dev.fd(), 8192, 16384});
    if (r.res == -EOPNOTSUPP)
        GTEST_SKIP() << "discard answers EOPNOTSUPP: no BLOCK_URING_CMD_DISCARD (Linux 6.12) or the loop "
                        "device cannot discard";
    ASSERT_EQ(r.res, 0) << r.error().message();

    std::vector<char> back(size, 'x');
    ASSERT_EQ(::pread(dev.fd().get(), back.data(), size, 0), static_cast<ssize_t>(size));
    EXPECT_EQ(std::string(back.data(), 8192), std::string(8192, 'D'));
    EXPECT_EQ(std::string(back.data() + 8192, 16384), std::string(16384, '\0'));
    EXPECT_EQ(std::string(back.data() + 24576, size - 24576), std::string(size - 24576, 'D'));
    // A range not aligned to the logical block size is refused.
    EXPECT_EQ(await1(loop, uring::discard{dev.fd(), 100, 512}).res, -EINVAL);
}

} // namespace
