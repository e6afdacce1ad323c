// The load drivers shared by the load tests: push N requests through a
// ring whose CQ is smaller than what is in flight, and account for every
// user_data exactly once.
//
// Sizes: BAREURING_LOAD=full selects the large figures (issue 9: 10M NOPs,
// 1M reads), BAREURING_LOAD=small the ones for valgrind; anything else is
// the CI default, a few seconds of work on 2 cores.
//
// The drivers report problems as a string instead of gtest assertions so
// that they can run on any thread.
#pragma once

#include <liburing.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace reliability {

enum class LoadScale { Small, Default, Full };

inline LoadScale load_scale()
{
    const char *v = std::getenv("BAREURING_LOAD");
    if (v && std::strcmp(v, "full") == 0)
        return LoadScale::Full;
    if (v && std::strcmp(v, "small") == 0)
        return LoadScale::Small;
    return LoadScale::Default;
}

inline std::uint64_t load_size(std::uint64_t small, std::uint64_t dflt, std::uint64_t full)
{
    switch (load_scale()) {
    case LoadScale::Small: return small;
    case LoadScale::Full: return full;
    default: return dflt;
    }
}

// Deterministic xorshift: the same run every time, but batch sizes and
// reaping styles vary from round to round.
struct Rng {
    std::uint64_t s;
    explicit Rng(std::uint64_t seed) : s(seed | 1) {}
    std::uint64_t next()
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
};

struct LoadStats {
    std::uint64_t completed = 0;
    std::uint64_t max_in_flight = 0;
    std::uint64_t overflow_rounds = 0; // rounds that found IORING_SQ_CQ_OVERFLOW set
    std::uint64_t busy_retries = 0;    // submits refused with -EBUSY (overflow backlog)
    std::string error;                 // empty = every check passed
};

// What a load needs to know about its requests.
struct LoadOps {
    // Fills `sqe` for request `id` (user_data is set by the driver).
    std::function<void(io_uring_sqe *sqe, std::uint64_t id)> prep;
    // Checks the completion of request `id`; returns "" or a description.
    std::function<std::string(const io_uring_cqe *cqe, std::uint64_t id)> check;
};

namespace detail {

struct Tracker {
    std::vector<std::uint8_t> seen;
    std::uint64_t in_flight = 0;
    LoadStats stats;
    const LoadOps &ops;

    Tracker(std::uint64_t n, const LoadOps &o) : seen(n, 0), ops(o) {}

    bool consume(const io_uring_cqe *cqe)
    {
        const std::uint64_t id = cqe->user_data;
        if (id >= seen.size()) {
            stats.error = "unknown user_data " + std::to_string(id);
            return false;
        }
        if (seen[id]) {
            stats.error = "user_data " + std::to_string(id) + " completed twice";
            return false;
        }
        seen[id] = 1;
        std::string bad = ops.check(cqe, id);
        if (!bad.empty()) {
            stats.error = "request " + std::to_string(id) + ": " + bad;
            return false;
        }
        --in_flight;
        ++stats.completed;
        return true;
    }
};

// Reaps up to `want` CQEs (at least one if anything is in flight), with one
// of three reaping styles so that all of them see overflow.
inline bool reap(io_uring *ring, Tracker &t, std::uint64_t want, unsigned style)
{
    io_uring_cqe *batch[64];
    while (want && t.in_flight) {
        if (IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW)
            ++t.stats.overflow_rounds;
        unsigned got = 0;
        if (style == 0) {
            io_uring_cqe *cqe = nullptr;
            int ret = io_uring_wait_cqe(ring, &cqe);
            if (ret < 0) {
                t.stats.error = "io_uring_wait_cqe: " + std::to_string(ret);
                return false;
            }
            if (!t.consume(cqe))
                return false;
            io_uring_cqe_seen(ring, cqe);
            got = 1;
        } else if (style == 1) {
            got = io_uring_peek_batch_cqe(ring, batch, 64);
            for (unsigned i = 0; i < got; ++i)
                if (!t.consume(batch[i]))
                    return false;
            io_uring_cq_advance(ring, got);
        } else {
            unsigned head;
            io_uring_cqe *cqe;
            io_uring_for_each_cqe(ring, head, cqe)
            {
                (void)head;
                if (!t.consume(cqe))
                    return false;
                ++got;
            }
            io_uring_cq_advance(ring, got);
        }
        if (got == 0) {
            // Nothing visible: the rest may sit in the overflow list or still
            // be running. Waiting for one makes progress either way.
            io_uring_cqe *cqe = nullptr;
            int ret = io_uring_wait_cqe(ring, &cqe);
            if (ret < 0) {
                t.stats.error = "io_uring_wait_cqe: " + std::to_string(ret);
                return false;
            }
            continue;
        }
        want = got >= want ? 0 : want - got;
    }
    return true;
}

} // namespace detail

// Pushes n requests through `ring`. Each round queues up to `max_batches`
// SQ-fulls (so more is in flight than the CQ holds), submits after each,
// and then reaps a random share of what is in flight. At the end
// everything is reaped and each id must have completed exactly once, with
// no CQE dropped (*cq.koverflow == 0) and the overflow flag clear.
// `limit` (0 = none) caps what is in flight, for requests that own a buffer.
inline LoadStats run_load(io_uring *ring, std::uint64_t n, const LoadOps &ops, unsigned max_batches,
                          std::uint64_t seed, std::uint64_t limit = 0)
{
    detail::Tracker t(n, ops);
    Rng rng(seed);
    std::uint64_t next_id = 0;
    const unsigned sq = ring->sq.ring_entries;

    while (next_id < n || t.in_flight) {
        const unsigned batches = 1 + rng.below(max_batches);
        for (unsigned b = 0; b < batches && next_id < n; ++b) {
            if (limit && t.in_flight + sq > limit)
                break;
            unsigned queued = 0;
            while (queued < sq && next_id < n) {
                io_uring_sqe *sqe = io_uring_get_sqe(ring);
                if (!sqe)
                    break;
                ops.prep(sqe, next_id);
                io_uring_sqe_set_data64(sqe, next_id);
                ++next_id;
                ++queued;
            }
            int ret = io_uring_submit(ring);
            if (ret == -EBUSY || ret == -EAGAIN) {
                // The kernel refuses new work until the overflow backlog is
                // reaped; the SQEs stay queued for the next submit.
                ++t.stats.busy_retries;
                t.in_flight += queued;
                if (!detail::reap(ring, t, 1, 0))
                    return t.stats;
                continue;
            }
            if (ret < 0) {
                t.stats.error = "io_uring_submit: " + std::to_string(ret);
                return t.stats;
            }
            t.in_flight += queued;
            if (t.in_flight > t.stats.max_in_flight)
                t.stats.max_in_flight = t.in_flight;
        }
        // Anything still unsubmitted (after -EBUSY) goes out now.
        while (io_uring_sq_ready(ring)) {
            int ret = io_uring_submit(ring);
            if (ret >= 0)
                break;
            if (ret != -EBUSY && ret != -EAGAIN) {
                t.stats.error = "io_uring_submit: " + std::to_string(ret);
                return t.stats;
            }
            ++t.stats.busy_retries;
            if (!detail::reap(ring, t, 1, 0))
                return t.stats;
        }
        const std::uint64_t want = next_id < n ? 1 + rng.next() % (t.in_flight ? t.in_flight : 1) : t.in_flight;
        if (!detail::reap(ring, t, want, rng.below(3)))
            return t.stats;
    }

    for (std::uint64_t id = 0; id < n; ++id) {
        if (!t.seen[id]) {
            t.stats.error = "user_data " + std::to_string(id) + " never completed";
            return t.stats;
        }
    }
    if (io_uring_cq_ready(ring))
        t.stats.error = "CQEs left over after every request completed";
    else if (io_uring_cq_has_overflow(ring))
        t.stats.error = "overflow flag still set at the end";
    else if (*ring->cq.koverflow)
        t.stats.error = "kernel dropped " + std::to_string(*ring->cq.koverflow) + " CQEs";
    return t.stats;
}

// NOPs: every completion has res 0.
inline LoadOps nop_ops()
{
    LoadOps ops;
    ops.prep = [](io_uring_sqe *sqe, std::uint64_t) { io_uring_prep_nop(sqe); };
    ops.check = [](const io_uring_cqe *cqe, std::uint64_t) -> std::string {
        return cqe->res == 0 ? "" : "res " + std::to_string(cqe->res);
    };
    return ops;
}

} // namespace reliability
