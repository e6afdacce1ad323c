// uring-layout's tables: the ring's setup, its regions, the sq_off/cq_off
// fields with their current values, and the NOP walk.
#include "names.h"
#include "print.h"

#include <fmt/format.h>

#include <iterator>

namespace uring_layout {
namespace {

void row(std::string &out, std::string line)
{
    while (!line.empty() && line.back() == ' ')
        line.pop_back();
    out += line;
    out += '\n';
}

// The field of the memory map that an sq_off/cq_off entry locates, if any.
const field *find_field(const memory_map &m, std::string_view offset_name, const region **where)
{
    for (const region &r : m.regions)
        for (const field &f : r.fields)
            if (f.offset_name == offset_name) {
                *where = &r;
                return &f;
            }
    return nullptr;
}

void offsets_table(std::string &out, const memory_map &m, const char *which,
                   std::initializer_list<std::pair<const char *, std::uint64_t>> entries)
{
    fmt::format_to(std::back_inserter(out), "io_uring_params.{} (byte offsets the kernel returned)\n", which);
    row(out, fmt::format("  {:<14} {:>7} {:>6}  {:<28} {:<16} {}", "field", "offset", "size", "value (read live)",
                         "pointer", "writer"));
    for (const auto &[name, value] : entries) {
        const std::string key = fmt::format("{}.{}", which, name);
        const region *r = nullptr;
        const field *f = find_field(m, key, &r);
        if (std::string_view(name) == "user_addr") {
            row(out, fmt::format("  {:<14} {:>#7x} {:>6}  {}", name, value, 8,
                                 value ? "(NO_MMAP: where the area starts)" : "(only used with NO_MMAP)"));
        } else if (std::string_view(name) == "resv1") {
            row(out, fmt::format("  {:<14} {:>7} {:>6}  (reserved)", name, value, 4));
        } else if (!f) {
            row(out, fmt::format("  {:<14} {:>7} {:>6}  (not in this ring)", name, value, "-"));
        } else {
            row(out, fmt::format("  {:<14} {:>7} {:>6}  {:<28} {:<16} {}{}", name, value, f->size(), f->value,
                                 f->pointer, writer_label(f->who), f->pointer_ok ? "" : "  POINTER MISMATCH"));
        }
    }
    out += '\n';
}

} // namespace

const char *writer_label(writer w) noexcept
{
    switch (w) {
    case writer::kernel: return "kernel";
    case writer::app: return "application";
    case writer::setup: return "set at setup";
    }
    return "?";
}

std::string format_setup(const live_ring &lr)
{
    const io_uring &r = lr.ring;
    std::string out;
    fmt::format_to(std::back_inserter(out), "Ring created with {}\n", lr.how);
    fmt::format_to(std::back_inserter(out), "  SQ entries {}, CQ entries {}, SQE {} bytes, CQE {} bytes\n",
                   r.sq.ring_entries, r.cq.ring_entries, (r.flags & IORING_SETUP_SQE128) ? 128 : 64,
                   (r.flags & IORING_SETUP_CQE32) ? 32 : 16);
    fmt::format_to(std::back_inserter(out), "  flags asked  {:#07x} {}\n", lr.requested_flags,
                   lr.requested_flags ? introspect::flag_list(lr.requested_flags, introspect::setup_flag_bits(),
                                                              "IORING_SETUP_")
                                      : "(none)");
    fmt::format_to(std::back_inserter(out), "  ring->flags  {:#07x} {}\n", r.flags,
                   introspect::flag_list(r.flags, introspect::setup_flag_bits(), "IORING_SETUP_"));
    fmt::format_to(std::back_inserter(out), "  features     {:#07x} {}\n\n", r.features,
                   introspect::flag_list(r.features, introspect::feature_bits(), "IORING_FEAT_"));
    return out;
}

std::string format_tables(const live_ring &lr, const memory_map &m)
{
    std::string out = "Regions\n";
    row(out, fmt::format("  {:<10} {:<18} {:>7}  {:<28} {}", "region", "address", "bytes", "pointer", "source"));
    for (const region &r : m.regions)
        row(out, fmt::format("  {:<10} {:#018x} {:>7}  {:<28} {}", r.id, r.address, r.size, r.pointers, r.source));
    for (const std::string &n : m.notes)
        fmt::format_to(std::back_inserter(out), "  note: {}\n", n);
    out += '\n';

    const io_sqring_offsets &s = lr.params.sq_off;
    offsets_table(out, m, "sq_off",
                  {{"head", s.head}, {"tail", s.tail}, {"ring_mask", s.ring_mask}, {"ring_entries", s.ring_entries},
                   {"flags", s.flags}, {"dropped", s.dropped}, {"array", s.array}, {"resv1", s.resv1},
                   {"user_addr", s.user_addr}});
    const io_cqring_offsets &c = lr.params.cq_off;
    offsets_table(out, m, "cq_off",
                  {{"head", c.head}, {"tail", c.tail}, {"ring_mask", c.ring_mask}, {"ring_entries", c.ring_entries},
                   {"overflow", c.overflow}, {"cqes", c.cqes}, {"flags", c.flags}, {"resv1", c.resv1},
                   {"user_addr", c.user_addr}});
    return out;
}

std::string format_walk(const walk_result &w)
{
    std::string out = "One NOP through the ring (indices after each step)\n";
    row(out, fmt::format("  {:<20} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9}  {}", "step", "sqe_tail", "sqe_head",
                         "*sq.ktail", "*sq.khead", "*cq.ktail", "*cq.khead", "returned"));
    for (const walk_step &s : w.steps) {
        const indices &i = s.after;
        row(out, fmt::format("  {:<20} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9}  {}", s.call, i.sqe_tail, i.sqe_head,
                             i.sq_ktail, i.sq_khead, i.cq_ktail, i.cq_khead, s.result));
    }
    out += '\n';
    for (const walk_step &s : w.steps)
        fmt::format_to(std::back_inserter(out), "  {:<20} {}\n", s.call, s.why);
    if (w.error)
        fmt::format_to(std::back_inserter(out), "  walk stopped: {}\n", introspect::errno_name(w.error));
    return out;
}

} // namespace uring_layout
