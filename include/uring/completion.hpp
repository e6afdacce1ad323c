// What a finished operation reports.
//
//   uring::completion  a view of one CQE still in the CQ ring (valid until
//                      the ring is advanced past it)
//   uring::io_result   a copy of the two words that matter (res, flags),
//                      what coroutines get back from co_await
#pragma once

#include <liburing.h>

#include <cstdint>
#include <optional>
#include <span>
#include <system_error>

#include "result.hpp"
#include "user_data.hpp"

namespace uring {

// res and flags of a CQE, with the common interpretations.
struct io_result {
    std::int32_t res = 0;
    std::uint32_t flags = 0;

    [[nodiscard]] constexpr bool ok() const noexcept { return res >= 0; }
    explicit constexpr operator bool() const noexcept { return ok(); }
    // The error (res < 0), or an empty error_code.
    [[nodiscard]] std::error_code error() const noexcept
    {
        return res < 0 ? errno_error(res) : std::error_code{};
    }
    // res as an unsigned count/fd; only meaningful when ok().
    [[nodiscard]] constexpr std::uint32_t value() const noexcept { return static_cast<std::uint32_t>(res); }
    // IORING_CQE_F_MORE: a multishot request will post more CQEs.
    [[nodiscard]] constexpr bool more() const noexcept { return (flags & IORING_CQE_F_MORE) != 0; }
    // The provided buffer the kernel picked (IORING_CQE_F_BUFFER), if any.
    [[nodiscard]] constexpr std::optional<std::uint16_t> buffer_id() const noexcept
    {
        if (!(flags & IORING_CQE_F_BUFFER))
            return std::nullopt;
        return static_cast<std::uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
    }
    // The result as result<unsigned>: the count/fd or the error.
    [[nodiscard]] result<std::uint32_t> to_result() const noexcept
    {
        if (res < 0)
            return errno_error(res);
        return value();
    }
    friend constexpr bool operator==(io_result, io_result) noexcept = default;
};

class completion {
public:
    constexpr explicit completion(const io_uring_cqe *cqe) noexcept : cqe_(cqe) {}

    [[nodiscard]] std::int32_t res() const noexcept { return cqe_->res; }
    [[nodiscard]] std::uint32_t flags() const noexcept { return cqe_->flags; }
    [[nodiscard]] std::uint64_t raw_user_data() const noexcept { return cqe_->user_data; }
    template <user_data_value T>
    [[nodiscard]] T data() const noexcept
    {
        return user_data<T>::from_raw(cqe_->user_data).get();
    }
    [[nodiscard]] io_result result() const noexcept { return {cqe_->res, cqe_->flags}; }
    [[nodiscard]] bool ok() const noexcept { return cqe_->res >= 0; }
    [[nodiscard]] std::error_code error() const noexcept { return result().error(); }
    [[nodiscard]] bool more() const noexcept { return (cqe_->flags & IORING_CQE_F_MORE) != 0; }
    [[nodiscard]] std::optional<std::uint16_t> buffer_id() const noexcept { return result().buffer_id(); }
    // The two extra words of a 32-byte CQE (CQE32 rings, or IORING_CQE_F_32
    // on CQE_MIXED rings); empty for a 16-byte CQE.
    [[nodiscard]] std::span<const __u64> big_cqe(const io_uring *ring) const noexcept
    {
        bool big = (ring->flags & IORING_SETUP_CQE32) || (cqe_->flags & IORING_CQE_F_32);
        if (!big)
            return {};
        return {cqe_->big_cqe, 2};
    }
    [[nodiscard]] const io_uring_cqe *native() const noexcept { return cqe_; }

private:
    const io_uring_cqe *cqe_;
};

} // namespace uring
