// Opening the two files of a copy. All the policy about what may be copied
// where (regular files only, never onto itself, DST gets SRC's mode) lives
// here, so the copy engine only ever sees two valid descriptors.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace uring_cp {

// Owns a file descriptor. close() is explicit for the destination because
// a failing close can be the first report of a lost write.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    unique_fd(unique_fd &&other) noexcept : fd_(other.release()) {}
    unique_fd &operator=(unique_fd &&other) noexcept;
    unique_fd(const unique_fd &) = delete;
    unique_fd &operator=(const unique_fd &) = delete;
    ~unique_fd();

    [[nodiscard]] int get() const { return fd_; }
    [[nodiscard]] int release();
    // Closes now; returns 0 or a positive errno.
    [[nodiscard]] int close();

private:
    int fd_ = -1;
};

struct source_file {
    unique_fd fd;
    std::uint64_t size = 0;
    mode_t mode = 0; // permission bits (0777) only
    dev_t dev = 0;
    ino_t ino = 0;
};

// Both throw uring_cp::failure naming the offending path.
[[nodiscard]] source_file open_source(const std::string &path);
[[nodiscard]] unique_fd open_destination(const std::string &path, const source_file &source);

} // namespace uring_cp
