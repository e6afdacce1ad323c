// The operation concept, and wrappers that add SQE fields to any operation.
//
// An operation is a small value type that knows its opcode and how to fill
// one SQE through the matching io_uring_prep_* helper:
//
//     struct my_op {
//         static constexpr io_uring_op opcode = IORING_OP_NOP;
//         void prepare(io_uring_sqe *sqe) const noexcept { io_uring_prep_nop(sqe); }
//     };
//
// The opcode lets a ring's probe say whether the kernel supports it
// (ring::supports<Op>()). Three optional markers change how an operation may
// be used:
//   embeds_kernel_data = true   the SQE points at the operation object itself
//                               (the timeout family's timespec), so it must
//                               stay alive until submission: ring::prepare
//                               refuses a temporary of such a type;
//   multishot = true            one SQE posts many CQEs (IORING_CQE_F_MORE);
//                               the event loop runs these as generators;
//   sqe128 = true               the operation needs a 128-byte SQE: it is
//                               prepared through io_uring_get_sqe128, which
//                               only an IORING_SETUP_SQE128 or SQE_MIXED ring
//                               can give (elsewhere there is no SQE for it).
//
// A single-shot operation may still post two CQEs: a zero-copy send posts
// its result flagged IORING_CQE_F_MORE and later a notification flagged
// IORING_CQE_F_NOTIF. The event loop resumes the awaiting coroutine only
// after that last CQE (see event_loop.hpp).
#pragma once

#include <liburing.h>

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "user_data.hpp"

namespace uring {

template <class Op>
concept operation = requires(const Op &op, io_uring_sqe *sqe) {
    { Op::opcode } -> std::convertible_to<io_uring_op>;
    { op.prepare(sqe) } noexcept;
};

template <class Op>
inline constexpr bool embeds_kernel_data_v = requires { requires Op::embeds_kernel_data; };

template <class Op>
inline constexpr bool multishot_v = requires { requires Op::multishot; };

template <class Op>
inline constexpr bool sqe128_v = requires { requires Op::sqe128; };

namespace detail {

// An SQE of the size Op needs (io_uring_get_sqe / io_uring_get_sqe128), or
// nullptr.
template <class Op>
[[nodiscard]] io_uring_sqe *get_sqe_for(io_uring *ring) noexcept
{
    if constexpr (sqe128_v<Op>)
        return io_uring_get_sqe128(ring);
    else
        return io_uring_get_sqe(ring);
}

// SQ slots Op may use: a 128-byte SQE takes two on an SQE_MIXED ring, plus
// possibly a filler NOP when it would otherwise wrap. (io_uring_get_sqe128
// inserts that NOP even inside a linked chain, where it ends the chain: on
// SQE_MIXED rings keep 128-byte ops out of chains that may wrap the SQ.)
template <class Op>
inline constexpr unsigned sqe_slots_v = sqe128_v<Op> ? 3u : 1u;

// Whether this ring can give the SQE Op needs at all.
template <class Op>
[[nodiscard]] constexpr bool ring_fits(unsigned ring_flags) noexcept
{
    if constexpr (sqe128_v<Op>)
        return (ring_flags & (IORING_SETUP_SQE128 | IORING_SETUP_SQE_MIXED)) != 0;
    else
        return true;
}

} // namespace detail

// An operation used by reference: for wrapping an lvalue op that embeds
// kernel data (the wrapper then refers to the caller's object, whose
// lifetime the caller already manages, instead of copying it).
template <operation Op>
struct op_ref {
    static constexpr io_uring_op opcode = Op::opcode;
    static constexpr bool multishot = multishot_v<Op>;
    static constexpr bool sqe128 = sqe128_v<Op>;

    const Op *op;

    void prepare(io_uring_sqe *sqe) const noexcept { op->prepare(sqe); }
};

namespace detail {

// What a wrapper stores for an argument of type Op&&: a reference to an
// lvalue op that embeds kernel data, a copy of anything else.
template <class Op>
using wrapped_t = std::conditional_t<embeds_kernel_data_v<std::remove_cvref_t<Op>> && std::is_lvalue_reference_v<Op>,
                                     op_ref<std::remove_cvref_t<Op>>, std::remove_cvref_t<Op>>;

template <class Op>
constexpr wrapped_t<Op> wrap(Op &&op) noexcept
{
    if constexpr (std::is_same_v<wrapped_t<Op>, std::remove_cvref_t<Op>>)
        return std::forward<Op>(op);
    else
        return {&op};
}

} // namespace detail

// Op plus a user_data word.
template <operation Op>
struct tagged {
    static constexpr io_uring_op opcode = Op::opcode;
    static constexpr bool embeds_kernel_data = embeds_kernel_data_v<Op>;
    static constexpr bool multishot = multishot_v<Op>;
    static constexpr bool sqe128 = sqe128_v<Op>;

    Op op;
    std::uint64_t data;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        op.prepare(sqe);
        io_uring_sqe_set_data64(sqe, data);
    }
};

// with_data(op, 42), with_data(op, &object), with_data(op, user_data<T>{...}).
// An lvalue timeout (or other op embedding kernel data) is referred to, not
// copied, so the result may be a temporary.
template <class Op, class T>
    requires operation<std::remove_cvref_t<Op>>
[[nodiscard]] constexpr auto with_data(Op &&op, user_data<T> data) noexcept
{
    return tagged<detail::wrapped_t<Op>>{detail::wrap(std::forward<Op>(op)), data.raw()};
}
template <class Op, user_data_value T>
    requires operation<std::remove_cvref_t<Op>>
[[nodiscard]] constexpr auto with_data(Op &&op, T data) noexcept
{
    return tagged<detail::wrapped_t<Op>>{detail::wrap(std::forward<Op>(op)), user_data<T>(data).raw()};
}

// Op plus IOSQE_* flags (IOSQE_ASYNC, IOSQE_CQE_SKIP_SUCCESS, ...), ORed in
// after the prep helper ran.
template <operation Op>
struct flagged {
    static constexpr io_uring_op opcode = Op::opcode;
    static constexpr bool embeds_kernel_data = embeds_kernel_data_v<Op>;
    static constexpr bool multishot = multishot_v<Op>;
    static constexpr bool sqe128 = sqe128_v<Op>;

    Op op;
    std::uint8_t flags;

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        op.prepare(sqe);
        sqe->flags |= flags;
    }
};

template <class Op>
    requires operation<std::remove_cvref_t<Op>>
[[nodiscard]] constexpr auto with_flags(Op &&op, std::uint8_t sqe_flags) noexcept
{
    return flagged<detail::wrapped_t<Op>>{detail::wrap(std::forward<Op>(op)), sqe_flags};
}

} // namespace uring
