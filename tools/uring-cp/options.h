// Command-line parsing for uring-cp, kept apart from the copy so it can be
// reasoned about (and changed) on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace uring_cp {

struct options {
    std::string source;
    std::string destination;
    unsigned queue_depth = 64;              // blocks in flight, each a linked read+write pair
    std::size_t block_size = 128 * 1024;    // bytes per read/write
};

// Limits: the ring holds two SQEs per block and the kernel caps a ring at
// 32768 entries; a single read/write is capped by the kernel just below 2 GiB,
// so 1 GiB keeps every length comfortably inside the SQE's 32-bit len.
inline constexpr unsigned max_queue_depth = 16384;
inline constexpr std::size_t max_block_size = std::size_t{1} << 30;

// What the command line asks for. Exactly one of: run a copy, print help,
// or report a usage error (message already worded for the user).
struct parse_result {
    enum class action { copy, help, usage_error } what = action::usage_error;
    options opts;
    std::string error;
};

[[nodiscard]] parse_result parse_options(int argc, char **argv);

// "128K", "1M", "4096", "2g" -> bytes. nullopt for anything else, including 0
// and overflow. Exposed for tests.
[[nodiscard]] std::optional<std::size_t> parse_size(std::string_view text);

// The --help text.
[[nodiscard]] std::string usage_text();

} // namespace uring_cp
