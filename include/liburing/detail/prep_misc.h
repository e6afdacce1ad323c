/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers: paths, buffers, sockets, messages between rings, xattrs.
 * Included by <liburing.h> only, after <liburing/detail/prep.h>, whose
 * contract comment applies to every helper here.
 */
#ifndef LIBURING_DETAIL_PREP_MISC_H
#define LIBURING_DETAIL_PREP_MISC_H

#ifndef LIB_URING_H
#error "include <liburing.h>, not <liburing/detail/prep_misc.h>"
#endif

/* ------------------------------------------------------------------------
 * Paths, buffers, sockets, messages between rings, xattrs
 * ------------------------------------------------------------------------ */

/* Prepares IORING_OP_OPENAT2 (struct open_how at off, its size in len). */
IOURINGINLINE void io_uring_prep_openat2(struct io_uring_sqe *sqe, int dfd, const char *path,
					 const struct open_how *how) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_OPENAT2, sqe, dfd, path, (unsigned)sizeof(*how),
			 uring_ptr_to_u64(how));
}

/* Prepares IORING_OP_OPENAT2 into slot file_index (ALLOC stored as is). */
IOURINGINLINE void io_uring_prep_openat2_direct(struct io_uring_sqe *sqe, int dfd, const char *path,
						const struct open_how *how,
						unsigned file_index) LIBURING_NOEXCEPT
{
	io_uring_prep_openat2(sqe, dfd, path, how);
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, file_index);
}

/* Prepares IORING_OP_EPOLL_CTL: op in len, the target fd zero-extended in
 * off, the event in addr. */
IOURINGINLINE void io_uring_prep_epoll_ctl(struct io_uring_sqe *sqe, int epfd, int fd, int op,
					   const struct epoll_event *ev) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_EPOLL_CTL, sqe, epfd, ev, (unsigned)op, (__u32)fd);
}

/* Prepares IORING_OP_PROVIDE_BUFFERS (legacy): the buffer count goes in fd,
 * the first buffer id in off (sign-extended). */
IOURINGINLINE void io_uring_prep_provide_buffers(struct io_uring_sqe *sqe, void *addr, int len, int nr,
						 int bgid, int bid) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_PROVIDE_BUFFERS, sqe, nr, addr, (unsigned)len, (__u64)bid);
	sqe->buf_group = (__u16)bgid;
}

/* Prepares IORING_OP_REMOVE_BUFFERS (count in fd). */
IOURINGINLINE void io_uring_prep_remove_buffers(struct io_uring_sqe *sqe, int nr, int bgid) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_REMOVE_BUFFERS, sqe, nr, NULL, 0, 0);
	sqe->buf_group = (__u16)bgid;
}

/* Prepares IORING_OP_SHUTDOWN (how in len). */
IOURINGINLINE void io_uring_prep_shutdown(struct io_uring_sqe *sqe, int fd, int how) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SHUTDOWN, sqe, fd, NULL, (unsigned)how, 0);
}

/* Prepares IORING_OP_UNLINKAT (AT_REMOVEDIR in flags for rmdir). */
IOURINGINLINE void io_uring_prep_unlinkat(struct io_uring_sqe *sqe, int dfd, const char *path,
					  int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_UNLINKAT, sqe, dfd, path, 0, 0);
	sqe->unlink_flags = (__u32)flags;
}

/* Prepares IORING_OP_UNLINKAT relative to the current directory. */
IOURINGINLINE void io_uring_prep_unlink(struct io_uring_sqe *sqe, const char *path, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_unlinkat(sqe, AT_FDCWD, path, flags);
}

/* Prepares IORING_OP_RENAMEAT (renameat2): the new dir fd in len, the new
 * path in off. */
IOURINGINLINE void io_uring_prep_renameat(struct io_uring_sqe *sqe, int olddfd, const char *oldpath,
					  int newdfd, const char *newpath,
					  unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_RENAMEAT, sqe, olddfd, oldpath, (unsigned)newdfd,
			 uring_ptr_to_u64(newpath));
	sqe->rename_flags = flags;
}

/* Prepares IORING_OP_RENAMEAT with both paths relative to the current
 * directory. */
IOURINGINLINE void io_uring_prep_rename(struct io_uring_sqe *sqe, const char *oldpath,
					const char *newpath) LIBURING_NOEXCEPT
{
	io_uring_prep_renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* Prepares IORING_OP_SYNC_FILE_RANGE. */
IOURINGINLINE void io_uring_prep_sync_file_range(struct io_uring_sqe *sqe, int fd, unsigned len,
						 __u64 offset, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SYNC_FILE_RANGE, sqe, fd, NULL, len, offset);
	sqe->sync_range_flags = (__u32)flags;
}

/* Prepares IORING_OP_MKDIRAT (mode in len). */
IOURINGINLINE void io_uring_prep_mkdirat(struct io_uring_sqe *sqe, int dfd, const char *path,
					 mode_t mode) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MKDIRAT, sqe, dfd, path, mode, 0);
}

/* Prepares IORING_OP_MKDIRAT relative to the current directory. */
IOURINGINLINE void io_uring_prep_mkdir(struct io_uring_sqe *sqe, const char *path, mode_t mode) LIBURING_NOEXCEPT
{
	io_uring_prep_mkdirat(sqe, AT_FDCWD, path, mode);
}

/* Prepares IORING_OP_SYMLINKAT: target in addr, the new link's dir fd in fd
 * and its path in off. */
IOURINGINLINE void io_uring_prep_symlinkat(struct io_uring_sqe *sqe, const char *target, int newdirfd,
					   const char *linkpath) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SYMLINKAT, sqe, newdirfd, target, 0, uring_ptr_to_u64(linkpath));
}

/* Prepares IORING_OP_SYMLINKAT relative to the current directory. */
IOURINGINLINE void io_uring_prep_symlink(struct io_uring_sqe *sqe, const char *target,
					 const char *linkpath) LIBURING_NOEXCEPT
{
	io_uring_prep_symlinkat(sqe, target, AT_FDCWD, linkpath);
}

/* Prepares IORING_OP_LINKAT: the new dir fd in len, the new path in off. */
IOURINGINLINE void io_uring_prep_linkat(struct io_uring_sqe *sqe, int olddfd, const char *oldpath,
					int newdfd, const char *newpath, int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_LINKAT, sqe, olddfd, oldpath, (unsigned)newdfd,
			 uring_ptr_to_u64(newpath));
	sqe->hardlink_flags = (__u32)flags;
}

/* Prepares IORING_OP_LINKAT with both paths relative to the current
 * directory. */
IOURINGINLINE void io_uring_prep_link(struct io_uring_sqe *sqe, const char *oldpath, const char *newpath,
				      int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

/* Prepares IORING_OP_MSG_RING posting {user_data=data, res=len,
 * flags=cqe_flags} on ring fd. The CQE flags ride in file_index, and
 * IORING_MSG_RING_FLAGS_PASS tells the kernel to use them. */
IOURINGINLINE void io_uring_prep_msg_ring_cqe_flags(struct io_uring_sqe *sqe, int fd, unsigned int len,
						    __u64 data, unsigned int flags,
						    unsigned int cqe_flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, len, data);
	sqe->msg_ring_flags = IORING_MSG_RING_FLAGS_PASS | flags;
	sqe->file_index = cqe_flags;
}

/* Prepares IORING_OP_MSG_RING posting {user_data=data, res=len} on ring fd
 * (addr 0 is IORING_MSG_DATA). */
IOURINGINLINE void io_uring_prep_msg_ring(struct io_uring_sqe *sqe, int fd, unsigned int len, __u64 data,
					  unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, len, data);
	sqe->msg_ring_flags = flags;
}

/* Prepares IORING_OP_MSG_RING with IORING_MSG_SEND_FD: our direct
 * descriptor source_fd (sign-extended into addr3) goes into slot target_fd
 * of ring fd's table (IORING_FILE_INDEX_ALLOC stored as is). */
IOURINGINLINE void io_uring_prep_msg_ring_fd(struct io_uring_sqe *sqe, int fd, int source_fd,
					     int target_fd, __u64 data,
					     unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd, NULL, 0, data);
	sqe->addr = IORING_MSG_SEND_FD;
	sqe->addr3 = (__u64)source_fd;
	if ((unsigned)target_fd == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, (unsigned)target_fd);
	sqe->msg_ring_flags = flags;
}

/* Prepares io_uring_prep_msg_ring_fd with the target slot allocated by the
 * kernel. */
IOURINGINLINE void io_uring_prep_msg_ring_fd_alloc(struct io_uring_sqe *sqe, int fd, int source_fd,
						   __u64 data, unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_msg_ring_fd(sqe, fd, source_fd, (int)IORING_FILE_INDEX_ALLOC, data, flags);
}

/* Prepares IORING_OP_GETXATTR on path: name in addr, value buffer in off,
 * path in addr3; fd is unused and set to 0. */
IOURINGINLINE void io_uring_prep_getxattr(struct io_uring_sqe *sqe, const char *name, char *value,
					  const char *path, unsigned int len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_GETXATTR, sqe, 0, name, len, uring_ptr_to_u64(value));
	sqe->addr3 = uring_ptr_to_u64(path);
	sqe->xattr_flags = 0;
}

/* Prepares IORING_OP_SETXATTR on path (layout as getxattr). */
IOURINGINLINE void io_uring_prep_setxattr(struct io_uring_sqe *sqe, const char *name, const char *value,
					  const char *path, int flags, unsigned int len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SETXATTR, sqe, 0, name, len, uring_ptr_to_u64(value));
	sqe->addr3 = uring_ptr_to_u64(path);
	sqe->xattr_flags = (__u32)flags;
}

/* Prepares IORING_OP_FGETXATTR: name in addr, value buffer in off. */
IOURINGINLINE void io_uring_prep_fgetxattr(struct io_uring_sqe *sqe, int fd, const char *name,
					   char *value, unsigned int len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FGETXATTR, sqe, fd, name, len, uring_ptr_to_u64(value));
	sqe->xattr_flags = 0;
}

/* Prepares IORING_OP_FSETXATTR (layout as fgetxattr). */
IOURINGINLINE void io_uring_prep_fsetxattr(struct io_uring_sqe *sqe, int fd, const char *name,
					   const char *value, int flags, unsigned int len) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_FSETXATTR, sqe, fd, name, len, uring_ptr_to_u64(value));
	sqe->xattr_flags = (__u32)flags;
}

/* Prepares IORING_OP_SOCKET: domain in fd, type (sign-extended) in off,
 * protocol in len. */
IOURINGINLINE void io_uring_prep_socket(struct io_uring_sqe *sqe, int domain, int type, int protocol,
					unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_rw(IORING_OP_SOCKET, sqe, domain, NULL, (unsigned)protocol, (__u64)type);
	sqe->rw_flags = (__kernel_rwf_t)flags;
}

/* Prepares IORING_OP_SOCKET into slot file_index (ALLOC stored as is). */
IOURINGINLINE void io_uring_prep_socket_direct(struct io_uring_sqe *sqe, int domain, int type,
					       int protocol, unsigned file_index,
					       unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	if (file_index == IORING_FILE_INDEX_ALLOC)
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
	else
		__io_uring_set_target_fixed_file(sqe, file_index);
}

/* Prepares IORING_OP_SOCKET into a kernel-allocated slot. */
IOURINGINLINE void io_uring_prep_socket_direct_alloc(struct io_uring_sqe *sqe, int domain, int type,
						     int protocol, unsigned int flags) LIBURING_NOEXCEPT
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
}

#endif /* LIBURING_DETAIL_PREP_MISC_H */
