/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers for sockets (send, receive) and the multishot recvmsg
 * buffer accessors.
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_NET_H
#define LIBURING_DETAIL_PREP_NET_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_net.h>"
#endif

/* ------------------------------------------------------------------------
 * Sockets: send and receive
 * ------------------------------------------------------------------------ */

/* Prepares IORING_OP_SEND (len truncated to the 32-bit field). */
IOURINGINLINE void io_uring_prep_send(struct io_uring_sqe *sqe, int sockfd, const void *buf, size_t len,
				      int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SEND, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

/* Prepares a bundle IORING_OP_SEND from provided buffers (addr NULL; the
 * caller sets IOSQE_BUFFER_SELECT and the group). */
IOURINGINLINE void io_uring_prep_send_bundle(struct io_uring_sqe *sqe, int sockfd, size_t len,
					     int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_send(sqe, sockfd, NULL, len, flags);
	sqe->ioprio |= IORING_RECVSEND_BUNDLE;
}

/* Adds a destination to a prepared send/send_zc: addr2 (the off slot) and
 * addr_len. Touches nothing else. */
IOURINGINLINE void io_uring_prep_send_set_addr(struct io_uring_sqe *sqe, const struct sockaddr *dest_addr,
					       __u16 addr_len) LIBURING_NOEXCEPT
{
	sqe->addr2 = uring_ptr_to_u64(dest_addr);
	sqe->addr_len = addr_len;
}

/* Prepares IORING_OP_SEND with a destination (sendto). */
IOURINGINLINE void io_uring_prep_sendto(struct io_uring_sqe *sqe, int sockfd, const void *buf, size_t len,
					int flags, const struct sockaddr *addr,
					socklen_t addrlen) LIBURING_NOEXCEPT
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, (__u16)addrlen);
}

/* Prepares IORING_OP_SEND_ZC. ioprio is overwritten with zc_flags (not
 * ORed), as liburing does. */
IOURINGINLINE void io_uring_prep_send_zc(struct io_uring_sqe *sqe, int sockfd, const void *buf, size_t len,
					 int flags, unsigned zc_flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SEND_ZC, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
	sqe->ioprio = (__u16)zc_flags;
}

/* Prepares IORING_OP_SEND_ZC from registered buffer buf_index. */
IOURINGINLINE void io_uring_prep_send_zc_fixed(struct io_uring_sqe *sqe, int sockfd, const void *buf,
					       size_t len, int flags, unsigned zc_flags,
					       unsigned buf_index) LIBURING_NOEXCEPT
{
	io_uring_prep_send_zc(sqe, sockfd, buf, len, flags, zc_flags | IORING_RECVSEND_FIXED_BUF);
	sqe->buf_index = (__u16)buf_index;
}

/* Prepares IORING_OP_SENDMSG_ZC. */
IOURINGINLINE void io_uring_prep_sendmsg_zc(struct io_uring_sqe *sqe, int fd, const struct msghdr *msg,
					    unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SENDMSG_ZC, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/* Prepares IORING_OP_SENDMSG_ZC whose iovecs lie in registered buffer
 * buf_index (the FIXED_BUF bit ORed into ioprio). */
IOURINGINLINE void io_uring_prep_sendmsg_zc_fixed(struct io_uring_sqe *sqe, int fd,
						  const struct msghdr *msg, unsigned flags,
						  unsigned buf_index) LIBURING_NOEXCEPT
{
	io_uring_prep_sendmsg_zc(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (__u16)buf_index;
}

/* Prepares IORING_OP_RECV (len truncated to the 32-bit field). */
IOURINGINLINE void io_uring_prep_recv(struct io_uring_sqe *sqe, int sockfd, void *buf, size_t len,
				      int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_RECV, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

/* Prepares multishot IORING_OP_RECV (bit ORed into ioprio). */
IOURINGINLINE void io_uring_prep_recv_multishot(struct io_uring_sqe *sqe, int sockfd, void *buf,
						size_t len, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_recv(sqe, sockfd, buf, len, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/* ------------------------------------------------------------------------
 * Parsing a multishot recvmsg buffer. The kernel writes, in order: a
 * struct io_uring_recvmsg_out, msg_namelen bytes of source address,
 * msg_controllen bytes of control data, then the payload. The lengths come
 * from the msghdr the request was prepared with, not from the header.
 * ------------------------------------------------------------------------ */

/* buf as a recvmsg_out header if buf_len bytes can hold the header plus the
 * name and control areas; NULL otherwise (also for a negative buf_len). */
IOURINGINLINE struct io_uring_recvmsg_out *io_uring_recvmsg_validate(void *buf, int buf_len,
								     struct msghdr *msgh) LIBURING_NOEXCEPT
{
	size_t need = sizeof(struct io_uring_recvmsg_out);

	if (buf_len < 0)
		return NULL;
	/* Huge lengths must not wrap the sum around into "fits". */
	if (msgh->msg_namelen > SIZE_MAX - need)
		return NULL;
	need += msgh->msg_namelen;
	if (msgh->msg_controllen > SIZE_MAX - need)
		return NULL;
	need += msgh->msg_controllen;
	if ((size_t)buf_len < need)
		return NULL;
	return (struct io_uring_recvmsg_out *)buf;
}

/* The source address: right after the header. */
IOURINGINLINE void *io_uring_recvmsg_name(struct io_uring_recvmsg_out *o) LIBURING_NOEXCEPT
{
	return (void *)&o[1];
}

/* The first control message, or NULL if less than one cmsghdr was written. */
IOURINGINLINE struct cmsghdr *io_uring_recvmsg_cmsg_firsthdr(struct io_uring_recvmsg_out *o,
							     struct msghdr *msgh) LIBURING_NOEXCEPT
{
	if (o->controllen < sizeof(struct cmsghdr))
		return NULL;
	return (struct cmsghdr *)((unsigned char *)io_uring_recvmsg_name(o) + msgh->msg_namelen);
}

/* The control message after cmsg, or NULL when cmsg is malformed or the next
 * one (its header, or its aligned length) would run past the control data
 * the kernel wrote. Works on addresses as integers and compares remaining
 * byte counts, so a bogus cmsg_len can neither wrap around nor make us form
 * a pointer beyond the control area. */
IOURINGINLINE struct cmsghdr *io_uring_recvmsg_cmsg_nexthdr(struct io_uring_recvmsg_out *o,
							    struct msghdr *msgh,
							    struct cmsghdr *cmsg) LIBURING_NOEXCEPT
{
	uintptr_t end = (uintptr_t)io_uring_recvmsg_name(o) + msgh->msg_namelen + o->controllen;
	uintptr_t pos = (uintptr_t)cmsg;
	size_t len = cmsg->cmsg_len;

	if (len < sizeof(struct cmsghdr) || pos > end || len > end - pos)
		return NULL;
	pos += CMSG_ALIGN(len);
	if (pos > end || end - pos < sizeof(struct cmsghdr))
		return NULL;
	len = ((struct cmsghdr *)pos)->cmsg_len;
	if (len > end - pos || CMSG_ALIGN(len) > end - pos)
		return NULL;
	return (struct cmsghdr *)pos;
}

/* Start of the payload: after the name and control areas. */
IOURINGINLINE void *io_uring_recvmsg_payload(struct io_uring_recvmsg_out *o,
					     struct msghdr *msgh) LIBURING_NOEXCEPT
{
	return (void *)((unsigned char *)io_uring_recvmsg_name(o) + msgh->msg_namelen +
			msgh->msg_controllen);
}

/* Payload bytes inside a buffer of buf_len bytes (computed from the buffer
 * size, not o->payloadlen, which may exceed what fitted). 0 if buf_len is
 * negative or the payload would start at or past the end. */
IOURINGINLINE unsigned int io_uring_recvmsg_payload_length(struct io_uring_recvmsg_out *o, int buf_len,
							   struct msghdr *msgh) LIBURING_NOEXCEPT
{
	uintptr_t start, end;

	if (buf_len < 0)
		return 0;
	start = (uintptr_t)io_uring_recvmsg_payload(o, msgh);
	end = (uintptr_t)o + (unsigned)buf_len;
	if (start >= end)
		return 0;
	return (unsigned int)(end - start);
}

#endif /* LIBURING_DETAIL_PREP_NET_H */
