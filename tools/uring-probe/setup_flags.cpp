// Which IORING_SETUP_* flags the kernel accepts. Each flag is tried alone
// first; a flag that is refused alone is tried again with what it depends
// on, and the report names that companion.
#include "names.h"
#include "report.h"
#include "setup_trial.h"

#include <fmt/format.h>

#include <sched.h>

#include <vector>

namespace uring_probe {
namespace {

constexpr unsigned kEntries = 8;

struct companion {
    setup_attempt extra; // flags are ORed onto the flag under test
    std::string label;
};

// A CPU this process may run on, for SQ_AFF's sq_thread_cpu.
unsigned usable_cpu()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (unsigned cpu = 0; cpu < CPU_SETSIZE; cpu++)
            if (CPU_ISSET(cpu, &set))
                return cpu;
    return 0;
}

// What each flag needs beyond itself, as the kernel's io_uring_setup checks
// spell it out. Flags not listed need nothing.
std::vector<companion> companions_of(unsigned flag)
{
    switch (flag) {
    case IORING_SETUP_SQ_AFF: {
        const unsigned cpu = usable_cpu();
        return {{{.flags = IORING_SETUP_SQPOLL, .sq_thread_cpu = cpu},
                 fmt::format("IORING_SETUP_SQPOLL, sq_thread_cpu={}", cpu)}};
    }
    case IORING_SETUP_CQSIZE:
        return {{{.cq_entries = 4 * kEntries}, fmt::format("cq_entries={}", 4 * kEntries)}};
    case IORING_SETUP_ATTACH_WQ:
        return {{{.attach_wq = true}, "wq_fd=<fd of another ring>"}};
    case IORING_SETUP_TASKRUN_FLAG:
        return {{{.flags = IORING_SETUP_COOP_TASKRUN}, "IORING_SETUP_COOP_TASKRUN"},
                {{.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER},
                 "IORING_SETUP_DEFER_TASKRUN|IORING_SETUP_SINGLE_ISSUER"}};
    case IORING_SETUP_DEFER_TASKRUN:
        return {{{.flags = IORING_SETUP_SINGLE_ISSUER}, "IORING_SETUP_SINGLE_ISSUER"}};
    case IORING_SETUP_NO_MMAP:
        return {{{.user_memory = true}, "sq_off/cq_off.user_addr = caller memory"}};
    case IORING_SETUP_REGISTERED_FD_ONLY:
        return {{{.flags = IORING_SETUP_NO_MMAP, .user_memory = true},
                 "IORING_SETUP_NO_MMAP + caller memory"}};
    case IORING_SETUP_HYBRID_IOPOLL:
        return {{{.flags = IORING_SETUP_IOPOLL}, "IORING_SETUP_IOPOLL"}};
    case IORING_SETUP_SQ_REWIND:
        return {{{.flags = IORING_SETUP_NO_SQARRAY}, "IORING_SETUP_NO_SQARRAY"}};
    default:
        return {};
    }
}

setup_flag_entry try_flag(unsigned bit, const introspect::named_bit &nb)
{
    setup_flag_entry e{bit, std::string(nb.name), 0, false, {}, 0, {}};
    e.alone = try_setup(kEntries, {.flags = nb.value});
    if (e.alone == 0) {
        e.accepted = true;
        return e;
    }
    e.error = e.alone;
    for (companion c : companions_of(nb.value)) {
        c.extra.flags |= nb.value;
        const int ret = try_setup(kEntries, c.extra);
        if (ret == 0) {
            e.accepted = true;
            e.companion = c.label;
            e.error = 0;
            return e;
        }
        e.error = ret;
        e.tried.push_back(c.label);
    }
    return e;
}

} // namespace

setup_report try_setup_flags()
{
    setup_report r{kEntries, {}, {}};
    unsigned highest = 0;
    for (const introspect::named_bit &nb : introspect::setup_flag_bits()) {
        const unsigned bit = static_cast<unsigned>(__builtin_ctz(nb.value));
        r.flags.push_back(try_flag(bit, nb));
        highest = bit;
    }
    for (unsigned bit = highest + 1; bit < 32; bit++)
        if (try_setup(kEntries, {.flags = 1U << bit}) == 0)
            r.unknown_bits_accepted.push_back(bit);
    return r;
}

} // namespace uring_probe
