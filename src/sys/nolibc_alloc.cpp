// The no-libc build's allocator: one private anonymous mapping per block.
//
// Only rare, small, long-lived blocks come through here (a probe is 2 KiB),
// so a whole mapping each is cheaper in code than any free-list. munmap
// needs the length again, which release() only has the pointer for: the
// mapping therefore starts with a header holding its length, and the caller
// gets the address just past it. The header is 16 bytes to keep the 16-byte
// alignment malloc would give. Lengths need not be page multiples: the
// kernel rounds both mmap and munmap up to whole pages, whatever their size.
#if defined(BAREURING_NOLIBC)

#include "sys/memory.h"

#include "sys/kernel.h"

#include <cstdint>

#include <sys/mman.h>

namespace bareuring::sys {
namespace {

constexpr std::size_t kHeader = 16;

struct block_header {
    std::size_t length; // of the whole mapping, header included
};
static_assert(sizeof(block_header) <= kHeader);

} // namespace

void *alloc_zeroed(std::size_t n) noexcept
{
    if (n > SIZE_MAX / 2)
        return nullptr;
    const std::size_t length = n + kHeader;
    void *map = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_error(map))
        return nullptr;
    static_cast<block_header *>(map)->length = length;
    return static_cast<unsigned char *>(map) + kHeader;
}

void release(void *p) noexcept
{
    if (p == nullptr)
        return;
    void *map = static_cast<unsigned char *>(p) - kHeader;
    munmap(map, static_cast<block_header *>(map)->length);
}

} // namespace bareuring::sys

#endif // BAREURING_NOLIBC
