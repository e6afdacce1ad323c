// libFuzzer target (issue 9, part 4): the input is a ring shape followed by
// a sequence of API calls, run on a real ring. After every call:
//   io_uring_sq_ready + io_uring_sq_space_left == sq.ring_entries,
//   io_uring_cq_ready <= cq.ring_entries;
// every CQE names a request that was issued and not completed yet (each
// user_data completes exactly once); and at the end, after submitting what
// is left and cancelling the polls that can never fire, every request has
// completed, nothing is left in the SQ or CQ, and no CQE was dropped.
//
// A broken invariant prints what happened and aborts, which libFuzzer
// records as a crash with the input that caused it. The same function is
// driven by replay_main.cpp in ordinary (non-clang) builds.
#include <liburing.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <set>
#include <unordered_set>

namespace {

[[noreturn]] void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    std::fprintf(stderr, "fuzz invariant broken: ");
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    va_end(ap);
    std::abort();
}

// Reads the input one byte at a time; zeros once it runs out.
struct Input {
    const std::uint8_t *p;
    std::size_t n;
    std::uint8_t byte() { return n ? (--n, *p++) : 0; }
    bool empty() const { return n == 0; }
};

// Files the requests use, created once per process.
struct Fixtures {
    int file = -1;       // 4 KiB of data
    int ready_pipe[2];   // always readable: a byte is written and never read
    int idle_pipe[2];    // never readable: polls on it complete only when cancelled
    alignas(4096) char scratch[65536];
    iovec iov{scratch, sizeof scratch};

    Fixtures()
    {
        char tmpl[] = "/tmp/bareuring-fuzz-XXXXXX";
        file = ::mkstemp(tmpl);
        if (file < 0)
            fail("mkstemp");
        ::unlink(tmpl);
        char data[4096];
        std::memset(data, 'd', sizeof data);
        if (::write(file, data, sizeof data) != sizeof data)
            fail("write fixture");
        if (::pipe2(ready_pipe, O_CLOEXEC) || ::pipe2(idle_pipe, O_CLOEXEC))
            fail("pipe");
        if (::write(ready_pipe[1], "r", 1) != 1)
            fail("write pipe");
    }
};

Fixtures &fixtures()
{
    static Fixtures f;
    return f;
}

// Totals over the process, for replay_main's summary line.
struct Totals {
    unsigned long requests = 0;  // CQEs checked
    unsigned long resizes = 0;   // successful io_uring_resize_rings
    unsigned long overflows = 0; // steps that found the CQ overflow flag set
} g_totals;

enum Op : std::uint8_t {
    kNop, kRead, kReadFixed, kReadFixedFile, kTimeout, kPollReady, kPollIdle, kCancel, kLinkLast,
    kSubmit, kSubmitAndWait, kSubmitAndGetEvents, kGetEvents,
    kPeek, kWaitZeroTimeout, kPeekBatch, kForEachAdvance, kWaitBlocking,
    kRegisterBuffers, kUnregisterBuffers, kRegisterFiles, kUnregisterFiles, kUpdateFiles,
    kResize,
    kOpCount
};

class Session {
public:
    explicit Session(Input &in) : in_(in), fx_(fixtures()) {}

    bool setup()
    {
        const std::uint8_t shape = in_.byte();
        const unsigned entries = 1u << (1 + (shape >> 3) % 5); // 2..32
        io_uring_params p{};
        switch (shape & 7) {
        case 1: p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER; break;
        case 2: p.flags = IORING_SETUP_CQSIZE; p.cq_entries = entries; break; // overflows early
        case 3: p.flags = IORING_SETUP_SQPOLL; p.sq_thread_idle = 1; break;
        case 4: p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32; break;
        case 5: p.flags = IORING_SETUP_NO_SQARRAY | IORING_SETUP_CQSIZE; p.cq_entries = entries; break;
        case 6:
            p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQSIZE |
                      IORING_SETUP_TASKRUN_FLAG;
            p.cq_entries = entries;
            break;
        default: break;
        }
        if (io_uring_queue_init_params(entries, &ring_, &p) < 0)
            return false;
        sqpoll_ = p.flags & IORING_SETUP_SQPOLL;
        defer_ = p.flags & IORING_SETUP_DEFER_TASKRUN;
        return true;
    }

    void run()
    {
        for (int steps = 0; steps < 512 && !in_.empty(); ++steps) {
            step(static_cast<Op>(in_.byte() % kOpCount));
            if (io_uring_cq_has_overflow(&ring_))
                ++g_totals.overflows;
            sync_consumed();
            check_invariants();
        }
        finish();
        io_uring_queue_exit(&ring_);
    }

private:
    // ---- bookkeeping -------------------------------------------------------

    // user_data of SQEs handed out, in SQ order, not yet consumed by the
    // kernel; the kernel consumes from the front.
    std::deque<__u64> in_sq_;
    unsigned last_khead_ = 0;
    bool khead_known_ = false;
    std::unordered_set<__u64> pending_;   // issued, no CQE yet
    std::unordered_set<__u64> in_kernel_; // consumed by the kernel, no CQE yet
    std::set<__u64> idle_polls_;          // requests that complete only when cancelled
    __u64 next_id_ = 1;
    bool buffers_ = false, files_ = false;
    bool sqpoll_ = false, defer_ = false;
    io_uring_sqe *last_sqe_ = nullptr;
    __u64 last_sqe_id_ = 0;

    void sync_consumed()
    {
        const unsigned khead = io_uring_smp_load_acquire(ring_.sq.khead);
        if (!khead_known_) {
            last_khead_ = khead;
            khead_known_ = true;
        }
        while (last_khead_ != khead) {
            if (in_sq_.empty())
                fail("kernel consumed more SQEs than were handed out (khead %u, seen %u)", khead, last_khead_);
            const __u64 id = in_sq_.front();
            in_sq_.pop_front();
            if (pending_.count(id))
                in_kernel_.insert(id);
            ++last_khead_;
        }
    }

    void check_invariants()
    {
        // Under SQPOLL the poller moves the SQ head at any time, so the two
        // counts are compared only across a window in which it stood still
        // (space_left the same before and after reading sq_ready).
        for (int attempt = 0; attempt < 3; ++attempt) {
            const unsigned left = io_uring_sq_space_left(&ring_);
            const unsigned ready = io_uring_sq_ready(&ring_);
            if (io_uring_sq_space_left(&ring_) != left)
                continue;
            if (ready + left != ring_.sq.ring_entries)
                fail("sq_ready %u + sq_space_left %u != ring_entries %u", ready, left, ring_.sq.ring_entries);
            sync_consumed();
            if (in_sq_.size() > ready || (!sqpoll_ && in_sq_.size() != ready))
                fail("sq_ready %u but %zu SQEs handed out and not consumed", ready, in_sq_.size());
            break;
        }
        if (io_uring_cq_ready(&ring_) > ring_.cq.ring_entries)
            fail("cq_ready %u > cq entries %u", io_uring_cq_ready(&ring_), ring_.cq.ring_entries);
    }

    // Every CQE must name a pending request; it is then done.
    void consume(const io_uring_cqe *cqe)
    {
        const __u64 id = cqe->user_data;
        if (!pending_.erase(id))
            fail("CQE for user_data %llu which is not pending (unknown or completed twice), res %d",
                 static_cast<unsigned long long>(id), cqe->res);
        in_kernel_.erase(id);
        idle_polls_.erase(id);
        ++g_totals.requests;
    }

    // A blocking wait returns only if some request in the kernel will
    // complete by itself, or a CQE is already there.
    bool wait_can_return()
    {
        if (io_uring_cq_ready(&ring_) || io_uring_cq_has_overflow(&ring_))
            return true;
        for (__u64 id : in_kernel_)
            if (!idle_polls_.count(id))
                return true;
        return false;
    }

    io_uring_sqe *issue(__u64 *id_out)
    {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        if (!sqe)
            return nullptr;
        const __u64 id = next_id_++;
        io_uring_sqe_set_data64(sqe, id);
        pending_.insert(id);
        in_sq_.push_back(id);
        last_sqe_ = sqe;
        last_sqe_id_ = id;
        *id_out = id;
        return sqe;
    }

    void expect(int got, int want, const char *what)
    {
        if (got != want)
            fail("%s returned %d, expected %d", what, got, want);
    }

    int checked_submit(int ret, const char *what)
    {
        if (ret < 0 && ret != -EBUSY && ret != -EAGAIN && ret != -EINTR)
            fail("%s returned %d", what, ret);
        return ret;
    }

    // ---- the operations ------------------------------------------------------

    void step(Op op)
    {
        const std::uint8_t arg = in_.byte();
        __u64 id = 0;
        io_uring_sqe *sqe = nullptr;
        switch (op) {
        case kNop:
            if ((sqe = issue(&id)))
                io_uring_prep_nop(sqe);
            break;
        case kRead:
            if ((sqe = issue(&id)))
                io_uring_prep_read(sqe, fx_.file, fx_.scratch + (arg % 16) * 64, 64, arg * 64u);
            break;
        case kReadFixed:
            if ((sqe = issue(&id)))
                io_uring_prep_read_fixed(sqe, fx_.file, fx_.scratch, 64, arg * 32u, 0);
            break;
        case kReadFixedFile:
            if ((sqe = issue(&id))) {
                io_uring_prep_read(sqe, 0, fx_.scratch + 1024, 64, 0);
                sqe->flags |= IOSQE_FIXED_FILE;
            }
            break;
        case kTimeout: {
            static __kernel_timespec one_us{0, 1000};
            if ((sqe = issue(&id)))
                io_uring_prep_timeout(sqe, &one_us, arg % 3, 0);
            break;
        }
        case kPollReady:
            if ((sqe = issue(&id)))
                io_uring_prep_poll_add(sqe, fx_.ready_pipe[0], POLLIN);
            break;
        case kPollIdle:
            if ((sqe = issue(&id))) {
                io_uring_prep_poll_add(sqe, fx_.idle_pipe[0], POLLIN);
                idle_polls_.insert(id);
                last_sqe_ = nullptr; // never the head of a link: its successor would wait forever
            }
            break;
        case kCancel: {
            // Target some id, issued or not; the result does not matter,
            // only that each request still completes exactly once.
            const __u64 target = next_id_ > 1 ? 1 + arg % (next_id_ - 1) : 0;
            if ((sqe = issue(&id)))
                io_uring_prep_cancel64(sqe, target, 0);
            break;
        }
        case kLinkLast:
            // Links the last SQE to whatever is handed out next, if it has
            // not been flushed yet.
            if (last_sqe_ && !in_sq_.empty() && in_sq_.back() == last_sqe_id_ &&
                ring_.sq.sqe_tail != ring_.sq.sqe_head)
                last_sqe_->flags |= IOSQE_IO_LINK;
            break;
        case kSubmit:
            checked_submit(io_uring_submit(&ring_), "io_uring_submit");
            last_sqe_ = nullptr;
            break;
        case kSubmitAndWait: {
            // Everything handed out reaches the kernel (or the poller); wait
            // for one CQE only if some request will complete by itself.
            last_sqe_ = nullptr;
            const bool can_wait = pending_.size() > idle_polls_.size() || io_uring_cq_ready(&ring_) ||
                                  io_uring_cq_has_overflow(&ring_);
            checked_submit(io_uring_submit_and_wait(&ring_, can_wait ? 1 : 0), "io_uring_submit_and_wait");
            break;
        }
        case kSubmitAndGetEvents:
            last_sqe_ = nullptr;
            checked_submit(io_uring_submit_and_get_events(&ring_), "io_uring_submit_and_get_events");
            break;
        case kGetEvents: {
            int ret = io_uring_get_events(&ring_);
            if (ret < 0 && ret != -EINTR)
                fail("io_uring_get_events returned %d", ret);
            break;
        }
        case kPeek: {
            io_uring_cqe *cqe = nullptr;
            int ret = io_uring_peek_cqe(&ring_, &cqe);
            if (ret == 0) {
                consume(cqe);
                io_uring_cqe_seen(&ring_, cqe);
            } else if (ret != -EAGAIN) {
                fail("io_uring_peek_cqe returned %d", ret);
            }
            break;
        }
        case kWaitZeroTimeout: {
            io_uring_cqe *cqe = nullptr;
            __kernel_timespec zero{0, 0};
            int ret = io_uring_wait_cqe_timeout(&ring_, &cqe, &zero);
            if (ret == 0 && cqe) {
                consume(cqe);
                io_uring_cqe_seen(&ring_, cqe);
            } else if (ret != -ETIME && ret != -EAGAIN && ret != -EINTR && ret != 0) {
                fail("io_uring_wait_cqe_timeout(0) returned %d", ret);
            }
            break;
        }
        case kPeekBatch: {
            io_uring_cqe *cqes[32];
            const unsigned n = io_uring_peek_batch_cqe(&ring_, cqes, 1 + arg % 32);
            for (unsigned i = 0; i < n; ++i)
                consume(cqes[i]);
            io_uring_cq_advance(&ring_, n);
            break;
        }
        case kForEachAdvance: {
            // Consume at most arg % 8 + 1 of the ready CQEs.
            unsigned head, seen = 0;
            io_uring_cqe *cqe;
            const unsigned limit = 1 + arg % 8;
            io_uring_for_each_cqe(&ring_, head, cqe)
            {
                (void)head;
                if (seen == limit)
                    break;
                consume(cqe);
                ++seen;
            }
            io_uring_cq_advance(&ring_, seen);
            break;
        }
        case kWaitBlocking:
            if (wait_can_return()) {
                io_uring_cqe *cqe = nullptr;
                int ret = io_uring_wait_cqe(&ring_, &cqe);
                if (ret != 0)
                    fail("io_uring_wait_cqe returned %d", ret);
                consume(cqe);
                io_uring_cqe_seen(&ring_, cqe);
            }
            break;
        case kRegisterBuffers:
            expect(io_uring_register_buffers(&ring_, &fx_.iov, 1), buffers_ ? -EBUSY : 0, "register_buffers");
            buffers_ = true;
            break;
        case kUnregisterBuffers:
            expect(io_uring_unregister_buffers(&ring_), buffers_ ? 0 : -ENXIO, "unregister_buffers");
            buffers_ = false;
            break;
        case kRegisterFiles: {
            const int fds[2] = {fx_.file, fx_.ready_pipe[0]};
            expect(io_uring_register_files(&ring_, fds, 2), files_ ? -EBUSY : 0, "register_files");
            files_ = true;
            break;
        }
        case kUnregisterFiles:
            expect(io_uring_unregister_files(&ring_), files_ ? 0 : -ENXIO, "unregister_files");
            files_ = false;
            break;
        case kUpdateFiles: {
            const int fd = (arg & 1) ? fx_.file : -1;
            expect(io_uring_register_files_update(&ring_, arg % 2, &fd, 1), files_ ? 1 : -ENXIO,
                   "register_files_update");
            break;
        }
        case kResize:
            if (defer_)
                resize(arg);
            break;
        default: break;
        }
    }

    // io_uring_resize_rings moves everything across; SQEs handed out but not
    // flushed that do not fit the new SQ are given back by the library (the
    // newest first), so they are forgotten here too.
    void resize(std::uint8_t arg)
    {
        io_uring_params p{};
        p.sq_entries = 1u << (1 + arg % 5);
        p.cq_entries = p.sq_entries << (arg >> 7);
        p.flags = IORING_SETUP_CQSIZE;
        const unsigned unflushed_before = ring_.sq.sqe_tail - ring_.sq.sqe_head;
        const int ret = io_uring_resize_rings(&ring_, &p);
        if (ret < 0 && ret != -EOVERFLOW && ret != -EINVAL && ret != -EBUSY && ret != -ENOMEM)
            fail("io_uring_resize_rings returned %d", ret);
        last_sqe_ = nullptr;
        if (ret != 0)
            return;
        ++g_totals.resizes;
        if (ring_.sq.ring_entries != p.sq_entries)
            fail("resize: sq entries %u, asked %u", ring_.sq.ring_entries, p.sq_entries);
        const unsigned unflushed_after = ring_.sq.sqe_tail - ring_.sq.sqe_head;
        if (unflushed_after > unflushed_before)
            fail("resize created SQEs (%u unflushed before, %u after)", unflushed_before, unflushed_after);
        for (unsigned i = unflushed_after; i < unflushed_before; ++i) {
            const __u64 dropped = in_sq_.back();
            in_sq_.pop_back();
            pending_.erase(dropped);
            idle_polls_.erase(dropped);
        }
    }

    // ---- the end: everything must complete exactly once ----------------------

    void finish()
    {
        // Submit what is left (SQPOLL: until the poller consumed it).
        for (int i = 0; i < 100000 && !in_sq_.empty(); ++i) {
            checked_submit(io_uring_submit(&ring_), "final io_uring_submit");
            sync_consumed();
            if (!in_sq_.empty()) {
                drain_ready();
                ::usleep(10); // SQPOLL: let the poller run
            }
        }
        if (!in_sq_.empty())
            fail("%zu SQEs never consumed by the kernel", in_sq_.size());
        // Polls that can never fire are cancelled. One cancel may not be
        // enough: a poll linked behind another request is armed only when
        // that request completes (possibly later, from io-wq or deferred
        // task work), and a cancel cannot find it before. So: cancel, reap
        // for a while, and cancel again while idle polls remain.
        for (int round = 0; !pending_.empty(); ++round) {
            if (round == 200)
                fail("%zu requests never completed (first id %llu)", pending_.size(),
                     static_cast<unsigned long long>(*pending_.begin()));
            if (!idle_polls_.empty())
                cancel_idle_polls();
            for (;;) {
                io_uring_cqe *cqe = nullptr;
                __kernel_timespec guard{0, 50 * 1000 * 1000};
                const int ret = io_uring_wait_cqe_timeout(&ring_, &cqe, &guard);
                if (ret == -ETIME)
                    break;
                if (ret < 0 && ret != -EINTR)
                    fail("final wait returned %d", ret);
                if (ret == 0) {
                    consume(cqe);
                    io_uring_cqe_seen(&ring_, cqe);
                }
                if (pending_.empty())
                    break;
            }
        }
        sync_consumed();
        check_invariants();
        if (io_uring_cq_ready(&ring_))
            fail("%u CQEs beyond the requests issued", io_uring_cq_ready(&ring_));
        if (io_uring_sq_ready(&ring_))
            fail("SQ not empty at the end");
        if (io_uring_cq_has_overflow(&ring_))
            fail("overflow flag set at the end");
        if (*ring_.cq.koverflow)
            fail("kernel dropped %u CQEs", *ring_.cq.koverflow);
    }

    // One IORING_ASYNC_CANCEL_ANY|ALL request, itself tracked like any other.
    void cancel_idle_polls()
    {
        io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
        if (!sqe) {
            drain_ready();
            return;
        }
        const __u64 id = next_id_++;
        io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
        io_uring_sqe_set_data64(sqe, id);
        pending_.insert(id);
        in_sq_.push_back(id);
        for (int i = 0; i < 100000 && !in_sq_.empty(); ++i) {
            checked_submit(io_uring_submit(&ring_), "cancel submit");
            sync_consumed();
            if (!in_sq_.empty())
                ::usleep(10); // SQPOLL: let the poller run
        }
    }

    void drain_ready()
    {
        io_uring_cqe *cqe = nullptr;
        while (io_uring_peek_cqe(&ring_, &cqe) == 0) {
            consume(cqe);
            io_uring_cqe_seen(&ring_, cqe);
        }
    }

    Input &in_;
    Fixtures &fx_;
    io_uring ring_{};
};

} // namespace

extern "C" void bareuring_fuzz_totals(unsigned long *requests, unsigned long *resizes, unsigned long *overflows)
{
    *requests = g_totals.requests;
    *resizes = g_totals.resizes;
    *overflows = g_totals.overflows;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Input in{data, size};
    Session s(in);
    if (s.setup())
        s.run();
    return 0;
}
