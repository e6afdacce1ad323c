/* SPDX-License-Identifier: MIT */
/*
 * <liburing/io_uring/query.h>: ring-less capability queries
 * (io_uring_register(2) with fd -1 and IORING_REGISTER_QUERY, Linux 6.18+).
 *
 * The argument is a chain of io_uring_query_hdr, each naming one query and
 * a result buffer; the kernel fills the buffer and the header's size and
 * result fields. Result structs only ever grow, so callers pass the size
 * they know and read back how much was written.
 */
#ifndef LINUX_IO_URING_QUERY_H
#define LINUX_IO_URING_QUERY_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One link of the query chain. */
struct io_uring_query_hdr {
	__u64	next_entry;	/* next struct io_uring_query_hdr *, or 0 */
	__u64	query_data;	/* result buffer for query_op */
	__u32	query_op;	/* IO_URING_QUERY_* */
	__u32	size;		/* in: buffer size, out: bytes written */
	__s32	result;		/* out: 0 or -errno */
	__u32	__resv[3];
};

/* io_uring_query_hdr.query_op */
enum {
	IO_URING_QUERY_OPCODES	= 0,	/* struct io_uring_query_opcode */
	IO_URING_QUERY_ZCRX	= 1,	/* struct io_uring_query_zcrx */
	IO_URING_QUERY_SCQ	= 2,	/* struct io_uring_query_scq */

	/* Number of query opcodes; grows with every release. */
	__IO_URING_QUERY_MAX,
};

/* IO_URING_QUERY_OPCODES: what the running kernel supports. */
struct io_uring_query_opcode {
	__u32	nr_request_opcodes;	/* SQE opcodes known */
	__u32	nr_register_opcodes;	/* io_uring_register opcodes known */
	__u64	feature_flags;		/* IORING_FEAT_* */
	__u64	ring_setup_flags;	/* IORING_SETUP_* */
	__u64	enter_flags;		/* IORING_ENTER_* */
	__u64	sqe_flags;		/* IOSQE_* */
	__u32	nr_query_opcodes;	/* IO_URING_QUERY_* known */
	__u32	__pad;
};

/* IO_URING_QUERY_ZCRX: zero-copy receive capabilities. */
struct io_uring_query_zcrx {
	__u64	register_flags;		/* ZCRX_REG_* */
	__u64	area_flags;		/* IORING_ZCRX_AREA_* */
	__u32	nr_ctrl_opcodes;	/* ZCRX_CTRL_* known */
	__u32	features;		/* ZCRX_FEATURE_* */
	__u32	rq_hdr_size;		/* refill ring header size */
	__u32	rq_hdr_alignment;
	__u64	__resv2;
};

/* IO_URING_QUERY_SCQ: shared SQ/CQ ring header geometry. */
struct io_uring_query_scq {
	__u64	hdr_size;
	__u64	hdr_alignment;
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_QUERY_H */
