// uring-layout's outputs, all drawn from the same memory_map and walk.
#pragma once

#include "live_ring.h"
#include "memory_map.h"
#include "walk.h"

#include <string>

namespace uring_layout {

// The ring's setup: sizes, flags, features, and the call that created it.
[[nodiscard]] std::string format_setup(const live_ring &lr);

// The regions table and the sq_off / cq_off tables.
[[nodiscard]] std::string format_tables(const live_ring &lr, const memory_map &m);

// Boxes of the regions with their fields, in ASCII.
[[nodiscard]] std::string format_ascii_diagram(const memory_map &m);

// The same diagram as a self-contained SVG document.
[[nodiscard]] std::string format_svg(const live_ring &lr, const memory_map &m);

// The index table of the NOP walk.
[[nodiscard]] std::string format_walk(const walk_result &w);

// Everything above as one JSON object with stable keys.
[[nodiscard]] std::string format_json(const live_ring &lr, const memory_map &m, const walk_result &w);

// Shared by the printers.
[[nodiscard]] const char *writer_label(writer w) noexcept;

} // namespace uring_layout
