// uring::ring: ownership, typed preparation, submission, completions,
// probing, chains, fixed files and registration.
#include "cxx_test_util.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace {

using namespace std::chrono_literals;
using cxx_test::make_ring;

TEST(Ring, CreateGivesTheCHandle)
{
    uring::ring r = make_ring(8);
    io_uring *h = r.native_handle();
    ASSERT_NE(h, nullptr);
    EXPECT_GE(r.fd(), 0);
    EXPECT_EQ(h->ring_fd, r.fd());
    EXPECT_EQ(h->sq.ring_entries, 8u);
    EXPECT_EQ(r.sq_space_left(), 8u);
    EXPECT_TRUE(r.has_feature(IORING_FEAT_NODROP));
}

TEST(Ring, MoveTransfersOwnershipAndClosesOnce)
{
    const int before = cxx_test::open_fd_count();
    {
        uring::ring a = make_ring(8);
        const int fd = a.fd();
        uring::ring b(std::move(a));
        EXPECT_EQ(b.fd(), fd);
        uring::ring c = make_ring(4);
        c = std::move(b); // closes c's own ring, takes b's
        EXPECT_EQ(c.fd(), fd);
        EXPECT_EQ(cxx_test::run1(c, uring::nop{}).res, 0);
    }
    EXPECT_EQ(cxx_test::open_fd_count(), before);
}

TEST(Ring, PrepareFillsTheSqeAndUserData)
{
    uring::ring r = make_ring(4);
    io_uring_sqe *sqe = r.prepare(uring::with_data(uring::nop{}, 7u));
    ASSERT_NE(sqe, nullptr);
    EXPECT_EQ(sqe->opcode, IORING_OP_NOP);
    EXPECT_EQ(sqe->user_data, 7u);
    // The other overload.
    sqe = r.prepare(uring::nop{}, uring::user_data<int>(-3));
    EXPECT_EQ(uring::user_data<int>::from_raw(sqe->user_data).get(), -3);
    ASSERT_TRUE(r.submit_and_wait(2));
    EXPECT_EQ(r.for_each_completion([](uring::completion) {}), 2u);
    // A recycled slot: user_data defaults to 0, not the old value.
    for (int i = 0; i < 3; ++i)
        r.prepare(uring::nop{});
    sqe = r.prepare(uring::nop{});
    ASSERT_NE(sqe, nullptr);
    EXPECT_EQ(sqe->user_data, 0u);
}

TEST(Ring, FullSqGivesNullptr)
{
    uring::ring r = make_ring(4);
    for (int i = 0; i < 4; ++i)
        ASSERT_NE(r.prepare(uring::nop{}), nullptr);
    EXPECT_EQ(r.sq_space_left(), 0u);
    EXPECT_EQ(r.sq_ready(), 4u);
    EXPECT_EQ(r.prepare(uring::nop{}), nullptr);
    auto s = r.submit();
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, 4u);
    EXPECT_EQ(r.sq_space_left(), 4u);
}

TEST(Ring, SubmitWaitAndVisitEveryCompletion)
{
    uring::ring r = make_ring(16);
    for (std::uint64_t i = 1; i <= 8; ++i)
        r.prepare(uring::nop{}, uring::user_data(i));
    auto s = r.submit_and_wait(8);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(*s, 8u);
    std::vector<std::uint64_t> seen;
    unsigned n = r.for_each_completion([&](uring::completion c) {
        EXPECT_TRUE(c.ok());
        EXPECT_FALSE(c.more());
        seen.push_back(c.data<std::uint64_t>());
    });
    EXPECT_EQ(n, 8u);
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(seen, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(r.cq_ready(), 0u);
}

TEST(Ring, ForEachCompletionCanStopEarly)
{
    uring::ring r = make_ring(8);
    for (int i = 0; i < 5; ++i)
        r.prepare(uring::nop{});
    ASSERT_TRUE(r.submit_and_wait(5));
    unsigned calls = 0;
    EXPECT_EQ(r.for_each_completion([&](uring::completion) { return ++calls < 2; }), 2u);
    EXPECT_EQ(calls, 2u);
    EXPECT_EQ(r.cq_ready(), 3u); // the rest stay queued
    EXPECT_EQ(r.for_each_completion([](uring::completion) {}), 3u);
}

TEST(Ring, WaitPeekAndSeen)
{
    uring::ring r = make_ring(4);
    EXPECT_FALSE(r.peek().has_value());
    r.prepare(uring::nop{}, uring::user_data(42u));
    ASSERT_TRUE(r.submit());
    auto c = r.wait();
    ASSERT_TRUE(c) << c.error().message();
    EXPECT_EQ(c->data<unsigned>(), 42u);
    EXPECT_EQ(c->res(), 0);
    auto p = r.peek(); // still there until seen
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->native(), c->native());
    r.seen(*c);
    EXPECT_FALSE(r.peek().has_value());
}

TEST(Ring, WaitForTimesOut)
{
    uring::ring r = make_ring(4);
    auto t0 = std::chrono::steady_clock::now();
    auto c = r.wait_for(20ms);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().value(), ETIME);
    EXPECT_GE(cxx_test::ms_since(t0), 19.0);
}

struct connection {
    int id;
};
enum class kind : std::uint16_t { alpha = 3, beta = 0xfff0 };

TEST(Ring, TypedUserDataRoundTrips)
{
    uring::ring r = make_ring(8);
    connection conn{17};
    r.prepare(uring::nop{}, uring::user_data{&conn});
    r.prepare(uring::with_data(uring::nop{}, kind::beta));
    r.prepare(uring::with_data(uring::nop{}, std::int64_t{-5}));
    ASSERT_TRUE(r.submit_and_wait(3));
    int matched = 0;
    r.for_each_completion([&](uring::completion c) {
        std::uint64_t raw = c.raw_user_data();
        if (raw == uring::user_data{&conn}.raw()) {
            EXPECT_EQ(c.data<connection *>()->id, 17);
            ++matched;
        } else if (raw == uring::user_data{kind::beta}.raw()) {
            EXPECT_EQ(c.data<kind>(), kind::beta);
            ++matched;
        } else {
            EXPECT_EQ(c.data<std::int64_t>(), -5);
            ++matched;
        }
    });
    EXPECT_EQ(matched, 3);
    static_assert(uring::user_data<unsigned>(9).get() == 9u);
    static_assert(uring::user_data<kind>(kind::alpha).raw() == 3u);
}

TEST(Ring, ProbeSaysWhatTheKernelSupports)
{
    uring::ring r = make_ring(4);
    EXPECT_TRUE(r.supports<uring::nop>());
    EXPECT_TRUE(r.supports(IORING_OP_READ));
    EXPECT_FALSE(r.supports(static_cast<io_uring_op>(250)));
    auto p = uring::probe::create(r.native_handle());
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_TRUE(p->supports<uring::read>());
    EXPECT_GE(p->last_op(), static_cast<unsigned>(IORING_OP_READ));
    for (unsigned op = 0; op <= p->last_op(); ++op)
        EXPECT_EQ(p->supports(static_cast<io_uring_op>(op)), r.supports(static_cast<io_uring_op>(op))) << op;
    auto standalone = uring::probe::create();
    ASSERT_TRUE(standalone);
    EXPECT_EQ(standalone->last_op(), p->last_op());
}

TEST(Ring, ChainLinksAllButTheLast)
{
    uring::ring r = make_ring(8);
    ASSERT_TRUE(r.prepare_chain(uring::with_data(uring::nop{}, 1u), uring::with_data(uring::nop{}, 2u),
                                uring::with_data(uring::nop{}, 3u)));
    io_uring_sqe *sqes = r.native_handle()->sq.sqes;
    EXPECT_TRUE(sqes[0].flags & IOSQE_IO_LINK);
    EXPECT_TRUE(sqes[1].flags & IOSQE_IO_LINK);
    EXPECT_FALSE(sqes[2].flags & IOSQE_IO_LINK);
    ASSERT_TRUE(r.submit_and_wait(3));
    std::vector<std::uint64_t> order;
    r.for_each_completion([&](uring::completion c) { order.push_back(c.raw_user_data()); });
    // Linked requests complete in order.
    EXPECT_EQ(order, (std::vector<std::uint64_t>{1, 2, 3}));
}

TEST(Ring, FailedLinkCancelsTheRestOfTheChain)
{
    uring::ring r = make_ring(8);
    std::array<char, 8> buf{};
    ASSERT_TRUE(r.prepare_chain(uring::with_data(uring::read{uring::fd{-1}, buf, 0}, 1u),
                                uring::with_data(uring::nop{}, 2u), uring::with_data(uring::nop{}, 3u)));
    ASSERT_TRUE(r.submit_and_wait(3));
    std::vector<std::pair<std::uint64_t, int>> got;
    r.for_each_completion([&](uring::completion c) { got.emplace_back(c.raw_user_data(), c.res()); });
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0], std::make_pair(std::uint64_t{1}, -EBADF));
    EXPECT_EQ(got[1], std::make_pair(std::uint64_t{2}, -ECANCELED));
    EXPECT_EQ(got[2], std::make_pair(std::uint64_t{3}, -ECANCELED));
}

TEST(Ring, ChainIsAllOrNothing)
{
    uring::ring r = make_ring(4);
    r.prepare(uring::nop{});
    r.prepare(uring::nop{});
    r.prepare(uring::nop{});
    EXPECT_FALSE(r.prepare_chain(uring::nop{}, uring::nop{}));
    EXPECT_EQ(r.sq_ready(), 3u); // nothing half-prepared
    EXPECT_TRUE(r.prepare_chain(uring::nop{}));
}

TEST(Ring, FixedFileSetsTheFlagByItself)
{
    bareuring_test::TempDir dir;
    ASSERT_TRUE(dir.ok());
    uring::unique_fd file(dir.create("data"));
    ASSERT_TRUE(file);
    ASSERT_EQ(::pwrite(file.get(), "0123456789", 10, 0), 10);

    uring::ring r = make_ring(8);
    const int fds[] = {file.get()};
    auto reg = r.register_files(fds);
    ASSERT_TRUE(reg) << reg.error().message();

    std::array<char, 4> buf{};
    io_uring_sqe *sqe = r.prepare(uring::read{uring::fixed_file{0}, buf, 3});
    ASSERT_NE(sqe, nullptr);
    EXPECT_TRUE(sqe->flags & IOSQE_FIXED_FILE);
    EXPECT_EQ(sqe->fd, 0);
    ASSERT_TRUE(r.submit_and_wait(1));
    auto c = r.wait();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->res(), 4);
    r.seen(*c);
    EXPECT_EQ(std::string(buf.data(), 4), "3456");

    // A plain fd does not get the flag.
    sqe = r.prepare(uring::read{file, buf, 0});
    EXPECT_FALSE(sqe->flags & IOSQE_FIXED_FILE);
    EXPECT_EQ(sqe->fd, file.get());
    ASSERT_TRUE(r.submit_and_wait(1));
    r.for_each_completion([](uring::completion) {});

    // Writes through the fixed file land in the real one.
    EXPECT_EQ(cxx_test::run1(r, uring::write{uring::fixed_file{0}, std::string_view("AB"), 0}).res, 2);
    char first[2];
    ASSERT_EQ(::pread(file.get(), first, 2, 0), 2);
    EXPECT_EQ(std::string(first, 2), "AB");
    EXPECT_TRUE(r.unregister_files());
}

template <class Op>
concept prepare_takes_temporary = requires(uring::ring &r, Op op) { r.prepare(std::move(op)); };
template <class Op>
concept prepare_takes_lvalue = requires(uring::ring &r, Op &op) { r.prepare(op); };
template <class A, class B>
concept chain_takes_temporaries = requires(uring::ring &r, A a, B b) { r.prepare_chain(std::move(a), std::move(b)); };

TEST(Ring, TemporariesOfSelfReferencingOpsAreRefused)
{
    // timeout's SQE points into the op: a temporary would dangle before
    // submission, so prepare() does not accept one.
    EXPECT_FALSE(prepare_takes_temporary<uring::timeout>);
    EXPECT_FALSE(prepare_takes_temporary<uring::link_timeout>);
    EXPECT_FALSE((prepare_takes_temporary<uring::tagged<uring::timeout>>));
    EXPECT_TRUE(prepare_takes_lvalue<uring::timeout>);
    EXPECT_TRUE(prepare_takes_temporary<uring::nop>);
    EXPECT_TRUE(prepare_takes_temporary<uring::read>);
    EXPECT_FALSE((chain_takes_temporaries<uring::nop, uring::link_timeout>));
    EXPECT_TRUE((chain_takes_temporaries<uring::nop, uring::nop>));
}

TEST(Ring, DestroyedWithWorkInFlight)
{
    const int before = cxx_test::open_fd_count();
    auto pair = cxx_test::make_tcp_pair();
    const int with_sockets = cxx_test::open_fd_count();
    std::array<char, 16> buf{};
    uring::timeout long_timeout{10s};
    auto t0 = std::chrono::steady_clock::now();
    {
        uring::ring r = make_ring(8);
        r.prepare(uring::recv{pair.a, buf});
        r.prepare(long_timeout);
        ASSERT_TRUE(r.submit());
        EXPECT_FALSE(r.peek().has_value());
    } // io_uring_queue_exit with both pending
    EXPECT_LT(cxx_test::ms_since(t0), 2000.0);
    EXPECT_EQ(cxx_test::open_fd_count(), with_sockets);
    pair = {};
    EXPECT_EQ(cxx_test::open_fd_count(), before);
}

} // namespace
