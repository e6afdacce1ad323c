// setup_options: flag rules at compile time (concepts) and at run time
// (std::error_code), and ring::create refusing bad sets before the kernel.
#include "cxx_test_util.h"

#include <string>
#include <utility>

namespace {

using uring::setup_errc;
using uring::setup_options;

template <unsigned F>
concept can_make = requires { setup_options::with<F>(); };

constexpr unsigned sqpoll = IORING_SETUP_SQPOLL, defer = IORING_SETUP_DEFER_TASKRUN,
                   single = IORING_SETUP_SINGLE_ISSUER, coop = IORING_SETUP_COOP_TASKRUN,
                   taskrun_flag = IORING_SETUP_TASKRUN_FLAG, sqe128 = IORING_SETUP_SQE128,
                   sqe_mixed = IORING_SETUP_SQE_MIXED, cqe32 = IORING_SETUP_CQE32, cqe_mixed = IORING_SETUP_CQE_MIXED,
                   fd_only = IORING_SETUP_REGISTERED_FD_ONLY, no_mmap = IORING_SETUP_NO_MMAP,
                   sq_aff = IORING_SETUP_SQ_AFF, iopoll = IORING_SETUP_IOPOLL,
                   hybrid = IORING_SETUP_HYBRID_IOPOLL;

// Every combination of these flags: the concept and the run-time check
// must agree on all of them.
constexpr unsigned rule_flags[] = {sqpoll, defer, single, coop, sqe128, sqe_mixed, cqe32, cqe_mixed,
                                   fd_only, no_mmap, sq_aff, taskrun_flag};
constexpr unsigned rule_flag_count = sizeof rule_flags / sizeof rule_flags[0];

constexpr unsigned combo(unsigned bits)
{
    unsigned f = 0;
    for (unsigned i = 0; i < rule_flag_count; ++i)
        if (bits & (1u << i))
            f |= rule_flags[i];
    return f;
}

// In chunks of 64, to stay within the compilers' fold-expression limits.
template <unsigned Base, std::size_t... I>
constexpr bool chunk_agrees(std::index_sequence<I...>)
{
    return ((uring::compatible_setup_flags<combo(Base + I)> ==
             (uring::check_setup_flags(combo(Base + I)) == setup_errc{})) &&
            ...);
}
template <std::size_t... C>
constexpr bool all_combos_agree(std::index_sequence<C...>)
{
    return (chunk_agrees<C * 64>(std::make_index_sequence<64>{}) && ...);
}

TEST(SetupOptions, CompileTimeRulesRejectIncompatibleSets)
{
    // The bad sets of the issue: with<> is ill-formed for each.
    static_assert(!can_make<sqpoll | defer | single>);
    static_assert(!can_make<defer>);
    static_assert(!can_make<sqe128 | sqe_mixed>);
    static_assert(!can_make<cqe32 | cqe_mixed>);
    static_assert(!can_make<fd_only>);
    static_assert(!can_make<sq_aff>);
    static_assert(!can_make<sqpoll | coop>);
    static_assert(!can_make<taskrun_flag>);
    static_assert(!can_make<hybrid>);
    // ... and fine for their repaired versions.
    static_assert(can_make<0>);
    static_assert(can_make<sqpoll>);
    static_assert(can_make<defer | single>);
    static_assert(can_make<sqe128>);
    static_assert(can_make<cqe_mixed>);
    static_assert(can_make<fd_only | no_mmap>);
    static_assert(can_make<sq_aff | sqpoll>);
    static_assert(can_make<taskrun_flag | coop>);
    static_assert(can_make<hybrid | iopoll>);
    static_assert((1u << rule_flag_count) % 64 == 0);
    static_assert(all_combos_agree(std::make_index_sequence<(1u << rule_flag_count) / 64>{}));

    // The same, observed at run time (a constexpr value that a wrong rule
    // would flip).
    EXPECT_FALSE(can_make<sqpoll | defer | single>);
    EXPECT_TRUE(can_make<defer | single>);
    constexpr setup_options o = setup_options::with<defer | single>(16);
    EXPECT_EQ(o.flags(), defer | single);
    EXPECT_EQ(o.entries(), 16u);
}

TEST(SetupOptions, RunTimeValidationNamesTheRule)
{
    const std::pair<unsigned, setup_errc> cases[] = {
        {sqpoll | defer | single, setup_errc::sqpoll_with_defer_taskrun},
        {defer, setup_errc::defer_taskrun_without_single_issuer},
        {sqe128 | sqe_mixed, setup_errc::sqe128_with_sqe_mixed},
        {cqe32 | cqe_mixed, setup_errc::cqe32_with_cqe_mixed},
        {fd_only, setup_errc::registered_fd_only_without_no_mmap},
        {sq_aff, setup_errc::sq_aff_without_sqpoll},
        {sqpoll | coop, setup_errc::sqpoll_with_coop_taskrun},
        {sqpoll | taskrun_flag | coop, setup_errc::sqpoll_with_coop_taskrun},
        {taskrun_flag, setup_errc::taskrun_flag_without_coop_or_defer},
        {hybrid, setup_errc::hybrid_iopoll_without_iopoll},
    };
    for (auto [flags, expected] : cases) {
        std::error_code ec = setup_options(8, flags).validate();
        EXPECT_EQ(ec, expected) << "flags " << flags;
        EXPECT_EQ(ec.category().name(), std::string("uring.setup"));
        EXPECT_TRUE(ec == std::errc::invalid_argument) << ec.message();
        EXPECT_NE(ec.message().find("IORING_SETUP_"), std::string::npos) << ec.message();
    }
    EXPECT_EQ(setup_options(8, sqpoll | defer | single).validate().message(),
              "IORING_SETUP_SQPOLL cannot be combined with IORING_SETUP_DEFER_TASKRUN");
    EXPECT_FALSE(setup_options(8, defer | single).validate());
}

TEST(SetupOptions, ParameterRules)
{
    EXPECT_EQ(setup_options(0).validate(), setup_errc::zero_entries);
    EXPECT_EQ(setup_options(8).cq_entries(0).validate(), setup_errc::cqsize_without_cq_entries);
    EXPECT_EQ(setup_options(8).attach_wq(-1).validate(), setup_errc::attach_wq_without_wq_fd);
    // sq_thread_cpu implies SQ_AFF, which still needs SQPOLL.
    EXPECT_EQ(setup_options(8).sq_thread_cpu(0).validate(), setup_errc::sq_aff_without_sqpoll);
    EXPECT_FALSE(setup_options(8).cq_entries(64).validate());
    EXPECT_TRUE(setup_options(8).cq_entries(64).flags() & IORING_SETUP_CQSIZE);
}

TEST(SetupOptions, RingCreateRefusesBeforeTheKernel)
{
    auto r = uring::ring::create(setup_options(8, sqpoll | defer | single));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), setup_errc::sqpoll_with_defer_taskrun);
}

TEST(SetupOptions, KernelErrorsComeBackAsErrno)
{
    // An unknown flag passes our rules; the kernel says EINVAL.
    auto r = uring::ring::create(setup_options(8, 1u << 31));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().category(), std::system_category());
    EXPECT_EQ(r.error().value(), EINVAL);
}

TEST(SetupOptions, GoodOptionsMakeTheRingAsked)
{
    auto r = uring::ring::create(setup_options::with<single | defer>(16).cq_entries(128));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->flags() & (single | defer), single | defer);
    EXPECT_EQ(r->native_handle()->sq.ring_entries, 16u);
    EXPECT_EQ(r->native_handle()->cq.ring_entries, 128u);
}

} // namespace
