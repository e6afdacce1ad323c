// Names for the io_uring constants the introspection tools print
// (uring-probe, uring-layout). Each table pairs a constant from
// <liburing/io_uring.h> with its spelling, so a tool can decode a value it
// read from the kernel bit by bit.
#pragma once

#include <liburing.h>

#include <span>
#include <string>
#include <string_view>

namespace introspect {

struct named_bit {
    unsigned value; // a single bit, e.g. IORING_FEAT_SINGLE_MMAP
    std::string_view name;
};

// IORING_FEAT_* (io_uring_params.features), lowest bit first.
[[nodiscard]] std::span<const named_bit> feature_bits() noexcept;

// IORING_SETUP_* (io_uring_params.flags), lowest bit first.
[[nodiscard]] std::span<const named_bit> setup_flag_bits() noexcept;

// IORING_SQ_* (the SQ ring's flags word).
[[nodiscard]] std::span<const named_bit> sq_ring_flag_bits() noexcept;

// IORING_CQ_* (the CQ ring's flags word).
[[nodiscard]] std::span<const named_bit> cq_ring_flag_bits() noexcept;

// "IORING_OP_NOP" for 0, ...; empty for an opcode these headers do not know
// (op >= IORING_OP_LAST).
[[nodiscard]] std::string_view opcode_name(unsigned op) noexcept;

// The name of a single bit from `table`, or "bit N" when it has none.
[[nodiscard]] std::string bit_name(std::span<const named_bit> table, unsigned bit);

// "A|B|0x400" for `value`, with `strip` removed from the front of each name
// ("IORING_SETUP_" turns IORING_SETUP_SQPOLL into SQPOLL); "0" for 0.
[[nodiscard]] std::string flag_list(unsigned value, std::span<const named_bit> table,
                                    std::string_view strip = {});

// "EINVAL" for -EINVAL (or EINVAL); "0" for 0.
[[nodiscard]] std::string errno_name(int err);

} // namespace introspect
