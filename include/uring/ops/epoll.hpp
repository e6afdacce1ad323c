// epoll through the ring: epoll_ctl, epoll_wait.
#pragma once

#include <liburing.h>

#include <sys/epoll.h>

#include <climits>
#include <cstdint>
#include <span>

#include "../fd.hpp"

namespace uring {

// io_uring_prep_epoll_ctl: epoll_ctl(2) on the epoll instance `epoll` for
// descriptor `target` (EPOLL_CTL_ADD / _MOD / _DEL; Linux 5.6). The event
// (`events` mask and `data` word) is kept inside the operation and the SQE
// points at it (embeds_kernel_data): the kernel copies it at submission, so
// the op must stay alive until then, and ring::prepare refuses a temporary.
// Both descriptors are plain ones: the kernel does not look them up in the
// registered file table.
class epoll_ctl {
public:
    static constexpr io_uring_op opcode = IORING_OP_EPOLL_CTL;
    static constexpr bool embeds_kernel_data = true;

    constexpr epoll_ctl(fd epoll, fd target, int op, std::uint32_t events = 0, std::uint64_t data = 0) noexcept
        : event_{events, {.u64 = data}}, epoll_(epoll), target_(target), op_(op)
    {
    }

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_epoll_ctl(sqe, epoll_.get(), target_.get(), op_, op_ == EPOLL_CTL_DEL ? nullptr : &event_);
    }

    [[nodiscard]] constexpr const epoll_event &event() const noexcept { return event_; }

private:
    epoll_event event_;
    fd epoll_;
    fd target_;
    int op_;
};

// io_uring_prep_epoll_wait: epoll_wait(2) into `events`, waiting (without a
// timeout) until at least one is ready; res is the number stored (Linux
// 6.15). `events` must stay valid until the CQE. Cancel it (stop_token,
// link_timeout) to stop waiting.
struct epoll_wait {
    static constexpr io_uring_op opcode = IORING_OP_EPOLL_WAIT;

    file_ref epoll;
    std::span<epoll_event> events;
    unsigned flags = 0; // must be 0 so far

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        int max = events.size() > INT_MAX ? INT_MAX : static_cast<int>(events.size());
        io_uring_prep_epoll_wait(sqe, epoll.value, events.data(), max, flags);
        epoll.apply(sqe);
    }
};

} // namespace uring
