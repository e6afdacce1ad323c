// uring-layout's ASCII diagram: each region as a box, its fields in offset
// order with unused bytes between them made visible, and on the right the
// struct io_uring member that points at each field.
#include "print.h"

#include <fmt/format.h>

#include <iterator>

namespace uring_layout {
namespace {

constexpr std::size_t kInner = 52; // characters inside a box

std::string fit(std::string s, std::size_t width)
{
    if (s.size() > width)
        s = s.substr(0, width - 3) + "...";
    return s;
}

void box_line(std::string &out, const std::string &left, const std::string &inside, const std::string &right = {})
{
    std::string line = fmt::format("  {:>8}  |{:<{}}|", left, fit(inside, kInner), kInner);
    if (!right.empty())
        line += " <- " + right;
    out += line;
    out += '\n';
}

void edge(std::string &out, const std::string &left)
{
    out += fmt::format("  {:>8}  +{}+\n", left, std::string(kInner, '-'));
}

void gap(std::string &out, std::size_t bytes)
{
    box_line(out, "", fmt::format(" ~~ {} bytes unused ~~", bytes));
}

// "[0][1][2] ... [15]": the slots of an array field.
std::string slots(unsigned count)
{
    std::string s = " ";
    if (count <= 12) {
        for (unsigned i = 0; i < count; i++)
            s += fmt::format("[{}]", i);
    } else {
        s += fmt::format("[0][1][2][3] ... [{}]", count - 1);
    }
    return s;
}

void draw_region(std::string &out, const region &r)
{
    fmt::format_to(std::back_inserter(out), "{}: {} bytes at {:#x}\n", r.title, r.size, r.address);
    fmt::format_to(std::back_inserter(out), "  from {}\n", r.source);
    fmt::format_to(std::back_inserter(out), "  {} -> start\n", r.pointers);
    fmt::format_to(std::back_inserter(out), "  {:>8}\n", "offset");
    edge(out, "");
    std::size_t at = 0;
    for (const field &f : r.fields) {
        if (f.offset > at)
            gap(out, f.offset - at);
        const std::string right =
            fmt::format("{:<17} {}{}", f.pointer, writer_label(f.who), f.pointer_ok ? "" : "  (POINTER MISMATCH)");
        if (f.is_array()) {
            box_line(out, fmt::format("{:#06x}", f.offset),
                     fmt::format(" {:<18} {} x {} B", f.name, f.count, f.element_size), right);
            // The SQ index array's contents say more than its slot numbers.
            box_line(out, "", f.value.starts_with("[") ? " = " + f.value : slots(f.count));
        } else {
            box_line(out, fmt::format("{:#06x}", f.offset), fmt::format(" {:<18} {:>3} B  {}", f.name, f.size(), f.value),
                     right);
        }
        at = f.offset + f.size();
    }
    if (r.size > at)
        gap(out, r.size - at);
    edge(out, fmt::format("{:#06x}", std::max(r.size, at)));
    out += '\n';
}

} // namespace

std::string format_ascii_diagram(const memory_map &m)
{
    std::string out = "Memory diagram (offsets from each region's start; <- the struct io_uring member pointing "
                      "there, and who writes the field)\n\n";
    for (const region &r : m.regions)
        draw_region(out, r);
    fmt::format_to(std::back_inserter(out),
                   "Library-private, in struct io_uring itself: sq.sqe_head = {}, sq.sqe_tail = {}\n\n", m.sqe_head,
                   m.sqe_tail);
    return out;
}

} // namespace uring_layout
