// Layer 2: the head/tail handshake on the submission side, and the checks
// that decide whether a call must enter the kernel.
//
// Who writes what (docs/ring-layout.md has the full table):
//   *sq.ktail  us      — store-release under SQPOLL (the poller reads it
//                        concurrently); a plain store otherwise, because the
//                        io_uring_enter that follows orders it.
//   *sq.khead  kernel  — read relaxed here: we only need a count.
//   *sq.kflags kernel  — NEED_WAKEUP / CQ_OVERFLOW / TASKRUN, read relaxed.
#pragma once

#include "internal.h"

namespace bareuring::ring {

// Publishes the SQEs handed out since the last flush and returns how many
// the kernel has not consumed yet (those flushed earlier included).
// liburing: __io_uring_flush_sq.
inline unsigned flush_sq(io_uring *ring) noexcept
{
    io_uring_sq *sq = &ring->sq;
    const unsigned tail = sq->sqe_tail;

    if (ring->flags & IORING_SETUP_SQ_REWIND) {
        // The kernel takes SQEs from slot 0 on every enter and never reads
        // the tail; the count is all it needs.
        sq->sqe_tail = 0;
        return tail;
    }
    if (sq->sqe_head != tail) {
        sq->sqe_head = tail;
        // Under SQPOLL this pairs with the poller's load-acquire of the
        // tail: the SQE contents are visible before the tail that covers
        // them. Without SQPOLL the kernel reads the tail only inside our
        // io_uring_enter, which orders it anyway; a release store is used
        // all the same because it costs one store per submit (a plain MOV
        // on x86, STLR on arm64), less than testing for SQPOLL.
        io_uring_smp_store_release(sq->ktail, tail);
    }
    // Free-running u32 difference: exact across wraparound.
    return tail - IO_URING_READ_ONCE(*sq->khead);
}

// True when `submit` SQEs need a syscall to reach the kernel; adds
// IORING_ENTER_SQ_WAKEUP to *flags when an idle SQPOLL thread must be woken.
inline bool sq_needs_enter(io_uring *ring, unsigned submit, unsigned *flags) noexcept
{
    if (!submit)
        return false;
    if (!(ring->flags & IORING_SETUP_SQPOLL))
        return true;
    // Make the tail store visible before reading the NEED_WAKEUP flag. The
    // poller, before it sleeps, sets NEED_WAKEUP, issues a full barrier and
    // re-reads the tail. With a full barrier on both sides at least one of
    // us sees the other's store: either it finds our new tail and keeps
    // polling, or we find NEED_WAKEUP and wake it. Without ours, the tail
    // could still sit in this CPU's store buffer while we read a stale flag,
    // and the SQEs would wait until something else woke the thread.
    io_uring_smp_mb();
    if (uring_unlikely(IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_NEED_WAKEUP)) {
        *flags |= IORING_ENTER_SQ_WAKEUP;
        return true;
    }
    return false;
}

// True when completions may be waiting inside the kernel: CQEs that
// overflowed the ring, or task work (DEFER_TASKRUN / TASKRUN_FLAG) that
// only runs when we enter with GETEVENTS.
inline bool cq_needs_flush(const io_uring *ring) noexcept
{
    return IO_URING_READ_ONCE(*ring->sq.kflags) & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN);
}

// True when reaping completions needs a syscall.
inline bool cq_needs_enter(const io_uring *ring) noexcept
{
    return (ring->int_flags & kIntFlagCqEnter) || cq_needs_flush(ring);
}

// Plain io_uring_enter on this ring's enter fd, with the sigset-sized arg.
inline int enter(const io_uring *ring, unsigned submit, unsigned wait_nr, unsigned flags,
                 const sigset_t *sigmask) noexcept
{
    return sys::io_uring_enter(static_cast<unsigned>(ring->enter_ring_fd), submit, wait_nr,
                               flags | enter_flags_base(ring), sigmask, kSigsetSize);
}

} // namespace bareuring::ring
