/* SPDX-License-Identifier: MIT */
/*
 * <liburing.h> — bareuring's implementation of the liburing 2.15 interface.
 *
 * A program written for liburing includes this header and links -luring
 * unchanged. This file holds, in order:
 *   1. the system headers liburing.h has always pulled in (programs rely on
 *      them transitively);
 *   2. the storage-class and branch-hint macros of the API;
 *   3. struct io_uring and friends: their layout is ABI, because inline code
 *      compiled into applications (from our header or an older liburing one)
 *      reads and writes these fields directly — see docs/ring-layout.md;
 *   4. the declarations of every function exported from liburing.so.2;
 *   5. the inline fast path, kept by concern in the headers under liburing/detail.
 */
#ifndef LIB_URING_H
#define LIB_URING_H

/*
 * sigset_t, siginfo_t, idtype_t and AT_FDCWD are POSIX, not ISO C: under a
 * strict -std=c99/c11/... with no feature-test macro, glibc hides them. Ask
 * for POSIX.1-2008 + XSI in that case only; in the default gnu modes (and in
 * C++, where g++ defines _GNU_SOURCE) the user's environment is left as is.
 * This works when <liburing.h> is the first system header included.
 */
#if defined(__STRICT_ANSI__) && !defined(__cplusplus) && !defined(_XOPEN_SOURCE) && \
	!defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE)
#define _XOPEN_SOURCE 700
#endif

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/swab.h>
#include <linux/filter.h>
#include <sys/wait.h>
#include <stddef.h>
#include "liburing/compat.h"
#include "liburing/io_uring.h"
#include "liburing/io_uring/query.h"
#include "liburing/io_uring/bpf_filter.h"
#include "liburing/io_uring_version.h"
#include "liburing/barrier.h"

#ifndef uring_unlikely
#define uring_unlikely(cond) __builtin_expect(!!(cond), 0)
#endif
#ifndef uring_likely
#define uring_likely(cond) __builtin_expect(!!(cond), 1)
#endif

/*
 * IOURINGINLINE marks the inline API: static inline in C and in C++ before
 * C++20, plain inline from C++20 on (one definition shared across
 * translation units). The liburing-ffi build defines it empty beforehand, so
 * that every such body becomes an exported function. _LOCAL_INLINE marks
 * header-private helpers that are never exported.
 */
#ifndef IOURINGINLINE
#if defined(__cplusplus) && __cplusplus >= 202002L
#define IOURINGINLINE inline
#else
#define IOURINGINLINE static inline
#endif
#endif
#ifndef _LOCAL_INLINE
#if defined(__cplusplus) && __cplusplus >= 202002L
#define _LOCAL_INLINE inline
#else
#define _LOCAL_INLINE static inline
#endif
#endif

#ifdef __cplusplus
#define LIBURING_NOEXCEPT noexcept
#else
#define LIBURING_NOEXCEPT
#endif

/* Fallback syscall numbers for libcs that predate io_uring. */
#ifndef __NR_io_uring_setup
#if defined(__alpha__)
#define __NR_io_uring_setup 535
#define __NR_io_uring_enter 536
#define __NR_io_uring_register 537
#elif defined(__mips__)
#define __NR_io_uring_setup (__NR_Linux + 425)
#define __NR_io_uring_enter (__NR_Linux + 426)
#define __NR_io_uring_register (__NR_Linux + 427)
#else
#define __NR_io_uring_setup 425
#define __NR_io_uring_enter 426
#define __NR_io_uring_register 427
#endif
#endif

/* user_data of the library's internal timeout SQE (only on kernels without
 * IORING_FEAT_EXT_ARG); such CQEs never reach the application. */
#define LIBURING_UDATA_TIMEOUT ((__u64) -1)

/* Advertises io_uring_sqe_set_data64() / io_uring_cqe_get_data64(). */
#define LIBURING_HAVE_DATA64

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The submission side, as the application sees it. All k* pointers point
 * into the SQ ring mapping at the offsets the kernel reported in
 * io_uring_params.sq_off. Field by field (who writes, who reads, ordering):
 * docs/ring-layout.md.
 */
struct io_uring_sq {
	unsigned *khead;         /* kernel: consumed up to here (acquire under SQPOLL) */
	unsigned *ktail;         /* library: published up to here (release under SQPOLL) */
	unsigned *kring_mask;    /* deprecated; kept valid for old inline code */
	unsigned *kring_entries; /* deprecated; kept valid for old inline code */
	unsigned *kflags;        /* kernel: IORING_SQ_NEED_WAKEUP/CQ_OVERFLOW/TASKRUN */
	unsigned *kdropped;      /* kernel: invalid SQEs skipped */
	unsigned *array;         /* SQ index array; NULL with IORING_SETUP_NO_SQARRAY */
	struct io_uring_sqe *sqes;

	unsigned sqe_head;       /* library-local: sqe_tail at the last flush */
	unsigned sqe_tail;       /* library-local: next SQE to hand out (free-running) */

	size_t ring_sz;          /* bytes of the SQ ring mapping (0: not ours to unmap) */
	void *ring_ptr;

	unsigned ring_mask;      /* copy of *kring_mask */
	unsigned ring_entries;   /* copy of *kring_entries */
	unsigned sqes_sz;        /* bytes of the SQE mapping to unmap at exit */
	unsigned pad;
};

/* The completion side. k* pointers point into the CQ ring mapping (the same
 * mapping as the SQ ring with IORING_FEAT_SINGLE_MMAP or NO_MMAP). */
struct io_uring_cq {
	unsigned *khead;         /* application: consumed up to here (release store) */
	unsigned *ktail;         /* kernel: posted up to here (acquire load) */
	unsigned *kring_mask;    /* deprecated; kept valid */
	unsigned *kring_entries; /* deprecated; kept valid */
	unsigned *kflags;        /* IORING_CQ_EVENTFD_DISABLED; NULL if not offered */
	unsigned *koverflow;     /* CQEs dropped on overflow (pre-NODROP kernels) */
	struct io_uring_cqe *cqes;

	size_t ring_sz;          /* bytes of the CQ ring mapping (0: shared or not ours) */
	void *ring_ptr;

	unsigned ring_mask;      /* copy of *kring_mask */
	unsigned ring_entries;   /* copy of *kring_entries */

	unsigned pad[2];
};

/* The ring handle. 216 bytes; every field keeps liburing's offset. */
struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned flags;          /* IORING_SETUP_* the ring was created with */
	int ring_fd;             /* real ring fd; -1 after io_uring_close_ring_fd */

	unsigned features;       /* IORING_FEAT_* reported by the kernel */
	int enter_ring_fd;       /* fd (or registered index) passed to io_uring_enter */
	__u8 int_flags;          /* library-private bits, values fixed for compatibility */
	__u8 pad[3];
	unsigned pad2;
};

/* Application-side view of a zero-copy receive refill queue. */
struct io_uring_zcrx_rq {
	__u32 *khead;
	__u32 *ktail;
	__u32 rq_tail;
	unsigned ring_entries;

	struct io_uring_zcrx_rqe *rqes;
	void *ring_ptr;
};

/* Snapshot iterator over ready CQEs (io_uring_cqe_iter_init). */
struct io_uring_cqe_iter {
	struct io_uring_cqe *cqes;
	unsigned mask;
	unsigned shift;
	unsigned head;
	unsigned tail;
};

/*
 * Functions exported from liburing.so.2 (and liburing.a). Each returns
 * -errno on failure and leaves errno alone unless its documentation says
 * otherwise.
 */
struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring) LIBURING_NOEXCEPT;
struct io_uring_probe *io_uring_get_probe(void) LIBURING_NOEXCEPT;
void io_uring_free_probe(struct io_uring_probe *probe) LIBURING_NOEXCEPT;
int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring, struct io_uring_params *p, void *buf, size_t buf_size) LIBURING_NOEXCEPT;
int io_uring_queue_init_params(unsigned entries, struct io_uring *ring, struct io_uring_params *p) LIBURING_NOEXCEPT;
int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags) LIBURING_NOEXCEPT;
int io_uring_queue_mmap(int fd, struct io_uring_params *p, struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_ring_dontfork(struct io_uring *ring) LIBURING_NOEXCEPT;
void io_uring_queue_exit(struct io_uring *ring) LIBURING_NOEXCEPT;
unsigned io_uring_peek_batch_cqe(struct io_uring *ring, struct io_uring_cqe **cqes, unsigned count) LIBURING_NOEXCEPT;
int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr, struct __kernel_timespec *ts, sigset_t *sigmask) LIBURING_NOEXCEPT;
int io_uring_wait_cqes_min_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr, struct __kernel_timespec *ts, unsigned int min_ts_usec, sigset_t *sigmask) LIBURING_NOEXCEPT;
int io_uring_wait_cqe_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, struct __kernel_timespec *ts) LIBURING_NOEXCEPT;
int io_uring_submit(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr) LIBURING_NOEXCEPT;
int io_uring_submit_and_wait_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr, struct __kernel_timespec *ts, sigset_t *sigmask) LIBURING_NOEXCEPT;
int io_uring_submit_and_wait_min_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr, struct __kernel_timespec *ts, unsigned min_wait, sigset_t *sigmask) LIBURING_NOEXCEPT;
int io_uring_submit_and_wait_reg(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr, int reg_index) LIBURING_NOEXCEPT;
int io_uring_register_wait_reg(struct io_uring *ring, struct io_uring_reg_wait *reg, int nr) LIBURING_NOEXCEPT;
int io_uring_resize_rings(struct io_uring *ring, struct io_uring_params *p) LIBURING_NOEXCEPT;
int io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src, unsigned int dst_off, unsigned int src_off, unsigned int nr, unsigned int flags) LIBURING_NOEXCEPT;
int __io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src, unsigned int dst_off, unsigned int src_off, unsigned int nr, unsigned int flags) LIBURING_NOEXCEPT;
int io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src) LIBURING_NOEXCEPT;
int __io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src, unsigned int flags) LIBURING_NOEXCEPT;
int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs, unsigned nr_iovecs) LIBURING_NOEXCEPT;
int io_uring_register_buffers_tags(struct io_uring *ring, const struct iovec *iovecs, const __u64 *tags, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_register_buffers_update_tag(struct io_uring *ring, unsigned off, const struct iovec *iovecs, const __u64 *tags, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_unregister_buffers(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_register_files(struct io_uring *ring, const int *files, unsigned nr_files) LIBURING_NOEXCEPT;
int io_uring_register_files_tags(struct io_uring *ring, const int *files, const __u64 *tags, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_register_files_update_tag(struct io_uring *ring, unsigned off, const int *files, const __u64 *tags, unsigned nr_files) LIBURING_NOEXCEPT;
int io_uring_unregister_files(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_register_files_update(struct io_uring *ring, unsigned off, const int *files, unsigned nr_files) LIBURING_NOEXCEPT;
int io_uring_register_eventfd(struct io_uring *ring, int fd) LIBURING_NOEXCEPT;
int io_uring_register_eventfd_async(struct io_uring *ring, int fd) LIBURING_NOEXCEPT;
int io_uring_unregister_eventfd(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_register_probe(struct io_uring *ring, struct io_uring_probe *p, unsigned nr) LIBURING_NOEXCEPT;
int io_uring_register_personality(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_unregister_personality(struct io_uring *ring, int id) LIBURING_NOEXCEPT;
int io_uring_register_restrictions(struct io_uring *ring, struct io_uring_restriction *res, unsigned int nr_res) LIBURING_NOEXCEPT;
int io_uring_enable_rings(struct io_uring *ring) LIBURING_NOEXCEPT;
int __io_uring_sqring_wait(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_unregister_iowq_aff(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_register_iowq_max_workers(struct io_uring *ring, unsigned int *values) LIBURING_NOEXCEPT;
int io_uring_register_ring_fd(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_unregister_ring_fd(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_close_ring_fd(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_register_buf_ring(struct io_uring *ring, struct io_uring_buf_reg *reg, unsigned int flags) LIBURING_NOEXCEPT;
int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid) LIBURING_NOEXCEPT;
int io_uring_buf_ring_head(struct io_uring *ring, int buf_group, uint16_t *head) LIBURING_NOEXCEPT;
int io_uring_register_sync_cancel(struct io_uring *ring, struct io_uring_sync_cancel_reg *reg) LIBURING_NOEXCEPT;
int io_uring_register_sync_msg(struct io_uring_sqe *sqe) LIBURING_NOEXCEPT;
int io_uring_register_file_alloc_range(struct io_uring *ring, unsigned off, unsigned len) LIBURING_NOEXCEPT;
int io_uring_register_napi(struct io_uring *ring, struct io_uring_napi *napi) LIBURING_NOEXCEPT;
int io_uring_unregister_napi(struct io_uring *ring, struct io_uring_napi *napi) LIBURING_NOEXCEPT;
int io_uring_register_ifq(struct io_uring *ring, struct io_uring_zcrx_ifq_reg *reg) LIBURING_NOEXCEPT;
int io_uring_register_zcrx_ctrl(struct io_uring *ring, struct zcrx_ctrl *ctrl) LIBURING_NOEXCEPT;
int io_uring_register_clock(struct io_uring *ring, struct io_uring_clock_register *arg) LIBURING_NOEXCEPT;
int io_uring_register_bpf_filter(struct io_uring *ring, struct io_uring_bpf *bpf) LIBURING_NOEXCEPT;
int io_uring_register_bpf_filter_task(struct io_uring_bpf *bpf) LIBURING_NOEXCEPT;
int io_uring_register_query(struct io_uring_query_hdr *query) LIBURING_NOEXCEPT;
int io_uring_get_events(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_submit_and_get_events(struct io_uring *ring) LIBURING_NOEXCEPT;
int io_uring_enter(unsigned int fd, unsigned int to_submit, unsigned int min_complete, unsigned int flags, sigset_t *sig) LIBURING_NOEXCEPT;
int io_uring_enter2(unsigned int fd, unsigned int to_submit, unsigned int min_complete, unsigned int flags, void *arg, size_t sz) LIBURING_NOEXCEPT;
int io_uring_setup(unsigned int entries, struct io_uring_params *p) LIBURING_NOEXCEPT;
int io_uring_register(unsigned int fd, unsigned int opcode, const void *arg, unsigned int nr_args) LIBURING_NOEXCEPT;
int io_uring_register_region(struct io_uring *ring, struct io_uring_mem_region_reg *reg) LIBURING_NOEXCEPT;
struct io_uring_buf_ring *io_uring_setup_buf_ring(struct io_uring *ring, unsigned int nentries, int bgid, unsigned int flags, int *err) LIBURING_NOEXCEPT;
int io_uring_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br, unsigned int nentries, int bgid) LIBURING_NOEXCEPT;
int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned submit, unsigned wait_nr, sigset_t *sigmask) LIBURING_NOEXCEPT;
int io_uring_set_iowait(struct io_uring *ring, bool enable_iowait) LIBURING_NOEXCEPT;
ssize_t io_uring_mlock_size(unsigned entries, unsigned flags) LIBURING_NOEXCEPT;
ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p) LIBURING_NOEXCEPT;
ssize_t io_uring_memory_size(unsigned entries, unsigned flags) LIBURING_NOEXCEPT;
ssize_t io_uring_memory_size_params(unsigned entries, struct io_uring_params *p) LIBURING_NOEXCEPT;
int io_uring_major_version(void) LIBURING_NOEXCEPT;
int io_uring_minor_version(void) LIBURING_NOEXCEPT;
bool io_uring_check_version(int major, int minor) LIBURING_NOEXCEPT;

#ifdef _GNU_SOURCE
int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz, const cpu_set_t *mask) LIBURING_NOEXCEPT;
#endif

/* Inside the library io_uring_get_sqe is the exported function; everywhere
 * else it is the inline fast path (see <liburing/detail/sq.h>). */
#ifdef BAREURING_INTERNAL
struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring) LIBURING_NOEXCEPT;
#endif

#include "liburing/detail/prep.h"
#include "liburing/detail/prep_control.h"
#include "liburing/detail/prep_file.h"
#include "liburing/detail/prep_net.h"
#include "liburing/detail/prep_misc.h"
#include "liburing/detail/prep_cmd.h"
#include "liburing/detail/prep_process.h"
#include "liburing/detail/cq.h"
#include "liburing/detail/sq.h"
#include "liburing/detail/buf_ring.h"

#ifdef __cplusplus
}
#endif

#undef IOURINGINLINE
#undef _LOCAL_INLINE

#endif /* LIB_URING_H */
