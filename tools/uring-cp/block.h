// The progress of one block on its way from SRC to DST, with no io_uring in
// sight, so the short-read / short-write / cancelled-link arithmetic can be
// tested by feeding it made-up completion results.
//
// A block is copied in rounds. A round is what goes into the ring at once:
// a read of the part not yet in the buffer, linked (IOSQE_IO_LINK) to a
// write of the part not yet in DST; once the whole block is in the buffer,
// only a write. When all of a round's completions are in, finish() folds
// them into the block's progress and says what to do next.
//
// Why the write can't be trusted blindly: the kernel breaks a link when the
// read returns fewer bytes than asked, so the write completes with
// -ECANCELED; but the write was sized for the whole block, and if it ever ran
// after a short read it would copy stale buffer bytes. finish() therefore
// only credits written bytes that lie inside what has really been read;
// anything beyond is simply written again in a later round.
#pragma once

#include <cstdint>

namespace uring_cp {

class block {
public:
    struct round {
        bool read = false;           // read block bytes [read_from, length) into the buffer
        std::uint32_t read_from = 0;
        bool write = false;          // write block bytes [write_from, length) from the buffer
        std::uint32_t write_from = 0;
    };

    enum class outcome {
        again,       // submit plan() again
        done,        // the whole block is in DST
        read_error,  // give up: SRC failed
        write_error, // give up: DST failed
    };

    struct verdict {
        outcome what = outcome::again;
        int err = 0;                   // positive errno, or 0 when message is set
        const char *message = nullptr; // explanation when there is no errno
    };

    // Takes on a new block; the buffer is assumed to hold nothing of it.
    void start(std::uint64_t offset, std::uint32_t length);

    // The round to submit now. Only meaningful while not done.
    [[nodiscard]] round plan() const;

    // Consumes the results (cqe->res) of round r, which came from plan().
    // A result is ignored when r did not contain that request.
    [[nodiscard]] verdict finish(const round &r, int read_res, int write_res);

    [[nodiscard]] std::uint64_t offset() const { return offset_; }
    [[nodiscard]] std::uint32_t length() const { return length_; }
    [[nodiscard]] std::uint32_t have() const { return have_; }
    [[nodiscard]] std::uint32_t written() const { return written_; }

private:
    std::uint64_t offset_ = 0; // where the block starts in both files
    std::uint32_t length_ = 0;
    std::uint32_t have_ = 0;    // bytes [0, have_) of the buffer hold SRC data
    std::uint32_t written_ = 0; // bytes [0, written_) are correct in DST; <= have_
};

} // namespace uring_cp
