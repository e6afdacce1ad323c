// uring::result<T>: a value or a std::error_code, for a library that must
// work with -fno-exceptions. Every fallible call in the C API returns -errno;
// result carries that as std::error_code in std::system_category (or in one
// of our own categories, e.g. setup_errc, when the error is ours).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <system_error>
#include <type_traits>
#include <utility>

namespace uring {

// -errno (as every liburing call returns it) to std::error_code.
[[nodiscard]] inline std::error_code errno_error(int negative_errno) noexcept
{
    return {-negative_errno, std::system_category()};
}

namespace detail {

// Contract violations (value() on an error, ...): there is no exception to
// throw, so say what went wrong and stop.
[[noreturn]] inline void contract_failure(const char *what) noexcept
{
    std::fprintf(stderr, "uring: contract violation: %s\n", what);
    std::abort();
}

} // namespace detail

template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T>, "result<T&> is not supported; use result<T*>");
    static_assert(!std::is_same_v<std::remove_cv_t<T>, std::error_code>);

public:
    using value_type = T;

    // Implicit from a value or an error, so `return value;` and
    // `return errno_error(rc);` both work in a function returning result<T>.
    result(const T &v) noexcept(std::is_nothrow_copy_constructible_v<T>)
        requires std::is_copy_constructible_v<T>
        : has_(true)
    {
        std::construct_at(&value_, v);
    }
    result(T &&v) noexcept(std::is_nothrow_move_constructible_v<T>) : has_(true)
    {
        std::construct_at(&value_, std::move(v));
    }
    template <class... Args>
    explicit result(std::in_place_t, Args &&...args) noexcept(std::is_nothrow_constructible_v<T, Args...>)
        : has_(true)
    {
        std::construct_at(&value_, std::forward<Args>(args)...);
    }
    result(std::error_code ec) noexcept : error_(ec), has_(false)
    {
        // An error result must carry an error: a zero code would read as
        // "no error" from error() while has_value() is false.
        if (!ec)
            error_ = std::make_error_code(std::errc::invalid_argument);
    }

    result(result &&o) noexcept(std::is_nothrow_move_constructible_v<T>) : error_(o.error_), has_(o.has_)
    {
        if (has_)
            std::construct_at(&value_, std::move(o.value_));
    }
    result(const result &o) noexcept(std::is_nothrow_copy_constructible_v<T>)
        requires std::is_copy_constructible_v<T>
        : error_(o.error_), has_(o.has_)
    {
        if (has_)
            std::construct_at(&value_, o.value_);
    }
    result &operator=(result &&o) noexcept(std::is_nothrow_move_constructible_v<T>)
    {
        if (this != &o) {
            reset();
            error_ = o.error_;
            has_ = o.has_;
            if (has_)
                std::construct_at(&value_, std::move(o.value_));
        }
        return *this;
    }
    result &operator=(const result &o) noexcept(std::is_nothrow_copy_constructible_v<T>)
        requires std::is_copy_constructible_v<T>
    {
        if (this != &o) {
            reset();
            error_ = o.error_;
            has_ = o.has_;
            if (has_)
                std::construct_at(&value_, o.value_);
        }
        return *this;
    }
    ~result() { reset(); }

    [[nodiscard]] bool has_value() const noexcept { return has_; }
    explicit operator bool() const noexcept { return has_; }
    // The error, or a default (false) error_code when there is a value.
    [[nodiscard]] std::error_code error() const noexcept { return error_; }

    [[nodiscard]] T &value() & noexcept { check(); return value_; }
    [[nodiscard]] const T &value() const & noexcept { check(); return value_; }
    [[nodiscard]] T &&value() && noexcept { check(); return std::move(value_); }
    [[nodiscard]] T &operator*() & noexcept { return value(); }
    [[nodiscard]] const T &operator*() const & noexcept { return value(); }
    [[nodiscard]] T &&operator*() && noexcept { return std::move(*this).value(); }
    [[nodiscard]] T *operator->() noexcept { return &value(); }
    [[nodiscard]] const T *operator->() const noexcept { return &value(); }

    template <class U>
    [[nodiscard]] T value_or(U &&fallback) const & noexcept
    {
        return has_ ? value_ : static_cast<T>(std::forward<U>(fallback));
    }

private:
    void check() const noexcept
    {
        if (!has_)
            detail::contract_failure("result::value() called on an error");
    }
    void reset() noexcept
    {
        if (has_)
            std::destroy_at(&value_);
        has_ = false;
    }

    union {
        T value_;
    };
    std::error_code error_;
    bool has_;
};

// result<void>: success or an error code.
template <>
class [[nodiscard]] result<void> {
public:
    using value_type = void;

    result() noexcept = default;
    result(std::error_code ec) noexcept : error_(ec) {}

    [[nodiscard]] bool has_value() const noexcept { return !error_; }
    explicit operator bool() const noexcept { return !error_; }
    [[nodiscard]] std::error_code error() const noexcept { return error_; }
    void value() const noexcept
    {
        if (error_)
            detail::contract_failure("result<void>::value() called on an error");
    }

private:
    std::error_code error_;
};

// A C-API return code (>= 0 success, -errno failure) as result<void>.
[[nodiscard]] inline result<void> void_result(int rc) noexcept
{
    if (rc < 0)
        return errno_error(rc);
    return {};
}

} // namespace uring
