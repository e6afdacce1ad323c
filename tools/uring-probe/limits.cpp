// The largest SQ and CQ the kernel will create. With IORING_SETUP_CLAMP the
// kernel lowers oversized requests to its maximum instead of failing, and
// writes the sizes it used back into io_uring_params: ask for 2^32-1 of
// each and read the answer. Kernels without CLAMP get a search over powers
// of two (ring sizes are always rounded up to one).
#include "report.h"
#include "setup_trial.h"

#include <climits>

namespace uring_probe {
namespace {

bool sq_ok(unsigned n) { return try_setup(n, {}) == 0; }

bool cq_ok(unsigned n) { return try_setup(1, {.flags = IORING_SETUP_CQSIZE, .cq_entries = n}) == 0; }

// Largest power of two for which ok() holds, 0 if none.
template <typename Pred> unsigned largest_pow2(Pred ok)
{
    unsigned best = 0;
    for (unsigned n = 1; n && ok(n); n <<= 1)
        best = n;
    return best;
}

// The kernel's answer is confirmed by two plain attempts: the maximum
// works, twice the maximum does not.
template <typename Pred> bool is_the_max(unsigned n, Pred ok)
{
    return n && ok(n) && (n > UINT_MAX / 2 || !ok(2 * n));
}

} // namespace

limits_report find_limits()
{
    limits_report r;
    io_uring_params p{};
    const int ret = try_setup(UINT_MAX, {.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE,
                                         .cq_entries = UINT_MAX}, &p);
    if (ret == 0) {
        r.method = "clamp";
        r.max_sq_entries = p.sq_entries;
        r.max_cq_entries = p.cq_entries;
    } else {
        r.method = "search";
        r.max_sq_entries = largest_pow2(sq_ok);
        r.max_cq_entries = largest_pow2(cq_ok);
        if (!r.max_sq_entries) {
            r.error = ret;
            return r;
        }
    }
    r.verified = is_the_max(r.max_sq_entries, sq_ok) && is_the_max(r.max_cq_entries, cq_ok);
    return r;
}

} // namespace uring_probe
