/* SPDX-License-Identifier: MIT */
/*
 * <liburing/io_uring/bpf_filter.h>: classic-BPF filters on io_uring
 * requests (IORING_REGISTER_BPF_FILTER).
 *
 * A filter is attached per opcode, either to one ring or to the calling
 * task. It runs over a struct io_uring_bpf_ctx describing the request and
 * decides whether the request may proceed.
 */
#ifndef LINUX_IO_URING_BPF_FILTER_H
#define LINUX_IO_URING_BPF_FILTER_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a filter program sees. The union after the fixed header carries
 * opcode-specific details; pdu_size says how many bytes of it are valid.
 */
struct io_uring_bpf_ctx {
	__u64	user_data;
	__u8	opcode;		/* IORING_OP_* */
	__u8	sqe_flags;	/* IOSQE_* */
	__u8	pdu_size;	/* valid bytes of the union below */
	__u8	pad[5];
	union {
		struct {		/* IORING_OP_SOCKET */
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {		/* IORING_OP_OPENAT / OPENAT2 */
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
	};
};

/* io_uring_bpf_filter.flags */
enum {
	IO_URING_BPF_FILTER_DENY_REST	= 1,	/* deny opcodes without a filter */
	IO_URING_BPF_FILTER_SZ_STRICT	= 2,	/* pdu_size must match exactly */
};

/* One cBPF program bound to an opcode. */
struct io_uring_bpf_filter {
	__u32	opcode;		/* IORING_OP_* this filter applies to */
	__u32	flags;		/* IO_URING_BPF_FILTER_* */
	__u32	filter_len;	/* instructions in filter_ptr */
	__u8	pdu_size;	/* context bytes the program expects */
	__u8	resv[3];
	__u64	filter_ptr;	/* struct sock_filter * */
	__u64	resv2[5];
};

/* io_uring_bpf.cmd_type */
enum {
	IO_URING_BPF_CMD_FILTER	= 1,	/* install io_uring_bpf.filter */
};

/* Argument of IORING_REGISTER_BPF_FILTER. */
struct io_uring_bpf {
	__u16	cmd_type;	/* IO_URING_BPF_CMD_* */
	__u16	cmd_flags;
	__u32	resv;
	union {
		struct io_uring_bpf_filter	filter;
	};
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_BPF_FILTER_H */
