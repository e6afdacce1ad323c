// uring-probe's human-readable output: one table per question asked.
#include "names.h"
#include "print.h"

#include <fmt/format.h>

#include <iterator>

namespace uring_probe {
namespace {

using introspect::errno_name;

// Appends one table row without trailing blanks (the last column may be empty).
void line(std::string &out, std::string row)
{
    while (!row.empty() && row.back() == ' ')
        row.pop_back();
    out += row;
    out += '\n';
}

void features_table(std::string &out, const feature_report &f)
{
    if (f.error) {
        fmt::format_to(std::back_inserter(out), "Features: no ring could be created ({})\n\n", errno_name(f.error));
        return;
    }
    fmt::format_to(std::back_inserter(out), "Features (io_uring_params.features of a new ring = {:#010x})\n", f.value);
    fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  {}\n", "bit", "name", "offered");
    unsigned named = 0;
    for (const introspect::named_bit &b : introspect::feature_bits()) {
        const unsigned bit = static_cast<unsigned>(__builtin_ctz(b.value));
        fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  {}\n", bit, b.name,
                       (f.value & b.value) ? "yes" : "no");
        named |= b.value;
    }
    // Bits the kernel sets that these headers have no name for yet.
    for (unsigned bit = 0; bit < 32; bit++)
        if ((f.value & ~named) & (1U << bit))
            fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  yes\n", bit, "(not named in these headers)");
    out += '\n';
}

void opcodes_table(std::string &out, const opcode_report &o)
{
    if (o.error) {
        fmt::format_to(std::back_inserter(out), "Opcodes: IORING_REGISTER_PROBE failed ({})\n\n", errno_name(o.error));
        return;
    }
    unsigned supported = 0;
    for (const opcode_entry &e : o.ops)
        supported += e.supported;
    fmt::format_to(std::back_inserter(out),
                   "Opcodes (IORING_REGISTER_PROBE: kernel last_op = {}, {} of {} listed supported)\n", o.last_op,
                   supported, o.ops.size());
    fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  {}\n", "op", "name", "supported");
    for (const opcode_entry &e : o.ops)
        fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  {}\n", e.op,
                       e.name.empty() ? "(not named in these headers)" : e.name, e.supported ? "yes" : "no");
    out += '\n';
}

void setup_table(std::string &out, const setup_report &s)
{
    fmt::format_to(std::back_inserter(out),
                   "Setup flags (io_uring_setup, {} entries, one flag at a time; companions added only when the "
                   "flag alone is refused)\n",
                   s.entries);
    fmt::format_to(std::back_inserter(out), "  {:>3}  {:<32}  {:<9}  {}\n", "bit", "name", "result", "notes");
    for (const setup_flag_entry &e : s.flags) {
        std::string notes;
        if (!e.accepted) {
            notes = errno_name(e.error);
            for (const std::string &t : e.tried)
                notes += fmt::format("; also with {}", t);
        } else if (!e.companion.empty()) {
            notes = fmt::format("with {} (alone: {})", e.companion, errno_name(e.alone));
        }
        line(out, fmt::format("  {:>3}  {:<32}  {:<9}  {}", e.bit, e.name, e.accepted ? "accepted" : "refused",
                              notes));
    }
    for (unsigned bit : s.unknown_bits_accepted)
        line(out, fmt::format("  {:>3}  {:<32}  accepted", bit, "(not named in these headers)"));
    out += '\n';
}

void limits_table(std::string &out, const limits_report &l)
{
    if (l.error) {
        fmt::format_to(std::back_inserter(out), "Limits: not found ({})\n", errno_name(l.error));
        return;
    }
    const char *how = l.method == "clamp" ? "IORING_SETUP_CLAMP readback" : "search over powers of two";
    fmt::format_to(std::back_inserter(out), "Limits ({}; {})\n", how,
                   l.verified ? "confirmed: the maximum is accepted, twice it is refused"
                              : "NOT confirmed by plain attempts");
    fmt::format_to(std::back_inserter(out), "  largest SQ: {} entries\n", l.max_sq_entries);
    fmt::format_to(std::back_inserter(out), "  largest CQ: {} entries\n", l.max_cq_entries);
}

} // namespace

std::string format_table(const probe_report &r)
{
    std::string out = fmt::format("io_uring on {} {} ({})\n\n", r.kernel.sysname, r.kernel.release, r.kernel.machine);
    features_table(out, r.features);
    opcodes_table(out, r.opcodes);
    setup_table(out, r.setup);
    limits_table(out, r.limits);
    return out;
}

} // namespace uring_probe
