// uring::user_data<T>: the 64-bit SQE/CQE user_data word, typed.
//
// The kernel hands user_data back unchanged in the CQE. Code usually stores
// a pointer or an integer there, and with the C API that means a cast at
// every call site. user_data<T> encodes a pointer, integer or enum once:
//
//     ring.prepare(uring::with_data(op, uring::user_data{&conn}));
//     ...
//     connection *c = cqe.data<connection *>();
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace uring {

template <class T>
concept user_data_value =
    (std::is_pointer_v<T> || std::is_integral_v<T> || std::is_enum_v<T>) && sizeof(T) <= sizeof(std::uint64_t);

template <user_data_value T>
class user_data {
public:
    using value_type = T;

    constexpr user_data() noexcept = default;
    // Implicit: a T is a perfectly good user_data<T>.
    constexpr user_data(T value) noexcept : raw_(encode(value)) {}

    [[nodiscard]] static constexpr user_data from_raw(std::uint64_t raw) noexcept
    {
        user_data d;
        d.raw_ = raw;
        return d;
    }

    [[nodiscard]] constexpr std::uint64_t raw() const noexcept { return raw_; }
    [[nodiscard]] constexpr T get() const noexcept { return decode(raw_); }

    [[nodiscard]] static constexpr std::uint64_t encode(T value) noexcept
    {
        if constexpr (std::is_pointer_v<T>)
            return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(value));
        else if constexpr (std::is_enum_v<T>)
            return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value));
        else
            return static_cast<std::uint64_t>(value);
    }
    [[nodiscard]] static constexpr T decode(std::uint64_t raw) noexcept
    {
        if constexpr (std::is_pointer_v<T>)
            return reinterpret_cast<T>(static_cast<std::uintptr_t>(raw));
        else if constexpr (std::is_enum_v<T>)
            return static_cast<T>(static_cast<std::underlying_type_t<T>>(raw));
        else
            return static_cast<T>(raw);
    }

    friend constexpr bool operator==(user_data, user_data) noexcept = default;

private:
    std::uint64_t raw_ = 0;
};

template <class T>
user_data(T) -> user_data<T>;

} // namespace uring
