// uring::task<T>: a lazily started coroutine that produces a T.
//
// A task does nothing until it is awaited (co_await t), driven by
// event_loop::block_on, or handed to event_loop::spawn. Awaiting resumes the
// awaiter right when the task finishes (symmetric transfer, so long chains
// of tasks do not grow the stack).
//
// Destroying a task that is suspended destroys its frame: locals and the
// pending co_await are destroyed in order, and an operation in flight is
// cancelled and waited for before its memory goes (see event_loop.hpp).
#pragma once

#include <coroutine>
#include <exception>
#include <new>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "result.hpp"

namespace uring {

template <class T = void>
class task;

namespace detail {

class spawn_list;

struct task_promise_base {
    // Resumed when the task finishes: the awaiting coroutine, or nothing.
    std::coroutine_handle<> continuation = std::noop_coroutine();
    // Set for tasks owned by an event_loop (spawn): they free themselves.
    spawn_list *owner = nullptr;
    task_promise_base *spawn_prev = nullptr;
    task_promise_base *spawn_next = nullptr;

    std::suspend_always initial_suspend() const noexcept { return {}; }

    struct final_awaiter {
        bool await_ready() const noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) const noexcept;
        void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() const noexcept { return {}; }

    // Without exceptions there is nothing to propagate; with them, an escape
    // from a task is a bug we refuse to hide.
    void unhandled_exception() const noexcept { std::terminate(); }
};

// The tasks an event_loop owns (spawned), as an intrusive list so that a
// finishing task can unlink itself in O(1).
class spawn_list {
public:
    void push(task_promise_base *p) noexcept
    {
        p->owner = this;
        p->spawn_prev = nullptr;
        p->spawn_next = head_;
        if (head_)
            head_->spawn_prev = p;
        head_ = p;
    }
    void erase(task_promise_base *p) noexcept
    {
        if (p->spawn_prev)
            p->spawn_prev->spawn_next = p->spawn_next;
        else
            head_ = p->spawn_next;
        if (p->spawn_next)
            p->spawn_next->spawn_prev = p->spawn_prev;
        p->owner = nullptr;
        p->spawn_prev = p->spawn_next = nullptr;
    }
    [[nodiscard]] task_promise_base *front() const noexcept { return head_; }
    [[nodiscard]] bool empty() const noexcept { return head_ == nullptr; }

private:
    task_promise_base *head_ = nullptr;
};

template <class Promise>
std::coroutine_handle<> task_promise_base::final_awaiter::await_suspend(std::coroutine_handle<Promise> h) const noexcept
{
    task_promise_base &p = h.promise();
    if (p.owner) {
        // A spawned task: nobody will look at it again.
        p.owner->erase(&p);
        h.destroy();
        return std::noop_coroutine();
    }
    return p.continuation;
}

template <class T>
struct task_promise : task_promise_base {
    std::optional<T> value;

    task<T> get_return_object() noexcept;
    template <class U = T>
        requires std::is_convertible_v<U &&, T>
    void return_value(U &&v) noexcept(std::is_nothrow_constructible_v<T, U &&>)
    {
        value.emplace(std::forward<U>(v));
    }
};

template <>
struct task_promise<void> : task_promise_base {
    task<void> get_return_object() noexcept;
    void return_void() const noexcept {}
};

} // namespace detail

template <class T>
class [[nodiscard]] task {
public:
    using promise_type = detail::task_promise<T>;
    using handle_type = std::coroutine_handle<promise_type>;

    task() noexcept = default;
    explicit task(handle_type h) noexcept : h_(h) {}
    task(task &&o) noexcept : h_(std::exchange(o.h_, {})) {}
    task &operator=(task &&o) noexcept
    {
        if (this != &o) {
            if (h_)
                h_.destroy();
            h_ = std::exchange(o.h_, {});
        }
        return *this;
    }
    task(const task &) = delete;
    task &operator=(const task &) = delete;
    ~task()
    {
        if (h_)
            h_.destroy();
    }

    [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(h_); }
    [[nodiscard]] bool done() const noexcept { return !h_ || h_.done(); }

    // Awaiting a task starts it and yields its value.
    struct awaiter {
        handle_type h;
        bool await_ready() const noexcept { return !h || h.done(); }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) const noexcept
        {
            h.promise().continuation = awaiting;
            return h;
        }
        T await_resume() const noexcept
        {
            if constexpr (!std::is_void_v<T>) {
                if (!h || !h.promise().value)
                    detail::contract_failure("awaited a task that produced no value");
                return std::move(*h.promise().value);
            }
        }
    };
    awaiter operator co_await() const & noexcept { return {h_}; }
    awaiter operator co_await() const && noexcept { return {h_}; }

    // For the event loop: the frame, and giving it up.
    [[nodiscard]] handle_type handle() const noexcept { return h_; }
    [[nodiscard]] handle_type release() noexcept { return std::exchange(h_, {}); }

private:
    handle_type h_;
};

namespace detail {

template <class T>
task<T> task_promise<T>::get_return_object() noexcept
{
    return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}

inline task<void> task_promise<void>::get_return_object() noexcept
{
    return task<void>(std::coroutine_handle<task_promise<void>>::from_promise(*this));
}

// when_all's helpers: one small coroutine per child, which awaits the child
// and counts down; the last one to finish resumes the parent.
struct join_counter {
    std::size_t remaining = 0;
    std::coroutine_handle<> parent;
};

class join_task {
public:
    struct promise_type {
        join_counter *counter = nullptr;

        join_task get_return_object() noexcept
        {
            return join_task(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) const noexcept
            {
                join_counter *c = h.promise().counter;
                if (--c->remaining == 0)
                    return c->parent;
                return std::noop_coroutine();
            }
            void await_resume() const noexcept {}
        };
        final_awaiter final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() const noexcept { std::terminate(); }
    };

    explicit join_task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
    join_task(join_task &&o) noexcept : h_(std::exchange(o.h_, {})) {}
    join_task &operator=(join_task &&) = delete;
    ~join_task()
    {
        if (h_)
            h_.destroy();
    }
    void start(join_counter *c) const noexcept
    {
        h_.promise().counter = c;
        h_.resume();
    }

private:
    std::coroutine_handle<promise_type> h_;
};

inline join_task join_one(task<void> &t)
{
    co_await t;
}

} // namespace detail

// co_await when_all(tasks): runs all the tasks concurrently and resumes when
// every one has finished. The tasks stay owned by the caller (destroying
// them, or the awaiting coroutine, while they run abandons their work as
// usual).
class [[nodiscard]] when_all {
public:
    explicit when_all(std::span<task<void>> tasks) noexcept : tasks_(tasks) {}
    when_all(const when_all &) = delete;
    when_all &operator=(const when_all &) = delete;

    bool await_ready() const noexcept { return tasks_.empty(); }
    bool await_suspend(std::coroutine_handle<> parent) noexcept
    {
        // One extra count while starting, so that children finishing right
        // away cannot resume the parent before it has suspended.
        counter_.remaining = tasks_.size() + 1;
        counter_.parent = parent;
        joins_.reserve(tasks_.size());
        for (task<void> &t : tasks_)
            joins_.push_back(detail::join_one(t));
        for (detail::join_task &j : joins_)
            j.start(&counter_);
        return --counter_.remaining != 0;
    }
    void await_resume() const noexcept {}

private:
    std::span<task<void>> tasks_;
    std::vector<detail::join_task> joins_;
    detail::join_counter counter_;
};

} // namespace uring
