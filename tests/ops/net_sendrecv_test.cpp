// Moving bytes over loopback sockets: send/recv, sendto and send_set_addr
// on UDP, multishot recv into a provided-buffer ring, sendmsg/recvmsg with
// control messages (SCM_RIGHTS), multishot recvmsg parsed with the
// io_uring_recvmsg_* helpers, and send/recv bundles.
#include "ops_support.h"

#include <netinet/ip.h>
#include <sys/uio.h>

namespace {

class SendRecv : public ops::OpsTest {
protected:
    void SetUp() override
    {
        ops::OpsTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        int c = -1, s = -1;
        ASSERT_TRUE(ops::tcp_pair(&c, &s));
        client_.reset(c);
        server_.reset(s);
    }

    // Sets up a buffer ring or skips when the kernel has none.
    void buf_ring(ops::BufRing *br, unsigned n, unsigned size, int bgid)
    {
        int ret = br->init(ring(), n, size, bgid);
        if (ret == -EINVAL || ret == -ENOENT)
            GTEST_SKIP() << "provided buffer rings unavailable: " << std::strerror(-ret);
        ASSERT_EQ(ret, 0) << std::strerror(-ret);
    }

    ops::ScopedFd client_, server_;
};

TEST_P(SendRecv, SendThenRecv)
{
    OPS_REQUIRE_OP(IORING_OP_SEND);
    OPS_REQUIRE_OP(IORING_OP_RECV);
    char buf[32] = {};
    // The recv is armed first and waits for the data the send provides.
    OPS_SQE(r, ring());
    io_uring_prep_recv(r, server_.get(), buf, sizeof buf, 0);
    io_uring_sqe_set_data64(r, 1);
    ASSERT_EQ(io_uring_submit(ring()), 1);
    OPS_SQE(s, ring());
    io_uring_prep_send(s, client_.get(), "over tcp", 8, 0);
    io_uring_sqe_set_data64(s, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 2).res, 8);
    ASSERT_EQ(ops::by_data(cqes, 1).res, 8);
    EXPECT_EQ(std::string(buf, 8), "over tcp");
}

TEST_P(SendRecv, RecvPeekLeavesData)
{
    OPS_REQUIRE_OP(IORING_OP_RECV);
    ASSERT_EQ(::write(client_.get(), "peekaboo", 8), 8);
    char buf[8];
    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_recv(sqe, server_.get(), buf, sizeof buf, MSG_PEEK | MSG_WAITALL);
    });
    ASSERT_EQ(c.res, 8) << std::strerror(-c.res);
    EXPECT_EQ(std::string(buf, 8), "peekaboo");
    EXPECT_EQ(ops::read_exact(server_.get(), 8), "peekaboo") << "MSG_PEEK reached the kernel";
}

TEST_P(SendRecv, SendtoAndSendSetAddrOnUdp)
{
    OPS_REQUIRE_OP(IORING_OP_SEND);
    int a = -1, b = -1;
    sockaddr_in aa, ba;
    ASSERT_TRUE(ops::udp_pair(&a, &b, &aa, &ba));
    ops::ScopedFd sa(a), sb(b);

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_sendto(sqe, sa.get(), "dgram-1", 7, 0, reinterpret_cast<sockaddr *>(&ba), sizeof ba);
    });
    if (c.res == -EINVAL)
        GTEST_SKIP() << "kernel lacks IORING_OP_SEND with a destination address";
    ASSERT_EQ(c.res, 7) << std::strerror(-c.res);

    ops::Cqe d = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_send(sqe, sa.get(), "dgram-2", 7, 0);
        io_uring_prep_send_set_addr(sqe, reinterpret_cast<sockaddr *>(&ba), sizeof ba);
    }, 2);
    ASSERT_EQ(d.res, 7) << std::strerror(-d.res);

    for (const char *want : {"dgram-1", "dgram-2"}) {
        char buf[16];
        sockaddr_in from{};
        socklen_t fl = sizeof from;
        ssize_t n = ::recvfrom(sb.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr *>(&from), &fl);
        ASSERT_EQ(n, 7);
        EXPECT_EQ(std::string(buf, 7), want);
        EXPECT_EQ(from.sin_port, aa.sin_port) << "sent from the ring's socket";
    }
}

TEST_P(SendRecv, RecvMultishotWithBufferRing)
{
    OPS_REQUIRE_OP(IORING_OP_RECV);
    ops::BufRing br;
    ASSERT_NO_FATAL_FAILURE(buf_ring(&br, 8, 64, 3));
    if (IsSkipped())
        return;
    OPS_SQE(sqe, ring());
    io_uring_prep_recv_multishot(sqe, server_.get(), nullptr, 0, 0);
    io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
    io_uring_sqe_set_buf_group(sqe, br.bgid());
    io_uring_sqe_set_data64(sqe, 50);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    for (const std::string msg : {"alpha", "bravo charlie"}) {
        ASSERT_EQ(::write(client_.get(), msg.data(), msg.size()), static_cast<ssize_t>(msg.size()));
        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0);
        EXPECT_EQ(c.user_data, 50u);
        ASSERT_EQ(c.res, static_cast<int>(msg.size())) << std::strerror(-c.res);
        ASSERT_TRUE(c.has_buffer());
        EXPECT_TRUE(c.more());
        EXPECT_EQ(std::string(br.data(c.buffer_id()), msg.size()), msg);
        br.recycle(c.buffer_id());
    }
    // Peer closes its write side: res 0, multishot ends.
    ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
    ops::Cqe end;
    ASSERT_EQ(ops::reap(ring(), &end), 0);
    EXPECT_EQ(end.res, 0);
    EXPECT_FALSE(end.more());
}

TEST_P(SendRecv, RecvMultishotOutOfBuffersEnds)
{
    OPS_REQUIRE_OP(IORING_OP_RECV);
    ops::BufRing br;
    ASSERT_NO_FATAL_FAILURE(buf_ring(&br, 1, 16, 4));
    if (IsSkipped())
        return;
    OPS_SQE(sqe, ring());
    io_uring_prep_recv_multishot(sqe, server_.get(), nullptr, 0, 0);
    io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
    io_uring_sqe_set_buf_group(sqe, br.bgid());
    io_uring_sqe_set_data64(sqe, 60);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    ASSERT_EQ(::write(client_.get(), "one", 3), 3);
    ops::Cqe c;
    ASSERT_EQ(ops::reap(ring(), &c), 0);
    ASSERT_EQ(c.res, 3);
    EXPECT_TRUE(c.more());
    // The only buffer is not recycled: the next data finds none.
    ASSERT_EQ(::write(client_.get(), "two", 3), 3);
    ops::Cqe d;
    ASSERT_EQ(ops::reap(ring(), &d), 0);
    EXPECT_EQ(d.res, -ENOBUFS);
    EXPECT_FALSE(d.more());
    // The data stays in the socket.
    char buf[3];
    EXPECT_EQ(::read(server_.get(), buf, 3), 3);
}

TEST_P(SendRecv, SendmsgRecvmsgPassFd)
{
    OPS_REQUIRE_OP(IORING_OP_SENDMSG);
    OPS_REQUIRE_OP(IORING_OP_RECVMSG);
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    ops::ScopedFd left(sv[0]), right(sv[1]);
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    ops::ScopedFd pr(p[0]), pw(p[1]);

    // Two iovecs of payload plus the pipe's write end as SCM_RIGHTS.
    std::string h = "head/", t = "tail";
    iovec out_iov[2] = {{h.data(), h.size()}, {t.data(), t.size()}};
    alignas(cmsghdr) char out_ctl[CMSG_SPACE(sizeof(int))] = {};
    msghdr out{};
    out.msg_iov = out_iov;
    out.msg_iovlen = 2;
    out.msg_control = out_ctl;
    out.msg_controllen = sizeof out_ctl;
    cmsghdr *cm = CMSG_FIRSTHDR(&out);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    int passed = pw.get();
    std::memcpy(CMSG_DATA(cm), &passed, sizeof passed);

    char in_buf[32] = {};
    iovec in_iov{in_buf, sizeof in_buf};
    alignas(cmsghdr) char in_ctl[CMSG_SPACE(sizeof(int))] = {};
    msghdr in{};
    in.msg_iov = &in_iov;
    in.msg_iovlen = 1;
    in.msg_control = in_ctl;
    in.msg_controllen = sizeof in_ctl;

    OPS_SQE(s, ring());
    io_uring_prep_sendmsg(s, left.get(), &out, 0);
    io_uring_sqe_set_flags(s, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(s, 1);
    OPS_SQE(r, ring());
    io_uring_prep_recvmsg(r, right.get(), &in, MSG_CMSG_CLOEXEC);
    io_uring_sqe_set_data64(r, 2);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 1).res, 9);
    ASSERT_EQ(ops::by_data(cqes, 2).res, 9);
    EXPECT_EQ(std::string(in_buf, 9), "head/tail");

    cmsghdr *got = CMSG_FIRSTHDR(&in);
    ASSERT_NE(got, nullptr) << "control data came back";
    ASSERT_EQ(got->cmsg_type, SCM_RIGHTS);
    int received = -1;
    std::memcpy(&received, CMSG_DATA(got), sizeof received);
    ops::ScopedFd rfd(received);
    ASSERT_GE(received, 0);
    EXPECT_NE(received, pw.get());
    EXPECT_TRUE(::fcntl(received, F_GETFD) & FD_CLOEXEC) << "MSG_CMSG_CLOEXEC reached the kernel";
    // The received fd is the pipe's write end.
    ASSERT_EQ(::write(received, "!", 1), 1);
    EXPECT_EQ(ops::read_exact(pr.get(), 1), "!");
}

TEST_P(SendRecv, RecvmsgMultishotWithHelpers)
{
    OPS_REQUIRE_OP(IORING_OP_RECVMSG);
    OPS_REQUIRE_OP(IORING_OP_SENDMSG);
    int a = -1, b = -1;
    sockaddr_in aa, ba;
    ASSERT_TRUE(ops::udp_pair(&a, &b, &aa, &ba));
    ops::ScopedFd tx(a), rx(b);
    int one = 1;
    // Two control messages per datagram, so that nexthdr has work to do.
    ASSERT_EQ(::setsockopt(rx.get(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one), 0);
    ASSERT_EQ(::setsockopt(rx.get(), IPPROTO_IP, IP_RECVTTL, &one, sizeof one), 0);

    ops::BufRing br;
    ASSERT_NO_FATAL_FAILURE(buf_ring(&br, 4, 256, 5));
    if (IsSkipped())
        return;

    // The msghdr only describes the layout: name and control sizes.
    msghdr layout{};
    layout.msg_namelen = sizeof(sockaddr_in);
    layout.msg_controllen = CMSG_SPACE(sizeof(in_pktinfo)) + CMSG_SPACE(sizeof(int));
    OPS_SQE(sqe, ring());
    io_uring_prep_recvmsg_multishot(sqe, rx.get(), &layout, 0);
    io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
    io_uring_sqe_set_buf_group(sqe, br.bgid());
    io_uring_sqe_set_data64(sqe, 70);
    ASSERT_EQ(io_uring_submit(ring()), 1);

    for (const std::string payload : {"first datagram", "2nd"}) {
        // The datagram is sent with sendmsg through the ring too.
        iovec iov{const_cast<char *>(payload.data()), payload.size()};
        msghdr m{};
        m.msg_name = &ba;
        m.msg_namelen = sizeof ba;
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        ops::Cqe sent = ops::run(ring(), [&](io_uring_sqe *s) { io_uring_prep_sendmsg(s, tx.get(), &m, 0); }, 71);
        ASSERT_EQ(sent.res, static_cast<int>(payload.size()));

        ops::Cqe c;
        ASSERT_EQ(ops::reap(ring(), &c), 0);
        ASSERT_EQ(c.user_data, 70u);
        ASSERT_GT(c.res, 0) << std::strerror(-c.res);
        ASSERT_TRUE(c.has_buffer());
        EXPECT_TRUE(c.more());
        char *buf = br.data(c.buffer_id());

        io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buf, c.res, &layout);
        ASSERT_NE(o, nullptr);
        EXPECT_EQ(o->namelen, sizeof(sockaddr_in));
        EXPECT_EQ(o->payloadlen, payload.size());
        EXPECT_EQ(o->flags & MSG_TRUNC, 0u);

        auto *from = static_cast<sockaddr_in *>(io_uring_recvmsg_name(o));
        EXPECT_EQ(from->sin_family, AF_INET);
        EXPECT_EQ(from->sin_port, aa.sin_port) << "source address of the sender";

        EXPECT_EQ(io_uring_recvmsg_payload_length(o, c.res, &layout), payload.size());
        EXPECT_EQ(std::string(static_cast<char *>(io_uring_recvmsg_payload(o, &layout)), payload.size()), payload);

        bool saw_pktinfo = false, saw_ttl = false;
        int count = 0;
        for (cmsghdr *cm = io_uring_recvmsg_cmsg_firsthdr(o, &layout); cm;
             cm = io_uring_recvmsg_cmsg_nexthdr(o, &layout, cm)) {
            ++count;
            ASSERT_LE(count, 2) << "nexthdr must stop at the end of the control area";
            if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
                in_pktinfo pi;
                std::memcpy(&pi, CMSG_DATA(cm), sizeof pi);
                EXPECT_EQ(pi.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
                saw_pktinfo = true;
            } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) {
                int ttl = 0;
                std::memcpy(&ttl, CMSG_DATA(cm), sizeof ttl);
                EXPECT_GT(ttl, 0);
                saw_ttl = true;
            }
        }
        EXPECT_TRUE(saw_pktinfo);
        EXPECT_TRUE(saw_ttl);
        br.recycle(c.buffer_id());
    }

    // Too small a buffer length for the layout is rejected by validate.
    EXPECT_EQ(io_uring_recvmsg_validate(br.data(0), 16, &layout), nullptr);

    // Disarm: the cancel and the recvmsg's final CQE, in either order.
    OPS_SQE(cancel, ring());
    io_uring_prep_cancel64(cancel, 70, 0);
    io_uring_sqe_set_data64(cancel, 72);
    auto cqes = ops::submit_and_reap(ring(), 2);
    EXPECT_EQ(ops::by_data(cqes, 72).res, 0);
    EXPECT_EQ(ops::by_data(cqes, 70).res, -ECANCELED);
}

TEST_P(SendRecv, SendBundleFromBufferRing)
{
    OPS_REQUIRE_OP(IORING_OP_SEND);
    if (!(ring_obj().features() & IORING_FEAT_RECVSEND_BUNDLE))
        GTEST_SKIP() << "kernel lacks IORING_FEAT_RECVSEND_BUNDLE";
    // Three buffers of different lengths; a bundle sends them back to back.
    const unsigned n = 4;
    int err = 0;
    io_uring_buf_ring *br = io_uring_setup_buf_ring(ring(), n, 9, 0, &err);
    ASSERT_NE(br, nullptr) << std::strerror(-err);
    std::string parts[3] = {"one-", "two--", "three"};
    for (int i = 0; i < 3; ++i)
        io_uring_buf_ring_add(br, parts[i].data(), static_cast<unsigned>(parts[i].size()), static_cast<unsigned short>(i),
                              io_uring_buf_ring_mask(n), i);
    io_uring_buf_ring_advance(br, 3);

    ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
        io_uring_prep_send_bundle(sqe, client_.get(), 0, 0);
        io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
        io_uring_sqe_set_buf_group(sqe, 9);
    });
    EXPECT_EQ(c.res, 14) << std::strerror(-c.res);
    EXPECT_TRUE(c.has_buffer());
    EXPECT_EQ(c.buffer_id(), 0u) << "the CQE names the first buffer of the bundle";
    EXPECT_EQ(ops::read_exact(server_.get(), 14), "one-two--three");
    EXPECT_EQ(io_uring_free_buf_ring(ring(), br, n, 9), 0);
}

TEST_P(SendRecv, RecvBundleSpansBuffers)
{
    OPS_REQUIRE_OP(IORING_OP_RECV);
    if (!(ring_obj().features() & IORING_FEAT_RECVSEND_BUNDLE))
        GTEST_SKIP() << "kernel lacks IORING_FEAT_RECVSEND_BUNDLE";
    ops::BufRing br;
    ASSERT_NO_FATAL_FAILURE(buf_ring(&br, 8, 16, 6));
    if (IsSkipped())
        return;
    const std::string data = ops::pattern(40, 2);
    ASSERT_EQ(::write(client_.get(), data.data(), data.size()), 40);
    // The kernel decides how many buffers one bundle takes (it may be
    // cautious on the first pass), so collect until all 40 bytes are in and
    // require that at least one CQE spanned several buffers.
    std::string got;
    bool spanned = false;
    for (int round = 0; round < 8 && got.size() < data.size(); ++round) {
        ops::Cqe c = ops::run(ring(), [&](io_uring_sqe *sqe) {
            io_uring_prep_recv(sqe, server_.get(), nullptr, 0, 0);
            sqe->ioprio |= IORING_RECVSEND_BUNDLE;
            io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
            io_uring_sqe_set_buf_group(sqe, br.bgid());
        }, 100 + static_cast<unsigned>(round));
        ASSERT_GT(c.res, 0) << std::strerror(-c.res);
        ASSERT_TRUE(c.has_buffer());
        spanned |= c.res > 16;
        // A bundle's data sits in consecutive buffers starting at the CQE's id.
        unsigned left = static_cast<unsigned>(c.res);
        for (unsigned bid = c.buffer_id(); left > 0; bid = (bid + 1) % 8) {
            unsigned take = left < 16 ? left : 16;
            got.append(br.data(bid), take);
            left -= take;
        }
    }
    EXPECT_EQ(got, data);
    EXPECT_TRUE(spanned) << "no CQE covered more than one buffer";
}

OPS_INSTANTIATE(SendRecv);

} // namespace
