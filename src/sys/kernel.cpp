// Layer 1: the system calls, each behind the fault-injection seam.
#include "sys/kernel.h"

#include "sys/fault.h"
#include "sys/raw_syscall.h"

#include <type_traits>

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>


namespace bareuring::sys {
namespace {

// Widen one syscall argument to a register-sized long.
template <typename T> long arg(T v) noexcept
{
    if constexpr (std::is_pointer_v<T>)
        return reinterpret_cast<long>(v);
    else
        return static_cast<long>(v);
}

} // namespace

int io_uring_setup(unsigned entries, io_uring_params *p) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(kNrIoUringSetup, arg(entries), arg(p), 0, 0, 0, 0));
}

int io_uring_register(unsigned fd, unsigned opcode, const void *arg_ptr, unsigned nr_args) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(kNrIoUringRegister, arg(fd), arg(opcode), arg(arg_ptr),
                                         arg(nr_args), 0, 0));
}

void *mmap(void *addr, std::size_t length, int prot, int flags, int fd, std::uint64_t offset) noexcept
{
    if (int e = fault_check())
        return reinterpret_cast<void *>(static_cast<long>(e));
    long r = raw_syscall6(__NR_mmap, arg(addr), static_cast<long>(length), prot, flags, fd,
                          static_cast<long>(offset));
    return reinterpret_cast<void *>(r);
}

int munmap(void *addr, std::size_t length) noexcept
{
    // Teardown paths never fail artificially: a test could not observe the
    // fault, it would only leak the mapping.
    return static_cast<int>(raw_syscall6(__NR_munmap, arg(addr), static_cast<long>(length), 0, 0, 0, 0));
}

int madvise(void *addr, std::size_t length, int advice) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(__NR_madvise, arg(addr), static_cast<long>(length), advice, 0, 0, 0));
}

int close(int fd) noexcept
{
    return static_cast<int>(raw_syscall6(__NR_close, fd, 0, 0, 0, 0, 0));
}

int get_nofile_limit(nofile_limit *out) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, arg(out), 0, 0));
}

int set_nofile_limit(const nofile_limit &lim) noexcept
{
    if (int e = fault_check())
        return e;
    return static_cast<int>(raw_syscall6(__NR_prlimit64, 0, RLIMIT_NOFILE, arg(&lim), 0, 0, 0));
}

#if defined(BAREURING_LIBC_SYSCALL)
long libc_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept
{
    int saved = errno;
    long r = ::syscall(nr, a, b, c, d, e, f);
    if (r == -1) {
        r = -errno;
    }
    errno = saved;
    return r;
}
#endif

} // namespace bareuring::sys
