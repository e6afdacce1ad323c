// No-libc build: the memory functions the compiler may call (see nolibc.h).
//
// nolibc.h gives memset & co. the assembler names __bareuring_mem*, so the
// definitions below, although spelled "memset", define those names and never
// libc's. They are on cold paths only (ring setup, resize), and an optimised
// x86_64 build of today's library calls none of them: they are the safety
// net for the calls a compiler may emit at other levels or on other targets.
// So they are small rather than fast: x86_64's string instructions, plain
// byte loops elsewhere, and memcpy is memmove under a second name.
//
// Each loop body holds an empty asm that takes the pointer as an operand:
// otherwise GCC would recognise the loop as a fill or a copy and turn it
// into a call to memset or memcpy, i.e. into a call to itself.
#if defined(BAREURING_NOLIBC)

#include <cstddef>
#include <cstdint>

// Hidden, like the rest of the library, so that a shared object built from
// liburing.a does not export them. A visibility attribute would conflict
// with GCC's implicit (default-visibility) builtin declarations; the
// assembler directive sets the same ELF flag without the compiler noticing.
__asm__(".hidden __bareuring_memset\n"
        ".hidden __bareuring_memcpy\n"
        ".hidden __bareuring_memmove\n"
        ".hidden __bareuring_memcmp");

namespace {

// Hide p's value from the optimiser for one iteration; emits no code.
inline void opaque(const void *p) noexcept
{
    __asm__("" : : "r"(p));
}

} // namespace

extern "C" {

#if defined(__x86_64__)

void *memset(void *dst, int byte, std::size_t n) noexcept
{
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(byte) : "memory");
    return dst;
}

// Overlap-safe: copies downwards (direction flag set, from the last byte)
// when the destination starts inside the source, upwards otherwise. The ABI
// wants the direction flag clear again before returning.
void *memmove(void *dst, const void *src, std::size_t n) noexcept
{
    void *d = dst;
    if (reinterpret_cast<std::uintptr_t>(dst) - reinterpret_cast<std::uintptr_t>(src) >= n) {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    } else {
        d = static_cast<unsigned char *>(d) + n - 1;
        src = static_cast<const unsigned char *>(src) + n - 1;
        __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    }
    return dst;
}

#else

void *memset(void *dst, int byte, std::size_t n) noexcept
{
    auto *d = static_cast<unsigned char *>(dst);
    for (std::size_t i = 0; i < n; ++i) {
        d[i] = static_cast<unsigned char>(byte);
        opaque(d + i);
    }
    return dst;
}

// Overlap-safe: copies downwards when the destination starts inside the
// source, upwards otherwise.
void *memmove(void *dst, const void *src, std::size_t n) noexcept
{
    auto *d = static_cast<unsigned char *>(dst);
    const auto *s = static_cast<const unsigned char *>(src);
    if (reinterpret_cast<std::uintptr_t>(d) - reinterpret_cast<std::uintptr_t>(s) >= n) {
        for (std::size_t i = 0; i < n; ++i) {
            d[i] = s[i];
            opaque(d + i);
        }
    } else {
        for (std::size_t i = n; i-- > 0;) {
            d[i] = s[i];
            opaque(d + i);
        }
    }
    return dst;
}

#endif

// Any non-overlapping copy is also a valid memmove.
void *memcpy(void *dst, const void *src, std::size_t n) noexcept __attribute__((alias("__bareuring_memmove")));

int memcmp(const void *a, const void *b, std::size_t n) noexcept
{
    const auto *x = static_cast<const unsigned char *>(a);
    const auto *y = static_cast<const unsigned char *>(b);
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
        opaque(x + i);
    }
    return 0;
}

} // extern "C"

#endif // BAREURING_NOLIBC
