// Raw system-call instructions, one inline function per argument count.
//
// Layer 1 of bareuring. Every function returns the kernel's raw result: a
// value >= 0 on success or -errno on failure. errno is never read or written,
// which is what liburing's x86_64 build promises too (its io_uring_* wrappers
// "return -errno and do not set errno").
//
// x86_64, aarch64 and riscv64 use inline assembly so the library needs no
// libc for its syscalls. Any other architecture falls back to libc's
// syscall(), which reports failure through errno; we translate that back to
// -errno here. The no-libc build (BAREURING_NOLIBC) has no such fallback.
#pragma once

#include <cerrno>

namespace bareuring::sys {

#if defined(__x86_64__)

// x86_64 syscall ABI: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9;
// the instruction clobbers rcx (return rip) and r11 (saved rflags).
inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#elif defined(__aarch64__)

// aarch64 syscall ABI: number in x8, arguments in x0..x5, result in x0.
inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory");
    return x0;
}

#elif defined(__riscv) && __riscv_xlen == 64

// riscv64 syscall ABI: number in a7, arguments in a0..a5, result in a0.
// ecall clobbers nothing else the compiler can see.
inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept
{
    register long a7 __asm__("a7") = nr;
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
                     : "memory");
    return a0;
}

#elif defined(BAREURING_NOLIBC)
#error "BAREURING_NOLIBC needs an inline-asm syscall for this architecture (x86_64, aarch64, riscv64); configure with -DBAREURING_NOLIBC=OFF"

#else
#define BAREURING_LIBC_SYSCALL 1

// Portable fallback through libc. syscall() sets errno on failure; turn it
// back into the kernel convention and leave errno as the caller had it.
long libc_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept;

inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) noexcept
{
    return libc_syscall6(nr, a, b, c, d, e, f);
}

#endif

} // namespace bareuring::sys
