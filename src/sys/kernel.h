// The system calls bareuring makes, as -errno-returning C++ functions.
//
// Layer 1 of bareuring: everything above (ring setup, submit/wait,
// registration) reaches the kernel only through these. Each returns the
// kernel's result (>= 0) or -errno, never touches errno, and passes through
// the fault-injection seam (fault.h) so tests can fail any single call.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sys/fault.h"
#include "sys/raw_syscall.h"

struct io_uring_params;

namespace bareuring::sys {

// io_uring's syscall numbers are the same on every architecture except alpha
// and mips, which bareuring does not target.
inline constexpr long kNrIoUringSetup = 425;
inline constexpr long kNrIoUringEnter = 426;
inline constexpr long kNrIoUringRegister = 427;

// io_uring_setup(2): returns the new ring fd (or registered index with
// IORING_SETUP_REGISTERED_FD_ONLY) or -errno.
int io_uring_setup(unsigned entries, io_uring_params *p) noexcept;

// io_uring_enter(2) in its general form: arg/argsz is either a sigset_t
// (argsz = _NSIG/8) or, with IORING_ENTER_EXT_ARG, a struct
// io_uring_getevents_arg (or a registered-wait offset with EXT_ARG_REG).
// Inline: it is on every submit and wait, and a call per syscall is
// measurable in the instruction count of small batches.
inline int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete, unsigned flags,
                          const void *arg, std::size_t argsz) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(kNrIoUringEnter, static_cast<long>(fd), static_cast<long>(to_submit),
                                         static_cast<long>(min_complete), static_cast<long>(flags),
                                         reinterpret_cast<long>(arg), static_cast<long>(argsz)));
}

// io_uring_register(2).
int io_uring_register(unsigned fd, unsigned opcode, const void *arg, unsigned nr_args) noexcept;

// mmap(2): returns the mapping, or a pointer whose value is -errno
// (test with is_error()). Mirrors the kernel's own convention.
void *mmap(void *addr, std::size_t length, int prot, int flags, int fd, std::uint64_t offset) noexcept;
int munmap(void *addr, std::size_t length) noexcept;
int madvise(void *addr, std::size_t length, int advice) noexcept;
int close(int fd) noexcept;

// RLIMIT_NOFILE through prlimit64(2) on the calling process (the one rlimit
// syscall every architecture has). Used to grow the limit for large
// registered file tables, as liburing does.
struct nofile_limit {
    std::uint64_t cur;
    std::uint64_t max;
};
int get_nofile_limit(nofile_limit *out) noexcept;
int set_nofile_limit(const nofile_limit &lim) noexcept;

// Pointers in the top 4095 bytes of the address space encode -errno.
inline bool is_error(const void *p) noexcept
{
    return reinterpret_cast<std::uintptr_t>(p) >= static_cast<std::uintptr_t>(-4095);
}
inline int error_of(const void *p) noexcept
{
    return static_cast<int>(reinterpret_cast<std::intptr_t>(p));
}

} // namespace bareuring::sys
