// SPDX-License-Identifier: MIT
// The inline helpers of <liburing/detail/prep.h> and <liburing/detail/buf_ring.h>
// that do not write an SQE (those are covered byte by byte in
// prep_sqe_bytes_test.cpp): user_data accessors, the multishot recvmsg
// buffer parsers, io_uring_opcode_supported and the buffer-ring helpers.
// Layout rules are checked on hand-built buffers; one test per family also
// runs against the kernel so that the layout assumptions meet reality.
#include <liburing.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// --- user_data ------------------------------------------------------------

TEST(PrepAccessors, UserDataRoundTripsAsPointerAndAs64Bits)
{
	int object = 0;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;

	std::memset(&sqe, 0xa5, sizeof sqe);
	io_uring_sqe_set_data(&sqe, &object);
	cqe.user_data = sqe.user_data;
	EXPECT_EQ(&object, io_uring_cqe_get_data(&cqe));
	EXPECT_EQ(reinterpret_cast<uintptr_t>(&object), io_uring_cqe_get_data64(&cqe));

	io_uring_sqe_set_data64(&sqe, 0xfedcba9876543210ULL);
	cqe.user_data = sqe.user_data;
	EXPECT_EQ(0xfedcba9876543210ULL, io_uring_cqe_get_data64(&cqe));
}

// --- multishot recvmsg buffers ---------------------------------------------

constexpr size_t kOutHdr = sizeof(struct io_uring_recvmsg_out);
static_assert(kOutHdr == 16, "struct io_uring_recvmsg_out is 16 bytes");

// A buffer as the kernel lays it out: header, name area, control area,
// payload. The lengths of the name and control areas come from msgh.
struct RecvmsgBuffer {
	alignas(8) unsigned char bytes[512];
	struct msghdr msgh;

	RecvmsgBuffer(socklen_t namelen, size_t controllen)
	{
		std::memset(bytes, 0, sizeof bytes);
		std::memset(&msgh, 0, sizeof msgh);
		msgh.msg_namelen = namelen;
		msgh.msg_controllen = controllen;
	}
	struct io_uring_recvmsg_out *out() { return reinterpret_cast<struct io_uring_recvmsg_out *>(bytes); }
	unsigned char *control() { return bytes + kOutHdr + msgh.msg_namelen; }
};

TEST(PrepAccessors, RecvmsgValidateNeedsRoomForHeaderNameAndControl)
{
	RecvmsgBuffer b(16, 40);
	const int need = static_cast<int>(kOutHdr + 16 + 40);

	EXPECT_EQ(b.out(), io_uring_recvmsg_validate(b.bytes, need, &b.msgh));
	EXPECT_EQ(b.out(), io_uring_recvmsg_validate(b.bytes, need + 100, &b.msgh));
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(b.bytes, need - 1, &b.msgh));
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(b.bytes, -1, &b.msgh));
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(b.bytes, -need, &b.msgh));

	RecvmsgBuffer empty(0, 0);
	EXPECT_EQ(empty.out(), io_uring_recvmsg_validate(empty.bytes, static_cast<int>(kOutHdr), &empty.msgh));
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(empty.bytes, static_cast<int>(kOutHdr) - 1, &empty.msgh));
}

// A control length so large that header + name + control wraps around must
// not pass as "fits".
TEST(PrepAccessors, RecvmsgValidateIsOverflowSafe)
{
	RecvmsgBuffer b(16, SIZE_MAX - 8);
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(b.bytes, 100, &b.msgh));
	RecvmsgBuffer c(0xffffffffU, SIZE_MAX - 0xfffffff0ULL);
	EXPECT_EQ(nullptr, io_uring_recvmsg_validate(c.bytes, 100, &c.msgh));
}

TEST(PrepAccessors, RecvmsgNameAndPayloadFollowTheHeader)
{
	RecvmsgBuffer b(12, 24);
	EXPECT_EQ(static_cast<void *>(b.bytes + kOutHdr), io_uring_recvmsg_name(b.out()));
	EXPECT_EQ(static_cast<void *>(b.bytes + kOutHdr + 12 + 24), io_uring_recvmsg_payload(b.out(), &b.msgh));
}

TEST(PrepAccessors, RecvmsgPayloadLengthComesFromTheBufferSize)
{
	RecvmsgBuffer b(12, 24);
	const int start = static_cast<int>(kOutHdr + 12 + 24);

	b.out()->payloadlen = 1000;  // what the sender sent; not what fitted
	EXPECT_EQ(30u, io_uring_recvmsg_payload_length(b.out(), start + 30, &b.msgh));
	EXPECT_EQ(1u, io_uring_recvmsg_payload_length(b.out(), start + 1, &b.msgh));
	EXPECT_EQ(0u, io_uring_recvmsg_payload_length(b.out(), start, &b.msgh));
	EXPECT_EQ(0u, io_uring_recvmsg_payload_length(b.out(), start - 5, &b.msgh));
	EXPECT_EQ(0u, io_uring_recvmsg_payload_length(b.out(), -1, &b.msgh));
}

TEST(PrepAccessors, RecvmsgFirstCmsgNeedsOneWholeHeader)
{
	RecvmsgBuffer b(8, 64);
	b.out()->controllen = sizeof(struct cmsghdr) - 1;
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_firsthdr(b.out(), &b.msgh));
	b.out()->controllen = sizeof(struct cmsghdr);
	EXPECT_EQ(reinterpret_cast<struct cmsghdr *>(b.control()), io_uring_recvmsg_cmsg_firsthdr(b.out(), &b.msgh));
}

// Writes a control message of `len` bytes (cmsg_len) at `at`.
struct cmsghdr *put_cmsg(unsigned char *at, size_t len)
{
	struct cmsghdr hdr;
	std::memset(&hdr, 0, sizeof hdr);
	hdr.cmsg_len = len;
	std::memcpy(at, &hdr, sizeof hdr);
	return reinterpret_cast<struct cmsghdr *>(at);
}

TEST(PrepAccessors, RecvmsgNextCmsgWalksWhatTheKernelWrote)
{
	RecvmsgBuffer b(8, 128);
	const size_t first_len = CMSG_LEN(5);   // padded to CMSG_ALIGN before the next one
	const size_t second_len = CMSG_LEN(4);
	struct cmsghdr *first = put_cmsg(b.control(), first_len);
	struct cmsghdr *second = put_cmsg(b.control() + CMSG_ALIGN(first_len), second_len);
	b.out()->controllen = static_cast<__u32>(CMSG_ALIGN(first_len) + CMSG_ALIGN(second_len));

	ASSERT_EQ(first, io_uring_recvmsg_cmsg_firsthdr(b.out(), &b.msgh));
	EXPECT_EQ(second, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, first));
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, second));

	// The second message claims more than was written: it does not count.
	b.out()->controllen = static_cast<__u32>(CMSG_ALIGN(first_len) + sizeof(struct cmsghdr));
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, first));

	// Not even the next header fits.
	b.out()->controllen = static_cast<__u32>(CMSG_ALIGN(first_len) + sizeof(struct cmsghdr) - 1);
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, first));

	// A malformed current message (shorter than its own header) ends the walk,
	// as does one whose length runs far beyond the buffer.
	b.out()->controllen = static_cast<__u32>(CMSG_ALIGN(first_len) + CMSG_ALIGN(second_len));
	first->cmsg_len = sizeof(struct cmsghdr) - 1;
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, first));
	first->cmsg_len = SIZE_MAX;
	EXPECT_EQ(nullptr, io_uring_recvmsg_cmsg_nexthdr(b.out(), &b.msgh, first));
}

// A ring that is torn down at scope exit.
struct Ring {
	struct io_uring ring;
	int ret;

	explicit Ring(unsigned entries) { ret = io_uring_queue_init(entries, &ring, 0); }
	~Ring()
	{
		if (ret == 0)
			io_uring_queue_exit(&ring);
	}
};

int udp_socket_on_loopback(struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	socklen_t len = sizeof *addr;

	std::memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, reinterpret_cast<struct sockaddr *>(addr), sizeof *addr) != 0 ||
	    getsockname(fd, reinterpret_cast<struct sockaddr *>(addr), &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

// A real multishot recvmsg into a provided buffer, parsed with the helpers:
// source address, two control messages (IP_PKTINFO, SO_TIMESTAMP) and the
// payload must all be where the helpers say.
TEST(PrepAccessors, RecvmsgHelpersParseAKernelWrittenBuffer)
{
	Ring r(8);
	ASSERT_EQ(0, r.ret);

	constexpr unsigned kBufs = 4, kBufSize = 512;
	constexpr int kGroup = 3;
	int err = 0;
	struct io_uring_buf_ring *br = io_uring_setup_buf_ring(&r.ring, kBufs, kGroup, 0, &err);
	if (!br && (err == -EINVAL || err == -ENOSYS || err == -EOPNOTSUPP))
		GTEST_SKIP() << "no provided-buffer rings: " << err;
	ASSERT_NE(nullptr, br) << err;
	std::vector<unsigned char> mem(kBufs * kBufSize);
	for (unsigned i = 0; i < kBufs; ++i)
		io_uring_buf_ring_add(br, &mem[i * kBufSize], kBufSize, static_cast<unsigned short>(i),
				      io_uring_buf_ring_mask(kBufs), static_cast<int>(i));
	io_uring_buf_ring_advance(br, kBufs);

	struct sockaddr_in rx_addr, tx_addr;
	int rx = udp_socket_on_loopback(&rx_addr);
	int tx = udp_socket_on_loopback(&tx_addr);
	ASSERT_GE(rx, 0);
	ASSERT_GE(tx, 0);
	int one = 1;
	ASSERT_EQ(0, setsockopt(rx, IPPROTO_IP, IP_PKTINFO, &one, sizeof one));
	ASSERT_EQ(0, setsockopt(rx, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one));

	struct msghdr msgh;
	std::memset(&msgh, 0, sizeof msgh);
	msgh.msg_namelen = sizeof(struct sockaddr_in);
	msgh.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(struct timeval));

	struct io_uring_sqe *sqe = io_uring_get_sqe(&r.ring);
	ASSERT_NE(nullptr, sqe);
	io_uring_prep_recvmsg_multishot(sqe, rx, &msgh, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	io_uring_sqe_set_buf_group(sqe, kGroup);
	io_uring_sqe_set_data64(sqe, 42);
	ASSERT_EQ(1, io_uring_submit(&r.ring));

	static const char kPayload[] = "multishot!";
	ASSERT_EQ(static_cast<ssize_t>(sizeof kPayload - 1),
		  sendto(tx, kPayload, sizeof kPayload - 1, 0, reinterpret_cast<struct sockaddr *>(&rx_addr),
			 sizeof rx_addr));

	struct io_uring_cqe *cqe = nullptr;
	ASSERT_EQ(0, io_uring_wait_cqe(&r.ring, &cqe));
	ASSERT_EQ(42u, io_uring_cqe_get_data64(cqe));
	if (cqe->res == -EINVAL)
		GTEST_SKIP() << "no multishot recvmsg";
	ASSERT_GT(cqe->res, 0);
	ASSERT_TRUE(cqe->flags & IORING_CQE_F_BUFFER);
	const unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	ASSERT_LT(bid, kBufs);
	void *buf = &mem[bid * kBufSize];
	const int len = cqe->res;
	io_uring_cqe_seen(&r.ring, cqe);

	struct io_uring_recvmsg_out *o = io_uring_recvmsg_validate(buf, len, &msgh);
	ASSERT_EQ(buf, static_cast<void *>(o));
	EXPECT_EQ(sizeof(struct sockaddr_in), o->namelen);
	EXPECT_EQ(sizeof kPayload - 1, o->payloadlen);

	struct sockaddr_in from;
	std::memcpy(&from, io_uring_recvmsg_name(o), sizeof from);
	EXPECT_EQ(AF_INET, from.sin_family);
	EXPECT_EQ(tx_addr.sin_port, from.sin_port);

	bool saw_pktinfo = false, saw_timestamp = false;
	unsigned count = 0;
	for (struct cmsghdr *c = io_uring_recvmsg_cmsg_firsthdr(o, &msgh); c;
	     c = io_uring_recvmsg_cmsg_nexthdr(o, &msgh, c)) {
		ASSERT_LT(++count, 10u) << "cmsg walk does not end";
		saw_pktinfo |= c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO;
		saw_timestamp |= c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP;
	}
	EXPECT_TRUE(saw_pktinfo);
	EXPECT_TRUE(saw_timestamp);

	ASSERT_EQ(sizeof kPayload - 1, io_uring_recvmsg_payload_length(o, len, &msgh));
	EXPECT_EQ(0, std::memcmp(kPayload, io_uring_recvmsg_payload(o, &msgh), sizeof kPayload - 1));

	// Stop the multishot request before the ring goes away.
	sqe = io_uring_get_sqe(&r.ring);
	ASSERT_NE(nullptr, sqe);
	io_uring_prep_cancel64(sqe, 42, 0);
	io_uring_submit(&r.ring);
	close(tx);
	close(rx);
	io_uring_free_buf_ring(&r.ring, br, kBufs, kGroup);
}

// --- io_uring_opcode_supported ----------------------------------------------

TEST(PrepAccessors, OpcodeSupportedReadsTheProbeWithinLastOp)
{
	const size_t nops = 4;
	std::vector<unsigned char> mem(sizeof(struct io_uring_probe) + 8 * sizeof(struct io_uring_probe_op));
	struct io_uring_probe *p = reinterpret_cast<struct io_uring_probe *>(mem.data());
	p->last_op = nops - 1;
	p->ops_len = nops;
	p->ops[0].flags = IO_URING_OP_SUPPORTED;
	p->ops[1].flags = 0;
	p->ops[2].flags = IO_URING_OP_SUPPORTED | 0x8000;
	p->ops[3].flags = 0x8000;  // some other bit: not "supported"
	p->ops[4].flags = IO_URING_OP_SUPPORTED;  // beyond last_op: ignored

	EXPECT_EQ(1, io_uring_opcode_supported(p, 0));
	EXPECT_EQ(0, io_uring_opcode_supported(p, 1));
	EXPECT_EQ(1, io_uring_opcode_supported(p, 2));
	EXPECT_EQ(0, io_uring_opcode_supported(p, 3));
	EXPECT_EQ(0, io_uring_opcode_supported(p, 4));
	EXPECT_EQ(0, io_uring_opcode_supported(p, -1));
}

TEST(PrepAccessors, OpcodeSupportedOnTheRunningKernel)
{
	struct io_uring_probe *p = io_uring_get_probe();
	ASSERT_NE(nullptr, p);
	EXPECT_EQ(1, io_uring_opcode_supported(p, IORING_OP_NOP));
	EXPECT_EQ(1, io_uring_opcode_supported(p, IORING_OP_READ));
	EXPECT_EQ(0, io_uring_opcode_supported(p, p->last_op + 1));
	io_uring_free_probe(p);
}

// --- buffer rings ------------------------------------------------------------

// A buffer ring in ordinary memory: the helpers only touch the entries and
// the tail, so the kernel is not needed to check where they write.
struct LocalBufRing {
	static constexpr unsigned kEntries = 8;
	alignas(16) struct io_uring_buf bufs[kEntries];
	struct io_uring_buf_ring *br() { return reinterpret_cast<struct io_uring_buf_ring *>(bufs); }
};

TEST(PrepAccessors, BufRingMaskIsEntriesMinusOne)
{
	EXPECT_EQ(0, io_uring_buf_ring_mask(1));
	EXPECT_EQ(7, io_uring_buf_ring_mask(8));
	EXPECT_EQ(32767, io_uring_buf_ring_mask(32768));
}

TEST(PrepAccessors, BufRingAddFillsSlotsPastTheTailWithoutMovingIt)
{
	LocalBufRing l;
	std::memset(l.bufs, 0xa5, sizeof l.bufs);
	io_uring_buf_ring_init(l.br());
	EXPECT_EQ(0, l.br()->tail);

	const int mask = io_uring_buf_ring_mask(LocalBufRing::kEntries);
	char a[1], b[1];
	io_uring_buf_ring_add(l.br(), a, 100, 11, mask, 0);
	io_uring_buf_ring_add(l.br(), b, 200, 12, mask, 1);
	EXPECT_EQ(0, l.br()->tail);
	EXPECT_EQ(reinterpret_cast<uintptr_t>(a), l.bufs[0].addr);
	EXPECT_EQ(100u, l.bufs[0].len);
	EXPECT_EQ(11, l.bufs[0].bid);
	EXPECT_EQ(reinterpret_cast<uintptr_t>(b), l.bufs[1].addr);
	EXPECT_EQ(200u, l.bufs[1].len);
	EXPECT_EQ(12, l.bufs[1].bid);
	EXPECT_EQ(0xa5a5, l.bufs[1].resv) << "resv of entries other than 0 is not ours";

	io_uring_buf_ring_advance(l.br(), 2);
	EXPECT_EQ(2, l.br()->tail);
}

// The 16-bit tail wraps, and slots are taken modulo the ring size.
TEST(PrepAccessors, BufRingTailWrapsAt16Bits)
{
	LocalBufRing l;
	std::memset(l.bufs, 0, sizeof l.bufs);
	l.br()->tail = 0xfffe;
	const int mask = io_uring_buf_ring_mask(LocalBufRing::kEntries);
	for (int i = 0; i < 3; ++i)
		io_uring_buf_ring_add(l.br(), nullptr, 1, static_cast<unsigned short>(40 + i), mask, i);
	EXPECT_EQ(40, l.bufs[6].bid);
	EXPECT_EQ(41, l.bufs[7].bid);
	EXPECT_EQ(42, l.bufs[0].bid);
	io_uring_buf_ring_advance(l.br(), 3);
	EXPECT_EQ(1, l.br()->tail);
}

// The combined advance moves the buffer tail and the CQ head independently.
TEST(PrepAccessors, BufRingCqAdvanceMovesBothIndices)
{
	LocalBufRing l;
	std::memset(l.bufs, 0, sizeof l.bufs);
	unsigned khead = 0xfffffffe;  // the CQ head is a free-running u32
	struct io_uring ring;
	std::memset(&ring, 0, sizeof ring);
	ring.cq.khead = &khead;

	io_uring_buf_ring_cq_advance(&ring, l.br(), 3);
	EXPECT_EQ(3, l.br()->tail);
	EXPECT_EQ(1u, khead);

	__io_uring_buf_ring_cq_advance(&ring, l.br(), 2, 5);
	EXPECT_EQ(8, l.br()->tail);
	EXPECT_EQ(3u, khead);

	__io_uring_buf_ring_cq_advance(&ring, l.br(), 0, 1);
	EXPECT_EQ(9, l.br()->tail);
	EXPECT_EQ(3u, khead);
}

// io_uring_buf_ring_available = our tail - the kernel's head, and passes on
// the error for a group that does not exist.
TEST(PrepAccessors, BufRingAvailableCountsWhatTheKernelHasNotTaken)
{
	Ring r(8);
	ASSERT_EQ(0, r.ret);
	constexpr unsigned kBufs = 8, kBufSize = 64;
	constexpr int kGroup = 5;
	int err = 0;
	struct io_uring_buf_ring *br = io_uring_setup_buf_ring(&r.ring, kBufs, kGroup, 0, &err);
	if (!br && (err == -EINVAL || err == -ENOSYS || err == -EOPNOTSUPP))
		GTEST_SKIP() << "no provided-buffer rings: " << err;
	ASSERT_NE(nullptr, br) << err;

	int head_ret = io_uring_buf_ring_available(&r.ring, br, kGroup);
	if (head_ret == -EINVAL)
		GTEST_SKIP() << "kernel without IORING_REGISTER_PBUF_STATUS";
	EXPECT_EQ(0, head_ret);

	std::vector<unsigned char> mem(kBufs * kBufSize);
	for (unsigned i = 0; i < 5; ++i)
		io_uring_buf_ring_add(br, &mem[i * kBufSize], kBufSize, static_cast<unsigned short>(i),
				      io_uring_buf_ring_mask(kBufs), static_cast<int>(i));
	io_uring_buf_ring_advance(br, 5);
	EXPECT_EQ(5, io_uring_buf_ring_available(&r.ring, br, kGroup));

	// Let the kernel take one buffer: a read from a pipe with buffer select.
	int fds[2];
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(1, write(fds[1], "x", 1));
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r.ring);
	ASSERT_NE(nullptr, sqe);
	io_uring_prep_read(sqe, fds[0], nullptr, kBufSize, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	io_uring_sqe_set_buf_group(sqe, kGroup);
	ASSERT_EQ(1, io_uring_submit(&r.ring));
	struct io_uring_cqe *cqe = nullptr;
	ASSERT_EQ(0, io_uring_wait_cqe(&r.ring, &cqe));
	EXPECT_EQ(1, cqe->res);
	EXPECT_TRUE(cqe->flags & IORING_CQE_F_BUFFER);
	io_uring_cqe_seen(&r.ring, cqe);
	EXPECT_EQ(4, io_uring_buf_ring_available(&r.ring, br, kGroup));
	close(fds[0]);
	close(fds[1]);

	EXPECT_LT(io_uring_buf_ring_available(&r.ring, br, kGroup + 1), 0);
	io_uring_free_buf_ring(&r.ring, br, kBufs, kGroup);
}

}  // namespace
