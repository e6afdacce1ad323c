/* SPDX-License-Identifier: MIT */
/*
 * <liburing/barrier.h>: the memory-ordering primitives the ring protocol uses.
 *
 * The SQ and CQ rings are shared with the kernel; each index word has exactly
 * one writer. The writer publishes with a store-release after filling the
 * entries, and the reader observes with a load-acquire before reading them.
 * These macros are the only vocabulary bareuring uses for that handshake.
 *
 * They expand to the GCC/Clang __atomic builtins rather than <stdatomic.h>
 * or std::atomic: the builtins produce the same instructions as C11 atomics
 * on the same memory order, work on plain (non-_Atomic) objects, and compile
 * warning-free in every language mode this header supports (C99..C23,
 * C++11..C++23). On x86_64 an acquire load and a release store are plain
 * moves plus a compiler barrier; the seq_cst fence is an MFENCE (or a locked
 * instruction).
 */
#ifndef LIBURING_BARRIER_H
#define LIBURING_BARRIER_H

/* Store v to *p with release ordering: every earlier write is visible to
 * whoever load-acquires *p and sees v. */
#define io_uring_smp_store_release(p, v) \
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Load *p with acquire ordering: later reads see what the releasing writer
 * wrote before its store-release. */
#define io_uring_smp_load_acquire(p) \
	__atomic_load_n((p), __ATOMIC_ACQUIRE)

/* A single untorn access that the compiler may not merge, repeat or drop, with
 * no ordering against other memory (relaxed). */
#define IO_URING_READ_ONCE(var) \
	__atomic_load_n(&(var), __ATOMIC_RELAXED)
#define IO_URING_WRITE_ONCE(var, val) \
	__atomic_store_n(&(var), (val), __ATOMIC_RELAXED)

/* Full (sequentially consistent) fence. Used once in the protocol: between
 * publishing the SQ tail and reading IORING_SQ_NEED_WAKEUP under SQPOLL. */
#define io_uring_smp_mb() \
	__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* LIBURING_BARRIER_H */
