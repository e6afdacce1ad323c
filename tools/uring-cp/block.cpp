#include "block.h"

#include <algorithm>
#include <cerrno>

namespace uring_cp {

namespace {

// Results that mean "nothing happened, ask again" rather than failure.
bool is_transient(int res)
{
    return res == -EINTR || res == -EAGAIN;
}

} // namespace

void block::start(std::uint64_t offset, std::uint32_t length)
{
    offset_ = offset;
    length_ = length;
    have_ = 0;
    written_ = 0;
}

block::round block::plan() const
{
    round r;
    r.read = have_ < length_;
    r.read_from = have_;
    r.write = written_ < length_;
    r.write_from = written_;
    return r;
}

block::verdict block::finish(const round &r, int read_res, int write_res)
{
    if (r.read) {
        if (read_res > 0) {
            // Never trust a count beyond what was asked for.
            auto asked = length_ - r.read_from;
            have_ = r.read_from + std::min(static_cast<std::uint32_t>(read_res), asked);
        } else if (read_res == 0) {
            // End of file inside a block that fstat() said exists.
            return {outcome::read_error, 0, "file shrank during the copy"};
        } else if (!is_transient(read_res)) {
            return {outcome::read_error, -read_res, nullptr};
        }
    }

    if (r.write) {
        if (write_res >= 0) {
            if (write_res == 0)
                return {outcome::write_error, 0, "write made no progress"};
            // Credit only bytes that were valid in the buffer; past have_ the
            // write (if it ran at all after a short read) copied stale data.
            auto end = static_cast<std::uint64_t>(r.write_from) + static_cast<std::uint32_t>(write_res);
            auto credited = static_cast<std::uint32_t>(std::min<std::uint64_t>(end, have_));
            written_ = std::max(written_, credited);
        } else if (write_res == -ECANCELED && r.read) {
            // The read broke the link (short or failed read): redo from the
            // progress recorded above.
        } else if (!is_transient(write_res)) {
            return {outcome::write_error, -write_res, nullptr};
        }
    }

    return {written_ == length_ ? outcome::done : outcome::again, 0, nullptr};
}

} // namespace uring_cp
