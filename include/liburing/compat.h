/* SPDX-License-Identifier: MIT */
/*
 * <liburing/compat.h>: kernel and libc types that <liburing/io_uring.h> and
 * <liburing.h> need, taken from the system headers when they have them and
 * defined here otherwise. liburing generates this file at configure time;
 * bareuring decides with __has_include so that one installed copy fits any
 * system.
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* struct __kernel_timespec (Linux 5.1+). We provide it here, so tell
 * <liburing/io_uring.h> not to include <linux/time_types.h> again. */
#if defined(__has_include) && __has_include(<linux/time_types.h>)
#include <linux/time_types.h>
#else
#include <stdint.h>
struct __kernel_timespec {
	int64_t tv_sec;
	long long tv_nsec;
};
#endif
#define UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H 1

/* struct open_how for openat2 (Linux 5.6+). */
#if defined(__has_include) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
};
#endif

/* struct futex_waitv and its constants (Linux 5.16+). */
#if defined(__has_include) && __has_include(<linux/futex.h>)
#include <linux/futex.h>
#endif
#ifndef FUTEX_WAITV_MAX
#define FUTEX_32 2
#define FUTEX_WAITV_MAX 128
struct futex_waitv {
	__u64 val;
	__u64 uaddr;
	__u32 flags;
	__u32 __reserved;
};
#endif

/* idtype_t for waitid comes from <sys/wait.h>, which liburing.h includes. */
#include <sys/wait.h>

/* Block-device discard command (Linux 6.12+ uapi <linux/blkdev.h>). */
#if defined(__has_include) && __has_include(<linux/blkdev.h>)
#include <linux/blkdev.h>
#endif
#ifndef BLOCK_URING_CMD_DISCARD
#define BLOCK_URING_CMD_DISCARD _IO(0x12, 0)
#endif

#endif /* LIBURING_COMPAT_H */
