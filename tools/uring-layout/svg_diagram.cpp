// uring-layout --svg: the memory diagram as a self-contained SVG (no
// external fonts, styles or scripts). Left: the pointer members of struct
// io_uring; right: the ring's regions with their fields in offset order;
// an arrow from each pointer to the field it holds the address of. Fields
// are coloured by who writes them.
#include "names.h"
#include "print.h"

#include <fmt/format.h>

#include <sys/utsname.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace uring_layout {
namespace {

constexpr int kRow = 22;         // height of a field row
constexpr int kArrayRow = 40;    // an array row: name line + slot cells
constexpr int kGapRow = 16;      // unused bytes
constexpr int kRegionHead = 46;  // region title block
constexpr int kLeftX = 20;
constexpr int kLeftW = 190;
constexpr int kRightX = 400;
constexpr int kRightW = 540;
constexpr int kWidth = kRightX + kRightW + 20;

std::string esc(std::string_view s)
{
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

const char *css_class(writer w)
{
    switch (w) {
    case writer::kernel: return "k";
    case writer::app: return "a";
    case writer::setup: return "s";
    }
    return "s";
}

struct canvas {
    std::string body;
    std::map<std::string, int> target_y; // pointer name -> y of what it points at
    std::map<std::string, writer> target_writer;

    template <typename... Args> void add(fmt::format_string<Args...> f, Args &&...args)
    {
        fmt::format_to(std::back_inserter(body), f, std::forward<Args>(args)...);
        body += '\n';
    }
    void text(int x, int y, std::string_view cls, std::string_view s)
    {
        add(R"~(<text x="{}" y="{}" class="{}">{}</text>)~", x, y, cls, esc(s));
    }
};

void slot_cells(canvas &c, int x, int y, const field &f)
{
    const int cell_w = 26;
    const int h = 14;
    std::vector<std::string> labels;
    if (f.count <= 16) {
        for (unsigned i = 0; i < f.count; i++)
            labels.push_back(fmt::format("{}", i));
    } else {
        labels = {"0", "1", "2", "3", "...", fmt::format("{}", f.count - 1)};
    }
    for (std::size_t i = 0; i < labels.size(); i++) {
        const int cx = x + static_cast<int>(i) * (cell_w + 2);
        if (labels[i] == "...") {
            c.text(cx + 6, y + 11, "small", "...");
            continue;
        }
        c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="cell {}"/>)~", cx, y, cell_w, h, css_class(f.who));
        c.text(cx + 4, y + 11, "small", labels[i]);
    }
}

// Draws one region from y; returns the y below it.
int draw_region(canvas &c, const region &r, int y)
{
    c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="head"/>)~", kRightX, y, kRightW, kRegionHead);
    c.text(kRightX + 8, y + 17, "title", fmt::format("{}  ({} bytes at {:#x})", r.title, r.size, r.address));
    c.text(kRightX + 8, y + 35, "small", r.source);
    // Every ring_ptr / sqes pointer named for this region points at its start.
    const int start = y + kRegionHead;
    for (std::string_view rest = r.pointers; !rest.empty();) {
        const std::size_t cut = rest.find(" = ");
        const std::string name(rest.substr(0, cut));
        if (name.ends_with("ring_ptr")) {
            c.target_y[name] = start;
            c.target_writer[name] = writer::setup;
        }
        rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 3);
    }
    y = start;

    std::size_t at = 0;
    auto gap = [&](std::size_t bytes) {
        c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="gap"/>)~", kRightX, y, kRightW, kGapRow);
        c.text(kRightX + 90, y + 12, "small", fmt::format("{} bytes unused", bytes));
        y += kGapRow;
    };
    for (const field &f : r.fields) {
        if (f.offset > at)
            gap(f.offset - at);
        const int h = f.is_array() ? kArrayRow : kRow;
        c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>)~", kRightX, y, kRightW, h, css_class(f.who));
        c.text(kRightX + 8, y + 15, "mono", fmt::format("{:#06x}", f.offset));
        if (f.is_array()) {
            c.text(kRightX + 80, y + 15, "mono", fmt::format("{}  ({} x {} B){}", f.name, f.count, f.element_size,
                                                              f.value.starts_with("[") ? "  = " + f.value : ""));
            slot_cells(c, kRightX + 80, y + 21, f);
        } else {
            c.text(kRightX + 80, y + 15, "mono", f.name);
            c.text(kRightX + 240, y + 15, "mono", fmt::format("{} B", f.size()));
            c.text(kRightX + 290, y + 15, "mono", fmt::format("= {}", f.value));
        }
        c.target_y[f.pointer] = y + (f.is_array() ? kRow / 2 + 2 : h / 2);
        c.target_writer[f.pointer] = f.who;
        y += h;
        at = f.offset + f.size();
    }
    if (r.size > at)
        gap(r.size - at);
    c.text(kRightX + 8, y + 14, "small", fmt::format("{:#06x}  end", std::max(r.size, at)));
    return y + 34;
}

std::string kernel_release()
{
    utsname u{};
    return uname(&u) == 0 ? fmt::format("{} {}", u.sysname, u.release) : "Linux";
}

} // namespace

std::string format_svg(const live_ring &lr, const memory_map &m)
{
    const io_uring &ring = lr.ring;
    canvas c;

    // Right column first: it decides where every arrow ends.
    int y = 84;
    for (const region &r : m.regions)
        y = draw_region(c, r, y);
    const int right_bottom = y;

    // Left column: struct io_uring's pointer members, then its private indices.
    int ly = 84;
    c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="head"/>)~", kLeftX, ly, kLeftW, kRegionHead);
    c.text(kLeftX + 8, ly + 17, "title", "struct io_uring");
    c.text(kLeftX + 8, ly + 35, "small", "application memory");
    ly += kRegionHead;
    for (const pointer_member &p : pointer_members(ring)) {
        c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="ptr"/>)~", kLeftX, ly, kLeftW, kRow);
        c.text(kLeftX + 8, ly + 15, "mono", p.null ? p.name + " = NULL" : p.name);
        const auto target = c.target_y.find(p.name);
        if (!p.null && target != c.target_y.end()) {
            const int x0 = kLeftX + kLeftW;
            const int y0 = ly + kRow / 2;
            const int x1 = kRightX - 2;
            const int y1 = target->second;
            const char *cls = css_class(c.target_writer[p.name]);
            c.add(R"~(<path d="M{} {} C{} {} {} {} {} {}" class="arrow {}" marker-end="url(#head-{})"/>)~", x0, y0,
                  x0 + 90, y0, x1 - 90, y1, x1, y1, cls, cls);
        }
        ly += kRow;
    }
    ly += 12;
    c.add(R"~(<rect x="{}" y="{}" width="{}" height="{}" class="local"/>)~", kLeftX, ly, kLeftW, 2 * kRow);
    c.text(kLeftX + 8, ly + 15, "mono", fmt::format("sq.sqe_head = {}", m.sqe_head));
    c.text(kLeftX + 8, ly + 15 + kRow, "mono", fmt::format("sq.sqe_tail = {}", m.sqe_tail));
    c.text(kLeftX, ly + 2 * kRow + 16, "small", "library-private, not shared");
    ly += 2 * kRow + 30;

    // Legend and notes under the taller column.
    y = std::max(right_bottom, ly) + 10;
    const std::pair<writer, const char *> legend[] = {
        {writer::kernel, "written by the kernel"},
        {writer::app, "written by the application (library)"},
        {writer::setup, "set once at setup"},
    };
    int lx = kLeftX;
    for (const auto &[w, label] : legend) {
        c.add(R"~(<rect x="{}" y="{}" width="14" height="14" class="{}"/>)~", lx, y, css_class(w));
        c.text(lx + 20, y + 12, "small", label);
        lx += 320;
    }
    y += 30;
    for (const std::string &n : m.notes) {
        c.text(kLeftX, y, "small", n);
        y += 16;
    }
    const int height = y + 10;

    std::string svg;
    fmt::format_to(std::back_inserter(svg),
                   R"~(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}">)~" "\n",
                   kWidth, height);
    svg += R"~(<style>
  text { font-family: DejaVu Sans Mono, Menlo, Consolas, monospace; fill: #1b1b1b; }
  .mono { font-size: 12px; } .small { font-size: 11px; } .title { font-size: 13px; font-weight: bold; }
  .big { font-size: 15px; font-weight: bold; }
  rect { stroke-width: 1; }
  .head { fill: #f4f1e8; stroke: #8a8170; } .ptr { fill: #ffffff; stroke: #8a8170; }
  .local { fill: #fffbe6; stroke: #b7950b; }
  .k { fill: #f9dcd7; stroke: #b03a2e; } .a { fill: #d9eaf7; stroke: #1f618d; } .s { fill: #ececec; stroke: #7b7d7d; }
  .gap { fill: url(#hatch); stroke: #bbbbbb; }
  .cell { stroke-width: 0.8; }
  .arrow { fill: none; stroke-width: 1.3; }
  .arrow.k { stroke: #b03a2e; } .arrow.a { stroke: #1f618d; } .arrow.s { stroke: #555555; }
</style>
<defs>
  <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
    <rect width="6" height="6" fill="#fafafa"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d5d5d5" stroke-width="2"/>
  </pattern>
)~";
    for (const auto &[cls, colour] : {std::pair{"k", "#b03a2e"}, {"a", "#1f618d"}, {"s", "#555555"}})
        fmt::format_to(std::back_inserter(svg),
                       R"~(  <marker id="head-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" )~"
                       R"~(markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="{}"/></marker>)~" "\n",
                       cls, colour);
    svg += "</defs>\n";
    svg += fmt::format(R"~(<rect width="{}" height="{}" fill="#ffffff"/>)~", kWidth, height) + "\n";
    const std::string flags =
        ring.flags ? introspect::flag_list(ring.flags, introspect::setup_flag_bits(), "IORING_SETUP_") : "none";
    svg += fmt::format(R"~(<text x="{}" y="30" class="big">{}</text>)~", kLeftX,
                       esc(fmt::format("io_uring ring layout: flags {:#x} ({})", ring.flags, flags))) +
           "\n";
    svg += fmt::format(R"~(<text x="{}" y="52" class="small">{}</text>)~", kLeftX,
                       esc(fmt::format("{} SQ entries, {} CQ entries; created with {}; live ring on {}",
                                       ring.sq.ring_entries, ring.cq.ring_entries, lr.how, kernel_release()))) +
           "\n";
    svg += c.body;
    svg += "</svg>\n";
    return svg;
}

} // namespace uring_layout
