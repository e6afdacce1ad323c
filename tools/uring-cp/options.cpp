#include "options.h"

#include <charconv>
#include <limits>
#include <span>
#include <vector>

#include <fmt/format.h>

namespace uring_cp {

std::string usage_text()
{
    return fmt::format(
        "Usage: uring-cp [OPTIONS] SRC DST\n"
        "Copy the regular file SRC to DST through io_uring: each block is read and\n"
        "then written by a linked pair of requests sharing one buffer.\n"
        "\n"
        "DST is created or truncated and gets SRC's permission bits.\n"
        "\n"
        "Options:\n"
        "  -q, --queue-depth N    blocks in flight at once (1..{}, default 64)\n"
        "  -b, --block-size SIZE  bytes per block; K, M and G suffixes are powers\n"
        "                         of 1024 (1..1G, default 128K)\n"
        "  -h, --help             show this help and exit\n"
        "\n"
        "Exit status: 0 on success, 1 if the copy failed, 2 on a usage error.\n",
        max_queue_depth);
}

std::optional<std::size_t> parse_size(std::string_view text)
{
    std::size_t value = 0;
    const char *first = text.data();
    const char *last = text.data() + text.size();
    auto [rest, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || rest == first)
        return std::nullopt;

    std::size_t scale = 1;
    if (rest != last) {
        switch (*rest++) {
        case 'k': case 'K': scale = std::size_t{1} << 10; break;
        case 'm': case 'M': scale = std::size_t{1} << 20; break;
        case 'g': case 'G': scale = std::size_t{1} << 30; break;
        default: return std::nullopt;
        }
        if (rest != last)
            return std::nullopt;
    }
    if (value == 0 || value > std::numeric_limits<std::size_t>::max() / scale)
        return std::nullopt;
    return value * scale;
}

namespace {

parse_result usage_error(std::string message)
{
    parse_result r;
    r.what = parse_result::action::usage_error;
    r.error = std::move(message);
    return r;
}

// Applies one option's value; returns an error message or empty.
std::string apply(options &opts, std::string_view name, std::string_view value)
{
    if (name == "queue-depth") {
        unsigned depth = 0;
        auto [rest, ec] = std::from_chars(value.data(), value.data() + value.size(), depth);
        if (ec != std::errc{} || rest != value.data() + value.size() || depth == 0 ||
            depth > max_queue_depth)
            return fmt::format("invalid queue depth '{}' (expected 1..{})", value, max_queue_depth);
        opts.queue_depth = depth;
        return {};
    }
    auto size = parse_size(value);
    if (!size || *size > max_block_size)
        return fmt::format("invalid block size '{}' (expected 1..1G, e.g. 4096, 128K, 1M)", value);
    opts.block_size = *size;
    return {};
}

} // namespace

parse_result parse_options(int argc, char **argv)
{
    parse_result result;
    std::vector<std::string_view> positional;
    std::span<char *> args(argv, static_cast<std::size_t>(argc));

    bool options_done = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (options_done || arg.size() < 2 || arg[0] != '-') {
            positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            result.what = parse_result::action::help;
            return result;
        }

        // Recognise the option and find its value: "--name=V", "--name V",
        // "-xV" or "-x V".
        std::string_view name;
        std::string_view value;
        bool inline_value = false;
        if (arg.starts_with("--")) {
            std::string_view body = arg.substr(2);
            auto eq = body.find('=');
            name = body.substr(0, eq);
            if (eq != std::string_view::npos) {
                value = body.substr(eq + 1);
                inline_value = true;
            }
            if (name != "queue-depth" && name != "block-size")
                return usage_error(fmt::format("unknown option '{}'", arg));
        } else {
            if (arg[1] == 'q')
                name = "queue-depth";
            else if (arg[1] == 'b')
                name = "block-size";
            else
                return usage_error(fmt::format("unknown option '{}'", arg));
            if (arg.size() > 2) {
                value = arg.substr(2);
                inline_value = true;
            }
        }
        if (!inline_value) {
            if (i + 1 >= args.size())
                return usage_error(fmt::format("option '{}' needs a value", arg));
            value = args[++i];
        }
        if (auto message = apply(result.opts, name, value); !message.empty())
            return usage_error(std::move(message));
    }

    if (positional.size() != 2)
        return usage_error(positional.size() < 2 ? "missing SRC or DST" : "too many arguments");
    result.opts.source = positional[0];
    result.opts.destination = positional[1];
    result.what = parse_result::action::copy;
    return result;
}

} // namespace uring_cp
