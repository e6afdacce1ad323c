/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers: messages, poll, sync, nop, timeouts, accept and cancel.
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_CONTROL_H
#define LIBURING_DETAIL_PREP_CONTROL_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_control.h>"
#endif

/* ------------------------------------------------------------------------
 * Messages, poll, sync, nop, timeouts, accept, cancel
 * ------------------------------------------------------------------------ */

/* Prepares IORING_OP_RECVMSG: one msghdr (len 1), MSG_* flags. */
IOURINGINLINE void io_uring_prep_recvmsg(struct io_uring_sqe *sqe, int fd, struct msghdr *msg,
					 unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_RECVMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/* Prepares multishot IORING_OP_RECVMSG. ORs the bit into ioprio (assumed 0
 * from io_uring_get_sqe); the caller adds IOSQE_BUFFER_SELECT and a group. */
IOURINGINLINE void io_uring_prep_recvmsg_multishot(struct io_uring_sqe *sqe, int fd,
						   struct msghdr *msg, unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_recvmsg(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/* Prepares IORING_OP_SENDMSG. */
IOURINGINLINE void io_uring_prep_sendmsg(struct io_uring_sqe *sqe, int fd, const struct msghdr *msg,
					 unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SENDMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/* Prepares a one-shot IORING_OP_POLL_ADD for poll_mask. */
IOURINGINLINE void io_uring_prep_poll_add(struct io_uring_sqe *sqe, int fd, unsigned poll_mask) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_POLL_ADD, sqe, fd, NULL, 0, 0);
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

/* Prepares a multishot IORING_OP_POLL_ADD (IORING_POLL_ADD_MULTI in len). */
IOURINGINLINE void io_uring_prep_poll_multishot(struct io_uring_sqe *sqe, int fd,
						unsigned poll_mask) LIBURING_NOEXCEPT
{
	io_uring_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

/* Prepares IORING_OP_POLL_REMOVE of the poll whose user_data matches. */
IOURINGINLINE void io_uring_prep_poll_remove(struct io_uring_sqe *sqe, __u64 user_data) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

/* Prepares IORING_OP_POLL_REMOVE as an update: addr finds the poll, off
 * carries the new user_data, len the IORING_POLL_UPDATE_* / ADD_MULTI bits. */
IOURINGINLINE void io_uring_prep_poll_update(struct io_uring_sqe *sqe, __u64 old_user_data,
					     __u64 new_user_data, unsigned poll_mask,
					     unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, flags, new_user_data);
	sqe->addr = old_user_data;
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

/* Prepares IORING_OP_FSYNC (IORING_FSYNC_DATASYNC for fdatasync). */
IOURINGINLINE void io_uring_prep_fsync(struct io_uring_sqe *sqe, int fd, unsigned fsync_flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FSYNC, sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

/* Prepares IORING_OP_NOP. */
IOURINGINLINE void io_uring_prep_nop(struct io_uring_sqe *sqe) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);
}

/* Prepares IORING_OP_NOP128 (a 128-byte NOP for SQE_MIXED rings). */
IOURINGINLINE void io_uring_prep_nop128(struct io_uring_sqe *sqe) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_NOP128, sqe, -1, NULL, 0, 0);
}

/* Prepares IORING_OP_TIMEOUT: one timespec at addr, completion count in
 * off. */
IOURINGINLINE void io_uring_prep_timeout(struct io_uring_sqe *sqe, const struct __kernel_timespec *ts,
					 unsigned count, unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

/* Prepares IORING_OP_TIMEOUT_REMOVE of the timeout whose user_data
 * matches. */
IOURINGINLINE void io_uring_prep_timeout_remove(struct io_uring_sqe *sqe, __u64 user_data,
						unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

/* Prepares IORING_OP_TIMEOUT_REMOVE as an update: the new timespec goes in
 * off, and IORING_TIMEOUT_UPDATE is what makes it an update. */
IOURINGINLINE void io_uring_prep_timeout_update(struct io_uring_sqe *sqe,
						const struct __kernel_timespec *ts,
						__u64 user_data, unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, uring_ptr_to_u64(ts));
	sqe->addr = user_data;
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
}

/* Prepares IORING_OP_ACCEPT (accept4 flags; the addrlen pointer in off). */
IOURINGINLINE void io_uring_prep_accept(struct io_uring_sqe *sqe, int fd, struct sockaddr *addr,
					socklen_t *addrlen, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_ACCEPT, sqe, fd, addr, 0, uring_ptr_to_u64(addrlen));
	sqe->accept_flags = (__u32)flags;
}

/* Prepares IORING_OP_ACCEPT into direct-descriptor slot file_index;
 * IORING_FILE_INDEX_ALLOC lets the kernel pick (stored unchanged). */
IOURINGINLINE void io_uring_prep_accept_direct(struct io_uring_sqe *sqe, int fd, struct sockaddr *addr,
					       socklen_t *addrlen, int flags,
					       unsigned int file_index) LIBURING_NOEXCEPT
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, file_index);
}

/* Prepares multishot IORING_OP_ACCEPT (bit ORed into ioprio). */
IOURINGINLINE void io_uring_prep_multishot_accept(struct io_uring_sqe *sqe, int fd,
						  struct sockaddr *addr, socklen_t *addrlen,
						  int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_accept(sqe, fd, addr, addrlen, flags);
	sqe->ioprio |= IORING_ACCEPT_MULTISHOT;
}

/* Prepares multishot IORING_OP_ACCEPT into kernel-allocated slots. */
IOURINGINLINE void io_uring_prep_multishot_accept_direct(struct io_uring_sqe *sqe, int fd,
							 struct sockaddr *addr, socklen_t *addrlen,
							 int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_multishot_accept(sqe, fd, addr, addrlen, flags);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
}

/* Prepares IORING_OP_ASYNC_CANCEL of requests matching user_data. */
IOURINGINLINE void io_uring_prep_cancel64(struct io_uring_sqe *sqe, __u64 user_data, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (__u32)flags;
}

/* Prepares IORING_OP_ASYNC_CANCEL; user_data given as the pointer that was
 * passed to io_uring_sqe_set_data. */
IOURINGINLINE void io_uring_prep_cancel(struct io_uring_sqe *sqe, const void *user_data, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_cancel64(sqe, uring_ptr_to_u64(user_data), flags);
}

/* Prepares IORING_OP_ASYNC_CANCEL of everything on fd (CANCEL_FD is always
 * added; the caller adds CANCEL_FD_FIXED for a direct descriptor). */
IOURINGINLINE void io_uring_prep_cancel_fd(struct io_uring_sqe *sqe, int fd, unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, fd, NULL, 0, 0);
	sqe->cancel_flags = flags | IORING_ASYNC_CANCEL_FD;
}

/* Prepares IORING_OP_LINK_TIMEOUT for the request linked before it. */
IOURINGINLINE void io_uring_prep_link_timeout(struct io_uring_sqe *sqe,
					      const struct __kernel_timespec *ts,
					      unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_LINK_TIMEOUT, sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

/* Prepares IORING_OP_CONNECT (the address length travels in off). */
IOURINGINLINE void io_uring_prep_connect(struct io_uring_sqe *sqe, int fd, const struct sockaddr *addr,
					 socklen_t addrlen) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_CONNECT, sqe, fd, addr, 0, addrlen);
}

/* Prepares IORING_OP_BIND (the address length travels in off). */
IOURINGINLINE void io_uring_prep_bind(struct io_uring_sqe *sqe, int fd, const struct sockaddr *addr,
				      socklen_t addrlen) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_BIND, sqe, fd, addr, 0, addrlen);
}

/* Prepares IORING_OP_LISTEN (backlog in len). */
IOURINGINLINE void io_uring_prep_listen(struct io_uring_sqe *sqe, int fd, int backlog) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_LISTEN, sqe, fd, NULL, (unsigned)backlog, 0);
}

/* Prepares IORING_OP_EPOLL_WAIT into events[maxevents]. */
IOURINGINLINE void io_uring_prep_epoll_wait(struct io_uring_sqe *sqe, int fd,
					    struct epoll_event *events, int maxevents,
					    unsigned flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_EPOLL_WAIT, sqe, fd, events, (unsigned)maxevents, 0);
	sqe->rw_flags = (__kernel_rwf_t)flags;
}

/* Prepares IORING_OP_FILES_UPDATE; offset is sign-extended into off, so
 * IORING_FILE_INDEX_ALLOC passed as an int becomes all ones. */
IOURINGINLINE void io_uring_prep_files_update(struct io_uring_sqe *sqe, int *fds, unsigned nr_fds,
					      int offset) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FILES_UPDATE, sqe, -1, fds, nr_fds, (__u64)offset);
}

/* Prepares IORING_OP_FALLOCATE. The kernel ABI puts len in addr and mode in
 * len. */
IOURINGINLINE void io_uring_prep_fallocate(struct io_uring_sqe *sqe, int fd, int mode, __u64 offset,
					   __u64 len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FALLOCATE, sqe, fd, NULL, (unsigned)mode, offset);
	sqe->addr = len;
}

#endif /* LIBURING_DETAIL_PREP_CONTROL_H */
