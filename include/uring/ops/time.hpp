// Timers with std::chrono: timeout, timeout_remove, timeout_update,
// link_timeout.
//
// These ops carry the kernel's __kernel_timespec inside themselves and point
// the SQE at it (embeds_kernel_data), so the op object must stay alive until
// it is submitted; ring::prepare refuses a temporary of these types, and
// the event loop keeps the op in the awaiting coroutine's frame.
//
// A timeout that expires completes with -ETIME; one satisfied by `count`
// completions completes with 0; one removed or cancelled with -ECANCELED.
#pragma once

#include <liburing.h>

#include <chrono>
#include <cstdint>

#include "../user_data.hpp"
#include "common.hpp"

namespace uring {

namespace detail {

// The clock flags for an absolute timeout on Clock, whose epoch must be the
// kernel clock's: steady_clock is CLOCK_MONOTONIC, system_clock is
// CLOCK_REALTIME (libstdc++ and libc++ on Linux).
template <class Clock>
constexpr unsigned absolute_timeout_flags() noexcept
{
    static_assert(std::is_same_v<Clock, std::chrono::steady_clock> || std::is_same_v<Clock, std::chrono::system_clock>,
                  "absolute timeouts need steady_clock or system_clock time points");
    if constexpr (std::is_same_v<Clock, std::chrono::system_clock>)
        return IORING_TIMEOUT_ABS | IORING_TIMEOUT_REALTIME;
    else
        return IORING_TIMEOUT_ABS;
}

} // namespace detail

// io_uring_prep_timeout: completes after a duration, at a time point, or
// (count > 0) once `count` other requests have completed, whichever is
// first.
class timeout {
public:
    static constexpr io_uring_op opcode = IORING_OP_TIMEOUT;
    static constexpr bool embeds_kernel_data = true;

    template <class Rep, class Period>
    constexpr explicit timeout(std::chrono::duration<Rep, Period> d, unsigned count = 0, unsigned flags = 0) noexcept
        : ts_(detail::to_timespec(d)), count_(count), flags_(flags)
    {
    }
    template <class Clock, class Duration>
    constexpr explicit timeout(std::chrono::time_point<Clock, Duration> at, unsigned count = 0) noexcept
        : ts_(detail::to_timespec(at)), count_(count), flags_(detail::absolute_timeout_flags<Clock>())
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_timeout(sqe, &ts_, count_, flags_); }

    [[nodiscard]] constexpr const __kernel_timespec &timespec() const noexcept { return ts_; }

private:
    __kernel_timespec ts_;
    unsigned count_;
    unsigned flags_;
};

// io_uring_prep_timeout_remove: cancel the timeout whose user_data is
// `target`.
struct timeout_remove {
    static constexpr io_uring_op opcode = IORING_OP_TIMEOUT_REMOVE;

    std::uint64_t target;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_timeout_remove(sqe, target, flags); }
};

// io_uring_prep_timeout_update: re-arm the timeout whose user_data is
// `target` with a new relative duration.
class timeout_update {
public:
    static constexpr io_uring_op opcode = IORING_OP_TIMEOUT_REMOVE;
    static constexpr bool embeds_kernel_data = true;

    template <class Rep, class Period>
    constexpr timeout_update(std::uint64_t target, std::chrono::duration<Rep, Period> d) noexcept
        : ts_(detail::to_timespec(d)), target_(target)
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_timeout_update(sqe, &ts_, target_, 0); }

private:
    __kernel_timespec ts_;
    std::uint64_t target_;
};

// io_uring_prep_link_timeout: bounds the operation linked before it (use in
// a chain: ring.prepare_chain(read_op, link_timeout{100ms})). When it fires
// the other operation completes with -ECANCELED and this one with -ETIME;
// when the other finishes first this one completes with -ECANCELED.
class link_timeout {
public:
    static constexpr io_uring_op opcode = IORING_OP_LINK_TIMEOUT;
    static constexpr bool embeds_kernel_data = true;

    template <class Rep, class Period>
    constexpr explicit link_timeout(std::chrono::duration<Rep, Period> d) noexcept
        : ts_(detail::to_timespec(d)), flags_(0)
    {
    }
    template <class Clock, class Duration>
    constexpr explicit link_timeout(std::chrono::time_point<Clock, Duration> at) noexcept
        : ts_(detail::to_timespec(at)), flags_(detail::absolute_timeout_flags<Clock>())
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_link_timeout(sqe, &ts_, flags_); }

private:
    __kernel_timespec ts_;
    unsigned flags_;
};

} // namespace uring
