// The fault-injection sweep (issue 9, part 1).
//
// A Scenario is one library call plus what it needs around it. sweep() runs
// it once unarmed to count the seam calls it makes (bareuring_fault_calls),
// then once per (call index N, errno) with the N-th seam call failing, and
// checks after every run:
//   - the result is the injected -errno (or what the scenario says a failure
//     at that point turns into, e.g. a retry that recovers);
//   - the scenario's state checks hold (nothing half-registered, the ring
//     still usable, or queue_exit still safe);
//   - /proc/self/fd and /proc/self/maps are back to their counts from before
//     the scenario was prepared: no fd and no mapping leaked.
// Every (scenario, N) pair counts as one fault point; the totals are printed
// and recorded as gtest properties by fault_sweep.cpp.
#pragma once

#include <liburing.h>

#include "support/proc_counts.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <functional>
#include <string>

extern "C" {
void bareuring_fault_arm(unsigned long n, int err);
unsigned long bareuring_fault_calls(void);
}

namespace reliability {

// The errnos every fault point is injected with: the allocation failure,
// the "bad argument" answer (which also drives the NO_SQARRAY fallback),
// and the two transient ones a caller might retry on.
inline constexpr int kInjectedErrnos[] = {ENOMEM, EINVAL, EINTR, EAGAIN};

// What a call that returns a pointer reports when it returned NULL without
// an error code (io_uring_get_probe and friends).
inline constexpr long kNullResult = LONG_MIN;

// The per-run state a scenario keeps between its steps.
struct Scenario {
    std::string name;
    // Creates what the call needs (seam disarmed; not counted).
    std::function<void()> prepare = [] {};
    // The call under test: >= 0 on success, -errno (or kNullResult).
    std::function<long()> call;
    // After a successful call: the result and the state are right. Also run
    // when a fault was recovered from.
    std::function<void(long ret)> on_success;
    // After the call returned expected(point, err), i.e. failed because seam
    // call `point` failed with `err`: the state checks for that case.
    std::function<void(unsigned long point, int err)> on_failure = [](unsigned long, int) {};
    // Releases everything prepare() and call() created.
    std::function<void()> release = [] {};
    // What the call must return when seam call `point` fails with -err.
    std::function<long(unsigned long point, int err)> expected = [](unsigned long, int err) {
        return static_cast<long>(-err);
    };
    // Whether the library may legitimately succeed anyway (documented
    // fallbacks: io_uring_queue_init retries without NO_SQARRAY on -EINVAL).
    std::function<bool(unsigned long point, int err)> may_recover = [](unsigned long, int) { return false; };
};

// A ring that on_ring() creates before each run and exits after it.
struct RingFx {
    io_uring ring{};
    bool live = false;
};

// Wraps s so that every run starts with a fresh ring (io_uring_queue_init
// with `flags`, 8 entries) in fx and ends with io_uring_queue_exit.
Scenario on_ring(RingFx &fx, unsigned flags, Scenario s);

// Running totals over every sweep in the process (fault_sweep.cpp).
void add_to_totals(const std::string &scenario, unsigned long points, unsigned long injections);

// Sweeps one scenario; records its fault-point count as a gtest property.
void sweep(Scenario &s);

// Submits one NOP with `user_data` and reaps exactly that CQE: the ring can
// still do I/O. Also requires the CQ to be empty afterwards.
void expect_nop_roundtrip(io_uring *ring, __u64 user_data);

// The ring's SQ and CQ have nothing pending (used after failed calls that
// must not have queued anything).
void expect_idle(io_uring *ring);

} // namespace reliability
