// uring::received_message: one message of a multishot recvmsg, parsed.
//
// A multishot recvmsg (recvmsg_multishot, recvmsg_stream) puts each message
// in a provided buffer laid out as
//
//     struct io_uring_recvmsg_out | name area | control area | payload
//
// where the name and control areas are as long as the msghdr the request
// was prepared with says (msg_namelen, msg_controllen), however much of them
// the kernel filled. received_message owns the buffer (a buffer_lease: it
// goes back to its ring with the message) and finds the parts through
// io_uring_recvmsg_validate, io_uring_recvmsg_name, io_uring_recvmsg_payload,
// io_uring_recvmsg_payload_length and io_uring_recvmsg_cmsg_firsthdr /
// _nexthdr.
#pragma once

#include <liburing.h>

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

#include "buffer_ring.hpp"

namespace uring {

class received_message {
public:
    received_message() noexcept = default;
    // `buffer` as filled by a multishot recvmsg prepared with `layout` (only
    // its msg_namelen and msg_controllen are used).
    received_message(buffer_lease buffer, const msghdr &layout) noexcept : buffer_(std::move(buffer))
    {
        layout_.msg_namelen = layout.msg_namelen;
        layout_.msg_controllen = layout.msg_controllen;
        std::span<std::byte> bytes = buffer_.data();
        if (!bytes.empty() && bytes.size() <= INT32_MAX)
            out_ = io_uring_recvmsg_validate(bytes.data(), static_cast<int>(bytes.size()), &layout_);
    }

    received_message(received_message &&o) noexcept
        : buffer_(std::move(o.buffer_)), layout_(o.layout_), out_(std::exchange(o.out_, nullptr))
    {
    }
    received_message &operator=(received_message &&o) noexcept
    {
        if (this != &o) {
            buffer_ = std::move(o.buffer_);
            layout_ = o.layout_;
            out_ = std::exchange(o.out_, nullptr);
        }
        return *this;
    }

    // The buffer holds a complete header and both areas.
    [[nodiscard]] bool valid() const noexcept { return out_ != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    // The header the kernel wrote (nullptr if !valid()).
    [[nodiscard]] const io_uring_recvmsg_out *header() const noexcept { return out_; }

    // The source address, as much of it as fitted in the name area.
    [[nodiscard]] std::span<const std::byte> name() const noexcept
    {
        if (!out_)
            return {};
        std::size_t n = out_->namelen < layout_.msg_namelen ? out_->namelen : layout_.msg_namelen;
        return {static_cast<const std::byte *>(io_uring_recvmsg_name(out_)), n};
    }
    // The source address copied into a sockaddr_in / sockaddr_in6 / ...;
    // false (and `out` untouched) if the name is not that large.
    template <class Sockaddr>
    [[nodiscard]] bool name_as(Sockaddr &out) const noexcept
    {
        std::span<const std::byte> n = name();
        if (n.size() < sizeof out)
            return false;
        std::memcpy(&out, n.data(), sizeof out);
        return true;
    }
    // The length of the source address before any truncation.
    [[nodiscard]] std::uint32_t name_length() const noexcept { return out_ ? out_->namelen : 0; }

    // The payload bytes that fitted in the buffer.
    [[nodiscard]] std::span<std::byte> payload() const noexcept
    {
        if (!out_)
            return {};
        std::span<std::byte> bytes = buffer_.data();
        unsigned n = io_uring_recvmsg_payload_length(out_, static_cast<int>(bytes.size()), &layout_);
        return {static_cast<std::byte *>(io_uring_recvmsg_payload(out_, &layout_)), n};
    }
    // The payload length recvmsg returned: what it read, or with MSG_TRUNC
    // among the request's flags, a datagram's real length. It can exceed
    // payload().size() when the buffer's payload room was too small.
    [[nodiscard]] std::uint32_t payload_length() const noexcept { return out_ ? out_->payloadlen : 0; }
    // Part of the message did not fit: a datagram larger than the room
    // recvmsg had (MSG_TRUNC), or more payload than fitted in the buffer.
    [[nodiscard]] bool truncated() const noexcept
    {
        return out_ && ((out_->flags & MSG_TRUNC) || payload().size() < out_->payloadlen);
    }

    // The control data the kernel wrote.
    [[nodiscard]] std::span<const std::byte> control() const noexcept
    {
        if (!out_)
            return {};
        const auto *start = static_cast<const std::byte *>(io_uring_recvmsg_name(out_)) + layout_.msg_namelen;
        return {start, out_->controllen};
    }
    // Control messages: the first (nullptr if none), and the one after
    // `c` (nullptr at the end or on a malformed length).
    [[nodiscard]] const cmsghdr *first_control_message() const noexcept
    {
        return out_ ? io_uring_recvmsg_cmsg_firsthdr(out_, &layout_) : nullptr;
    }
    [[nodiscard]] const cmsghdr *next_control_message(const cmsghdr *c) const noexcept
    {
        return out_ && c ? io_uring_recvmsg_cmsg_nexthdr(out_, &layout_, const_cast<cmsghdr *>(c)) : nullptr;
    }

    // recvmsg's msg_flags (MSG_TRUNC, MSG_CTRUNC, ...).
    [[nodiscard]] std::uint32_t flags() const noexcept { return out_ ? out_->flags : 0; }

    // The whole buffer; reset() gives it back to its ring now.
    [[nodiscard]] const buffer_lease &buffer() const noexcept { return buffer_; }
    void reset() noexcept
    {
        out_ = nullptr;
        buffer_.reset();
    }

private:
    buffer_lease buffer_;
    // The helpers take non-const pointers but only read.
    mutable msghdr layout_{};
    io_uring_recvmsg_out *out_ = nullptr;
};

} // namespace uring
