// uring-probe: what io_uring offers on this machine, asked of the running
// kernel — its release, the IORING_FEAT_* bits a new ring reports, every
// opcode with its IORING_REGISTER_PROBE verdict, which IORING_SETUP_* flags
// io_uring_setup accepts, and the largest SQ and CQ it will create.
#include "print.h"
#include "report.h"

#include <fmt/format.h>

#include <cstdio>
#include <string_view>

namespace {

constexpr std::string_view kUsage =
    "usage: uring-probe [--json]\n"
    "  Prints what io_uring supports on the running kernel: features,\n"
    "  opcodes, accepted setup flags and the largest ring sizes.\n"
    "  --json  the same as one JSON object with stable keys\n";

} // namespace

int main(int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const std::string_view arg = argv[i];
        if (arg == "--json") {
            json = true;
        } else if (arg == "--help" || arg == "-h") {
            fmt::print("{}", kUsage);
            return 0;
        } else {
            fmt::print(stderr, "uring-probe: unknown argument '{}'\n{}", arg, kUsage);
            return 2;
        }
    }

    uring_probe::probe_report r;
    r.kernel = uring_probe::read_kernel_info();
    r.features = uring_probe::read_features();
    r.opcodes = uring_probe::read_opcodes();
    r.setup = uring_probe::try_setup_flags();
    r.limits = uring_probe::find_limits();

    fmt::print("{}", json ? uring_probe::format_json(r) : uring_probe::format_table(r));
    // No ring at all means io_uring is unavailable (or forbidden): say so
    // in the exit status too.
    return r.features.error ? 1 : 0;
}
