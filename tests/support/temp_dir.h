// A private temporary directory per test, removed with its contents at the
// end of the test, and small helpers for files inside it.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace bareuring_test {

class TempDir {
public:
    TempDir()
    {
        const char *base = std::getenv("TMPDIR");
        std::string templ = std::string(base && *base ? base : "/tmp") + "/bareuring-test-XXXXXX";
        if (::mkdtemp(templ.data()))
            path_ = templ;
    }
    ~TempDir()
    {
        if (!path_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(path_, ec);
        }
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    bool ok() const { return !path_.empty(); }
    const std::string &path() const { return path_; }
    std::string file(const std::string &name) const { return path_ + "/" + name; }

    // Creates (or truncates) a file in the directory; returns an O_RDWR fd
    // or -1. The caller closes it.
    int create(const std::string &name, int extra_flags = 0) const
    {
        return ::open(file(name).c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | extra_flags, 0600);
    }

private:
    std::string path_;
};

// Closes an fd when it goes out of scope.
class ScopedFd {
public:
    explicit ScopedFd(int fd = -1) : fd_(fd) {}
    ~ScopedFd() { reset(); }
    ScopedFd(const ScopedFd &) = delete;
    ScopedFd &operator=(const ScopedFd &) = delete;
    int get() const { return fd_; }
    void reset(int fd = -1)
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

} // namespace bareuring_test
