// The machinery under uring::event_loop: which request a CQE belongs to,
// which coroutines are ready to resume, and how to wait for a request that
// is being abandoned. Not API; see event_loop.hpp and docs/cpp-api.md.
//
// Every request the loop submits carries the address of an op_state as its
// user_data. Handling a batch of CQEs is split in two phases:
//   1. reap: for each CQE, record res/flags in its op_state and, if a
//      coroutine waits for it, link it into the ready list. No user code
//      runs, so no op_state can disappear while the batch is walked.
//   2. resume: pop the ready list one entry at a time and resume. Resumed
//      code may destroy other op_states; they unlink themselves first.
// Abandoning a request (its awaiter destroyed while it is in flight) submits
// an async cancel and then runs phase 1 only, until the request's last CQE
// has arrived: only then may the memory it points to go away.
#pragma once

#include <liburing.h>

#include <atomic>
#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <thread>

#include "../operation.hpp"
#include "../result.hpp"
#include "../ring.hpp"

namespace uring::detail {

struct op_state {
    using cqe_handler = void (*)(op_state *, std::int32_t res, std::uint32_t flags) noexcept;

    cqe_handler on_cqe = nullptr;
    // The coroutine to resume once ready (empty if nobody waits).
    std::coroutine_handle<> waiter{};
    op_state *ready_prev = nullptr;
    op_state *ready_next = nullptr;
    bool in_ready = false;

    // An SQE of ours has not posted its final CQE yet (the kernel may still
    // use the memory this request points to). Atomic (relaxed) only because
    // a stop callback on another thread reads it; the loop thread is the
    // only writer.
    [[nodiscard]] bool is_pending() const noexcept { return pending_.load(std::memory_order_relaxed); }
    void set_pending(bool v) noexcept { pending_.store(v, std::memory_order_relaxed); }

private:
    std::atomic<bool> pending_{false};
};

// Intrusive FIFO of op_states whose waiter should be resumed.
class ready_list {
public:
    void push_back(op_state *s) noexcept
    {
        if (s->in_ready)
            return;
        s->in_ready = true;
        s->ready_next = nullptr;
        s->ready_prev = tail_;
        if (tail_)
            tail_->ready_next = s;
        else
            head_ = s;
        tail_ = s;
    }
    void erase(op_state *s) noexcept
    {
        if (!s->in_ready)
            return;
        if (s->ready_prev)
            s->ready_prev->ready_next = s->ready_next;
        else
            head_ = s->ready_next;
        if (s->ready_next)
            s->ready_next->ready_prev = s->ready_prev;
        else
            tail_ = s->ready_prev;
        s->ready_prev = s->ready_next = nullptr;
        s->in_ready = false;
    }
    op_state *pop_front() noexcept
    {
        op_state *s = head_;
        if (s)
            erase(s);
        return s;
    }
    [[nodiscard]] bool empty() const noexcept { return head_ == nullptr; }

private:
    op_state *head_ = nullptr;
    op_state *tail_ = nullptr;
};

class loop_core {
public:
    explicit loop_core(ring &r) noexcept : ring_(&r), thread_(std::this_thread::get_id()) {}
    loop_core(const loop_core &) = delete;
    loop_core &operator=(const loop_core &) = delete;

    [[nodiscard]] ring &get_ring() const noexcept { return *ring_; }
    [[nodiscard]] io_uring *native() const noexcept { return ring_->native_handle(); }
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    [[nodiscard]] bool has_ready() const noexcept { return !ready_.empty(); }
    [[nodiscard]] bool stopping() const noexcept { return stopping_; }
    [[nodiscard]] bool on_loop_thread() const noexcept { return std::this_thread::get_id() == thread_; }

    // Makes sure n SQEs can be had, submitting what is queued to make room
    // if needed (and, under SQPOLL, waiting for the poller). False if the SQ
    // cannot take n right now.
    bool make_room(unsigned n) noexcept
    {
        io_uring *r = native();
        if (io_uring_sq_space_left(r) >= n) [[likely]]
            return true;
        io_uring_submit(r);
        if (io_uring_sq_space_left(r) < n)
            io_uring_sqring_wait(r);
        return io_uring_sq_space_left(r) >= n;
    }
    // One free SQE of the size Op needs (128 bytes for sqe128 ops), or
    // nullptr; when the SQ is full, submits to make room first.
    template <class Op>
    io_uring_sqe *acquire_sqe_for() noexcept
    {
        if (io_uring_sqe *sqe = get_sqe_for<Op>(native())) [[likely]]
            return sqe;
        return make_room(sqe_slots_v<Op>) ? get_sqe_for<Op>(native()) : nullptr;
    }
    // One free 64-byte SQE, or nullptr.
    io_uring_sqe *acquire_sqe() noexcept { return acquire_sqe_for<void>(); }

    // Fills an SQE (from acquire_sqe) for request state s. The
    // request's CQEs come back to s->on_cqe.
    template <class Op>
    void fill(op_state *s, io_uring_sqe *sqe, const Op &op) noexcept
    {
        op.prepare(sqe);
        // Every request must post its CQE: the loop counts on it, and a
        // suppressed success would leave its waiter suspended forever.
        sqe->flags &= static_cast<std::uint8_t>(~IOSQE_CQE_SKIP_SUCCESS);
        io_uring_sqe_set_data(sqe, s);
        s->set_pending(true);
        ++in_flight_;
    }

    // One request: false (nothing prepared) if no SQE can be had or the
    // loop is shutting down.
    template <class Op>
    bool start(op_state *s, const Op &op) noexcept
    {
        if (stopping_)
            return false;
        io_uring_sqe *sqe = acquire_sqe_for<Op>();
        if (!sqe)
            return false;
        fill(s, sqe, op);
        return true;
    }

    void make_ready(op_state *s) noexcept { ready_.push_back(s); }
    void unlink_ready(op_state *s) noexcept { ready_.erase(s); }

    // Queues an async cancel of s's request (loop thread only). The cancel
    // itself posts no CQE on success (IOSQE_CQE_SKIP_SUCCESS); a failure
    // (already done: -ENOENT) carries user_data 0, which dispatch ignores.
    void request_cancel(op_state *s) noexcept
    {
        if (!s->is_pending())
            return;
        io_uring_sqe *sqe = acquire_sqe();
        if (!sqe)
            return;
        io_uring_prep_cancel(sqe, s, 0);
        io_uring_sqe_set_data64(sqe, 0);
        sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
    }

    // The same, from any thread: another thread must not touch the SQ, so
    // it uses the synchronous cancel registration call, which the kernel
    // serialises against the loop's own submissions.
    void request_cancel_any_thread(op_state *s) noexcept
    {
        if (on_loop_thread()) {
            request_cancel(s);
            return;
        }
        io_uring_sync_cancel_reg reg{};
        reg.addr = reinterpret_cast<std::uintptr_t>(s);
        reg.fd = -1;
        reg.timeout.tv_sec = -1;
        reg.timeout.tv_nsec = -1;
        (void)io_uring_register_sync_cancel(native(), &reg);
    }

    // Phase 1 for every CQE ready now.
    void reap() noexcept
    {
        ring_->for_each_completion(
            [this](completion c) noexcept { dispatch(c.raw_user_data(), c.res(), c.flags()); });
    }

    // Phase 2: resume everything that is ready.
    void resume_ready() noexcept
    {
        while (op_state *s = ready_.pop_front()) {
            std::coroutine_handle<> h = s->waiter;
            s->waiter = {};
            if (h)
                h.resume();
        }
    }

    // Waits for CQEs and runs phase 1 until done() holds. For destructors:
    // resumes nothing.
    template <class Done>
    void drain(Done done) noexcept
    {
        while (!done()) {
            int rc = io_uring_submit_and_wait(native(), 1);
            if (rc < 0 && rc != -EINTR && rc != -ETIME && rc != -EBUSY && rc != -EAGAIN)
                contract_failure("event_loop: waiting for an abandoned request failed; its memory "
                                 "cannot be released safely");
            reap();
        }
    }

    // The request of s will not be awaited any more: cancel it and wait
    // for its final CQE, then forget s.
    void abandon(op_state *s) noexcept
    {
        if (s->is_pending()) {
            request_cancel(s);
            drain([s] { return !s->is_pending(); });
        }
        ready_.erase(s);
        s->waiter = {};
    }

    // One round: resume what is ready, or else submit, wait for at least one
    // CQE, reap and resume. False when there is nothing to wait for.
    bool run_once() noexcept
    {
        if (!ready_.empty()) {
            resume_ready();
            return true;
        }
        io_uring *r = native();
        if (in_flight_ == 0) {
            if (io_uring_sq_ready(r))
                io_uring_submit(r);
            return false;
        }
        (void)io_uring_submit_and_wait(r, 1); // -EINTR & co: just look again
        reap();
        resume_ready();
        return true;
    }

    // Like run_once, but never waits: submit, handle the CQEs already there,
    // resume. False when nothing was done.
    bool poll_once() noexcept
    {
        io_uring *r = native();
        if (io_uring_sq_ready(r))
            io_uring_submit(r);
        bool any = !ready_.empty() || io_uring_cq_ready(r) != 0;
        reap();
        resume_ready();
        return any;
    }

    // Cancels everything and waits until the kernel is done with all of it;
    // afterwards nothing refers to the loop any more.
    void shutdown() noexcept
    {
        stopping_ = true;
        if (in_flight_) {
            if (io_uring_sqe *sqe = acquire_sqe()) {
                io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
                io_uring_sqe_set_data64(sqe, 0);
                sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
            }
            drain([this] { return in_flight_ == 0; });
        }
    }

    // Forgets the ready list (after shutdown: those coroutines will never be
    // resumed; their owners may still destroy them safely).
    void forget_ready() noexcept
    {
        while (op_state *s = ready_.pop_front())
            s->waiter = {};
    }

private:
    // A request is pending until its CQE without IORING_CQE_F_MORE: the
    // last one of a multishot request, or a zero-copy send's notification
    // (IORING_CQE_F_NOTIF), which follows its result CQE (flagged MORE).
    void dispatch(std::uint64_t data, std::int32_t res, std::uint32_t flags) noexcept
    {
        // 0: our own cancel requests. LIBURING_UDATA_TIMEOUT: the C
        // library's internal timeout on kernels without EXT_ARG.
        if (data == 0 || data == LIBURING_UDATA_TIMEOUT) [[unlikely]]
            return;
        auto *s = reinterpret_cast<op_state *>(static_cast<std::uintptr_t>(data));
        if (!(flags & IORING_CQE_F_MORE)) {
            s->set_pending(false);
            --in_flight_;
        }
        s->on_cqe(s, res, flags);
    }

    ring *ring_;
    ready_list ready_;
    std::size_t in_flight_ = 0;
    std::thread::id thread_;
    bool stopping_ = false;
};

} // namespace uring::detail
