/* No-libc build (BAREURING_NOLIBC): force-included, with -include, before
 * anything else in every translation unit of the library, C and C++.
 *
 * Even code that never calls memset or memcpy gets calls to them from the
 * compiler: struct copies and zeroing, loops it recognises as a fill or a
 * copy, and __builtin_mem* with a size it cannot expand inline. A libc-free
 * archive must satisfy those itself, but it cannot define "memset": an
 * application that links liburing.a and libc.a statically would then get two
 * definitions. So the four functions GCC may call in a freestanding program
 * are declared here with assembler names of our own. GCC uses a builtin's
 * user-given assembler name for the calls it generates too, so every such
 * call in the library lands on nolibc_string.cpp, and the builtins are still
 * expanded inline wherever the compiler would have done so anyway. (They
 * cannot be declared hidden here: GCC's implicit builtin declarations have
 * default visibility. The definitions are hidden, and the version scripts
 * keep liburing.so from exporting them.)
 *
 * The declarations must come before any libc header declares the same
 * functions; a later plain redeclaration (by <string.h>) keeps the name.
 * Clang ignores such names for the calls it generates, which is why
 * src/CMakeLists.txt only offers this build with GCC. The nm check in
 * tests/nolibc catches any call that slips through. */
#ifndef BAREURING_SYS_NOLIBC_H
#define BAREURING_SYS_NOLIBC_H

#if defined(__cplusplus)
/* glibc declares these noexcept in C++; the redeclaration must agree. */
#define BAREURING_NOLIBC_NOEXCEPT noexcept
extern "C" {
#else
#define BAREURING_NOLIBC_NOEXCEPT
#endif

void *memset(void *dst, int byte, __SIZE_TYPE__ n)
    BAREURING_NOLIBC_NOEXCEPT __asm__("__bareuring_memset");
void *memcpy(void *dst, const void *src, __SIZE_TYPE__ n)
    BAREURING_NOLIBC_NOEXCEPT __asm__("__bareuring_memcpy");
void *memmove(void *dst, const void *src, __SIZE_TYPE__ n)
    BAREURING_NOLIBC_NOEXCEPT __asm__("__bareuring_memmove");
int memcmp(const void *a, const void *b, __SIZE_TYPE__ n)
    BAREURING_NOLIBC_NOEXCEPT __asm__("__bareuring_memcmp");

#if defined(__cplusplus)
}
#endif

#undef BAREURING_NOLIBC_NOEXCEPT

#endif /* BAREURING_SYS_NOLIBC_H */
