// The copy engine: keeps up to queue_depth blocks in flight on one ring,
// each as a linked read->write pair over its own buffer, and refills a slot
// as soon as its block is done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace uring_cp {

struct copy_job {
    int source_fd = -1;
    int destination_fd = -1;
    std::uint64_t size = 0;        // bytes to copy, from fstat() of the source
    std::string source_path;       // for error messages only
    std::string destination_path;
    unsigned queue_depth = 64;
    std::size_t block_size = 128 * 1024;
};

// Copies [0, size) of the source to the same offsets of the destination.
// Throws uring_cp::failure. Returns only once no request is in flight, so
// the buffers are never freed under the kernel's feet.
void copy(const copy_job &job);

} // namespace uring_cp
