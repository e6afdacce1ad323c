// Operations without a file: nop, nop128, cancel, msg_ring, futex_wait,
// futex_wake.
#pragma once

#include <liburing.h>

#include <atomic>
#include <cstdint>

#include "../fd.hpp"
#include "../user_data.hpp"

namespace uring {

// io_uring_prep_nop: completes with 0.
struct nop {
    static constexpr io_uring_op opcode = IORING_OP_NOP;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_nop(sqe); }
};

// io_uring_prep_nop128: a NOP in a 128-byte SQE; completes with 0 (Linux
// 6.19). It needs an IORING_SETUP_SQE128 or IORING_SETUP_SQE_MIXED ring
// (sqe128: prepared through io_uring_get_sqe128; ring::prepare returns
// nullptr and event_loop::run yields -EINVAL on any other ring).
struct nop128 {
    static constexpr io_uring_op opcode = IORING_OP_NOP128;
    static constexpr bool sqe128 = true;

    void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_nop128(sqe); }
};

// IORING_OP_ASYNC_CANCEL, through io_uring_prep_cancel64 (match by
// user_data, or every request with IORING_ASYNC_CANCEL_ANY) or
// io_uring_prep_cancel_fd (every request on a file). res is 0 (one request
// found), the number cancelled (with IORING_ASYNC_CANCEL_ALL/ANY), -ENOENT
// (nothing matched) or -EALREADY (running and cannot be stopped; it will
// complete on its own).
class cancel {
public:
    static constexpr io_uring_op opcode = IORING_OP_ASYNC_CANCEL;

    template <class T>
    [[nodiscard]] static constexpr cancel by_data(user_data<T> target, unsigned flags = 0) noexcept
    {
        return cancel(kind::data, target.raw(), -1, flags);
    }
    [[nodiscard]] static constexpr cancel by_raw_data(std::uint64_t target, unsigned flags = 0) noexcept
    {
        return cancel(kind::data, target, -1, flags);
    }
    [[nodiscard]] static constexpr cancel by_file(file_ref file, unsigned flags = 0) noexcept
    {
        return cancel(kind::file, 0, file.value,
                      flags | (file.fixed() ? unsigned{IORING_ASYNC_CANCEL_FD_FIXED} : 0u));
    }
    [[nodiscard]] static constexpr cancel any() noexcept
    {
        return cancel(kind::data, 0, -1, IORING_ASYNC_CANCEL_ANY);
    }

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        if (kind_ == kind::file)
            io_uring_prep_cancel_fd(sqe, fd_, flags_);
        else
            io_uring_prep_cancel64(sqe, data_, static_cast<int>(flags_));
    }

private:
    enum class kind : std::uint8_t { data, file };
    constexpr cancel(kind k, std::uint64_t data, int fd, unsigned flags) noexcept
        : data_(data), fd_(fd), flags_(flags), kind_(k)
    {
    }

    std::uint64_t data_;
    int fd_;
    unsigned flags_;
    kind kind_;
};

// io_uring_prep_msg_ring: post a CQE {user_data = data, res = value} on
// another ring (the target ring's fd, or its registered index).
struct msg_ring {
    static constexpr io_uring_op opcode = IORING_OP_MSG_RING;

    file_ref target_ring;
    unsigned value;
    std::uint64_t data;
    unsigned flags = 0;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_msg_ring(sqe, target_ring.value, value, data, flags);
        target_ring.apply(sqe);
    }
};

// FUTEX2_* flags for the futex operations (<linux/futex.h> only has them
// from Linux 6.7 headers on).
inline constexpr std::uint32_t futex2_size_u32 = 0x02;
inline constexpr std::uint32_t futex2_private = 128;
inline constexpr std::uint64_t futex_bitset_match_any = 0xffffffffu;

// io_uring_prep_futex_wait: wait while *word == expected (Linux 6.7).
// Completes with 0 when woken, -EAGAIN if the word did not hold `expected`.
struct futex_wait {
    static constexpr io_uring_op opcode = IORING_OP_FUTEX_WAIT;

    const std::atomic<std::uint32_t> *word;
    std::uint32_t expected;
    std::uint64_t mask = futex_bitset_match_any;
    std::uint32_t futex_flags = futex2_size_u32 | futex2_private;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) &&
                      std::atomic<std::uint32_t>::is_always_lock_free);
        io_uring_prep_futex_wait(sqe, reinterpret_cast<const std::uint32_t *>(word), expected, mask, futex_flags,
                                 0);
    }
};

// io_uring_prep_futex_wake: wake up to `count` waiters on *word. res is the
// number woken.
struct futex_wake {
    static constexpr io_uring_op opcode = IORING_OP_FUTEX_WAKE;

    const std::atomic<std::uint32_t> *word;
    std::uint64_t count = 1;
    std::uint64_t mask = futex_bitset_match_any;
    std::uint32_t futex_flags = futex2_size_u32 | futex2_private;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_futex_wake(sqe, reinterpret_cast<const std::uint32_t *>(word), count, mask, futex_flags, 0);
    }
};

} // namespace uring
