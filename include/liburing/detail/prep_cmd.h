/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers for passthrough commands (IORING_OP_URING_CMD*).
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_CMD_H
#define LIBURING_DETAIL_PREP_CMD_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_cmd.h>"
#endif

/* ------------------------------------------------------------------------
 * Passthrough commands (IORING_OP_URING_CMD*). cmd[] (bytes 48..63, or
 * 48..127 with 128-byte SQEs) belongs to the caller unless a helper below
 * names the fields it uses.
 * ------------------------------------------------------------------------ */

/* Prepares the fields common to every uring_cmd: opcode (URING_CMD or
 * URING_CMD128), fd, cmd_op with its pad, and addr/len zeroed. off is not
 * written: cmd_op and __pad1 cover it. */
IOURINGINLINE void __io_uring_prep_uring_cmd(struct io_uring_sqe *sqe, int op, __u32 cmd_op,
					     int fd) LIBURING_NOEXCEPT
{
	sqe->opcode = (__u8)op;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	sqe->__pad1 = 0;
	sqe->addr = 0;
	sqe->len = 0;
}

/* Prepares a 64-byte IORING_OP_URING_CMD cmd_op for fd's driver. */
IOURINGINLINE void io_uring_prep_uring_cmd(struct io_uring_sqe *sqe, int cmd_op, int fd) LIBURING_NOEXCEPT
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD, (__u32)cmd_op, fd);
}

/* Prepares IORING_OP_URING_CMD128 (for SQE_MIXED rings). */
IOURINGINLINE void io_uring_prep_uring_cmd128(struct io_uring_sqe *sqe, int cmd_op, int fd) LIBURING_NOEXCEPT
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD128, (__u32)cmd_op, fd);
}

/* Prepares a socket uring_cmd (SOCKET_URING_OP_*): level and optname
 * overlay addr, optlen overlays file_index, optval overlays addr3. */
IOURINGINLINE void io_uring_prep_cmd_sock(struct io_uring_sqe *sqe, int cmd_op, int fd, int level,
					  int optname, void *optval, int optlen) LIBURING_NOEXCEPT
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD, (__u32)cmd_op, fd);
	sqe->optval = uring_ptr_to_u64(optval);
	sqe->optname = (__u32)optname;
	sqe->optlen = (__u32)optlen;
	sqe->level = (__u32)level;
}

/* Prepares SOCKET_URING_OP_GETSOCKNAME (peer=1: getpeername): the sockaddr
 * in addr, its length pointer in addr3, peer in optlen. */
IOURINGINLINE void io_uring_prep_cmd_getsockname(struct io_uring_sqe *sqe, int fd,
						 struct sockaddr *sockaddr, socklen_t *sockaddr_len,
						 int peer) LIBURING_NOEXCEPT
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD, SOCKET_URING_OP_GETSOCKNAME, fd);
	sqe->addr = uring_ptr_to_u64(sockaddr);
	sqe->addr3 = uring_ptr_to_u64(sockaddr_len);
	sqe->optlen = (__u32)peer;
}

#endif /* LIBURING_DETAIL_PREP_CMD_H */
