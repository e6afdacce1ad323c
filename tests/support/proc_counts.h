// Counters over /proc/self used to prove that ring teardown gives back every
// resource setup took: open file descriptors and memory mappings.
//
// Both read /proc with raw open/read/getdents64 into stack buffers, so that
// counting does not itself allocate (a malloc that mmaps would change the
// very number being measured).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace bareuring_test {

// Number of entries in /proc/self/fd, not counting "." and "..". The
// directory fd used for reading is itself listed, but it is listed in every
// count, so differences are exact.
inline int count_open_fds()
{
    int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    alignas(8) char buf[4096];
    int count = 0;
    for (;;) {
        long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            // struct linux_dirent64: ino(8) off(8) reclen(2) type(1) name[]
            unsigned short reclen;
            std::memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char *name = buf + off + 19;
            if (std::strcmp(name, ".") != 0 && std::strcmp(name, "..") != 0)
                ++count;
            off += reclen;
        }
    }
    ::close(dir);
    return count;
}

// Number of lines (= VMAs) in /proc/self/maps.
inline int count_mappings()
{
    int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[4096];
    int lines = 0;
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; ++i)
            lines += buf[i] == '\n';
    }
    ::close(fd);
    return lines;
}

// One line of /proc/self/maps: [start, end) and the backing path (may be
// empty for anonymous memory).
struct Mapping {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    std::string path;
};

// The mapping that contains addr, if any. Used to check that a ring pointer
// is the start of a mapping of the expected length and kind.
inline std::optional<Mapping> find_mapping(const void *addr)
{
    std::FILE *f = std::fopen("/proc/self/maps", "re");
    if (!f)
        return std::nullopt;
    const auto a = reinterpret_cast<std::uintptr_t>(addr);
    char line[512];
    std::optional<Mapping> found;
    while (std::fgets(line, sizeof line, f)) {
        char *p = line;
        const auto start = std::strtoull(p, &p, 16);
        const auto end = std::strtoull(p + 1, &p, 16);
        if (a < start || a >= end)
            continue;
        Mapping m;
        m.start = start;
        m.end = end;
        // Skip perms, offset, dev and inode; the rest (minus spaces) is the path.
        for (int field = 0; field < 4 && *p; ++field) {
            while (*p == ' ')
                ++p;
            while (*p && *p != ' ')
                ++p;
        }
        while (*p == ' ')
            ++p;
        m.path = p;
        while (!m.path.empty() && (m.path.back() == '\n' || m.path.back() == ' '))
            m.path.pop_back();
        found = m;
        break;
    }
    std::fclose(f);
    return found;
}

// Target of /proc/self/fd/<fd> ("anon_inode:[io_uring]" for a ring).
inline std::string fd_target(int fd)
{
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[256];
    ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n < 0)
        return {};
    target[n] = '\0';
    return target;
}

} // namespace bareuring_test
