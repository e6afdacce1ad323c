#include "copier.h"

#include <liburing.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "block.h"
#include "failure.h"

namespace uring_cp {

namespace {

// user_data of a request: the slot index shifted left, low bit set for the
// write half of the pair.
[[nodiscard]] std::uint64_t tag(std::size_t slot, bool is_write)
{
    return (static_cast<std::uint64_t>(slot) << 1) | (is_write ? 1U : 0U);
}

// One buffer's worth of work: a block plus the round currently in the ring.
struct slot {
    block blk;
    std::byte *buffer = nullptr;
    block::round round;
    int read_res = 0;
    int write_res = 0;
    unsigned pending = 0; // completions of `round` still to arrive
};

class ring {
public:
    explicit ring(unsigned entries)
    {
        int rc = io_uring_queue_init(entries, &ring_, 0);
        if (rc < 0)
            throw failure("io_uring", -rc);
    }
    ~ring() { io_uring_queue_exit(&ring_); }
    ring(const ring &) = delete;
    ring &operator=(const ring &) = delete;

    [[nodiscard]] io_uring *get() { return &ring_; }

private:
    io_uring ring_{};
};

struct free_deleter {
    void operator()(std::byte *p) const { std::free(p); }
};
using arena = std::unique_ptr<std::byte, free_deleter>;

// Page-aligned so the buffers never straddle more pages than needed.
[[nodiscard]] arena allocate_buffers(std::size_t count, std::size_t size)
{
    constexpr std::size_t page = 4096;
    std::size_t total = (count * size + page - 1) / page * page;
    auto *p = static_cast<std::byte *>(std::aligned_alloc(page, total));
    if (!p)
        throw failure(fmt::format("{} buffers of {} bytes", count, size), ENOMEM);
    return arena(p);
}

class engine {
public:
    engine(const copy_job &job, std::size_t slot_count)
        : job_(job), buffers_(allocate_buffers(slot_count, job.block_size)), slots_(slot_count),
          // Two SQEs per slot, so a full round for every slot always fits.
          ring_(static_cast<unsigned>(2 * slot_count))
    {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            slots_[i].buffer = buffers_.get() + i * job_.block_size;
    }

    void run()
    {
        for (std::size_t i = 0; i < slots_.size(); ++i)
            if (take_next_block(slots_[i]))
                submit_round(i);

        while (in_flight_ > 0) {
            // One syscall both hands the kernel everything queued since the
            // last pass and sleeps until at least one completion is ready.
            int rc = io_uring_submit_and_wait(ring_.get(), 1);
            if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
                fail(failure("io_uring", -rc));
                // Requests may still be running and writing into the
                // buffers: leak them rather than free memory under the kernel.
                (void)buffers_.release();
                break;
            }
            reap();
        }
        if (first_failure_)
            throw *first_failure_;
    }

private:
    // Gives the slot the next unassigned block; false when none is left.
    bool take_next_block(slot &s)
    {
        if (next_offset_ >= job_.size)
            return false;
        auto length = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(job_.block_size, job_.size - next_offset_));
        s.blk.start(next_offset_, length);
        next_offset_ += length;
        return true;
    }

    void submit_round(std::size_t index)
    {
        slot &s = slots_[index];
        s.round = s.blk.plan();
        s.pending = (s.round.read ? 1U : 0U) + (s.round.write ? 1U : 0U);
        io_uring *r = ring_.get();

        // Both SQEs of a linked pair must be taken together: a lone read
        // carrying IOSQE_IO_LINK would chain onto whatever SQE comes next.
        if (io_uring_sq_space_left(r) < s.pending)
            (void)io_uring_submit(r);

        if (s.round.read) {
            io_uring_sqe *sqe = io_uring_get_sqe(r);
            std::uint32_t from = s.round.read_from;
            io_uring_prep_read(sqe, job_.source_fd, s.buffer + from, s.blk.length() - from,
                               s.blk.offset() + from);
            io_uring_sqe_set_data64(sqe, tag(index, false));
            // The write must not start before the read has filled the buffer.
            if (s.round.write)
                io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
        }
        if (s.round.write) {
            io_uring_sqe *sqe = io_uring_get_sqe(r);
            std::uint32_t from = s.round.write_from;
            io_uring_prep_write(sqe, job_.destination_fd, s.buffer + from, s.blk.length() - from,
                                s.blk.offset() + from);
            io_uring_sqe_set_data64(sqe, tag(index, true));
        }
        ++in_flight_;
    }

    // Consumes every completion that is ready.
    void reap()
    {
        io_uring *r = ring_.get();
        io_uring_cqe *cqe = nullptr;
        while (io_uring_peek_cqe(r, &cqe) == 0) {
            std::uint64_t data = io_uring_cqe_get_data64(cqe);
            int res = cqe->res;
            io_uring_cqe_seen(r, cqe);
            complete(static_cast<std::size_t>(data >> 1), (data & 1) != 0, res);
        }
    }

    void complete(std::size_t index, bool is_write, int res)
    {
        slot &s = slots_[index];
        (is_write ? s.write_res : s.read_res) = res;
        if (--s.pending > 0)
            return; // the other half of the pair is still out
        --in_flight_;

        block::verdict v = s.blk.finish(s.round, s.read_res, s.write_res);
        switch (v.what) {
        case block::outcome::again:
            if (!first_failure_)
                submit_round(index);
            break;
        case block::outcome::done:
            if (!first_failure_ && take_next_block(s))
                submit_round(index);
            break;
        case block::outcome::read_error:
            fail(describe(job_.source_path, v));
            break;
        case block::outcome::write_error:
            fail(describe(job_.destination_path, v));
            break;
        }
    }

    [[nodiscard]] static failure describe(const std::string &path, const block::verdict &v)
    {
        return v.message ? failure(path, v.message) : failure(path, v.err);
    }

    // Keeps the first error; the remaining requests are left to finish (no
    // new ones are queued) so the buffers can be freed safely.
    void fail(failure f)
    {
        if (!first_failure_)
            first_failure_ = std::move(f);
    }

    const copy_job &job_;
    arena buffers_;
    std::vector<slot> slots_;
    ring ring_;
    std::uint64_t next_offset_ = 0;
    std::size_t in_flight_ = 0; // slots with a round in the ring
    std::optional<failure> first_failure_;
};

} // namespace

void copy(const copy_job &job)
{
    if (job.size == 0)
        return; // nothing to read; DST is already created and empty

    // No more buffers than blocks: a small file needs no 8 MiB of buffers.
    std::uint64_t blocks = (job.size + job.block_size - 1) / job.block_size;
    auto slot_count = static_cast<std::size_t>(std::min<std::uint64_t>(job.queue_depth, blocks));
    engine(job, slot_count).run();
}

} // namespace uring_cp
