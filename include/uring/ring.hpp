// uring::ring: a move-only owner of one struct io_uring.
//
// The ring is the thin layer: it prepares SQEs from typed operations,
// submits, and hands out CQEs as completion views, with no allocation and
// no bookkeeping of its own beyond a lazily fetched probe. Everything maps
// one to one onto the C API, and native_handle() gives the struct io_uring
// for anything not wrapped here.
//
//     auto r = uring::ring::create(uring::setup_options(64));
//     if (!r) return r.error();
//     r->prepare(uring::with_data(uring::nop{}, 7));
//     r->submit_and_wait(1);
//     r->for_each_completion([](uring::completion c) { use(c.res()); });
//
// Moving a ring is fine while nothing refers to it by address (an
// event_loop or buffer_ring built on it does).
#pragma once

#include <liburing.h>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

#include "completion.hpp"
#include "ops/common.hpp"
#include "operation.hpp"
#include "probe.hpp"
#include "result.hpp"
#include "setup_options.hpp"

namespace uring {

namespace detail {

// An operation passed to prepare: an op that embeds the data the SQE points
// to must not be a temporary (it would be gone before submission).
template <class Op>
concept preparable = operation<std::remove_cvref_t<Op>> &&
                     (!embeds_kernel_data_v<std::remove_cvref_t<Op>> || std::is_lvalue_reference_v<Op>);

} // namespace detail

class ring {
public:
    [[nodiscard]] static result<ring> create(const setup_options &options = setup_options{}) noexcept
    {
        if (std::error_code ec = options.validate())
            return ec;
        ring r;
        io_uring_params p = options.params();
        if (int rc = io_uring_queue_init_params(options.entries(), &r.ring_, &p); rc < 0)
            return errno_error(rc);
        r.live_ = true;
        return r;
    }

    ring(ring &&o) noexcept
        : ring_(o.ring_), probe_(std::exchange(o.probe_, nullptr)), live_(std::exchange(o.live_, false))
    {
    }
    ring &operator=(ring &&o) noexcept
    {
        if (this != &o) {
            destroy();
            ring_ = o.ring_;
            probe_ = std::exchange(o.probe_, nullptr);
            live_ = std::exchange(o.live_, false);
        }
        return *this;
    }
    ring(const ring &) = delete;
    ring &operator=(const ring &) = delete;
    // io_uring_queue_exit. The kernel cancels whatever is still in flight;
    // memory those requests point to must outlive the ring (or use an
    // event_loop, which drains before it goes).
    ~ring() { destroy(); }

    [[nodiscard]] io_uring *native_handle() noexcept { return &ring_; }
    [[nodiscard]] const io_uring *native_handle() const noexcept { return &ring_; }
    [[nodiscard]] int fd() const noexcept { return ring_.ring_fd; }
    [[nodiscard]] unsigned flags() const noexcept { return ring_.flags; }
    [[nodiscard]] unsigned features() const noexcept { return ring_.features; }

    // ---- submission -------------------------------------------------------

    // io_uring_get_sqe: a cleared SQE slot, or nullptr when the SQ is full.
    [[nodiscard]] io_uring_sqe *get_sqe() noexcept { return io_uring_get_sqe(&ring_); }

    // An SQE filled by `op` (user_data 0 unless op sets it), or nullptr
    // when the SQ is full (or, for an op that needs a 128-byte SQE, when
    // this ring is neither SQE128 nor SQE_MIXED).
    template <detail::preparable Op>
    io_uring_sqe *prepare(Op &&op) noexcept
    {
        io_uring_sqe *sqe = detail::get_sqe_for<std::remove_cvref_t<Op>>(&ring_);
        if (sqe) [[likely]] {
            io_uring_sqe_set_data64(sqe, 0);
            op.prepare(sqe);
        }
        return sqe;
    }
    template <detail::preparable Op, class T>
    io_uring_sqe *prepare(Op &&op, user_data<T> data) noexcept
    {
        io_uring_sqe *sqe = detail::get_sqe_for<std::remove_cvref_t<Op>>(&ring_);
        if (sqe) [[likely]] {
            op.prepare(sqe);
            io_uring_sqe_set_data64(sqe, data.raw());
        }
        return sqe;
    }

    // Prepares ops as one linked chain: IOSQE_IO_LINK on all but the last,
    // so each starts only after the previous one succeeded (a failure
    // cancels the rest with -ECANCELED). All or nothing: returns false, with
    // nothing prepared, when the SQ lacks room for the whole chain.
    template <detail::preparable... Ops>
        requires(sizeof...(Ops) > 0)
    bool prepare_chain(Ops &&...ops) noexcept
    {
        constexpr unsigned n = sizeof...(Ops);
        constexpr unsigned slots = (detail::sqe_slots_v<std::remove_cvref_t<Ops>> + ...);
        constexpr bool any_big = (sqe128_v<std::remove_cvref_t<Ops>> || ...);
        if (io_uring_sq_space_left(&ring_) < slots)
            return false;
        if constexpr (any_big) {
            if (!(detail::ring_fits<std::remove_cvref_t<Ops>>(ring_.flags) && ...))
                return false;
        }
        unsigned i = 0;
        auto one = [&]<class Op>(const Op &op) noexcept {
            io_uring_sqe *sqe = detail::get_sqe_for<Op>(&ring_);
            io_uring_sqe_set_data64(sqe, 0);
            op.prepare(sqe);
            if (++i < n)
                sqe->flags |= IOSQE_IO_LINK;
        };
        (one(ops), ...);
        return true;
    }

    // io_uring_submit: the number of SQEs handed to the kernel.
    result<unsigned> submit() noexcept { return count_result(io_uring_submit(&ring_)); }
    // io_uring_submit_and_wait: submit, then wait until `wait_nr` CQEs are
    // ready.
    result<unsigned> submit_and_wait(unsigned wait_nr) noexcept
    {
        return count_result(io_uring_submit_and_wait(&ring_, wait_nr));
    }

    [[nodiscard]] unsigned sq_space_left() const noexcept { return io_uring_sq_space_left(&ring_); }
    [[nodiscard]] unsigned sq_ready() const noexcept { return io_uring_sq_ready(&ring_); }

    // ---- completion -------------------------------------------------------

    // io_uring_wait_cqe: the next CQE, waiting for one if needed. Consume it
    // with seen().
    [[nodiscard]] result<completion> wait() noexcept
    {
        io_uring_cqe *cqe = nullptr;
        if (int rc = io_uring_wait_cqe(&ring_, &cqe); rc < 0)
            return errno_error(rc);
        return completion(cqe);
    }
    // io_uring_wait_cqe_timeout: as wait(), failing with ETIME after `d`.
    template <class Rep, class Period>
    [[nodiscard]] result<completion> wait_for(std::chrono::duration<Rep, Period> d) noexcept
    {
        io_uring_cqe *cqe = nullptr;
        __kernel_timespec ts = detail::to_timespec(d);
        if (int rc = io_uring_wait_cqe_timeout(&ring_, &cqe, &ts); rc < 0)
            return errno_error(rc);
        return completion(cqe);
    }
    // io_uring_peek_cqe: the next CQE if one is ready; never waits.
    [[nodiscard]] std::optional<completion> peek() noexcept
    {
        io_uring_cqe *cqe = nullptr;
        if (io_uring_peek_cqe(&ring_, &cqe) < 0 || !cqe)
            return std::nullopt;
        return completion(cqe);
    }
    // io_uring_cqe_seen: consume the CQE from wait()/peek().
    void seen(completion c) noexcept { io_uring_cqe_seen(&ring_, const_cast<io_uring_cqe *>(c.native())); }
    // io_uring_cq_advance: consume n CQ slots.
    void advance(unsigned n) noexcept { io_uring_cq_advance(&ring_, n); }
    [[nodiscard]] unsigned cq_ready() const noexcept { return io_uring_cq_ready(&ring_); }

    // Calls f(completion) for every CQE ready now, then consumes them all
    // with one io_uring_cq_advance. If f returns bool, false stops the walk
    // (the CQEs up to and including that one are consumed). Returns the
    // number of CQEs visited. f must not consume CQEs itself.
    template <class F>
        requires std::invocable<F &, completion>
    unsigned for_each_completion(F &&f) noexcept(std::is_nothrow_invocable_v<F &, completion>)
    {
        io_uring_cqe_iter it = io_uring_cqe_iter_init(&ring_);
        const unsigned start = it.head;
        io_uring_cqe *cqe;
        unsigned n = 0;
        while (io_uring_cqe_iter_next(&it, &cqe)) {
            // CQE_MIXED padding entries are not completions.
            if (cqe->flags & IORING_CQE_F_SKIP) [[unlikely]]
                continue;
            ++n;
            if constexpr (std::is_same_v<std::invoke_result_t<F &, completion>, bool>) {
                if (!f(completion(cqe)))
                    break;
            } else {
                f(completion(cqe));
            }
        }
        io_uring_cq_advance(&ring_, it.head - start);
        return n;
    }

    // ---- capabilities -----------------------------------------------------

    // Whether this kernel supports an opcode (io_uring_get_probe_ring, asked
    // once and kept).
    [[nodiscard]] bool supports(io_uring_op op) noexcept
    {
        if (!probe_)
            probe_ = io_uring_get_probe_ring(&ring_);
        return probe_ && io_uring_opcode_supported(probe_, static_cast<int>(op));
    }
    template <operation Op>
    [[nodiscard]] bool supports() noexcept
    {
        return supports(Op::opcode);
    }
    [[nodiscard]] bool has_feature(unsigned feature) const noexcept { return (ring_.features & feature) == feature; }

    // ---- registration -----------------------------------------------------

    // io_uring_register_files: fds[i] becomes fixed_file(i).
    result<void> register_files(std::span<const int> fds) noexcept
    {
        return void_result(io_uring_register_files(&ring_, fds.data(), static_cast<unsigned>(fds.size())));
    }
    // io_uring_register_files_sparse: n empty slots (for *_direct ops).
    result<void> register_files_sparse(unsigned n) noexcept
    {
        return void_result(io_uring_register_files_sparse(&ring_, n));
    }
    // io_uring_register_files_update: replace slots [offset, offset+size).
    result<void> update_files(unsigned offset, std::span<const int> fds) noexcept
    {
        int rc = io_uring_register_files_update(&ring_, offset, fds.data(), static_cast<unsigned>(fds.size()));
        return void_result(rc);
    }
    result<void> unregister_files() noexcept { return void_result(io_uring_unregister_files(&ring_)); }
    // io_uring_register_buffers: buffers[i] becomes buffer index i for
    // read_fixed/write_fixed.
    result<void> register_buffers(std::span<const iovec> buffers) noexcept
    {
        return void_result(
            io_uring_register_buffers(&ring_, buffers.data(), static_cast<unsigned>(buffers.size())));
    }
    result<void> unregister_buffers() noexcept { return void_result(io_uring_unregister_buffers(&ring_)); }

private:
    ring() noexcept = default;

    static result<unsigned> count_result(int rc) noexcept
    {
        if (rc < 0)
            return errno_error(rc);
        return static_cast<unsigned>(rc);
    }

    void destroy() noexcept
    {
        if (probe_)
            io_uring_free_probe(std::exchange(probe_, nullptr));
        if (live_)
            io_uring_queue_exit(&ring_);
        live_ = false;
    }

    io_uring ring_{};
    io_uring_probe *probe_ = nullptr;
    bool live_ = false;
};

} // namespace uring
