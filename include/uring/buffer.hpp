// Byte views the kernel reads from (const_buffer) or writes into
// (mutable_buffer).
//
// Both convert from std::span of any trivially copyable type and from any
// contiguous range that is an lvalue or a borrowed view (std::vector&,
// std::array&, char[N], std::string_view, ...). A temporary container is
// refused at compile time: its storage would be gone before the kernel used
// it. Note that a string literal converts with its terminating NUL; use a
// std::string_view to leave it out.
#pragma once

#include <cstddef>
#include <iterator>
#include <ranges>
#include <span>
#include <type_traits>

namespace uring {

namespace detail {

template <class R>
using range_element_t = std::remove_reference_t<std::ranges::range_reference_t<R>>;

template <class R>
concept byte_source = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
                      std::ranges::borrowed_range<R> && std::is_trivially_copyable_v<range_element_t<R>>;

template <class R>
concept byte_sink = byte_source<R> && !std::is_const_v<range_element_t<R>>;

} // namespace detail

class mutable_buffer {
public:
    constexpr mutable_buffer() noexcept = default;
    mutable_buffer(void *data, std::size_t size) noexcept : data_(static_cast<std::byte *>(data)), size_(size) {}
    template <class R>
        requires detail::byte_sink<R> && (!std::is_same_v<std::remove_cvref_t<R>, mutable_buffer>)
    mutable_buffer(R &&r) noexcept
        : data_(reinterpret_cast<std::byte *>(std::ranges::data(r))),
          size_(std::ranges::size(r) * sizeof(detail::range_element_t<R>))
    {
    }

    [[nodiscard]] std::byte *data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::span<std::byte> span() const noexcept { return {data_, size_}; }
    // The first n bytes (all of them if n is larger).
    [[nodiscard]] mutable_buffer first(std::size_t n) const noexcept
    {
        return {data_, n < size_ ? n : size_};
    }

private:
    std::byte *data_ = nullptr;
    std::size_t size_ = 0;
};

class const_buffer {
public:
    constexpr const_buffer() noexcept = default;
    const_buffer(const void *data, std::size_t size) noexcept
        : data_(static_cast<const std::byte *>(data)), size_(size)
    {
    }
    const_buffer(mutable_buffer b) noexcept : data_(b.data()), size_(b.size()) {}
    template <class R>
        requires detail::byte_source<R> && (!std::is_same_v<std::remove_cvref_t<R>, const_buffer>) &&
                 (!std::is_same_v<std::remove_cvref_t<R>, mutable_buffer>)
    const_buffer(R &&r) noexcept
        : data_(reinterpret_cast<const std::byte *>(std::ranges::data(r))),
          size_(std::ranges::size(r) * sizeof(detail::range_element_t<R>))
    {
    }

    [[nodiscard]] const std::byte *data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::span<const std::byte> span() const noexcept { return {data_, size_}; }
    [[nodiscard]] const_buffer first(std::size_t n) const noexcept { return {data_, n < size_ ? n : size_}; }

private:
    const std::byte *data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace uring
