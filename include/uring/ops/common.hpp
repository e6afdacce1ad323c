// Small pieces shared by the operation headers.
#pragma once

#include <liburing.h>

#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace uring {

// Offset meaning "the file position" for read/write (-1 in the SQE).
inline constexpr std::uint64_t current_position = ~std::uint64_t{0};

// A NUL-terminated path that outlives the operation. The kernel copies the
// path when it picks up the SQE, so it must stay valid until submission.
class path_ref {
public:
    constexpr path_ref(const char *p) noexcept : p_(p) {}
    path_ref(const std::string &s) noexcept : p_(s.c_str()) {}
    path_ref(const std::filesystem::path &p) noexcept : p_(p.c_str()) {}
    // Temporaries would be destroyed before submission.
    path_ref(std::string &&) = delete;
    path_ref(std::filesystem::path &&) = delete;

    [[nodiscard]] constexpr const char *c_str() const noexcept { return p_; }

private:
    const char *p_;
};

namespace detail {

// SQE lengths are 32 bits; the kernel caps a single transfer well below that
// anyway (MAX_RW_COUNT), so clamping loses nothing.
[[nodiscard]] constexpr unsigned clamp_len(std::size_t n) noexcept
{
    return n > UINT_MAX ? UINT_MAX : static_cast<unsigned>(n);
}

// A std::chrono duration as the kernel's timespec; negative means "now".
template <class Rep, class Period>
[[nodiscard]] constexpr __kernel_timespec to_timespec(std::chrono::duration<Rep, Period> d) noexcept
{
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    if (ns < 0)
        ns = 0;
    __kernel_timespec ts{};
    ts.tv_sec = ns / 1'000'000'000;
    ts.tv_nsec = ns % 1'000'000'000;
    return ts;
}

// A time point as an absolute timespec for its clock's epoch.
template <class Clock, class Duration>
[[nodiscard]] constexpr __kernel_timespec to_timespec(std::chrono::time_point<Clock, Duration> tp) noexcept
{
    return to_timespec(tp.time_since_epoch());
}

} // namespace detail
} // namespace uring
