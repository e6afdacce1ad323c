/* SPDX-License-Identifier: MIT */
/*
 * <liburing/io_uring.h>: the io_uring kernel ABI as seen by user space.
 *
 * Everything in here is fixed by the kernel: opcode and flag numbers, and the
 * byte layout of every structure passed through io_uring_setup(2),
 * io_uring_enter(2), io_uring_register(2) or the shared ring mappings.
 * Applications built against liburing include this file (through
 * <liburing.h>) and test for features with #ifdef, so each constant keeps
 * the kind it has upstream: bit flags are macros, opcode-style numbers are
 * enumerators of the named enums.
 *
 * Layouts are the x86_64/LP64 ones; all fields are fixed-width so they are
 * the same on every 64-bit ABI.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>     /* __kernel_rwf_t */
#include <linux/types.h>  /* __u8 .. __u64, __s32, __aligned_u64 */
/* struct __kernel_timespec; <liburing/compat.h> supplies it and sets the
 * skip macro when it does. */
#ifndef UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
#include <linux/time_types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Submission queue entry
 * ------------------------------------------------------------------------ */

/*
 * One 64-byte SQE (128 bytes with IORING_SETUP_SQE128, in which case cmd[]
 * runs on to byte 127). Most words are unions: each opcode reads the same
 * bytes under its own name, and the prep helpers write through those names.
 */
struct io_uring_sqe {
	__u8	opcode;		/* IORING_OP_* */
	__u8	flags;		/* IOSQE_* */
	__u16	ioprio;		/* priority, or per-op flags (recv/send/accept) */
	__s32	fd;		/* file descriptor or direct-descriptor index */
	union {			/* bytes 8..15 */
		__u64	off;	/* file offset or op-specific value */
		__u64	addr2;
		struct {
			__u32	cmd_op;	/* uring_cmd sub-command */
			__u32	__pad1;
		};
	};
	union {			/* bytes 16..23 */
		__u64	addr;	/* buffer, iovec array, path, struct pointer */
		__u64	splice_off_in;
		struct {
			__u32	level;	/* socket option commands */
			__u32	optname;
		};
	};
	__u32	len;		/* length or count */
	union {			/* bytes 28..31: the per-opcode flags word */
		__kernel_rwf_t	rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;	/* legacy 16-bit mask */
		__u32		poll32_events;	/* halfword-swapped on big endian */
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
		__u32		waitid_flags;
		__u32		futex_flags;
		__u32		install_fd_flags;
		__u32		nop_flags;
		__u32		pipe_flags;
	};
	__u64	user_data;	/* echoed back in cqe->user_data */
	/* Packed so the union has alignment 1, as the kernel's copy does. */
	union {			/* bytes 40..41 */
		__u16	buf_index;	/* registered buffer index */
		__u16	buf_group;	/* provided-buffer group */
	} __attribute__((packed));
	__u16	personality;	/* registered credentials, 0 = none */
	union {			/* bytes 44..47 */
		__s32	splice_fd_in;
		__u32	file_index;	/* direct-descriptor slot + 1 */
		__u32	zcrx_ifq_idx;
		__u32	optlen;
		struct {
			__u16	addr_len;	/* sendto address length */
			__u16	__pad3[1];
		};
	};
	union {			/* bytes 48..63 */
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		struct {
			__u64	attr_ptr;	/* struct io_uring_attr_pi * */
			__u64	attr_type_mask;	/* IORING_RW_ATTR_FLAG_* */
		};
		__u64	optval;
		/* Inline uring_cmd payload: 16 bytes here, 80 with SQE128. */
		__u8	cmd[0];
	};
};

/* Read/write attributes pointed to by sqe->attr_ptr (attr_type_mask bits). */
#define IORING_RW_ATTR_FLAG_PI	(1U << 0)

/* Protection-information attribute (IORING_RW_ATTR_FLAG_PI). */
struct io_uring_attr_pi {
	__u16	flags;
	__u16	app_tag;
	__u32	len;
	__u64	addr;
	__u64	seed;
	__u64	rsvd;
};

/* sqe->file_index value asking the kernel to pick a free direct slot. */
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* Bit numbers behind the IOSQE_* flags of sqe->flags. */
enum io_uring_sqe_flags_bit {
	IOSQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,
};

/* sqe->flags */
#define IOSQE_FIXED_FILE	(1U << IOSQE_FIXED_FILE_BIT)	/* fd is a direct descriptor */
#define IOSQE_IO_DRAIN		(1U << IOSQE_IO_DRAIN_BIT)	/* wait for all earlier SQEs */
#define IOSQE_IO_LINK		(1U << IOSQE_IO_LINK_BIT)	/* next SQE depends on this one */
#define IOSQE_IO_HARDLINK	(1U << IOSQE_IO_HARDLINK_BIT)	/* link that survives failure */
#define IOSQE_ASYNC		(1U << IOSQE_ASYNC_BIT)		/* always punt to io-wq */
#define IOSQE_BUFFER_SELECT	(1U << IOSQE_BUFFER_SELECT_BIT)	/* pick from buf_group */
#define IOSQE_CQE_SKIP_SUCCESS	(1U << IOSQE_CQE_SKIP_SUCCESS_BIT) /* no CQE on success */

/* ------------------------------------------------------------------------
 * io_uring_setup(2) flags (io_uring_params.flags)
 * ------------------------------------------------------------------------ */
#define IORING_SETUP_IOPOLL		(1U << 0)	/* busy-poll for completions */
#define IORING_SETUP_SQPOLL		(1U << 1)	/* kernel thread polls the SQ */
#define IORING_SETUP_SQ_AFF		(1U << 2)	/* sq_thread_cpu is valid */
#define IORING_SETUP_CQSIZE		(1U << 3)	/* cq_entries is valid */
#define IORING_SETUP_CLAMP		(1U << 4)	/* clamp sizes instead of failing */
#define IORING_SETUP_ATTACH_WQ		(1U << 5)	/* share io-wq with wq_fd */
#define IORING_SETUP_R_DISABLED		(1U << 6)	/* start disabled */
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)	/* keep submitting after errors */
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)	/* no IPI for task work */
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)	/* report IORING_SQ_TASKRUN */
#define IORING_SETUP_SQE128		(1U << 10)	/* 128-byte SQEs */
#define IORING_SETUP_CQE32		(1U << 11)	/* 32-byte CQEs */
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)	/* one submitting task */
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)	/* task work only on enter */
#define IORING_SETUP_NO_MMAP		(1U << 14)	/* app supplies ring memory */
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)	/* return a registered index */
#define IORING_SETUP_NO_SQARRAY		(1U << 16)	/* no SQ index array */
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)	/* sleep before polling */
#define IORING_SETUP_CQE_MIXED		(1U << 18)	/* 16- and 32-byte CQEs */
#define IORING_SETUP_SQE_MIXED		(1U << 19)	/* 64- and 128-byte SQEs */
#define IORING_SETUP_SQ_REWIND		(1U << 20)

/* ------------------------------------------------------------------------
 * Opcodes (sqe->opcode)
 * ------------------------------------------------------------------------ */
enum io_uring_op {
	IORING_OP_NOP,
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_FSYNC,
	IORING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG,
	IORING_OP_RECVMSG,
	IORING_OP_TIMEOUT,
	IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT,
	IORING_OP_FALLOCATE,
	IORING_OP_OPENAT,
	IORING_OP_CLOSE,
	IORING_OP_FILES_UPDATE,
	IORING_OP_STATX,
	IORING_OP_READ,
	IORING_OP_WRITE,
	IORING_OP_FADVISE,
	IORING_OP_MADVISE,
	IORING_OP_SEND,
	IORING_OP_RECV,
	IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL,
	IORING_OP_SPLICE,
	IORING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE,
	IORING_OP_SHUTDOWN,
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,
	IORING_OP_FSETXATTR,
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC,
	IORING_OP_READ_MULTISHOT,
	IORING_OP_WAITID,
	IORING_OP_FUTEX_WAIT,
	IORING_OP_FUTEX_WAKE,
	IORING_OP_FUTEX_WAITV,
	IORING_OP_FIXED_FD_INSTALL,
	IORING_OP_FTRUNCATE,
	IORING_OP_BIND,
	IORING_OP_LISTEN,
	IORING_OP_RECV_ZC,
	IORING_OP_EPOLL_WAIT,
	IORING_OP_READV_FIXED,
	IORING_OP_WRITEV_FIXED,
	IORING_OP_PIPE,
	IORING_OP_NOP128,
	IORING_OP_URING_CMD128,

	/* Number of opcodes in this header; grows with every release. */
	IORING_OP_LAST,
};

/* ------------------------------------------------------------------------
 * Per-opcode flags, mostly stored in the sqe op-flags word (rw_flags etc.)
 * ------------------------------------------------------------------------ */

/* sqe->uring_cmd_flags */
#define IORING_URING_CMD_FIXED	(1U << 0)	/* use the registered buffer buf_index */
#define IORING_URING_CMD_MASK	IORING_URING_CMD_FIXED

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC	(1U << 0)

/* sqe->timeout_flags */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)
#define IORING_TIMEOUT_IMMEDIATE_ARG	(1U << 7)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* sqe->splice_flags: splice_fd_in is a direct descriptor. Lives above the
 * generic SPLICE_F_* bits. */
#define SPLICE_F_FD_IN_FIXED	(1U << 31)

/* POLL_ADD flags, carried in sqe->len (the events go in poll32_events). */
#define IORING_POLL_ADD_MULTI		(1U << 0)	/* multishot poll */
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)	/* POLL_REMOVE: update mask */
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)	/* POLL_REMOVE: update user_data */
#define IORING_POLL_ADD_LEVEL		(1U << 3)	/* level triggered */

/* sqe->cancel_flags for ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL. */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)	/* every match, not just one */
#define IORING_ASYNC_CANCEL_FD		(1U << 1)	/* match on fd */
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)	/* match anything */
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)	/* fd is a direct descriptor */
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)	/* match on user_data */
#define IORING_ASYNC_CANCEL_OP		(1U << 5)	/* match on opcode */

/* send/recv flags, carried in sqe->ioprio. */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)	/* poll before trying */
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)	/* buf_index is a registered buffer */
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)	/* notification res says if copied */
#define IORING_RECVSEND_BUNDLE		(1U << 4)	/* several provided buffers at once */
#define IORING_SEND_VECTORIZED		(1U << 5)	/* send takes an iovec */

/* Set in a zero-copy notification's res when the data was copied. */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* accept flags, carried in sqe->ioprio. */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)

/* IORING_OP_MSG_RING sub-commands, stored in sqe->addr. */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA,	/* post a CQE with len/off as res/user_data */
	IORING_MSG_SEND_FD,	/* pass a direct descriptor */
};

/* sqe->msg_ring_flags */
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)	/* no CQE on the source ring */
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)	/* file_index carries target cqe flags */

/* sqe->install_fd_flags for IORING_OP_FIXED_FD_INSTALL */
#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* sqe->nop_flags */
#define IORING_NOP_INJECT_RESULT	(1U << 0)	/* complete with sqe->len as res */
#define IORING_NOP_CQE32		(1U << 5)	/* post a 32-byte CQE */

/* ------------------------------------------------------------------------
 * Completion queue entry
 * ------------------------------------------------------------------------ */

/* 16 bytes; 32 with IORING_SETUP_CQE32 or IORING_CQE_F_32 (big_cqe valid). */
struct io_uring_cqe {
	__u64	user_data;	/* from the SQE */
	__s32	res;		/* result or -errno */
	__u32	flags;		/* IORING_CQE_F_*, buffer id in the top 16 bits */
	__u64	big_cqe[];
};

/* cqe->flags */
#define IORING_CQE_F_BUFFER		(1U << 0)	/* upper 16 bits are a buffer id */
#define IORING_CQE_F_MORE		(1U << 1)	/* more CQEs follow for this SQE */
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)	/* socket still has data */
#define IORING_CQE_F_NOTIF		(1U << 3)	/* zero-copy notification */
#define IORING_CQE_F_BUF_MORE		(1U << 4)	/* incremental buffer not used up */
#define IORING_CQE_F_SKIP		(1U << 5)	/* filler slot, ignore */
#define IORING_CQE_F_32			(1U << 15)	/* this CQE is 32 bytes */

#define IORING_CQE_BUFFER_SHIFT		16

/* ------------------------------------------------------------------------
 * Ring mappings
 * ------------------------------------------------------------------------ */

/* mmap(2) offsets on the ring fd selecting what to map. */
#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
#define IORING_OFF_PBUF_RING		0x80000000ULL
#define IORING_OFF_PBUF_SHIFT		16	/* buffer group id position */
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

/* Where the SQ ring fields sit inside the SQ ring mapping. */
struct io_sqring_offsets {
	__u32	head;
	__u32	tail;
	__u32	ring_mask;
	__u32	ring_entries;
	__u32	flags;
	__u32	dropped;
	__u32	array;
	__u32	resv1;
	__u64	user_addr;	/* in, with IORING_SETUP_NO_MMAP */
};

/* SQ ring flags word (kernel-written) */
#define IORING_SQ_NEED_WAKEUP	(1U << 0)	/* SQPOLL thread sleeps */
#define IORING_SQ_CQ_OVERFLOW	(1U << 1)	/* CQEs waiting to be flushed */
#define IORING_SQ_TASKRUN	(1U << 2)	/* task work pending */

/* Where the CQ ring fields sit inside the CQ ring mapping. */
struct io_cqring_offsets {
	__u32	head;
	__u32	tail;
	__u32	ring_mask;
	__u32	ring_entries;
	__u32	overflow;
	__u32	cqes;
	__u32	flags;
	__u32	resv1;
	__u64	user_addr;	/* in, with IORING_SETUP_NO_MMAP */
};

/* CQ ring flags word (application-written) */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/* io_uring_enter(2) flags */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)	/* arg is io_uring_getevents_arg */
#define IORING_ENTER_REGISTERED_RING	(1U << 4)	/* fd is a registered index */
#define IORING_ENTER_ABS_TIMER		(1U << 5)
#define IORING_ENTER_EXT_ARG_REG	(1U << 6)	/* arg is a reg_wait offset */
#define IORING_ENTER_NO_IOWAIT		(1U << 7)

/* In/out argument of io_uring_setup(2). */
struct io_uring_params {
	__u32	sq_entries;
	__u32	cq_entries;
	__u32	flags;
	__u32	sq_thread_cpu;
	__u32	sq_thread_idle;
	__u32	features;
	__u32	wq_fd;
	__u32	resv[3];
	struct io_sqring_offsets	sq_off;
	struct io_cqring_offsets	cq_off;
};

/* io_uring_params.features */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)
#define IORING_FEAT_RW_ATTR		(1U << 16)
#define IORING_FEAT_NO_IOWAIT		(1U << 17)

/* ------------------------------------------------------------------------
 * io_uring_register(2)
 * ------------------------------------------------------------------------ */
enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,
	IORING_REGISTER_SYNC_CANCEL		= 24,
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	IORING_REGISTER_PBUF_STATUS		= 26,
	IORING_REGISTER_NAPI			= 27,
	IORING_UNREGISTER_NAPI			= 28,
	IORING_REGISTER_CLOCK			= 29,
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	IORING_REGISTER_SEND_MSG_RING		= 31,
	IORING_REGISTER_ZCRX_IFQ		= 32,
	IORING_REGISTER_RESIZE_RINGS		= 33,
	IORING_REGISTER_MEM_REGION		= 34,
	IORING_REGISTER_QUERY			= 35,
	IORING_REGISTER_ZCRX_CTRL		= 36,
	IORING_REGISTER_BPF_FILTER		= 37,

	/* Number of register opcodes; grows with every release. */
	IORING_REGISTER_LAST,

	/* OR'd into the opcode: the fd argument is a registered ring index.
	 * Does not fit in int, so the enum becomes unsigned (GNU C). */
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31
};

/* io-wq pool selector for IORING_REGISTER_IOWQ_MAX_WORKERS values[]. */
enum io_wq_type {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

/* Deprecated name of the IORING_REGISTER_FILES_UPDATE argument. */
struct io_uring_files_update {
	__u32		offset;
	__u32		resv;
	__aligned_u64	fds;	/* __s32 * */
};

/* io_uring_region_desc.flags */
enum {
	IORING_MEM_REGION_TYPE_USER	= 1,	/* user_addr is caller memory */
};

/* A memory region shared with the kernel (IORING_REGISTER_MEM_REGION, zcrx). */
struct io_uring_region_desc {
	__u64	user_addr;
	__u64	size;
	__u32	flags;
	__u32	id;
	__u64	mmap_offset;	/* out, for kernel-allocated regions */
	__u64	__resv[4];
};

/* io_uring_mem_region_reg.flags */
enum {
	IORING_MEM_REGION_REG_WAIT_ARG	= 1,	/* holds io_uring_reg_wait slots */
};

/* Argument of IORING_REGISTER_MEM_REGION. */
struct io_uring_mem_region_reg {
	__u64	region_uptr;	/* struct io_uring_region_desc * */
	__u64	flags;
	__u64	__resv[2];
};

/* io_uring_rsrc_register.flags: register an empty table of nr slots. */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

/* Argument of IORING_REGISTER_FILES2 / BUFFERS2. */
struct io_uring_rsrc_register {
	__u32		nr;
	__u32		flags;
	__u64		resv2;
	__aligned_u64	data;	/* int fds[] or struct iovec[] */
	__aligned_u64	tags;	/* __u64 tags[] or 0 */
};

/* Argument of IORING_REGISTER_FILES_UPDATE and the ring-fd registrations. */
struct io_uring_rsrc_update {
	__u32		offset;
	__u32		resv;
	__aligned_u64	data;
};

/* Argument of IORING_REGISTER_FILES_UPDATE2 / BUFFERS_UPDATE. */
struct io_uring_rsrc_update2 {
	__u32		offset;
	__u32		resv;
	__aligned_u64	data;
	__aligned_u64	tags;
	__u32		nr;
	__u32		resv2;
};

/* fd value in a files-update array: leave this slot unchanged. */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* io_uring_probe_op.flags */
#define IO_URING_OP_SUPPORTED	(1U << 0)

/* One opcode of the IORING_REGISTER_PROBE result. */
struct io_uring_probe_op {
	__u8	op;
	__u8	resv;
	__u16	flags;	/* IO_URING_OP_SUPPORTED */
	__u32	resv2;
};

/* IORING_REGISTER_PROBE result: header followed by ops_len entries. */
struct io_uring_probe {
	__u8	last_op;	/* highest opcode the kernel knows */
	__u8	ops_len;	/* entries filled in ops[] */
	__u16	resv;
	__u32	resv2[3];
	struct io_uring_probe_op	ops[];
};

/* One rule of IORING_REGISTER_RESTRICTIONS. */
struct io_uring_restriction {
	__u16	opcode;		/* IORING_RESTRICTION_* */
	union {
		__u8	register_op;	/* enum io_uring_register_op */
		__u8	sqe_op;		/* enum io_uring_op */
		__u8	sqe_flags;	/* IOSQE_* */
	};
	__u8	resv;
	__u32	resv2[3];
};

/* A task restriction set: header followed by nr_res restrictions. */
struct io_uring_task_restriction {
	__u16	flags;
	__u16	nr_res;
	__u32	resv[3];
	struct io_uring_restriction	restrictions[0];
};

/* Argument of IORING_REGISTER_CLOCK. */
struct io_uring_clock_register {
	__u32	clockid;	/* CLOCK_MONOTONIC or CLOCK_BOOTTIME */
	__u32	__resv[3];
};

/* io_uring_clone_buffers.flags */
enum {
	IORING_REGISTER_SRC_REGISTERED	= (1U << 0),	/* src_fd is a registered index */
	IORING_REGISTER_DST_REPLACE	= (1U << 1),	/* overwrite existing buffers */
};

/* Argument of IORING_REGISTER_CLONE_BUFFERS. */
struct io_uring_clone_buffers {
	__u32	src_fd;
	__u32	flags;
	__u32	src_off;
	__u32	dst_off;
	__u32	nr;	/* 0 = all */
	__u32	pad[3];
};

/* One provided buffer in a buffer ring. */
struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;	/* reported back in cqe->flags >> 16 */
	__u16	resv;	/* bufs[0].resv is the ring tail */
};

/*
 * Provided-buffer ring. The ring is an array of io_uring_buf; the resv word
 * of its first entry is the tail the application advances, so the header
 * struct overlays bufs[0].
 */
struct io_uring_buf_ring {
	union {
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		struct io_uring_buf	bufs[0];
	};
};

/* io_uring_buf_reg.flags */
enum io_uring_register_pbuf_ring_flags {
	IOU_PBUF_RING_MMAP	= 1,	/* kernel allocates; mmap it */
	IOU_PBUF_RING_INC	= 2,	/* buffers are consumed incrementally */
};

/* Argument of IORING_(UN)REGISTER_PBUF_RING. */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;	/* power of two */
	__u16	bgid;
	__u16	flags;		/* IOU_PBUF_RING_* */
	__u32	min_left;
	__u32	resv[5];
};

/* Argument of IORING_REGISTER_PBUF_STATUS. */
struct io_uring_buf_status {
	__u32	buf_group;	/* in */
	__u32	head;		/* out */
	__u32	resv[8];
};

/* Argument of IORING_(UN)REGISTER_NAPI. */
struct io_uring_napi {
	__u32	busy_poll_to;	/* usec */
	__u8	prefer_busy_poll;
	__u8	pad[3];
	__u64	resv;
};

/* io_uring_restriction.opcode */
enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0,	/* allow a register opcode */
	IORING_RESTRICTION_SQE_OP		= 1,	/* allow an SQE opcode */
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,	/* allowed sqe->flags */
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,	/* required sqe->flags */

	IORING_RESTRICTION_LAST
};

/* io_uring_reg_wait.flags */
enum {
	IORING_REG_WAIT_TS	= (1U << 0),	/* ts is valid */
};

/* One registered wait descriptor, selected with IORING_ENTER_EXT_ARG_REG. */
struct io_uring_reg_wait {
	struct __kernel_timespec	ts;
	__u32	min_wait_usec;
	__u32	flags;
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	pad[3];
	__u64	pad2[2];
};

/* io_uring_enter(2) argument with IORING_ENTER_EXT_ARG. */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	min_wait_usec;
	__u64	ts;	/* struct __kernel_timespec * */
};

/* Argument of IORING_REGISTER_SYNC_CANCEL. */
struct io_uring_sync_cancel_reg {
	__u64	addr;
	__s32	fd;
	__u32	flags;
	struct __kernel_timespec	timeout;
	__u8	opcode;
	__u8	pad[7];
	__u64	pad2[3];
};

/* Argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len). */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/* Header at the start of each multishot recvmsg buffer. */
struct io_uring_recvmsg_out {
	__u32	namelen;
	__u32	controllen;
	__u32	payloadlen;
	__u32	flags;
};

/* Socket uring_cmd sub-commands (sqe->cmd_op). */
enum io_uring_socket_op {
	SOCKET_URING_OP_SIOCINQ		= 0,
	SOCKET_URING_OP_SIOCOUTQ,
	SOCKET_URING_OP_GETSOCKOPT,
	SOCKET_URING_OP_SETSOCKOPT,
	SOCKET_URING_OP_TX_TIMESTAMP,
	SOCKET_URING_OP_GETSOCKNAME,
};

/* TX timestamp completions: cqe->flags bits and their positions. */
#define IORING_TIMESTAMP_HW_SHIFT	16
#define IORING_TIMESTAMP_TYPE_SHIFT	(IORING_TIMESTAMP_HW_SHIFT + 1)
#define IORING_CQE_F_TSTAMP_HW		(1U << IORING_TIMESTAMP_HW_SHIFT)

/* 64-bit seconds/nanoseconds pair (TX timestamp payload). */
struct io_timespec {
	__u64	tv_sec;
	__u64	tv_nsec;
};

/* ------------------------------------------------------------------------
 * Zero-copy receive (zcrx)
 * ------------------------------------------------------------------------ */

/* Refill queue entry handing a buffer back to the kernel. */
struct io_uring_zcrx_rqe {
	__u64	off;	/* area offset | area id << IORING_ZCRX_AREA_SHIFT */
	__u32	len;
	__u32	__pad;
};

/* Second half of a 32-byte RECV_ZC completion. */
struct io_uring_zcrx_cqe {
	__u64	off;
	__u64	__pad;
};

/* The area id sits in the top bits of rqe/cqe offsets. */
#define IORING_ZCRX_AREA_SHIFT	48
#define IORING_ZCRX_AREA_MASK	(~(((__u64)1 << IORING_ZCRX_AREA_SHIFT) - 1))

/* Layout of the zcrx refill ring. */
struct io_uring_zcrx_offsets {
	__u32	head;
	__u32	tail;
	__u32	rqes;
	__u32	__resv2;
	__u64	__resv[2];
};

/* io_uring_zcrx_area_reg.flags */
enum io_uring_zcrx_area_flags {
	IORING_ZCRX_AREA_DMABUF		= 1,	/* dmabuf_fd is valid */
};

/* A zcrx buffer area. */
struct io_uring_zcrx_area_reg {
	__u64	addr;
	__u64	len;
	__u64	rq_area_token;	/* out */
	__u32	flags;
	__u32	dmabuf_fd;
	__u64	__resv2[2];
};

/* io_uring_zcrx_ifq_reg.flags */
enum zcrx_reg_flags {
	ZCRX_REG_IMPORT	= 1,
	ZCRX_REG_NODEV	= 2,
};

/* Optional zcrx features. */
enum zcrx_features {
	ZCRX_FEATURE_RX_PAGE_SIZE	= 1 << 0,	/* rx_buf_len is honoured */
};

/* Argument of IORING_REGISTER_ZCRX_IFQ. */
struct io_uring_zcrx_ifq_reg {
	__u32	if_idx;
	__u32	if_rxq;
	__u32	rq_entries;
	__u32	flags;		/* ZCRX_REG_* */
	__u64	area_ptr;	/* struct io_uring_zcrx_area_reg * */
	__u64	region_ptr;	/* struct io_uring_region_desc * */
	struct io_uring_zcrx_offsets	offsets;	/* out */
	__u32	zcrx_id;	/* out */
	__u32	rx_buf_len;
	__u64	__resv[3];
};

/* zcrx_ctrl.op */
enum zcrx_ctrl_op {
	ZCRX_CTRL_FLUSH_RQ,
	ZCRX_CTRL_EXPORT,

	__ZCRX_CTRL_LAST,
};

/* Payload of ZCRX_CTRL_FLUSH_RQ (reserved). */
struct zcrx_ctrl_flush_rq {
	__u64	__resv[6];
};

/* Payload of ZCRX_CTRL_EXPORT. */
struct zcrx_ctrl_export {
	__u32	zcrx_fd;
	__u32	__resv1[11];
};

/* Argument of IORING_REGISTER_ZCRX_CTRL. */
struct zcrx_ctrl {
	__u32	zcrx_id;
	__u32	op;	/* enum zcrx_ctrl_op */
	__u64	__resv[2];
	union {
		struct zcrx_ctrl_export		zc_export;
		struct zcrx_ctrl_flush_rq	zc_flush;
	};
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
