// uring-layout's command line (see options.h).
#include "options.h"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace uring_layout {

const char *usage() noexcept
{
    return "usage: uring-layout [--sqpoll] [--no-sqarray|--sqarray] [--sqe128] [--cqe32]\n"
           "                    [--no-mmap|--app-mem] [--entries N] [--svg FILE] [--json]\n"
           "  Creates a live io_uring with that setup, prints where its memory is and\n"
           "  what every shared field holds, then walks one NOP through the ring.\n"
           "  --sqpoll      IORING_SETUP_SQPOLL (a kernel thread polls the SQ)\n"
           "  --no-sqarray  ask for IORING_SETUP_NO_SQARRAY (no SQ index array)\n"
           "  --sqarray     keep the SQ index array: io_uring_setup + io_uring_queue_mmap,\n"
           "                because io_uring_queue_init always tries NO_SQARRAY first\n"
           "  --sqe128      IORING_SETUP_SQE128 (128-byte SQEs)\n"
           "  --cqe32       IORING_SETUP_CQE32 (32-byte CQEs)\n"
           "  --no-mmap     IORING_SETUP_NO_MMAP, ring memory allocated by the library\n"
           "  --app-mem     IORING_SETUP_NO_MMAP in caller memory (io_uring_queue_init_mem)\n"
           "  --entries N   SQ entries to ask for (default 8; the kernel rounds up to 2^k)\n"
           "  --svg FILE    also write the memory diagram as a self-contained SVG\n"
           "  --json        print the layout and the walk as JSON instead\n";
}

std::string parse_options(int argc, char **argv, options *out)
{
    options o;
    bool sq_array_given = false;
    for (int i = 1; i < argc; i++) {
        const std::string_view arg = argv[i];
        auto next = [&]() -> std::string_view { return i + 1 < argc ? std::string_view(argv[++i]) : ""; };
        if (arg == "--sqpoll") {
            o.sqpoll = true;
        } else if (arg == "--no-sqarray" || arg == "--sqarray") {
            if (sq_array_given)
                return "--sqarray and --no-sqarray are exclusive";
            sq_array_given = true;
            o.sq_array = arg == "--sqarray" ? sq_array_choice::with : sq_array_choice::without;
        } else if (arg == "--sqe128") {
            o.sqe128 = true;
        } else if (arg == "--cqe32") {
            o.cqe32 = true;
        } else if (arg == "--no-mmap") {
            o.no_mmap = true;
        } else if (arg == "--app-mem") {
            o.app_mem = true;
        } else if (arg == "--entries") {
            const std::string_view v = next();
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), o.entries);
            if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || o.entries == 0)
                return fmt::format("--entries needs a positive number, not '{}'", v);
        } else if (arg == "--svg") {
            o.svg_path = next();
            if (o.svg_path.empty())
                return "--svg needs a file name";
        } else if (arg == "--json") {
            o.json = true;
        } else if (arg == "--help" || arg == "-h") {
            o.help = true;
        } else {
            return fmt::format("unknown argument '{}'", arg);
        }
    }
    if (o.no_mmap && o.app_mem)
        return "--no-mmap and --app-mem are exclusive (--app-mem implies NO_MMAP)";
    // A NO_MMAP ring cannot be attached with io_uring_queue_mmap, and the
    // init functions that place its memory always try NO_SQARRAY first.
    if ((o.no_mmap || o.app_mem) && o.sq_array == sq_array_choice::with)
        return "--sqarray cannot be combined with --no-mmap/--app-mem through the liburing API";
    *out = o;
    return {};
}

} // namespace uring_layout
