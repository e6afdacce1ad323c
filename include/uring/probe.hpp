// uring::probe: which opcodes the running kernel supports
// (io_uring_get_probe_ring / io_uring_get_probe), owned and freed with
// io_uring_free_probe.
#pragma once

#include <liburing.h>

#include <utility>

#include "operation.hpp"
#include "result.hpp"

namespace uring {

class probe {
public:
    // A probe through a temporary ring (io_uring_get_probe).
    [[nodiscard]] static result<probe> create() noexcept
    {
        io_uring_probe *p = io_uring_get_probe();
        if (!p)
            return make_error_code(std::errc::function_not_supported);
        return probe(p);
    }
    // A probe through an existing ring (io_uring_get_probe_ring).
    [[nodiscard]] static result<probe> create(io_uring *ring) noexcept
    {
        io_uring_probe *p = io_uring_get_probe_ring(ring);
        if (!p)
            return make_error_code(std::errc::function_not_supported);
        return probe(p);
    }

    probe(probe &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    probe &operator=(probe &&o) noexcept
    {
        std::swap(p_, o.p_);
        return *this;
    }
    ~probe()
    {
        if (p_)
            io_uring_free_probe(p_);
    }

    [[nodiscard]] bool supports(io_uring_op op) const noexcept
    {
        return p_ && io_uring_opcode_supported(p_, static_cast<int>(op));
    }
    template <operation Op>
    [[nodiscard]] bool supports() const noexcept
    {
        return supports(Op::opcode);
    }
    // The highest opcode the kernel knows.
    [[nodiscard]] unsigned last_op() const noexcept { return p_ ? p_->last_op : 0; }
    [[nodiscard]] const io_uring_probe *native_handle() const noexcept { return p_; }

private:
    explicit probe(io_uring_probe *p) noexcept : p_(p) {}
    io_uring_probe *p_;
};

} // namespace uring
