// Legacy provided buffers: provide_buffers hands a group of buffers to the
// kernel, a recv with IOSQE_BUFFER_SELECT consumes one of them (the CQE
// names it and the data is in it), remove_buffers takes the rest back.
#include "cxx_test_util.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace {

using cxx_test::await1;
using cxx_test::make_ring;

// A one-shot recv that picks its buffer from a provided-buffer group (a
// custom operation: anything with an opcode and prepare() works).
struct recv_from_group {
    static constexpr io_uring_op opcode = IORING_OP_RECV;

    uring::file_ref file;
    std::uint16_t group;
    unsigned max_length = 0; // 0: the buffer's size

    void prepare(io_uring_sqe *sqe) const noexcept
    {
        io_uring_prep_recv(sqe, file.value, nullptr, max_length, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = group;
        file.apply(sqe);
    }
};

TEST(ProvidedBuffers, ProvideConsumeRemove)
{
    static_assert(uring::provide_buffers::opcode == IORING_OP_PROVIDE_BUFFERS);
    static_assert(uring::remove_buffers::opcode == IORING_OP_REMOVE_BUFFERS);
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::provide_buffers);
    auto p = cxx_test::make_tcp_pair();

    std::vector<char> memory(4 * 32, '\0'); // four buffers of 32 bytes, ids 10..13
    uring::provide_buffers provide{memory, 32, 3, 10};
    EXPECT_EQ(provide.count(), 4);
    uring::io_result pr = await1(loop, provide);
    ASSERT_GE(pr.res, 0) << pr.error().message();

    ASSERT_EQ(::send(p.b.get(), "picked", 6, 0), 6);
    uring::io_result r = await1(loop, recv_from_group{p.a, 3});
    ASSERT_EQ(r.res, 6) << r.error().message();
    ASSERT_TRUE(r.buffer_id().has_value());
    std::uint16_t id = *r.buffer_id();
    ASSERT_GE(id, 10);
    ASSERT_LE(id, 13);
    EXPECT_EQ(std::string_view(memory.data() + (id - 10) * 32, 6), "picked");

    // One consumed: three are left to remove, then none.
    uring::io_result rm = await1(loop, uring::remove_buffers{16, 3});
    EXPECT_EQ(rm.res, 3) << rm.error().message();
    // (An emptied group answers 0 on current kernels, -ENOENT on older ones.)
    int again = await1(loop, uring::remove_buffers{16, 3}).res;
    EXPECT_TRUE(again == 0 || again == -ENOENT) << again;
    // With the group empty, a buffer-select recv has nothing to use.
    ASSERT_EQ(::send(p.b.get(), "x", 1, 0), 1);
    EXPECT_EQ(await1(loop, recv_from_group{p.a, 3}).res, -ENOBUFS);
}

TEST(ProvidedBuffers, EachRecvTakesTheNextBuffer)
{
    cxx_test::watchdog wd;
    uring::event_loop loop(make_ring());
    CXX_SKIP_UNLESS_SUPPORTED(loop.get_ring(), uring::provide_buffers);
    auto p = cxx_test::make_tcp_pair();
    std::vector<char> memory(2 * 16, '\0');
    ASSERT_GE(await1(loop, uring::provide_buffers{memory, 16, 9}).res, 0);
    std::array<std::uint16_t, 2> ids{};
    for (int i = 0; i < 2; ++i) {
        std::string msg = "message-" + std::to_string(i);
        ASSERT_EQ(::send(p.b.get(), msg.data(), msg.size(), 0), static_cast<ssize_t>(msg.size()));
        uring::io_result r = await1(loop, recv_from_group{p.a, 9});
        ASSERT_EQ(r.res, static_cast<int>(msg.size())) << r.error().message();
        ASSERT_TRUE(r.buffer_id().has_value());
        ids[static_cast<std::size_t>(i)] = *r.buffer_id();
        EXPECT_EQ(std::string_view(memory.data() + ids[static_cast<std::size_t>(i)] * 16, msg.size()), msg);
    }
    EXPECT_NE(ids[0], ids[1]);
    EXPECT_EQ(await1(loop, uring::remove_buffers{1, 77}).res, -ENOENT); // no such group
    int none = await1(loop, uring::remove_buffers{1, 9}).res; // both consumed
    EXPECT_TRUE(none == 0 || none == -ENOENT) << none;
    // Providing one back makes it usable again.
    ASSERT_GE(await1(loop, uring::provide_buffers{std::span(memory).first(16), 16, 9, 0}).res, 0);
    ASSERT_EQ(::send(p.b.get(), "again", 5, 0), 5);
    uring::io_result r = await1(loop, recv_from_group{p.a, 9});
    EXPECT_EQ(r.res, 5);
    EXPECT_EQ(r.buffer_id(), std::optional<std::uint16_t>(0));
}

} // namespace
