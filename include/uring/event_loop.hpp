// uring::event_loop: runs coroutines (uring::task) on one ring.
//
//     uring::event_loop loop(std::move(*uring::ring::create()));
//     auto copy = [&]() -> uring::task<int> {
//         std::array<char, 4096> buf;
//         uring::io_result r = co_await loop.run(uring::read{in, buf, 0});
//         if (!r) co_return r.res;
//         ...
//     };
//     int rc = loop.block_on(copy());
//
// co_await loop.run(op) prepares op's SQE (submitted with the loop's next
// batch) and yields its CQE as an io_result {res, flags}. A zero-copy send
// (send_zc & co) posts two CQEs, its result (flagged IORING_CQE_F_MORE) and
// a notification (IORING_CQE_F_NOTIF) once the kernel no longer reads the
// buffer: co_await yields the result, but only resumes after the
// notification, so the buffer may be released as soon as it returns.
//
// Lifetime rules (docs/cpp-api.md has the full story):
//   - The awaiter holds the op by value, and lives in the awaiting
//     coroutine's frame, so what the op points to may live there too.
//   - Cancellation: pass a std::stop_token; a stop request cancels the
//     request (IORING_OP_ASYNC_CANCEL) and the co_await yields -ECANCELED
//     (or the real result, if the request finished first). A stop requested
//     before submission yields -ECANCELED without submitting anything.
//   - Destroying a coroutine suspended in co_await loop.run(...) cancels the
//     request and waits (driving the ring, resuming nothing) until its final
//     CQE: the kernel never writes into memory that is gone.
//   - Destroying the loop cancels everything in flight and waits for it,
//     destroys spawned tasks, and leaves other suspended tasks safe to
//     destroy (they are never resumed).
//   - One thread: the loop, its tasks and its awaiters belong to the thread
//     that created the loop. Only std::stop_source::request_stop may come
//     from another thread (while the loop is alive); it then cancels with
//     io_uring_register_sync_cancel.
#pragma once

#include <liburing.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <stop_token>
#include <tuple>
#include <utility>

#include "buffer_ring.hpp"
#include "completion.hpp"
#include "detail/loop_core.hpp"
#include "operation.hpp"
#include "ops/time.hpp"
#include "ring.hpp"
#include "task.hpp"

namespace uring {

class event_loop;

namespace detail {

// Calls request_cancel_any_thread for one op_state on a stop request.
// Checks pending first: after the request's final CQE there is nothing to
// cancel, and the loop may even be gone (a task it never resumed can outlive
// it, stop callback included).
struct cancel_on_stop {
    loop_core *core;
    op_state *state;
    void operator()() const noexcept
    {
        if (state->is_pending())
            core->request_cancel_any_thread(state);
    }
};

} // namespace detail

// What co_await loop.run(op) awaits. Not movable: it must stay where the
// kernel's user_data points.
template <operation Op>
class [[nodiscard]] op_awaiter : private detail::op_state {
public:
    op_awaiter(detail::loop_core &core, Op op, std::stop_token stop) noexcept
        : core_(&core), op_(std::move(op)), stop_(std::move(stop))
    {
        on_cqe = &op_awaiter::handle_cqe;
    }
    op_awaiter(const op_awaiter &) = delete;
    op_awaiter &operator=(const op_awaiter &) = delete;
    ~op_awaiter()
    {
        // First the callback: a stop request must not race with abandon.
        cancel_.reset();
        if (is_pending() || in_ready)
            core_->abandon(this);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept
    {
        if (stop_.stop_requested()) {
            result_ = {-ECANCELED, 0};
            return false;
        }
        if (!detail::ring_fits<Op>(core_->native()->flags)) {
            result_ = {-EINVAL, 0}; // no 128-byte SQE on this ring
            return false;
        }
        if (!core_->start(this, op_)) {
            result_ = {core_->stopping() ? -ECANCELED : -EBUSY, 0};
            return false;
        }
        waiter = h;
        if (stop_.stop_possible())
            cancel_.emplace(stop_, detail::cancel_on_stop{core_, this});
        return true;
    }
    io_result await_resume() noexcept
    {
        cancel_.reset();
        return result_;
    }

private:
    static void handle_cqe(detail::op_state *s, std::int32_t res, std::uint32_t flags) noexcept
    {
        auto *self = static_cast<op_awaiter *>(s);
        // A zero-copy notification only says the kernel is done with the
        // buffer; the result to hand out came with the CQE before it.
        if (!(flags & IORING_CQE_F_NOTIF))
            self->result_ = {res, flags};
        // Resume only after the request's last CQE (still pending: the
        // notification of a zero-copy send is yet to come).
        if (self->waiter && !self->is_pending())
            self->core_->make_ready(self);
    }

    detail::loop_core *core_;
    Op op_;
    std::stop_token stop_;
    std::optional<std::stop_callback<detail::cancel_on_stop>> cancel_;
    io_result result_{};
};

// co_await loop.sleep_for(d): true if the whole duration passed, false if it
// was cancelled (stop request) or could not be started.
class [[nodiscard]] sleep_awaiter {
public:
    sleep_awaiter(detail::loop_core &core, timeout t, std::stop_token stop) noexcept
        : inner_(core, t, std::move(stop))
    {
    }
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept { return inner_.await_suspend(h); }
    bool await_resume() noexcept { return inner_.await_resume().res == -ETIME; }

private:
    op_awaiter<timeout> inner_;
};

// co_await loop.run_chain(op1, op2, ...): the ops as one linked chain
// (IOSQE_IO_LINK on all but the last), yielding all their results in order.
// A failed op completes the rest with -ECANCELED (kernel semantics).
template <operation... Ops>
class [[nodiscard]] chain_awaiter {
    static constexpr std::size_t count = sizeof...(Ops);

    struct link : detail::op_state {
        chain_awaiter *parent = nullptr;
        io_result result{};
    };

public:
    chain_awaiter(detail::loop_core &core, std::stop_token stop, Ops... ops) noexcept
        : core_(&core), ops_(std::move(ops)...), stop_(std::move(stop))
    {
        for (link &l : links_) {
            l.on_cqe = &chain_awaiter::handle_cqe;
            l.parent = this;
        }
    }
    chain_awaiter(const chain_awaiter &) = delete;
    chain_awaiter &operator=(const chain_awaiter &) = delete;
    ~chain_awaiter()
    {
        cancel_.reset();
        bool any_pending = false;
        for (link &l : links_) {
            if (l.is_pending()) {
                core_->request_cancel(&l);
                any_pending = true;
            }
        }
        if (any_pending)
            core_->drain([this] { return remaining_ == 0; });
        if (done_.in_ready)
            core_->abandon(&done_);
    }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) noexcept
    {
        if (stop_.stop_requested())
            return fail(-ECANCELED);
        if (core_->stopping())
            return fail(-ECANCELED);
        if (!(detail::ring_fits<Ops>(core_->native()->flags) && ...))
            return fail(-EINVAL); // an op needs a 128-byte SQE this ring lacks
        // A chain must be submitted in one piece.
        if (!core_->make_room((detail::sqe_slots_v<Ops> + ...)))
            return fail(-EBUSY);
        std::apply([this](const Ops &...ops) { prepare_all(ops...); }, ops_);
        remaining_ = count;
        done_.waiter = h;
        if (stop_.stop_possible())
            cancel_.emplace(stop_, cancel_all{this});
        return true;
    }
    std::array<io_result, count> await_resume() noexcept
    {
        cancel_.reset();
        std::array<io_result, count> out;
        for (std::size_t i = 0; i < count; ++i)
            out[i] = links_[i].result;
        return out;
    }

private:
    struct cancel_all {
        chain_awaiter *self;
        void operator()() const noexcept
        {
            for (link &l : self->links_)
                if (l.is_pending())
                    self->core_->request_cancel_any_thread(&l);
        }
    };

    bool fail(int res) noexcept
    {
        for (link &l : links_)
            l.result = {res, 0};
        return false;
    }

    void prepare_all(const Ops &...ops) noexcept
    {
        std::size_t i = 0;
        io_uring *r = core_->native();
        auto one = [&]<class Op>(const Op &op) noexcept {
            // make_room guaranteed a slot for every op.
            io_uring_sqe *sqe = detail::get_sqe_for<Op>(r);
            core_->fill(&links_[i], sqe, op);
            if (i + 1 < count)
                sqe->flags |= IOSQE_IO_LINK;
            ++i;
        };
        (one(ops), ...);
    }

    static void handle_cqe(detail::op_state *s, std::int32_t res, std::uint32_t flags) noexcept
    {
        auto *l = static_cast<link *>(s);
        chain_awaiter *self = l->parent;
        if (!(flags & IORING_CQE_F_NOTIF))
            l->result = {res, flags};
        if (l->is_pending()) // a zero-copy send's notification is to come
            return;
        if (--self->remaining_ == 0 && self->done_.waiter)
            self->core_->make_ready(&self->done_);
    }

    detail::loop_core *core_;
    std::tuple<Ops...> ops_;
    std::array<link, count> links_{};
    detail::op_state done_{}; // what the ready list resumes
    std::size_t remaining_ = 0;
    std::stop_token stop_;
    std::optional<std::stop_callback<cancel_all>> cancel_;
};

class event_loop {
public:
    // Runs on a ring the caller owns (and keeps alive, unmoved, for the
    // loop's lifetime).
    explicit event_loop(ring &r) noexcept : core_(r) {}
    // Runs on a ring it owns.
    explicit event_loop(ring &&r) noexcept : owned_(std::move(r)), core_(*owned_) {}
    event_loop(const event_loop &) = delete;
    event_loop &operator=(const event_loop &) = delete;
    ~event_loop()
    {
        core_.shutdown();
        // Spawned tasks will never finish now; nothing of theirs is in
        // flight any more, so their frames can go.
        while (detail::task_promise_base *p = spawned_.front()) {
            spawned_.erase(p);
            auto &promise = static_cast<detail::task_promise<void> &>(*p);
            std::coroutine_handle<detail::task_promise<void>>::from_promise(promise).destroy();
        }
        core_.forget_ready();
        buffer_rings_.clear();
        // owned_ (if any) closes the ring after this.
    }

    [[nodiscard]] ring &get_ring() noexcept { return core_.get_ring(); }
    // Requests submitted and not finished.
    [[nodiscard]] std::size_t in_flight() const noexcept { return core_.in_flight(); }

    // ---- awaitables ---------------------------------------------------

    template <operation Op>
        requires(!multishot_v<Op>)
    op_awaiter<Op> run(Op op, std::stop_token stop = {}) noexcept
    {
        return op_awaiter<Op>(core_, std::move(op), std::move(stop));
    }

    template <operation... Ops>
        requires(sizeof...(Ops) > 0 && (!multishot_v<Ops> && ...))
    chain_awaiter<Ops...> run_chain(Ops... ops) noexcept
    {
        return chain_awaiter<Ops...>(core_, std::stop_token{}, std::move(ops)...);
    }
    template <operation... Ops>
        requires(sizeof...(Ops) > 0 && (!multishot_v<Ops> && ...))
    chain_awaiter<Ops...> run_chain(std::stop_token stop, Ops... ops) noexcept
    {
        return chain_awaiter<Ops...>(core_, std::move(stop), std::move(ops)...);
    }

    template <class Rep, class Period>
    sleep_awaiter sleep_for(std::chrono::duration<Rep, Period> d, std::stop_token stop = {}) noexcept
    {
        return sleep_awaiter(core_, timeout(d), std::move(stop));
    }

    // ---- buffers ------------------------------------------------------

    // A buffer ring owned by the loop: destroyed only after everything in
    // flight has finished, so no request can pick from it once it is gone.
    [[nodiscard]] result<buffer_ring *> make_buffer_ring(std::uint16_t group, unsigned entries,
                                                         std::size_t buffer_size) noexcept
    {
        auto br = buffer_ring::create(get_ring().native_handle(), group, entries, buffer_size);
        if (!br)
            return br.error();
        buffer_rings_.push_back(std::move(*br));
        return &buffer_rings_.back();
    }

    // ---- running ------------------------------------------------------

    // Starts t now and keeps it until it finishes (or the loop goes).
    void spawn(task<void> t) noexcept
    {
        auto h = t.release();
        if (!h)
            return;
        spawned_.push(&h.promise());
        h.resume();
    }

    // Runs t (and everything else) until t finishes; returns its value.
    // Not from inside a coroutine running on this loop.
    template <class T>
    T block_on(task<T> t) noexcept
    {
        auto h = t.handle();
        if (!h)
            detail::contract_failure("event_loop::block_on: empty task");
        if (!h.done())
            h.resume();
        while (!h.done()) {
            if (!core_.run_once())
                detail::contract_failure("event_loop::block_on: the task waits for something this loop "
                                         "will never complete");
        }
        if constexpr (!std::is_void_v<T>) {
            if (!h.promise().value)
                detail::contract_failure("event_loop::block_on: task produced no value");
            return std::move(*h.promise().value);
        }
    }

    // One round: resume what is ready, or else submit, wait for at least
    // one CQE and resume what it completes. False when there is nothing to
    // wait for.
    bool run_once() noexcept { return core_.run_once(); }
    // The same without waiting: only what has completed already. False when
    // there was nothing to do.
    bool poll() noexcept { return core_.poll_once(); }

    // Until no spawned task is left and nothing is in flight or ready.
    void run() noexcept
    {
        while (!spawned_.empty() || core_.has_ready() || core_.in_flight()) {
            if (!core_.run_once())
                break;
        }
    }

    // For generators and custom awaitables.
    [[nodiscard]] detail::loop_core &core() noexcept { return core_; }

private:
    std::optional<ring> owned_;
    detail::loop_core core_;
    detail::spawn_list spawned_;
    // A deque: growing it never moves the buffer_rings handed out.
    std::deque<buffer_ring> buffer_rings_;
};

} // namespace uring
