// The two ways uring-probe shows its report.
#pragma once

#include "report.h"

#include <string>

namespace uring_probe {

// Human-readable tables.
[[nodiscard]] std::string format_table(const probe_report &r);

// JSON with stable keys (see print_json.cpp for the schema).
[[nodiscard]] std::string format_json(const probe_report &r);

} // namespace uring_probe
