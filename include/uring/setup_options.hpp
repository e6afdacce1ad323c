// uring::setup_options: how a ring is created (entries, IORING_SETUP_* flags
// and their parameters), checked before the kernel sees it.
//
// The kernel rejects some flag combinations with a bare EINVAL that does not
// say which rule was broken. We check those rules ourselves:
//   - at compile time when the flags are constants:
//         auto o = uring::setup_options::with<IORING_SETUP_SINGLE_ISSUER |
//                                             IORING_SETUP_DEFER_TASKRUN>(256);
//     A bad set makes with<> ill-formed, and the diagnostic names the rule
//     (the concept uring::setup_rules::<rule> that is not satisfied); the
//     concept uring::compatible_setup_flags<F> lets code test a set itself;
//   - at run time (validate(), and ring::create calls it) with a
//     std::error_code in the "uring.setup" category whose message names the
//     rule and which compares equal to std::errc::invalid_argument.
// Anything else (an unknown flag, a feature this kernel lacks) is left to the
// kernel and comes back from ring::create as the kernel's errno.
#pragma once

#include <liburing.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>

namespace uring {

// The rules. 0 means "no rule broken".
enum class setup_errc : int {
    sqpoll_with_defer_taskrun = 1,
    sqpoll_with_coop_taskrun,
    sqpoll_with_taskrun_flag,
    defer_taskrun_without_single_issuer,
    taskrun_flag_without_coop_or_defer,
    sqe128_with_sqe_mixed,
    cqe32_with_cqe_mixed,
    registered_fd_only_without_no_mmap,
    sq_aff_without_sqpoll,
    hybrid_iopoll_without_iopoll,
    cqsize_without_cq_entries,
    attach_wq_without_wq_fd,
    zero_entries,
};

} // namespace uring

// setup_errc values convert to std::error_code and compare with one.
template <>
struct std::is_error_code_enum<uring::setup_errc> : std::true_type {};

namespace uring {

namespace detail {

class setup_category_impl final : public std::error_category {
public:
    const char *name() const noexcept override { return "uring.setup"; }
    std::string message(int code) const override
    {
        switch (static_cast<setup_errc>(code)) {
        case setup_errc::sqpoll_with_defer_taskrun:
            return "IORING_SETUP_SQPOLL cannot be combined with IORING_SETUP_DEFER_TASKRUN";
        case setup_errc::sqpoll_with_coop_taskrun:
            return "IORING_SETUP_SQPOLL cannot be combined with IORING_SETUP_COOP_TASKRUN";
        case setup_errc::sqpoll_with_taskrun_flag:
            return "IORING_SETUP_SQPOLL cannot be combined with IORING_SETUP_TASKRUN_FLAG";
        case setup_errc::defer_taskrun_without_single_issuer:
            return "IORING_SETUP_DEFER_TASKRUN requires IORING_SETUP_SINGLE_ISSUER";
        case setup_errc::taskrun_flag_without_coop_or_defer:
            return "IORING_SETUP_TASKRUN_FLAG requires IORING_SETUP_COOP_TASKRUN or "
                   "IORING_SETUP_DEFER_TASKRUN";
        case setup_errc::sqe128_with_sqe_mixed:
            return "IORING_SETUP_SQE128 cannot be combined with IORING_SETUP_SQE_MIXED";
        case setup_errc::cqe32_with_cqe_mixed:
            return "IORING_SETUP_CQE32 cannot be combined with IORING_SETUP_CQE_MIXED";
        case setup_errc::registered_fd_only_without_no_mmap:
            return "IORING_SETUP_REGISTERED_FD_ONLY requires IORING_SETUP_NO_MMAP";
        case setup_errc::sq_aff_without_sqpoll:
            return "IORING_SETUP_SQ_AFF requires IORING_SETUP_SQPOLL";
        case setup_errc::hybrid_iopoll_without_iopoll:
            return "IORING_SETUP_HYBRID_IOPOLL requires IORING_SETUP_IOPOLL";
        case setup_errc::cqsize_without_cq_entries:
            return "IORING_SETUP_CQSIZE requires a non-zero cq_entries";
        case setup_errc::attach_wq_without_wq_fd:
            return "IORING_SETUP_ATTACH_WQ requires the fd of the ring to attach to";
        case setup_errc::zero_entries:
            return "a ring needs at least one SQ entry";
        }
        return "unknown uring setup error";
    }
    // Every rule is a case of "invalid argument", which is also what the
    // kernel would have said.
    std::error_condition default_error_condition(int) const noexcept override
    {
        return std::make_error_condition(std::errc::invalid_argument);
    }
};

} // namespace detail

[[nodiscard]] inline const std::error_category &setup_category() noexcept
{
    static const detail::setup_category_impl category;
    return category;
}

[[nodiscard]] inline std::error_code make_error_code(setup_errc e) noexcept
{
    return {static_cast<int>(e), setup_category()};
}

// The flag rules alone, usable in constant expressions. Returns the first
// broken rule, or setup_errc{} (0) when the set is acceptable.
[[nodiscard]] constexpr setup_errc check_setup_flags(unsigned flags) noexcept
{
    auto has = [flags](unsigned f) { return (flags & f) == f; };
    if (has(IORING_SETUP_SQPOLL) && has(IORING_SETUP_DEFER_TASKRUN))
        return setup_errc::sqpoll_with_defer_taskrun;
    if (has(IORING_SETUP_SQPOLL) && has(IORING_SETUP_COOP_TASKRUN))
        return setup_errc::sqpoll_with_coop_taskrun;
    if (has(IORING_SETUP_SQPOLL) && has(IORING_SETUP_TASKRUN_FLAG))
        return setup_errc::sqpoll_with_taskrun_flag;
    if (has(IORING_SETUP_DEFER_TASKRUN) && !has(IORING_SETUP_SINGLE_ISSUER))
        return setup_errc::defer_taskrun_without_single_issuer;
    if (has(IORING_SETUP_TASKRUN_FLAG) && !has(IORING_SETUP_COOP_TASKRUN) && !has(IORING_SETUP_DEFER_TASKRUN))
        return setup_errc::taskrun_flag_without_coop_or_defer;
    if (has(IORING_SETUP_SQE128) && has(IORING_SETUP_SQE_MIXED))
        return setup_errc::sqe128_with_sqe_mixed;
    if (has(IORING_SETUP_CQE32) && has(IORING_SETUP_CQE_MIXED))
        return setup_errc::cqe32_with_cqe_mixed;
    if (has(IORING_SETUP_REGISTERED_FD_ONLY) && !has(IORING_SETUP_NO_MMAP))
        return setup_errc::registered_fd_only_without_no_mmap;
    if (has(IORING_SETUP_SQ_AFF) && !has(IORING_SETUP_SQPOLL))
        return setup_errc::sq_aff_without_sqpoll;
    if (has(IORING_SETUP_HYBRID_IOPOLL) && !has(IORING_SETUP_IOPOLL))
        return setup_errc::hybrid_iopoll_without_iopoll;
    return setup_errc{};
}

// One concept per rule, so that a rejected with<F>() names the rule that
// failed in the compiler's "constraints not satisfied" note.
namespace setup_rules {
template <unsigned F>
concept sqpoll_excludes_defer_taskrun = (F & IORING_SETUP_SQPOLL) == 0 || (F & IORING_SETUP_DEFER_TASKRUN) == 0;
template <unsigned F>
concept sqpoll_excludes_coop_taskrun = (F & IORING_SETUP_SQPOLL) == 0 || (F & IORING_SETUP_COOP_TASKRUN) == 0;
template <unsigned F>
concept sqpoll_excludes_taskrun_flag = (F & IORING_SETUP_SQPOLL) == 0 || (F & IORING_SETUP_TASKRUN_FLAG) == 0;
template <unsigned F>
concept defer_taskrun_needs_single_issuer =
    (F & IORING_SETUP_DEFER_TASKRUN) == 0 || (F & IORING_SETUP_SINGLE_ISSUER) != 0;
template <unsigned F>
concept taskrun_flag_needs_coop_or_defer_taskrun =
    (F & IORING_SETUP_TASKRUN_FLAG) == 0 || (F & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)) != 0;
template <unsigned F>
concept sqe128_excludes_sqe_mixed = (F & IORING_SETUP_SQE128) == 0 || (F & IORING_SETUP_SQE_MIXED) == 0;
template <unsigned F>
concept cqe32_excludes_cqe_mixed = (F & IORING_SETUP_CQE32) == 0 || (F & IORING_SETUP_CQE_MIXED) == 0;
template <unsigned F>
concept registered_fd_only_needs_no_mmap =
    (F & IORING_SETUP_REGISTERED_FD_ONLY) == 0 || (F & IORING_SETUP_NO_MMAP) != 0;
template <unsigned F>
concept sq_aff_needs_sqpoll = (F & IORING_SETUP_SQ_AFF) == 0 || (F & IORING_SETUP_SQPOLL) != 0;
template <unsigned F>
concept hybrid_iopoll_needs_iopoll = (F & IORING_SETUP_HYBRID_IOPOLL) == 0 || (F & IORING_SETUP_IOPOLL) != 0;
} // namespace setup_rules

template <unsigned F>
concept compatible_setup_flags =
    setup_rules::sqpoll_excludes_defer_taskrun<F> && setup_rules::sqpoll_excludes_coop_taskrun<F> &&
    setup_rules::sqpoll_excludes_taskrun_flag<F> && setup_rules::defer_taskrun_needs_single_issuer<F> &&
    setup_rules::taskrun_flag_needs_coop_or_defer_taskrun<F> && setup_rules::sqe128_excludes_sqe_mixed<F> &&
    setup_rules::cqe32_excludes_cqe_mixed<F> && setup_rules::registered_fd_only_needs_no_mmap<F> &&
    setup_rules::sq_aff_needs_sqpoll<F> && setup_rules::hybrid_iopoll_needs_iopoll<F>;

// The concept and the run-time check must agree; a few spot checks keep the
// two lists from drifting apart.
static_assert(compatible_setup_flags<IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN>);
static_assert(!compatible_setup_flags<IORING_SETUP_SQPOLL | IORING_SETUP_DEFER_TASKRUN>);
static_assert(check_setup_flags(IORING_SETUP_SQPOLL | IORING_SETUP_DEFER_TASKRUN) ==
              setup_errc::sqpoll_with_defer_taskrun);
static_assert(check_setup_flags(IORING_SETUP_SQ_AFF) == setup_errc::sq_aff_without_sqpoll);

class setup_options {
public:
    constexpr setup_options() noexcept = default;
    constexpr explicit setup_options(unsigned entries, unsigned flags = 0) noexcept
        : entries_(entries), flags_(flags)
    {
    }

    // Flags known at compile time: a broken rule makes this ill-formed.
    template <unsigned Flags>
        requires compatible_setup_flags<Flags>
    [[nodiscard]] static constexpr setup_options with(unsigned entries = default_entries) noexcept
    {
        return setup_options(entries, Flags);
    }

    // Builder-style setters. Setting a parameter that only means something
    // with a flag also sets the flag (cq_entries -> CQSIZE, attach_wq ->
    // ATTACH_WQ); the SQPOLL parameters do not imply SQPOLL, so that
    // forgetting it is reported instead of silently changing the ring.
    constexpr setup_options &entries(unsigned n) noexcept { entries_ = n; return *this; }
    constexpr setup_options &add_flags(unsigned f) noexcept { flags_ |= f; return *this; }
    constexpr setup_options &cq_entries(unsigned n) noexcept
    {
        cq_entries_ = n;
        flags_ |= IORING_SETUP_CQSIZE;
        return *this;
    }
    constexpr setup_options &sq_thread_cpu(unsigned cpu) noexcept
    {
        sq_thread_cpu_ = cpu;
        flags_ |= IORING_SETUP_SQ_AFF;
        return *this;
    }
    constexpr setup_options &sq_thread_idle(std::chrono::milliseconds idle) noexcept
    {
        sq_thread_idle_ = static_cast<unsigned>(idle.count());
        return *this;
    }
    constexpr setup_options &attach_wq(int ring_fd) noexcept
    {
        wq_fd_ = ring_fd;
        flags_ |= IORING_SETUP_ATTACH_WQ;
        return *this;
    }

    [[nodiscard]] constexpr unsigned entries() const noexcept { return entries_; }
    [[nodiscard]] constexpr unsigned flags() const noexcept { return flags_; }

    // The checks the kernel would make (and a few it makes with less
    // helpful results); an empty error_code when none fails.
    [[nodiscard]] std::error_code validate() const noexcept
    {
        if (entries_ == 0)
            return make_error_code(setup_errc::zero_entries);
        if (setup_errc e = check_setup_flags(flags_); e != setup_errc{})
            return make_error_code(e);
        if ((flags_ & IORING_SETUP_CQSIZE) && cq_entries_ == 0)
            return make_error_code(setup_errc::cqsize_without_cq_entries);
        if ((flags_ & IORING_SETUP_ATTACH_WQ) && wq_fd_ < 0)
            return make_error_code(setup_errc::attach_wq_without_wq_fd);
        return {};
    }

    // The io_uring_params for io_uring_queue_init_params.
    [[nodiscard]] io_uring_params params() const noexcept
    {
        io_uring_params p{};
        p.flags = flags_;
        p.cq_entries = cq_entries_;
        p.sq_thread_cpu = sq_thread_cpu_;
        p.sq_thread_idle = sq_thread_idle_;
        p.wq_fd = wq_fd_ < 0 ? 0u : static_cast<unsigned>(wq_fd_);
        return p;
    }

    static constexpr unsigned default_entries = 64;

private:
    unsigned entries_ = default_entries;
    unsigned flags_ = 0;
    unsigned cq_entries_ = 0;
    unsigned sq_thread_cpu_ = 0;
    unsigned sq_thread_idle_ = 0;
    int wq_fd_ = -1;
};

} // namespace uring
