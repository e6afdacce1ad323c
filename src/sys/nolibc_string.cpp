// No-libc build: the memory functions the compiler may call (see nolibc.h).
//
// nolibc.h gives memset & co. the assembler names __bareuring_mem*, so the
// definitions below, although spelled "memset", define those names and never
// libc's. They are on cold paths only (ring setup, resize): the hot
// path lives in the header and copies nothing. Plain byte loops are enough.
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

void *memset(void *dst, int byte, std::size_t n) noexcept
{
    auto *d = static_cast<unsigned char *>(dst);
    for (std::size_t i = 0; i < n; ++i) {
        d[i] = static_cast<unsigned char>(byte);
        opaque(d + i);
    }
    return dst;
}

void *memcpy(void *dst, const void *src, std::size_t n) noexcept
{
    auto *d = static_cast<unsigned char *>(dst);
    const auto *s = static_cast<const unsigned char *>(src);
    for (std::size_t i = 0; i < n; ++i) {
        d[i] = s[i];
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
    const auto from = reinterpret_cast<std::uintptr_t>(s);
    const auto to = reinterpret_cast<std::uintptr_t>(d);
    if (to > from && to - from < n) {
        for (std::size_t i = n; i-- > 0;) {
            d[i] = s[i];
            opaque(d + i);
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            d[i] = s[i];
            opaque(d + i);
        }
    }
    return dst;
}

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
