/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers: processes, futexes, descriptors, pipes.
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_PROCESS_H
#define LIBURING_DETAIL_PREP_PROCESS_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_process.h>"
#endif

/* ------------------------------------------------------------------------
 * Processes, futexes, descriptors, pipes
 * ------------------------------------------------------------------------ */

/* Prepares IORING_OP_WAITID: id in fd, idtype in len, infop in addr2 (the
 * off slot), options in file_index. */
IOURINGINLINE void io_uring_prep_waitid(struct io_uring_sqe *sqe, idtype_t idtype, id_t id,
					siginfo_t *infop, int options, unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_WAITID, sqe, (int)id, NULL, (unsigned)idtype, 0);
	sqe->addr2 = uring_ptr_to_u64(infop);
	sqe->waitid_flags = flags;
	sqe->file_index = (__u32)options;
}

/* Prepares IORING_OP_FUTEX_WAKE: FUTEX2_* flags in fd, io_uring flags in
 * futex_flags, val in off, mask in addr3. */
IOURINGINLINE void io_uring_prep_futex_wake(struct io_uring_sqe *sqe, const uint32_t *futex, uint64_t val,
					    uint64_t mask, uint32_t futex_flags,
					    unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAKE, sqe, (int)futex_flags, futex, 0, val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/* Prepares IORING_OP_FUTEX_WAIT (layout as futex_wake). */
IOURINGINLINE void io_uring_prep_futex_wait(struct io_uring_sqe *sqe, const uint32_t *futex, uint64_t val,
					    uint64_t mask, uint32_t futex_flags,
					    unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAIT, sqe, (int)futex_flags, futex, 0, val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/* Prepares IORING_OP_FUTEX_WAITV over nr_futex entries. */
IOURINGINLINE void io_uring_prep_futex_waitv(struct io_uring_sqe *sqe, const struct futex_waitv *futex,
					     uint32_t nr_futex, unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAITV, sqe, 0, futex, nr_futex, 0);
	sqe->futex_flags = flags;
}

/* Prepares IORING_OP_FIXED_FD_INSTALL of direct descriptor fd. Quirk kept
 * from liburing: flags is overwritten with IOSQE_FIXED_FILE (the op only
 * works on a direct descriptor), so earlier IOSQE_* bits are lost. */
IOURINGINLINE void io_uring_prep_fixed_fd_install(struct io_uring_sqe *sqe, int fd,
						  unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FIXED_FD_INSTALL, sqe, fd, NULL, 0, 0);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->install_fd_flags = flags;
}

#ifdef _GNU_SOURCE
/* Prepares IORING_OP_FTRUNCATE to len (in off). Only with _GNU_SOURCE,
 * which is what makes loff_t available. */
IOURINGINLINE void io_uring_prep_ftruncate(struct io_uring_sqe *sqe, int fd, loff_t len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FTRUNCATE, sqe, fd, NULL, 0, (__u64)len);
}
#endif

/* Prepares a block-device discard of [offset, offset + nbytes) through
 * uring_cmd BLOCK_URING_CMD_DISCARD: offset in addr, nbytes in addr3. */
IOURINGINLINE void io_uring_prep_cmd_discard(struct io_uring_sqe *sqe, int fd, uint64_t offset,
					     uint64_t nbytes) LIBURING_NOEXCEPT
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD, BLOCK_URING_CMD_DISCARD, fd);
	sqe->addr = offset;
	sqe->addr3 = nbytes;
}

/* Prepares IORING_OP_PIPE (pipe2; the kernel writes fds[0..1]). No
 * LIBURING_NOEXCEPT: liburing 2.15 omits it here. */
IOURINGINLINE void io_uring_prep_pipe(struct io_uring_sqe *sqe, int *fds, int pipe_flags)
{
	io_uring_prep_rw(IORING_OP_PIPE, sqe, 0, fds, 0, 0);
	sqe->pipe_flags = (__u32)pipe_flags;
}

/* Prepares IORING_OP_PIPE into direct-descriptor slots starting at
 * file_index (ALLOC stored as is). No LIBURING_NOEXCEPT, as upstream. */
IOURINGINLINE void io_uring_prep_pipe_direct(struct io_uring_sqe *sqe, int *fds, int pipe_flags,
					     unsigned int file_index)
{
	io_uring_prep_pipe(sqe, fds, pipe_flags);
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, file_index);
}

#endif /* LIBURING_DETAIL_PREP_PROCESS_H */
