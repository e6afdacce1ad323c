// The ring uring-layout shows: created the way the options say, through the
// public liburing API, and kept alive until the tool is done with it.
#pragma once

#include "options.h"

#include <liburing.h>

#include <cstddef>
#include <string>

namespace uring_layout {

class live_ring {
public:
    live_ring() = default;
    ~live_ring();
    live_ring(const live_ring &) = delete;
    live_ring &operator=(const live_ring &) = delete;

    // Creates the ring. Returns 0 or -errno; *what says which call failed.
    [[nodiscard]] int create(const options &o, std::string *what);

    io_uring ring{};
    io_uring_params params{}; // as the kernel (and library) returned them
    unsigned entries_asked = 0;   // --entries
    unsigned requested_flags = 0; // IORING_SETUP_* the options asked for
    std::string how;              // the API call that created the ring
    std::string memory_owner;     // NO_MMAP: "library" or "caller"

private:
    bool live_ = false;
    void *app_mem_ = nullptr;
    std::size_t app_mem_size_ = 0;
};

} // namespace uring_layout
