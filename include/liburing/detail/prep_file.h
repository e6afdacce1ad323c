/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers: opening, closing, reading and writing files.
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_FILE_H
#define LIBURING_DETAIL_PREP_FILE_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_file.h>"
#endif

/* ------------------------------------------------------------------------
 * Opening, closing, reading and writing files
 * ------------------------------------------------------------------------ */

/* Prepares IORING_OP_OPENAT (mode in len, O_* flags in open_flags). */
IOURINGINLINE void io_uring_prep_openat(struct io_uring_sqe *sqe, int dfd, const char *path, int flags,
					mode_t mode) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_OPENAT, sqe, dfd, path, mode, 0);
	sqe->open_flags = (__u32)flags;
}

/* Prepares IORING_OP_OPENAT into slot file_index (ALLOC stored as is). */
IOURINGINLINE void io_uring_prep_openat_direct(struct io_uring_sqe *sqe, int dfd, const char *path,
					       int flags, mode_t mode, unsigned file_index) LIBURING_NOEXCEPT
{
	io_uring_prep_openat(sqe, dfd, path, flags, mode);
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, file_index);
}

/* Prepares IORING_OP_OPENAT relative to the current directory. */
IOURINGINLINE void io_uring_prep_open(struct io_uring_sqe *sqe, const char *path, int flags,
				      mode_t mode) LIBURING_NOEXCEPT
{
	io_uring_prep_openat(sqe, AT_FDCWD, path, flags, mode);
}

/* Prepares IORING_OP_OPENAT relative to the current directory into slot
 * file_index (ALLOC stored as is). */
IOURINGINLINE void io_uring_prep_open_direct(struct io_uring_sqe *sqe, const char *path, int flags,
					     mode_t mode, unsigned file_index) LIBURING_NOEXCEPT
{
	io_uring_prep_openat_direct(sqe, AT_FDCWD, path, flags, mode, file_index);
}

/* Prepares IORING_OP_CLOSE of a normal fd. */
IOURINGINLINE void io_uring_prep_close(struct io_uring_sqe *sqe, int fd) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_CLOSE, sqe, fd, NULL, 0, 0);
}

/* Prepares IORING_OP_CLOSE of direct-descriptor slot file_index. Unlike the
 * other *_direct helpers there is no IORING_FILE_INDEX_ALLOC case: ALLOC
 * wraps to 0 like any index + 1 (spec quirk, kept). */
IOURINGINLINE void io_uring_prep_close_direct(struct io_uring_sqe *sqe, unsigned file_index) LIBURING_NOEXCEPT
{
	io_uring_prep_close(sqe, 0);
	__io_uring_set_target_fixed_file(sqe, file_index);
}

/* Prepares IORING_OP_READ (pread; offset all ones = file position). */
IOURINGINLINE void io_uring_prep_read(struct io_uring_sqe *sqe, int fd, void *buf, unsigned nbytes,
				      __u64 offset) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_READ, sqe, fd, buf, nbytes, offset);
}

/* Prepares IORING_OP_READ_MULTISHOT from provided-buffer group buf_group.
 * Quirk kept from liburing: flags is overwritten with IOSQE_BUFFER_SELECT,
 * so IOSQE_* bits set before this call are lost. */
IOURINGINLINE void io_uring_prep_read_multishot(struct io_uring_sqe *sqe, int fd, unsigned nbytes,
						__u64 offset, int buf_group) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_READ_MULTISHOT, sqe, fd, NULL, nbytes, offset);
	sqe->buf_group = (__u16)buf_group;
	sqe->flags = IOSQE_BUFFER_SELECT;
}

/* Prepares IORING_OP_WRITE (pwrite; offset all ones = file position). */
IOURINGINLINE void io_uring_prep_write(struct io_uring_sqe *sqe, int fd, const void *buf,
				       unsigned nbytes, __u64 offset) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe, fd, buf, nbytes, offset);
}

/* Prepares IORING_OP_STATX (mask in len, result buffer pointer in off). */
IOURINGINLINE void io_uring_prep_statx(struct io_uring_sqe *sqe, int dfd, const char *path, int flags,
				       unsigned mask, struct statx *statxbuf) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_STATX, sqe, dfd, path, mask, uring_ptr_to_u64(statxbuf));
	sqe->statx_flags = (__u32)flags;
}

/* Prepares IORING_OP_FADVISE with a 32-bit length in len. */
IOURINGINLINE void io_uring_prep_fadvise(struct io_uring_sqe *sqe, int fd, __u64 offset, __u32 len,
					 int advice) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, len, offset);
	sqe->fadvise_advice = (__u32)advice;
}

/* Prepares IORING_OP_MADVISE with a 32-bit length in len. */
IOURINGINLINE void io_uring_prep_madvise(struct io_uring_sqe *sqe, void *addr, __u32 length,
					 int advice) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, length, 0);
	sqe->fadvise_advice = (__u32)advice;
}

/* Prepares IORING_OP_FADVISE with a 64-bit length, carried in addr (len 0
 * tells newer kernels to look there). */
IOURINGINLINE void io_uring_prep_fadvise64(struct io_uring_sqe *sqe, int fd, __u64 offset, off_t len,
					   int advice) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, 0, offset);
	sqe->addr = (__u64)len;
	sqe->fadvise_advice = (__u32)advice;
}

/* Prepares IORING_OP_MADVISE with a 64-bit length, carried in off. */
IOURINGINLINE void io_uring_prep_madvise64(struct io_uring_sqe *sqe, void *addr, off_t length,
					   int advice) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, 0, (__u64)length);
	sqe->fadvise_advice = (__u32)advice;
}

#endif /* LIBURING_DETAIL_PREP_FILE_H */
