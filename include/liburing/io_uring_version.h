/* SPDX-License-Identifier: MIT */
/*
 * <liburing/io_uring_version.h>: the liburing API level these headers provide.
 * bareuring implements the liburing 2.15 interface.
 */
#ifndef LIBURING_VERSION_H
#define LIBURING_VERSION_H

#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 15

/*
 * Note the inverted sense, kept for compatibility with liburing: this is TRUE
 * when (major, minor) is NEWER than these headers, i.e. when the requested
 * version is NOT available. Typical use:
 *     #if IO_URING_CHECK_VERSION(2, 9)
 *     ... fallback for headers older than 2.9 ...
 *     #endif
 */
#define IO_URING_CHECK_VERSION(major, minor) \
	((major) > IO_URING_VERSION_MAJOR || \
	 ((major) == IO_URING_VERSION_MAJOR && (minor) > IO_URING_VERSION_MINOR))

#endif /* LIBURING_VERSION_H */
