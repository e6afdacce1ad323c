// Small helpers shared by the registration tests (register_*_test.cpp,
// probe_test.cpp, buf_ring_test.cpp, ring_fd_test.cpp): a ring that tears
// itself down, and "submit one SQE, get its CQE" with a timeout so that a
// broken library fails the test instead of hanging it.
#pragma once

#include <liburing.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace bareuring_test {

// A ring owned by the test. init() returns the io_uring_queue_init* result.
class TestRing {
public:
    TestRing() { std::memset(&ring_, 0, sizeof ring_); }
    ~TestRing() { exit(); }
    TestRing(const TestRing &) = delete;
    TestRing &operator=(const TestRing &) = delete;

    int init(unsigned entries = 8, unsigned flags = 0)
    {
        int ret = io_uring_queue_init(entries, &ring_, flags);
        live_ = ret == 0;
        return ret;
    }
    int init_params(unsigned entries, io_uring_params *p)
    {
        int ret = io_uring_queue_init_params(entries, &ring_, p);
        live_ = ret == 0;
        return ret;
    }
    void exit()
    {
        if (live_)
            io_uring_queue_exit(&ring_);
        live_ = false;
    }
    io_uring *get() { return &ring_; }
    io_uring *operator->() { return &ring_; }

private:
    io_uring ring_;
    bool live_ = false;
};

// The fields of a CQE a test looks at, copied out before the slot is
// released.
struct Cqe {
    std::uint64_t user_data = 0;
    std::int32_t res = 0;
    std::uint32_t flags = 0;
};

// Waits up to timeout_ms for the next CQE and consumes it. Returns 0 or the
// wait's -errno (-ETIME on timeout).
inline int wait_one(io_uring *ring, Cqe *out, long timeout_ms = 5000)
{
    __kernel_timespec ts{};
    ts.tv_sec = timeout_ms / 1000;
    ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
    io_uring_cqe *cqe = nullptr;
    int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
    if (ret < 0)
        return ret;
    if (cqe == nullptr)
        return -EAGAIN;
    out->user_data = cqe->user_data;
    out->res = cqe->res;
    out->flags = cqe->flags;
    io_uring_cqe_seen(ring, cqe);
    return 0;
}

// True if a CQE is ready right now (nothing consumed).
inline bool cqe_pending(io_uring *ring)
{
    io_uring_cqe *cqe = nullptr;
    return io_uring_peek_cqe(ring, &cqe) == 0 && cqe != nullptr;
}

// Submits one NOP with the given user_data and waits for its CQE.
inline int nop_roundtrip(io_uring *ring, std::uint64_t user_data, Cqe *out)
{
    io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (sqe == nullptr)
        return -EBUSY;
    io_uring_prep_nop(sqe);
    sqe->user_data = user_data;
    int ret = io_uring_submit(ring);
    if (ret != 1)
        return ret < 0 ? ret : -EIO;
    return wait_one(ring, out);
}

} // namespace bareuring_test
