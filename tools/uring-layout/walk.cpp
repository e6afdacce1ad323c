// One NOP through the ring (see walk.h). The comments of each step say what
// the library does there; the numbers printed are what actually happened.
#include "walk.h"

#include <fmt/format.h>

namespace uring_layout {
namespace {

indices read(const io_uring &r)
{
    // The shared words may be written concurrently (by the kernel, or an
    // SQPOLL thread): acquire loads, as the library itself reads them.
    return indices{
        r.sq.sqe_tail,
        r.sq.sqe_head,
        __atomic_load_n(r.sq.ktail, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.sq.khead, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.cq.ktail, __ATOMIC_ACQUIRE),
        __atomic_load_n(r.cq.khead, __ATOMIC_ACQUIRE),
    };
}

constexpr unsigned long long kUserData = 0x1234;

} // namespace

walk_result walk_one_nop(io_uring *ring)
{
    walk_result w;
    auto step = [&](std::string call, std::string result, std::string why) {
        w.steps.push_back(walk_step{std::move(call), std::move(result), std::move(why), read(*ring)});
    };
    const bool sqpoll = ring->flags & IORING_SETUP_SQPOLL;

    step("(ring created)", "", "every index starts at 0");

    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe) {
        w.error = -EBUSY;
        return w;
    }
    step("io_uring_get_sqe", fmt::format("slot {}", sqe - ring->sq.sqes),
         "sqe_tail += 1: the slot is ours to fill; the kernel has not been told");

    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data64(sqe, kUserData);
    step("io_uring_prep_nop", fmt::format("user_data {:#x}", kUserData),
         "writes the SQE's bytes only; no index moves");

    const int submitted = io_uring_submit(ring);
    if (submitted < 0) {
        w.error = submitted;
        return w;
    }
    step("io_uring_submit", fmt::format("{}", submitted),
         sqpoll ? "sqe_head = sqe_tail, then store-release *sq.ktail; the SQPOLL thread consumes the SQE "
                  "on its own time (*sq.khead may still lag here)"
                : "sqe_head = sqe_tail, *sq.ktail = sqe_tail, then io_uring_enter: the kernel consumed the "
                  "SQE (*sq.khead) and, a NOP being instant, posted its CQE (*cq.ktail)");

    io_uring_cqe *cqe = nullptr;
    const int waited = io_uring_wait_cqe(ring, &cqe);
    if (waited < 0) {
        w.error = waited;
        return w;
    }
    step("io_uring_wait_cqe", fmt::format("res {}, user_data {:#x}", cqe->res, cqe->user_data),
         "load-acquire *cq.ktail; a CQE sits between *cq.khead and it, so no syscall was needed if it "
         "was already there");

    io_uring_cqe_seen(ring, cqe);
    step("io_uring_cqe_seen", "", "store-release *cq.khead += 1: the CQ slot goes back to the kernel");
    return w;
}

} // namespace uring_layout
