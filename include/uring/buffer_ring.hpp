// uring::buffer_ring: a ring of provided buffers (io_uring_setup_buf_ring),
// and uring::buffer_lease, one buffer the kernel filled, handed back to the
// ring when the lease is destroyed.
//
// Multishot recv/read pick a buffer from the group per CQE
// (IORING_CQE_F_BUFFER + buffer id). The lease makes returning it automatic
// and impossible to forget or to do twice.
//
// Lifetimes: the ring (struct io_uring) must outlive the buffer_ring. The
// buffer memory itself is shared by the buffer_ring and its leases, so a
// lease may outlive the buffer_ring (its buffer then simply is not
// recycled). Requests that may still pick buffers from the group must be
// finished before the buffer_ring goes; event_loop::make_buffer_ring ties
// the buffer_ring to the loop, which guarantees that.
#pragma once

#include <liburing.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <utility>

#include "result.hpp"

namespace uring {

class buffer_ring;

namespace detail {

struct buffer_access;

// Shared by a buffer_ring and its leases; freed when the last one goes.
struct buffer_ring_state {
    io_uring *ring = nullptr;
    io_uring_buf_ring *br = nullptr; // null once unregistered
    std::byte *storage = nullptr;
    std::size_t buffer_size = 0;
    unsigned entries = 0;
    unsigned refs = 1; // the buffer_ring + one per lease (single-threaded)
    unsigned leased = 0;
    std::uint16_t group = 0;

    std::byte *buffer(std::uint16_t bid) const noexcept { return storage + std::size_t{bid} * buffer_size; }

    void recycle(std::uint16_t bid) noexcept
    {
        if (!br)
            return;
        io_uring_buf_ring_add(br, buffer(bid), static_cast<unsigned>(buffer_size), bid,
                              io_uring_buf_ring_mask(entries), 0);
        io_uring_buf_ring_advance(br, 1);
    }

    void unref() noexcept
    {
        if (--refs == 0) {
            delete[] storage;
            delete this;
        }
    }
};

} // namespace detail

// One filled provided buffer. Move-only; the destructor recycles it.
class buffer_lease {
public:
    buffer_lease() noexcept = default;
    buffer_lease(buffer_lease &&o) noexcept
        : state_(std::exchange(o.state_, nullptr)), id_(o.id_), size_(o.size_)
    {
    }
    buffer_lease &operator=(buffer_lease &&o) noexcept
    {
        if (this != &o) {
            reset();
            state_ = std::exchange(o.state_, nullptr);
            id_ = o.id_;
            size_ = o.size_;
        }
        return *this;
    }
    ~buffer_lease() { reset(); }

    // The bytes the kernel wrote.
    [[nodiscard]] std::span<std::byte> data() const noexcept
    {
        return state_ ? std::span<std::byte>(state_->buffer(id_), size_) : std::span<std::byte>();
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::uint16_t id() const noexcept { return id_; }
    explicit operator bool() const noexcept { return state_ != nullptr; }

    // Give the buffer back now.
    void reset() noexcept
    {
        if (state_) {
            --state_->leased;
            state_->recycle(id_);
            std::exchange(state_, nullptr)->unref();
        }
    }

private:
    friend class buffer_ring;
    friend struct detail::buffer_access;
    buffer_lease(detail::buffer_ring_state *s, std::uint16_t id, std::size_t size) noexcept
        : state_(s), id_(id), size_(size)
    {
        ++s->refs;
        ++s->leased;
    }

    detail::buffer_ring_state *state_ = nullptr;
    std::uint16_t id_ = 0;
    std::size_t size_ = 0;
};

class buffer_ring {
public:
    // `entries` buffers of `buffer_size` bytes for buffer group `group`;
    // entries must be a power of two (at most 32768).
    [[nodiscard]] static result<buffer_ring> create(io_uring *ring, std::uint16_t group, unsigned entries,
                                                    std::size_t buffer_size) noexcept
    {
        if (entries == 0 || entries > 32768 || (entries & (entries - 1)) != 0 || buffer_size == 0 ||
            buffer_size > 0xffffffffu)
            return make_error_code(std::errc::invalid_argument);
        auto *s = new (std::nothrow) detail::buffer_ring_state;
        if (!s)
            return make_error_code(std::errc::not_enough_memory);
        // Zeroed once: the kernel fills the buffers behind the back of
        // memory checkers such as valgrind, which would otherwise flag every
        // read of received data as uninitialised.
        s->storage = new (std::nothrow) std::byte[entries * buffer_size]();
        if (!s->storage) {
            delete s;
            return make_error_code(std::errc::not_enough_memory);
        }
        int err = 0;
        s->br = io_uring_setup_buf_ring(ring, entries, group, 0, &err);
        if (!s->br) {
            delete[] s->storage;
            delete s;
            return errno_error(err);
        }
        s->ring = ring;
        s->buffer_size = buffer_size;
        s->entries = entries;
        s->group = group;
        const int mask = io_uring_buf_ring_mask(entries);
        for (unsigned i = 0; i < entries; ++i)
            io_uring_buf_ring_add(s->br, s->buffer(static_cast<std::uint16_t>(i)),
                                  static_cast<unsigned>(buffer_size), static_cast<unsigned short>(i), mask,
                                  static_cast<int>(i));
        io_uring_buf_ring_advance(s->br, static_cast<int>(entries));
        return buffer_ring(s);
    }

    buffer_ring(buffer_ring &&o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
    buffer_ring &operator=(buffer_ring &&o) noexcept
    {
        std::swap(s_, o.s_);
        return *this;
    }
    buffer_ring(const buffer_ring &) = delete;
    buffer_ring &operator=(const buffer_ring &) = delete;
    // io_uring_free_buf_ring. Leases still out keep the memory alive.
    ~buffer_ring()
    {
        if (!s_)
            return;
        io_uring_free_buf_ring(s_->ring, s_->br, s_->entries, s_->group);
        s_->br = nullptr;
        s_->unref();
    }

    [[nodiscard]] std::uint16_t group() const noexcept { return s_->group; }
    [[nodiscard]] unsigned entries() const noexcept { return s_->entries; }
    [[nodiscard]] std::size_t buffer_size() const noexcept { return s_->buffer_size; }
    // Buffers held by leases right now.
    [[nodiscard]] unsigned leased() const noexcept { return s_->leased; }
    // Buffers the kernel can still pick (io_uring_buf_ring_available), or
    // -errno.
    [[nodiscard]] int available() const noexcept
    {
        return io_uring_buf_ring_available(s_->ring, s_->br, s_->group);
    }
    [[nodiscard]] io_uring_buf_ring *native_handle() const noexcept { return s_->br; }

    // Turns buffer `id`, filled with `size` bytes by a CQE, into a lease.
    [[nodiscard]] buffer_lease lease(std::uint16_t id, std::size_t size) noexcept
    {
        if (id >= s_->entries || size > s_->buffer_size)
            detail::contract_failure("buffer_ring::lease: buffer id or size out of range");
        return buffer_lease(s_, id, size);
    }
    // Hands buffer `id` straight back (a CQE whose data is not wanted).
    void recycle(std::uint16_t id) noexcept { s_->recycle(id); }

private:
    friend struct detail::buffer_access;
    explicit buffer_ring(detail::buffer_ring_state *s) noexcept : s_(s) {}
    detail::buffer_ring_state *s_;
};

namespace detail {

// For the generators, which hold the shared state rather than the
// buffer_ring (see multishot.hpp).
struct buffer_access {
    static buffer_ring_state *state(const buffer_ring &b) noexcept { return b.s_; }
    static buffer_lease lease(buffer_ring_state *s, std::uint16_t id, std::size_t size) noexcept
    {
        return buffer_lease(s, id, size);
    }
};

} // namespace detail
} // namespace uring
