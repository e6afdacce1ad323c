// File handles for operations.
//
//   uring::fd          a plain file descriptor (not owned)
//   uring::fixed_file  an index into the ring's registered file table; an
//                      operation on it sets IOSQE_FIXED_FILE by itself
//   uring::unique_fd   an owned descriptor, closed by the destructor
//
// Operations take a file_ref, which any of the three converts to. It carries
// the number the SQE's fd field gets and the SQE flag that says how the
// kernel must read that number, so the two can never disagree.
#pragma once

#include <liburing.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

namespace uring {

class fd {
public:
    constexpr fd() noexcept = default;
    constexpr explicit fd(int value) noexcept : value_(value) {}

    [[nodiscard]] constexpr int get() const noexcept { return value_; }
    [[nodiscard]] constexpr bool valid() const noexcept { return value_ >= 0; }
    friend constexpr bool operator==(fd, fd) noexcept = default;

    static constexpr std::uint8_t sqe_flags = 0;

private:
    int value_ = -1;
};

class fixed_file {
public:
    constexpr explicit fixed_file(unsigned index) noexcept : index_(index) {}

    [[nodiscard]] constexpr unsigned index() const noexcept { return index_; }
    friend constexpr bool operator==(fixed_file, fixed_file) noexcept = default;

    static constexpr std::uint8_t sqe_flags = IOSQE_FIXED_FILE;

private:
    unsigned index_;
};

class unique_fd {
public:
    constexpr unique_fd() noexcept = default;
    constexpr explicit unique_fd(int value) noexcept : value_(value) {}
    unique_fd(unique_fd &&o) noexcept : value_(std::exchange(o.value_, -1)) {}
    unique_fd &operator=(unique_fd &&o) noexcept
    {
        if (this != &o)
            reset(std::exchange(o.value_, -1));
        return *this;
    }
    ~unique_fd() { reset(); }

    [[nodiscard]] int get() const noexcept { return value_; }
    [[nodiscard]] bool valid() const noexcept { return value_ >= 0; }
    explicit operator bool() const noexcept { return valid(); }
    [[nodiscard]] fd borrow() const noexcept { return fd(value_); }
    [[nodiscard]] int release() noexcept { return std::exchange(value_, -1); }
    void reset(int value = -1) noexcept
    {
        if (value_ >= 0)
            ::close(value_);
        value_ = value;
    }

private:
    int value_ = -1;
};

// What an SQE needs to address a file.
struct file_ref {
    int value;
    std::uint8_t sqe_flags;

    constexpr file_ref(fd f) noexcept : value(f.get()), sqe_flags(fd::sqe_flags) {}
    constexpr file_ref(fixed_file f) noexcept
        : value(static_cast<int>(f.index())), sqe_flags(fixed_file::sqe_flags)
    {
    }
    file_ref(const unique_fd &f) noexcept : value(f.get()), sqe_flags(fd::sqe_flags) {}
    // A temporary unique_fd would close its descriptor before the kernel
    // ever saw it.
    file_ref(const unique_fd &&) = delete;

    [[nodiscard]] constexpr bool fixed() const noexcept { return (sqe_flags & IOSQE_FIXED_FILE) != 0; }

    // Writes the flag half; the prep helper has written `value` already.
    void apply(io_uring_sqe *sqe) const noexcept { sqe->flags |= sqe_flags; }
};

// The directory a path is resolved against (openat, statx, ...).
inline constexpr fd cwd{AT_FDCWD};

} // namespace uring
