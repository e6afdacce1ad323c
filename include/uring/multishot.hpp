// Multishot requests as async generators.
//
//     uring::accept_stream conns(loop, uring::fd{listener});
//     while (std::optional<uring::unique_fd> c = co_await conns.next())
//         loop.spawn(serve(std::move(*c)));
//
//     uring::recv_stream chunks(loop, uring::fd{sock}, *buffers);
//     while (std::optional<uring::buffer_lease> chunk = co_await chunks.next())
//         consume(chunk->data());   // the buffer goes back to its ring here
//
//     uring::recvmsg_stream datagrams(loop, uring::fd{udp}, *buffers);
//     while (std::optional<uring::received_message> m = co_await datagrams.next())
//         reply_to(m->name(), m->payload());
//
// One SQE produces CQEs flagged IORING_CQE_F_MORE until the kernel ends the
// request (last CQE without MORE). The stream:
//   - arms the request on the first next() (and only then: a stream nobody
//     reads costs nothing);
//   - queues CQEs that arrive while nobody is waiting, and hands them out in
//     order;
//   - re-arms when the kernel ended the request without an error (e.g. a
//     recv that ran out of provided buffers, once buffers are back);
//   - ends (next() yields std::nullopt) on EOF (recv/read res 0), on an
//     error, or on a stop request; error() then says why (empty for EOF).
// recv/read items are buffer_leases: the buffer returns to its ring when the
// lease is destroyed. recvmsg items are received_messages (a lease plus the
// parsed header, source address, control data and payload). A multishot
// recvmsg ends the kernel's request on a message with no payload; the stream
// takes that as EOF (on a datagram socket: an empty datagram ends it).
// Destroying the stream cancels the request, waits for its last CQE, and
// returns the buffers (and, for accept, closes the descriptors) of items
// nobody took.
#pragma once

#include <liburing.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <coroutine>
#include <deque>
#include <optional>
#include <stop_token>
#include <system_error>
#include <type_traits>
#include <utility>

#include "buffer_ring.hpp"
#include "completion.hpp"
#include "event_loop.hpp"
#include "fd.hpp"
#include "ops/multishot.hpp"
#include "received_message.hpp"

namespace uring {

struct accept_stream_traits {
    using operation_type = multishot_accept;
    using item_type = unique_fd;
    static constexpr bool uses_buffers = false;
    static operation_type make_op(file_ref f, std::uint16_t) noexcept { return {f}; }
};

struct recv_stream_traits {
    using operation_type = recv_multishot;
    using item_type = buffer_lease;
    static constexpr bool uses_buffers = true;
    static operation_type make_op(file_ref f, std::uint16_t group) noexcept { return {f, group}; }
};

struct read_stream_traits {
    using operation_type = read_multishot;
    using item_type = buffer_lease;
    static constexpr bool uses_buffers = true;
    static operation_type make_op(file_ref f, std::uint16_t group) noexcept { return {f, group}; }
};

// The source address and control areas of each recvmsg_stream message:
// their sizes go into the msghdr the request is prepared with, and each
// provided buffer must hold sizeof(io_uring_recvmsg_out) + both + the
// payload room (else the stream ends with EFAULT). The default name area
// fits IPv4 and IPv6 addresses; other families may need
// sizeof(sockaddr_storage).
struct recvmsg_layout {
    socklen_t name_length = sizeof(sockaddr_in6);
    socklen_t control_length = 0;
    unsigned flags = 0; // MSG_* for recvmsg
};

struct recvmsg_stream_traits {
    using operation_type = recvmsg_multishot;
    using item_type = received_message;
    using options_type = recvmsg_layout;
    // What the stream keeps for the request: the msghdr template.
    struct extra_type {
        msghdr header{};
        unsigned flags = 0;
    };
    static constexpr bool uses_buffers = true;

    static extra_type make_extra(const recvmsg_layout &l) noexcept
    {
        extra_type e;
        e.header.msg_namelen = l.name_length;
        e.header.msg_controllen = l.control_length;
        e.flags = l.flags;
        return e;
    }
    static operation_type make_op(file_ref f, std::uint16_t group, extra_type &e) noexcept
    {
        return {f, &e.header, group, e.flags};
    }
    // The kernel ends the request (no MORE) on a message without payload.
    static bool ends_stream(std::int32_t res, std::uint32_t flags, const extra_type &e) noexcept
    {
        std::size_t fixed = sizeof(io_uring_recvmsg_out) + e.header.msg_namelen + e.header.msg_controllen;
        return !(flags & IORING_CQE_F_MORE) && static_cast<std::size_t>(res) <= fixed;
    }
    static item_type make_item(buffer_lease l, const extra_type &e) noexcept
    {
        return received_message(std::move(l), e.header);
    }
};

namespace detail {

// What a stream keeps besides its op (Traits::extra_type) and what its
// constructor takes to make it (Traits::options_type); most have neither.
struct no_stream_extra {};
struct no_stream_options {};

template <class Traits>
struct stream_extra {
    using type = no_stream_extra;
    using options = no_stream_options;
};
template <class Traits>
    requires requires {
        typename Traits::extra_type;
        typename Traits::options_type;
    }
struct stream_extra<Traits> {
    using type = typename Traits::extra_type;
    using options = typename Traits::options_type;
};

} // namespace detail

template <class Traits>
class multishot_stream : private detail::op_state {
    using extra_type = typename detail::stream_extra<Traits>::type;
    using options_type = typename detail::stream_extra<Traits>::options;
    static constexpr bool has_extra = !std::is_same_v<extra_type, detail::no_stream_extra>;

public:
    using item_type = typename Traits::item_type;

    // accept
    multishot_stream(event_loop &loop, file_ref file, std::stop_token stop = {}) noexcept
        requires(!Traits::uses_buffers)
        : core_(&loop.core()), op_(make_op(file, 0)), stop_(std::move(stop))
    {
        init();
    }
    // recv / read / recvmsg, with buffers from `buffers`' group
    multishot_stream(event_loop &loop, file_ref file, buffer_ring &buffers, std::stop_token stop = {}) noexcept
        requires(Traits::uses_buffers)
        : core_(&loop.core()), extra_(make_extra({})), op_(make_op(file, buffers.group())),
          buffers_(detail::buffer_access::state(buffers)), stop_(std::move(stop))
    {
        ++buffers_->refs;
        init();
    }
    // recvmsg, with the layout of the name and control areas
    multishot_stream(event_loop &loop, file_ref file, buffer_ring &buffers, const options_type &options,
                     std::stop_token stop = {}) noexcept
        requires(has_extra)
        : core_(&loop.core()), extra_(make_extra(options)), op_(make_op(file, buffers.group())),
          buffers_(detail::buffer_access::state(buffers)), stop_(std::move(stop))
    {
        ++buffers_->refs;
        init();
    }
    multishot_stream(const multishot_stream &) = delete;
    multishot_stream &operator=(const multishot_stream &) = delete;

    ~multishot_stream()
    {
        on_stop_.reset();
        if (is_pending() || in_ready)
            core_->abandon(this);
        for (const io_result &r : queue_)
            release(r);
        if (buffers_)
            buffers_->unref();
    }

    class [[nodiscard]] next_awaiter {
    public:
        explicit next_awaiter(multishot_stream &s) noexcept : s_(&s) {}
        next_awaiter(const next_awaiter &) = delete;
        next_awaiter &operator=(const next_awaiter &) = delete;
        ~next_awaiter()
        {
            // Destroyed while suspended (its coroutine was destroyed): stop
            // being the stream's waiter; the stream itself lives on.
            if (suspended_) {
                s_->waiter = {};
                if (s_->in_ready) // (if not, the loop may be gone)
                    s_->core_->unlink_ready(s_);
            }
        }

        bool await_ready() const noexcept { return !s_->queue_.empty() || s_->ended_; }
        bool await_suspend(std::coroutine_handle<> h) noexcept
        {
            if (!s_->is_pending() && !s_->try_arm())
                return false;
            s_->waiter = h;
            suspended_ = true;
            return true;
        }
        std::optional<item_type> await_resume() noexcept
        {
            suspended_ = false;
            return s_->take();
        }

    private:
        multishot_stream *s_;
        bool suspended_ = false;
    };

    // The next item, or std::nullopt once the stream has ended.
    next_awaiter next() noexcept { return next_awaiter(*this); }

    // Ends the stream: cancels the request; items already queued are still
    // handed out, then next() yields std::nullopt (error(): ECANCELED).
    void stop() noexcept
    {
        stopped_ = true;
        if (is_pending())
            core_->request_cancel(this);
    }

    [[nodiscard]] bool ended() const noexcept { return ended_; }
    // Why the stream ended: empty for EOF, else the error (ECANCELED after a
    // stop).
    [[nodiscard]] std::error_code error() const noexcept { return error_; }
    // The request is armed in the kernel.
    [[nodiscard]] bool armed() const noexcept { return is_pending(); }

private:
    enum class event { item, end, no_buffers };

    static extra_type make_extra([[maybe_unused]] const options_type &o) noexcept
    {
        if constexpr (has_extra)
            return Traits::make_extra(o);
        else
            return {};
    }
    // Only after extra_ is initialised (it is declared before op_).
    typename Traits::operation_type make_op(file_ref f, std::uint16_t group) noexcept
    {
        if constexpr (has_extra)
            return Traits::make_op(f, group, extra_);
        else
            return Traits::make_op(f, group);
    }

    void init() noexcept
    {
        on_cqe = &multishot_stream::handle_cqe;
        if (stop_.stop_possible())
            on_stop_.emplace(stop_, detail::cancel_on_stop{core_, this});
    }

    [[nodiscard]] bool stop_requested() const noexcept { return stopped_ || stop_.stop_requested(); }

    event classify(std::int32_t res, std::uint32_t flags) const noexcept
    {
        if constexpr (Traits::uses_buffers) {
            if (res == -ENOBUFS)
                return event::no_buffers;
            if (res > 0 && (flags & IORING_CQE_F_BUFFER)) {
                if constexpr (has_extra) {
                    if (Traits::ends_stream(res, flags, extra_))
                        return event::end; // EOF (buffer released with it)
                }
                return event::item;
            }
            return event::end; // 0: EOF; < 0: error
        } else {
            return res >= 0 ? event::item : event::end;
        }
    }

    static void handle_cqe(detail::op_state *base, std::int32_t res, std::uint32_t flags) noexcept
    {
        auto *self = static_cast<multishot_stream *>(base);
        switch (self->classify(res, flags)) {
        case event::item:
            self->queue_.push_back({res, flags});
            break;
        case event::end:
            self->queue_.push_back({res, flags});
            self->terminal_queued_ = true;
            break;
        case event::no_buffers:
            self->out_of_buffers_ = true;
            break;
        }
        if (!self->waiter)
            return;
        if (self->queue_.empty()) {
            // Nothing to hand out. Still running: keep waiting. Ended: try
            // to carry on with a new request before waking the reader.
            if (self->is_pending() || self->try_arm())
                return;
        }
        self->core_->make_ready(self);
    }

    // Arms (or re-arms) the request if the stream may go on; false (with
    // error_ set) if it must end instead.
    bool try_arm() noexcept
    {
        if (ended_ || terminal_queued_)
            return false;
        if (stop_requested()) {
            error_ = std::make_error_code(std::errc::operation_canceled);
            return false;
        }
        if constexpr (Traits::uses_buffers) {
            if (out_of_buffers_) {
                // The kernel found the group empty. Unless buffers have come
                // back since, a new request would only fail the same way.
                int avail = buffers_->br ? io_uring_buf_ring_available(core_->native(), buffers_->br,
                                                                       buffers_->group)
                                         : 0;
                if (avail <= 0) {
                    error_ = std::make_error_code(std::errc::no_buffer_space);
                    return false;
                }
                out_of_buffers_ = false;
            }
        }
        if (!core_->start(this, op_)) {
            error_ = std::make_error_code(core_->stopping() ? std::errc::operation_canceled
                                                            : std::errc::device_or_resource_busy);
            return false;
        }
        return true;
    }

    std::optional<item_type> take() noexcept
    {
        if (!queue_.empty()) {
            io_result r = queue_.front();
            queue_.pop_front();
            if (classify(r.res, r.flags) == event::item)
                return make_item(r);
            // The terminal CQE: EOF or an error.
            ended_ = true;
            if (r.res < 0)
                error_ = errno_error(r.res);
            release(r);
            return std::nullopt;
        }
        // Woken with nothing queued: the request is over and try_arm said
        // the stream cannot go on (error_ is set).
        ended_ = true;
        return std::nullopt;
    }

    item_type make_item(io_result r) noexcept
    {
        if constexpr (Traits::uses_buffers) {
            buffer_lease l = detail::buffer_access::lease(
                buffers_, static_cast<std::uint16_t>(r.flags >> IORING_CQE_BUFFER_SHIFT), static_cast<std::size_t>(r.res));
            if constexpr (has_extra)
                return Traits::make_item(std::move(l), extra_);
            else
                return l;
        } else {
            return unique_fd(r.res);
        }
    }

    // Gives back what an undelivered CQE holds.
    void release(io_result r) noexcept
    {
        if constexpr (Traits::uses_buffers) {
            if (r.flags & IORING_CQE_F_BUFFER)
                buffers_->recycle(static_cast<std::uint16_t>(r.flags >> IORING_CQE_BUFFER_SHIFT));
        } else {
            if (r.res >= 0)
                ::close(r.res);
        }
    }

    detail::loop_core *core_;
    [[no_unique_address]] extra_type extra_{};
    typename Traits::operation_type op_;
    detail::buffer_ring_state *buffers_ = nullptr;
    std::deque<io_result> queue_;
    std::error_code error_;
    std::stop_token stop_;
    std::optional<std::stop_callback<detail::cancel_on_stop>> on_stop_;
    bool ended_ = false;
    bool stopped_ = false;
    bool terminal_queued_ = false;
    bool out_of_buffers_ = false;
};

// Connections from a listening socket (io_uring_prep_multishot_accept).
using accept_stream = multishot_stream<accept_stream_traits>;
// Chunks from a socket, in provided buffers (io_uring_prep_recv_multishot).
using recv_stream = multishot_stream<recv_stream_traits>;
// Chunks from a pollable file, in provided buffers
// (io_uring_prep_read_multishot, Linux 6.7).
using read_stream = multishot_stream<read_stream_traits>;
// Messages from a socket with their source address and control data, in
// provided buffers (io_uring_prep_recvmsg_multishot, Linux 6.0).
using recvmsg_stream = multishot_stream<recvmsg_stream_traits>;

} // namespace uring
