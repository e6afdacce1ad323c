// uring-layout: sets up a live io_uring as the options say and shows its
// memory — each region with address and size, every sq_off/cq_off field
// with its offset, size, current value and the struct io_uring pointer that
// holds its address — then walks one NOP through the ring, printing the six
// head/tail indices after every step. docs/ring-layout.md explains what it
// shows; the diagrams there are this tool's --svg output.
#include "live_ring.h"
#include "memory_map.h"
#include "names.h"
#include "options.h"
#include "print.h"
#include "walk.h"

#include <fmt/format.h>

#include <cstdio>

namespace {

[[nodiscard]] bool write_file(const std::string &path, const std::string &text)
{
    std::FILE *f = std::fopen(path.c_str(), "w");
    if (!f)
        return false;
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    return std::fclose(f) == 0 && ok;
}

} // namespace

int main(int argc, char **argv)
{
    using namespace uring_layout;

    options opt;
    if (const std::string err = parse_options(argc, argv, &opt); !err.empty()) {
        fmt::print(stderr, "uring-layout: {}\n{}", err, usage());
        return 2;
    }
    if (opt.help) {
        fmt::print("{}", usage());
        return 0;
    }

    live_ring lr;
    std::string what;
    if (const int ret = lr.create(opt, &what); ret < 0) {
        fmt::print(stderr, "uring-layout: {} failed: {}\n", what, introspect::errno_name(ret));
        return 1;
    }

    // The map is read before the walk: it shows the ring as setup left it.
    const memory_map map = read_memory_map(lr);
    if (!opt.svg_path.empty() && !write_file(opt.svg_path, format_svg(lr, map))) {
        fmt::print(stderr, "uring-layout: cannot write {}\n", opt.svg_path);
        return 1;
    }
    const walk_result walk = walk_one_nop(&lr.ring);

    if (opt.json) {
        fmt::print("{}", format_json(lr, map, walk));
    } else {
        fmt::print("{}{}{}{}", format_setup(lr), format_tables(lr, map), format_ascii_diagram(map),
                   format_walk(walk));
    }
    return walk.error ? 1 : 0;
}
