// uring-layout's command line.
#pragma once

#include <string>

namespace uring_layout {

// Whether the ring gets an SQ index array.
enum class sq_array_choice {
    library_default, // what io_uring_queue_init does: try NO_SQARRAY, fall back
    without,         // --no-sqarray: ask for IORING_SETUP_NO_SQARRAY explicitly
    with,            // --sqarray: io_uring_setup without it + io_uring_queue_mmap
};

struct options {
    bool sqpoll = false;
    bool sqe128 = false;
    bool cqe32 = false;
    bool no_mmap = false; // IORING_SETUP_NO_MMAP, memory from the library
    bool app_mem = false; // NO_MMAP with caller memory (io_uring_queue_init_mem)
    sq_array_choice sq_array = sq_array_choice::library_default;
    unsigned entries = 8;
    std::string svg_path; // --svg FILE
    bool json = false;
    bool help = false;
};

// Parses argv into *out. Returns an empty string, or what is wrong.
[[nodiscard]] std::string parse_options(int argc, char **argv, options *out);

// The --help text.
[[nodiscard]] const char *usage() noexcept;

} // namespace uring_layout
