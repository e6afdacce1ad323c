// uring-cp SRC DST: a cp(1) for regular files built on io_uring. Exit status
// 0 on success, 1 when the copy failed, 2 for a bad command line.
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "copier.h"
#include "failure.h"
#include "files.h"
#include "options.h"

namespace {

constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

void run(const uring_cp::options &opts)
{
    uring_cp::source_file src = uring_cp::open_source(opts.source);
    uring_cp::unique_fd dst = uring_cp::open_destination(opts.destination, src);

    uring_cp::copy({
        .source_fd = src.fd.get(),
        .destination_fd = dst.get(),
        .size = src.size,
        .source_path = opts.source,
        .destination_path = opts.destination,
        .queue_depth = opts.queue_depth,
        .block_size = opts.block_size,
    });

    // The last chance for the filesystem to report a failed write.
    if (int err = dst.close(); err != 0)
        throw uring_cp::failure(opts.destination, err);
}

} // namespace

int main(int argc, char **argv)
{
    uring_cp::parse_result parsed = uring_cp::parse_options(argc, argv);
    switch (parsed.what) {
    case uring_cp::parse_result::action::help:
        fmt::print("{}", uring_cp::usage_text());
        return 0;
    case uring_cp::parse_result::action::usage_error:
        fmt::print(stderr, "uring-cp: {}\nTry 'uring-cp --help' for more information.\n", parsed.error);
        return exit_usage;
    case uring_cp::parse_result::action::copy:
        break;
    }

    try {
        run(parsed.opts);
    } catch (const uring_cp::failure &f) {
        fmt::print(stderr, "uring-cp: {}: {}\n", f.subject, f.message);
        return exit_failure;
    } catch (const std::exception &e) {
        // std::bad_alloc and friends: still one line, still non-zero.
        fmt::print(stderr, "uring-cp: {}\n", e.what());
        return exit_failure;
    }
    return 0;
}
