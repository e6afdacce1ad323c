// Bad input (issue 9, part 2): every function exported from liburing.so.2
// is called with NULL, zero, huge and invalid arguments. Each call runs in a
// forked child, so a crash (or a hang, cut short by alarm()) is reported
// as a failed row instead of killing the test program.
//
// The expectation per row is "an error comes back" (a negative errno, NULL,
// or 0 CQEs), except where the arguments are legitimately acceptable
// (marked kAny: the row only has to return). With BAREURING_BAD_INPUT_TABLE
// set to a path, the test writes the markdown table of every row and its
// outcome there; tests/reliability/update_doc.sh pastes it into
// docs/reliability.md.
#include <liburing.h>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing/io_uring/bpf_filter.h>
#include <liburing/io_uring/query.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

// The exported io_uring_get_sqe (exported_get_sqe.cpp): the header's inline
// copy does not check for NULL and is not what this table is about.
io_uring_sqe *exported_io_uring_get_sqe(io_uring *ring) noexcept;

namespace {

// ---- what a call returned ---------------------------------------------------

enum class Kind : int { Int, Ptr, Void, Bool, Unsigned };

// Laid out without padding: it travels from the child as raw bytes.
struct Outcome {
    Kind kind = Kind::Void;
    int err = 0;     // *err of io_uring_setup_buf_ring
    long value = 0;  // Int/Bool/Unsigned value; Ptr: 0 = NULL, 1 = non-NULL
    long has_err = 0;
};
static_assert(sizeof(Outcome) == 2 * sizeof(int) + 2 * sizeof(long), "no padding");

Outcome make(Kind kind, long value, bool has_err = false, int err = 0)
{
    Outcome o;
    o.kind = kind;
    o.value = value;
    o.has_err = has_err;
    o.err = err;
    return o;
}

Outcome int_result(long v) { return make(Kind::Int, v); }
Outcome ptr_result(const void *p) { return make(Kind::Ptr, p ? 1 : 0); }
Outcome ptr_err_result(const void *p, int err) { return make(Kind::Ptr, p ? 1 : 0, true, err); }
Outcome void_result() { return make(Kind::Void, 0); }
Outcome bool_result(bool b) { return make(Kind::Bool, b); }
Outcome unsigned_result(unsigned v) { return make(Kind::Unsigned, static_cast<long>(v)); }

std::string errno_text(long v)
{
    if (v >= 0)
        return std::to_string(v);
    const char *name = strerrorname_np(static_cast<int>(-v));
    return std::to_string(v) + " (" + (name ? name : "?") + ")";
}

std::string format(const Outcome &o)
{
    switch (o.kind) {
    case Kind::Int: return errno_text(o.value);
    case Kind::Ptr: {
        std::string s = o.value ? "non-NULL" : "NULL";
        if (o.has_err)
            s += ", *err = " + errno_text(o.err);
        return s;
    }
    case Kind::Void: return "returns";
    case Kind::Bool: return o.value ? "true" : "false";
    case Kind::Unsigned: return std::to_string(o.value);
    }
    return "?";
}

// ---- rows ---------------------------------------------------------------------

enum Expect { kError, kAny };

struct Row {
    const char *function;
    std::string args;
    std::function<Outcome()> call;
    Expect expect = kError;
};

bool is_error(const Outcome &o)
{
    switch (o.kind) {
    case Kind::Int: return o.value < 0;
    case Kind::Ptr: return o.value == 0 && (!o.has_err || o.err < 0);
    case Kind::Unsigned: return o.value == 0;
    case Kind::Void:
    case Kind::Bool: return true;
    }
    return false;
}

// ---- things the rows need (created inside the child) -----------------------------

constexpr unsigned kHuge = UINT_MAX;
constexpr unsigned kTopBit = 1u << 31;

io_uring *make_ring(unsigned flags = 0)
{
    static io_uring rings[4];
    static int used = 0;
    io_uring *r = &rings[used++ & 3];
    if (io_uring_queue_init(8, r, flags) < 0)
        _exit(90);
    return r;
}

io_uring *ring() { return make_ring(0); }

// A working ring whose enter fd is not a ring any more (closed behind the
// library's back) with one NOP queued: every enter fails with -EBADF.
io_uring *ring_with_dead_fd()
{
    io_uring *r = ring();
    ::close(r->ring_fd);
    r->ring_fd = 12345;
    r->enter_ring_fd = 12345;
    io_uring_prep_nop(exported_io_uring_get_sqe(r));
    return r;
}

int devnull() { return ::open("/dev/null", O_RDWR | O_CLOEXEC); }

void *bad_ptr() { return reinterpret_cast<void *>(static_cast<uintptr_t>(8)); }

alignas(4096) char g_buf[4096];
iovec g_iov{g_buf, sizeof g_buf};
__u64 g_tags[4];
int g_fds[4] = {0, 1, 2, 0};
io_uring_cqe *g_cqe;
io_uring_cqe *g_cqes[8];
__kernel_timespec g_ts_short{0, 1000000};

io_uring_params params(unsigned flags = 0, unsigned cq = 0)
{
    io_uring_params p{};
    p.flags = flags;
    p.cq_entries = cq;
    return p;
}

std::vector<Row> rows()
{
    std::vector<Row> r;
    auto add = [&r](const char *fn, std::string args, std::function<Outcome()> call, Expect e = kError) {
        r.push_back(Row{fn, std::move(args), std::move(call), e});
    };
    auto I = [](long v) { return int_result(v); };

    // ---- probes ----
    add("io_uring_get_probe_ring", "NULL", [] { return ptr_result(io_uring_get_probe_ring(nullptr)); });
    add("io_uring_get_probe", "() (no arguments: must simply work)",
        [] { return ptr_result(io_uring_get_probe()); }, kAny);
    add("io_uring_free_probe", "NULL", [] { io_uring_free_probe(nullptr); return void_result(); });

    // ---- setup ----
    add("io_uring_queue_init_mem", "8, NULL ring, p, buf, 64K", [&] {
        io_uring_params p = params();
        static char buf[65536];
        return I(io_uring_queue_init_mem(8, nullptr, &p, buf, sizeof buf));
    });
    add("io_uring_queue_init_mem", "8, ring, NULL p, buf, 64K", [&] {
        io_uring rr;
        static char buf[65536];
        return I(io_uring_queue_init_mem(8, &rr, nullptr, buf, sizeof buf));
    });
    add("io_uring_queue_init_mem", "8, ring, p, NULL buf, 64K", [&] {
        io_uring rr;
        io_uring_params p = params();
        return I(io_uring_queue_init_mem(8, &rr, &p, nullptr, 65536));
    });
    add("io_uring_queue_init_mem", "8, ring, p, buf, size 0", [&] {
        io_uring rr;
        io_uring_params p = params();
        static char buf[65536];
        return I(io_uring_queue_init_mem(8, &rr, &p, buf, 0));
    });
    add("io_uring_queue_init_mem", "entries 0", [&] {
        io_uring rr;
        io_uring_params p = params();
        static char buf[65536];
        return I(io_uring_queue_init_mem(0, &rr, &p, buf, sizeof buf));
    });
    add("io_uring_queue_init_mem", "entries 1<<31", [&] {
        io_uring rr;
        io_uring_params p = params();
        static char buf[65536];
        return I(io_uring_queue_init_mem(kTopBit, &rr, &p, buf, sizeof buf));
    });
    add("io_uring_queue_init_mem", "8, ring, p.flags = ~0, buf, 64K", [&] {
        io_uring rr;
        io_uring_params p = params(~0u);
        static char buf[65536];
        return I(io_uring_queue_init_mem(8, &rr, &p, buf, sizeof buf));
    });
    add("io_uring_queue_init_params", "8, NULL ring, p", [] {
        io_uring_params p = params();
        return int_result(io_uring_queue_init_params(8, nullptr, &p));
    });
    add("io_uring_queue_init_params", "8, ring, NULL p", [] {
        io_uring rr;
        return int_result(io_uring_queue_init_params(8, &rr, nullptr));
    });
    add("io_uring_queue_init_params", "entries 0", [] {
        io_uring rr;
        io_uring_params p = params();
        return int_result(io_uring_queue_init_params(0, &rr, &p));
    });
    add("io_uring_queue_init_params", "entries 1<<31", [] {
        io_uring rr;
        io_uring_params p = params();
        return int_result(io_uring_queue_init_params(kTopBit, &rr, &p));
    });
    add("io_uring_queue_init_params", "p.flags = ~0", [] {
        io_uring rr;
        io_uring_params p = params(~0u);
        return int_result(io_uring_queue_init_params(8, &rr, &p));
    });
    add("io_uring_queue_init_params", "CQSIZE with cq_entries 0", [] {
        io_uring rr;
        io_uring_params p = params(IORING_SETUP_CQSIZE, 0);
        return int_result(io_uring_queue_init_params(8, &rr, &p));
    });
    add("io_uring_queue_init_params", "p.resv[] non-zero", [] {
        io_uring rr;
        io_uring_params p = params();
        p.resv[0] = 1;
        return int_result(io_uring_queue_init_params(8, &rr, &p));
    });
    add("io_uring_queue_init_params", "ATTACH_WQ with wq_fd -1", [] {
        io_uring rr;
        io_uring_params p = params(IORING_SETUP_ATTACH_WQ);
        p.wq_fd = static_cast<__u32>(-1);
        return int_result(io_uring_queue_init_params(8, &rr, &p));
    });
    add("io_uring_queue_init_params", "ATTACH_WQ with wq_fd = /dev/null", [] {
        io_uring rr;
        io_uring_params p = params(IORING_SETUP_ATTACH_WQ);
        p.wq_fd = static_cast<__u32>(devnull());
        return int_result(io_uring_queue_init_params(8, &rr, &p));
    });
    add("io_uring_queue_init", "8, NULL, 0", [] { return int_result(io_uring_queue_init(8, nullptr, 0)); });
    add("io_uring_queue_init", "entries 0", [] {
        io_uring rr;
        return int_result(io_uring_queue_init(0, &rr, 0));
    });
    add("io_uring_queue_init", "entries 1<<31", [] {
        io_uring rr;
        return int_result(io_uring_queue_init(kTopBit, &rr, 0));
    });
    add("io_uring_queue_init", "entries UINT_MAX", [] {
        io_uring rr;
        return int_result(io_uring_queue_init(kHuge, &rr, 0));
    });
    add("io_uring_queue_init", "flags ~0", [] {
        io_uring rr;
        return int_result(io_uring_queue_init(8, &rr, ~0u));
    });
    add("io_uring_queue_init", "REGISTERED_FD_ONLY without NO_MMAP", [] {
        io_uring rr;
        return int_result(io_uring_queue_init(8, &rr, IORING_SETUP_REGISTERED_FD_ONLY));
    });
    add("io_uring_queue_mmap", "fd -1", [] {
        io_uring rr;
        io_uring_params p = params();
        p.sq_entries = 8;
        p.sq_off.array = 64;
        return int_result(io_uring_queue_mmap(-1, &p, &rr));
    });
    add("io_uring_queue_mmap", "fd = /dev/null", [] {
        io_uring rr;
        io_uring_params p = params();
        p.sq_entries = 8;
        p.sq_off.array = 64;
        return int_result(io_uring_queue_mmap(devnull(), &p, &rr));
    });
    add("io_uring_queue_mmap", "ring fd, NULL p", [] {
        io_uring rr;
        return int_result(io_uring_queue_mmap(ring()->ring_fd, nullptr, &rr));
    });
    add("io_uring_queue_mmap", "ring fd, p, NULL ring", [] {
        io_uring_params p = params();
        return int_result(io_uring_queue_mmap(ring()->ring_fd, &p, nullptr));
    });
    add("io_uring_queue_mmap", "ring fd, zeroed p (no offsets/sizes)", [] {
        io_uring rr;
        io_uring_params p = params();
        return int_result(io_uring_queue_mmap(ring()->ring_fd, &p, &rr));
    });
    add("io_uring_ring_dontfork", "NULL", [] { return int_result(io_uring_ring_dontfork(nullptr)); });
    add("io_uring_ring_dontfork", "zeroed struct io_uring", [] {
        io_uring rr{};
        return int_result(io_uring_ring_dontfork(&rr));
    });
    add("io_uring_queue_exit", "NULL", [] { io_uring_queue_exit(nullptr); return void_result(); });

    // ---- completions ----
    add("io_uring_peek_batch_cqe", "NULL, cqes, 8",
        [] { return unsigned_result(io_uring_peek_batch_cqe(nullptr, g_cqes, 8)); });
    add("io_uring_peek_batch_cqe", "ring, NULL cqes, 8",
        [] { return unsigned_result(io_uring_peek_batch_cqe(ring(), nullptr, 8)); });
    add("io_uring_peek_batch_cqe", "ring, cqes, 0",
        [] { return unsigned_result(io_uring_peek_batch_cqe(ring(), g_cqes, 0)); });
    add("io_uring_peek_batch_cqe", "empty ring, cqes, UINT_MAX",
        [] { return unsigned_result(io_uring_peek_batch_cqe(ring(), g_cqes, kHuge)); });
    add("io_uring_wait_cqes", "NULL ring", [] {
        return int_result(io_uring_wait_cqes(nullptr, &g_cqe, 1, &g_ts_short, nullptr));
    });
    add("io_uring_wait_cqes", "NULL ring, NULL ts", [] {
        return int_result(io_uring_wait_cqes(nullptr, &g_cqe, 1, nullptr, nullptr));
    });
    add("io_uring_wait_cqes", "ring, NULL cqe_ptr", [] {
        return int_result(io_uring_wait_cqes(ring(), nullptr, 1, &g_ts_short, nullptr));
    });
    add("io_uring_wait_cqes", "empty ring, wait_nr UINT_MAX, 1 ms", [] {
        return int_result(io_uring_wait_cqes(ring(), &g_cqe, kHuge, &g_ts_short, nullptr));
    });
    add("io_uring_wait_cqes", "ts = {-1, -1}", [] {
        __kernel_timespec ts{-1, -1};
        return int_result(io_uring_wait_cqes(ring(), &g_cqe, 1, &ts, nullptr));
    });
    add("io_uring_wait_cqes", "ts = bad pointer", [] {
        return int_result(io_uring_wait_cqes(ring(), &g_cqe, 1, static_cast<__kernel_timespec *>(bad_ptr()), nullptr));
    });
    add("io_uring_wait_cqes", "sigmask = bad pointer", [] {
        return int_result(io_uring_wait_cqes(ring(), &g_cqe, 1, &g_ts_short, static_cast<sigset_t *>(bad_ptr())));
    });
    add("io_uring_wait_cqes_min_timeout", "NULL ring", [] {
        return int_result(io_uring_wait_cqes_min_timeout(nullptr, &g_cqe, 1, &g_ts_short, 10, nullptr));
    });
    add("io_uring_wait_cqes_min_timeout", "ring, NULL cqe_ptr", [] {
        return int_result(io_uring_wait_cqes_min_timeout(ring(), nullptr, 1, &g_ts_short, 10, nullptr));
    });
    add("io_uring_wait_cqes_min_timeout", "empty ring, wait_nr UINT_MAX, 1 ms", [] {
        return int_result(io_uring_wait_cqes_min_timeout(ring(), &g_cqe, kHuge, &g_ts_short, 0, nullptr));
    });
    add("io_uring_wait_cqes_min_timeout", "ts = bad pointer", [] {
        return int_result(io_uring_wait_cqes_min_timeout(ring(), &g_cqe, 1,
                                                         static_cast<__kernel_timespec *>(bad_ptr()), 10, nullptr));
    });
    add("io_uring_wait_cqe_timeout", "NULL ring",
        [] { return int_result(io_uring_wait_cqe_timeout(nullptr, &g_cqe, &g_ts_short)); });
    add("io_uring_wait_cqe_timeout", "ring, NULL cqe_ptr",
        [] { return int_result(io_uring_wait_cqe_timeout(ring(), nullptr, &g_ts_short)); });
    add("io_uring_wait_cqe_timeout", "ts = {0, -1}", [] {
        __kernel_timespec ts{0, -1};
        return int_result(io_uring_wait_cqe_timeout(ring(), &g_cqe, &ts));
    });
    add("io_uring_wait_cqe_timeout", "ts = bad pointer", [] {
        return int_result(io_uring_wait_cqe_timeout(ring(), &g_cqe, static_cast<__kernel_timespec *>(bad_ptr())));
    });
    add("io_uring_wait_cqe_timeout", "dead ring fd",
        [] { return int_result(io_uring_wait_cqe_timeout(ring_with_dead_fd(), &g_cqe, &g_ts_short)); });
    add("__io_uring_get_cqe", "NULL ring", [] { return int_result(__io_uring_get_cqe(nullptr, &g_cqe, 0, 1, nullptr)); });
    add("__io_uring_get_cqe", "ring, NULL cqe_ptr",
        [] { return int_result(__io_uring_get_cqe(ring(), nullptr, 0, 1, nullptr)); });
    add("__io_uring_get_cqe", "empty ring, submit 0, wait 0",
        [] { return int_result(__io_uring_get_cqe(ring(), &g_cqe, 0, 0, nullptr)); });
    add("__io_uring_get_cqe", "dead ring fd, submit 1, wait 1",
        [] { return int_result(__io_uring_get_cqe(ring_with_dead_fd(), &g_cqe, 1, 1, nullptr)); });
    add("__io_uring_get_cqe", "sigmask = bad pointer", [] {
        return int_result(__io_uring_get_cqe(ring(), &g_cqe, 0, 1, static_cast<sigset_t *>(bad_ptr())));
    });

    // ---- submission ----
    add("io_uring_submit", "NULL", [] { return int_result(io_uring_submit(nullptr)); });
    add("io_uring_submit", "dead ring fd, 1 SQE queued", [] { return int_result(io_uring_submit(ring_with_dead_fd())); });
    add("io_uring_submit_and_wait", "NULL, 1", [] { return int_result(io_uring_submit_and_wait(nullptr, 1)); });
    add("io_uring_submit_and_wait", "dead ring fd, 1",
        [] { return int_result(io_uring_submit_and_wait(ring_with_dead_fd(), 1)); });
    add("io_uring_submit_and_get_events", "NULL", [] { return int_result(io_uring_submit_and_get_events(nullptr)); });
    add("io_uring_submit_and_get_events", "dead ring fd",
        [] { return int_result(io_uring_submit_and_get_events(ring_with_dead_fd())); });
    add("io_uring_get_events", "NULL", [] { return int_result(io_uring_get_events(nullptr)); });
    add("io_uring_get_events", "dead ring fd", [] { return int_result(io_uring_get_events(ring_with_dead_fd())); });
    add("io_uring_submit_and_wait_timeout", "NULL ring", [] {
        return int_result(io_uring_submit_and_wait_timeout(nullptr, &g_cqe, 1, &g_ts_short, nullptr));
    });
    add("io_uring_submit_and_wait_timeout", "ring, NULL cqe_ptr", [] {
        return int_result(io_uring_submit_and_wait_timeout(ring(), nullptr, 1, &g_ts_short, nullptr));
    });
    add("io_uring_submit_and_wait_timeout", "empty ring, wait_nr UINT_MAX, 1 ms", [] {
        return int_result(io_uring_submit_and_wait_timeout(ring(), &g_cqe, kHuge, &g_ts_short, nullptr));
    });
    add("io_uring_submit_and_wait_timeout", "ts = bad pointer", [] {
        return int_result(io_uring_submit_and_wait_timeout(ring(), &g_cqe, 1,
                                                           static_cast<__kernel_timespec *>(bad_ptr()), nullptr));
    });
    add("io_uring_submit_and_wait_timeout", "dead ring fd", [] {
        return int_result(io_uring_submit_and_wait_timeout(ring_with_dead_fd(), &g_cqe, 1, &g_ts_short, nullptr));
    });
    add("io_uring_submit_and_wait_min_timeout", "NULL ring", [] {
        return int_result(io_uring_submit_and_wait_min_timeout(nullptr, &g_cqe, 1, &g_ts_short, 10, nullptr));
    });
    add("io_uring_submit_and_wait_min_timeout", "ring, NULL cqe_ptr", [] {
        return int_result(io_uring_submit_and_wait_min_timeout(ring(), nullptr, 1, &g_ts_short, 10, nullptr));
    });
    add("io_uring_submit_and_wait_min_timeout", "empty ring, wait_nr UINT_MAX, 1 ms", [] {
        return int_result(io_uring_submit_and_wait_min_timeout(ring(), &g_cqe, kHuge, &g_ts_short, 10, nullptr));
    });
    add("io_uring_submit_and_wait_min_timeout", "dead ring fd", [] {
        return int_result(
            io_uring_submit_and_wait_min_timeout(ring_with_dead_fd(), &g_cqe, 1, &g_ts_short, 10, nullptr));
    });
    add("io_uring_submit_and_wait_reg", "NULL ring",
        [] { return int_result(io_uring_submit_and_wait_reg(nullptr, &g_cqe, 1, 0)); });
    add("io_uring_submit_and_wait_reg", "ring, NULL cqe_ptr",
        [] { return int_result(io_uring_submit_and_wait_reg(ring(), nullptr, 1, 0)); });
    add("io_uring_submit_and_wait_reg", "ring without a wait region, index 0",
        [] { return int_result(io_uring_submit_and_wait_reg(ring(), &g_cqe, 1, 0)); });
    add("io_uring_submit_and_wait_reg", "index -1",
        [] { return int_result(io_uring_submit_and_wait_reg(ring(), &g_cqe, 1, -1)); });
    add("io_uring_submit_and_wait_reg", "index INT_MAX",
        [] { return int_result(io_uring_submit_and_wait_reg(ring(), &g_cqe, 1, INT_MAX)); });
    add("io_uring_register_wait_reg", "NULL, NULL, 0", [] { return int_result(io_uring_register_wait_reg(nullptr, nullptr, 0)); });
    add("io_uring_register_wait_reg", "ring, NULL, -1", [] { return int_result(io_uring_register_wait_reg(ring(), nullptr, -1)); });
    add("io_uring_get_sqe", "NULL", [] { return ptr_result(exported_io_uring_get_sqe(nullptr)); });
    add("io_uring_get_sqe", "ring whose SQ is full", [] {
        io_uring *r = ring();
        for (unsigned i = 0; i < r->sq.ring_entries; ++i)
            exported_io_uring_get_sqe(r);
        return ptr_result(exported_io_uring_get_sqe(r));
    });
    add("__io_uring_sqring_wait", "NULL", [] { return int_result(__io_uring_sqring_wait(nullptr)); });
    add("__io_uring_sqring_wait", "dead ring fd", [] { return int_result(__io_uring_sqring_wait(ring_with_dead_fd())); });
    add("__io_uring_sqring_wait", "ring without SQPOLL (kernel ignores SQ_WAIT)",
        [] { return int_result(__io_uring_sqring_wait(ring())); }, kAny);
    add("io_uring_set_iowait", "NULL, false", [] { return int_result(io_uring_set_iowait(nullptr, false)); });
    add("io_uring_set_iowait", "ring, true (valid: must work)", [] { return int_result(io_uring_set_iowait(ring(), true)); },
        kAny);

    // ---- resize ----
    add("io_uring_resize_rings", "NULL ring, p", [] {
        io_uring_params p = params();
        p.sq_entries = 32;
        return int_result(io_uring_resize_rings(nullptr, &p));
    });
    add("io_uring_resize_rings", "ring, NULL p", [] { return int_result(io_uring_resize_rings(ring(), nullptr)); });
    add("io_uring_resize_rings", "ring without DEFER_TASKRUN, sq 32", [] {
        io_uring_params p = params();
        p.sq_entries = 32;
        return int_result(io_uring_resize_rings(ring(), &p));
    });
    add("io_uring_resize_rings", "DEFER_TASKRUN ring, sq_entries 0", [] {
        io_uring_params p = params();
        return int_result(
            io_uring_resize_rings(make_ring(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER), &p));
    });
    add("io_uring_resize_rings", "DEFER_TASKRUN ring, sq_entries 1<<31", [] {
        io_uring_params p = params();
        p.sq_entries = kTopBit;
        return int_result(
            io_uring_resize_rings(make_ring(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER), &p));
    });
    add("io_uring_resize_rings", "DEFER_TASKRUN ring, p.flags ~0", [] {
        io_uring_params p = params(~0u);
        p.sq_entries = 32;
        return int_result(
            io_uring_resize_rings(make_ring(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER), &p));
    });

    // ---- buffer cloning ----
    using CloneCall = int (*)(io_uring *, io_uring *);
    const std::pair<const char *, CloneCall> clones[] = {
        {"io_uring_clone_buffers", [](io_uring *d, io_uring *s) { return io_uring_clone_buffers(d, s); }},
        {"__io_uring_clone_buffers", [](io_uring *d, io_uring *s) { return __io_uring_clone_buffers(d, s, 0); }},
        {"io_uring_clone_buffers_offset",
         [](io_uring *d, io_uring *s) { return io_uring_clone_buffers_offset(d, s, 0, 0, 1, 0); }},
        {"__io_uring_clone_buffers_offset",
         [](io_uring *d, io_uring *s) { return __io_uring_clone_buffers_offset(d, s, 0, 0, 1, 0); }},
    };
    for (const auto &clone : clones) {
        const char *name = clone.first;
        const CloneCall fn = clone.second; // (clang 14 cannot capture structured bindings)
        add(name, "NULL dst, NULL src", [fn] { return int_result(fn(nullptr, nullptr)); });
        add(name, "ring, NULL src", [fn] { return int_result(fn(ring(), nullptr)); });
        add(name, "NULL dst, ring", [fn] { return int_result(fn(nullptr, ring())); });
        add(name, "src without buffers", [fn] { return int_result(fn(ring(), ring())); });
        add(name, "dst == src (with buffers)", [fn] {
            io_uring *r = ring();
            io_uring_register_buffers(r, &g_iov, 1);
            return int_result(fn(r, r));
        });
        add(name, "src ring fd closed behind its back", [fn] {
            io_uring *s = ring();
            io_uring_register_buffers(s, &g_iov, 1);
            ::close(s->ring_fd);
            s->ring_fd = 12345;
            s->enter_ring_fd = 12345;
            return int_result(fn(ring(), s));
        });
    }
    add("io_uring_clone_buffers_offset", "nr UINT_MAX, offsets UINT_MAX", [] {
        io_uring *s = ring();
        io_uring_register_buffers(s, &g_iov, 1);
        return int_result(io_uring_clone_buffers_offset(ring(), s, kHuge, kHuge, kHuge, 0));
    });
    add("__io_uring_clone_buffers_offset", "flags ~0", [] {
        io_uring *s = ring();
        io_uring_register_buffers(s, &g_iov, 1);
        return int_result(__io_uring_clone_buffers_offset(ring(), s, 0, 0, 1, ~0u));
    });

    // ---- registered buffers ----
    add("io_uring_register_buffers", "NULL, iov, 1", [] { return int_result(io_uring_register_buffers(nullptr, &g_iov, 1)); });
    add("io_uring_register_buffers", "ring, NULL, 1", [] { return int_result(io_uring_register_buffers(ring(), nullptr, 1)); });
    add("io_uring_register_buffers", "ring, iov, 0", [] { return int_result(io_uring_register_buffers(ring(), &g_iov, 0)); });
    add("io_uring_register_buffers", "ring, iov, UINT_MAX",
        [] { return int_result(io_uring_register_buffers(ring(), &g_iov, kHuge)); });
    add("io_uring_register_buffers", "iov = {NULL, 4096}", [] {
        iovec v{nullptr, 4096};
        return int_result(io_uring_register_buffers(ring(), &v, 1));
    });
    add("io_uring_register_buffers", "iov = {buf, 1 TiB}", [] {
        iovec v{g_buf, size_t{1} << 40};
        return int_result(io_uring_register_buffers(ring(), &v, 1));
    });
    add("io_uring_register_buffers_tags", "NULL ring",
        [] { return int_result(io_uring_register_buffers_tags(nullptr, &g_iov, g_tags, 1)); });
    add("io_uring_register_buffers_tags", "ring, NULL iovecs, tags, 1 (kernel: a sparse table, valid)",
        [] { return int_result(io_uring_register_buffers_tags(ring(), nullptr, g_tags, 1)); }, kAny);
    add("io_uring_register_buffers_tags", "ring, iov, NULL tags, UINT_MAX",
        [] { return int_result(io_uring_register_buffers_tags(ring(), &g_iov, nullptr, kHuge)); });
    add("io_uring_register_buffers_tags", "tags = bad pointer",
        [] { return int_result(io_uring_register_buffers_tags(ring(), &g_iov, static_cast<__u64 *>(bad_ptr()), 1)); });
    add("io_uring_register_buffers_sparse", "NULL, 4", [] { return int_result(io_uring_register_buffers_sparse(nullptr, 4)); });
    add("io_uring_register_buffers_sparse", "ring, 0", [] { return int_result(io_uring_register_buffers_sparse(ring(), 0)); });
    add("io_uring_register_buffers_sparse", "ring, UINT_MAX",
        [] { return int_result(io_uring_register_buffers_sparse(ring(), kHuge)); });
    add("io_uring_register_buffers_update_tag", "NULL ring",
        [] { return int_result(io_uring_register_buffers_update_tag(nullptr, 0, &g_iov, g_tags, 1)); });
    add("io_uring_register_buffers_update_tag", "ring without a table",
        [] { return int_result(io_uring_register_buffers_update_tag(ring(), 0, &g_iov, g_tags, 1)); });
    add("io_uring_register_buffers_update_tag", "offset UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_buffers_sparse(r, 4);
        return int_result(io_uring_register_buffers_update_tag(r, kHuge, &g_iov, g_tags, 1));
    });
    add("io_uring_register_buffers_update_tag", "NULL iovecs, NULL tags, 1", [] {
        io_uring *r = ring();
        io_uring_register_buffers_sparse(r, 4);
        return int_result(io_uring_register_buffers_update_tag(r, 0, nullptr, nullptr, 1));
    });
    add("io_uring_register_buffers_update_tag", "nr UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_buffers_sparse(r, 4);
        return int_result(io_uring_register_buffers_update_tag(r, 0, &g_iov, g_tags, kHuge));
    });
    add("io_uring_unregister_buffers", "NULL", [] { return int_result(io_uring_unregister_buffers(nullptr)); });
    add("io_uring_unregister_buffers", "ring without buffers", [] { return int_result(io_uring_unregister_buffers(ring())); });

    // ---- registered files ----
    add("io_uring_register_files", "NULL, fds, 1", [] { return int_result(io_uring_register_files(nullptr, g_fds, 1)); });
    add("io_uring_register_files", "ring, NULL, 1", [] { return int_result(io_uring_register_files(ring(), nullptr, 1)); });
    add("io_uring_register_files", "ring, fds, 0", [] { return int_result(io_uring_register_files(ring(), g_fds, 0)); });
    add("io_uring_register_files", "ring, fds, UINT_MAX (also the RLIMIT_NOFILE retry)",
        [] { return int_result(io_uring_register_files(ring(), g_fds, kHuge)); });
    add("io_uring_register_files", "fds = {-5}", [] {
        int fd = -5;
        return int_result(io_uring_register_files(ring(), &fd, 1));
    });
    add("io_uring_register_files", "fds = {12345} (not open)", [] {
        int fd = 12345;
        return int_result(io_uring_register_files(ring(), &fd, 1));
    });
    add("io_uring_register_files_tags", "NULL ring",
        [] { return int_result(io_uring_register_files_tags(nullptr, g_fds, g_tags, 1)); });
    add("io_uring_register_files_tags", "ring, NULL files, tags, 1 (kernel: a sparse table, valid)",
        [] { return int_result(io_uring_register_files_tags(ring(), nullptr, g_tags, 1)); }, kAny);
    add("io_uring_register_files_tags", "ring, files, NULL tags, UINT_MAX",
        [] { return int_result(io_uring_register_files_tags(ring(), g_fds, nullptr, kHuge)); });
    add("io_uring_register_files_tags", "files = {12345}", [] {
        int fd = 12345;
        return int_result(io_uring_register_files_tags(ring(), &fd, g_tags, 1));
    });
    add("io_uring_register_files_sparse", "NULL, 4", [] { return int_result(io_uring_register_files_sparse(nullptr, 4)); });
    add("io_uring_register_files_sparse", "ring, 0", [] { return int_result(io_uring_register_files_sparse(ring(), 0)); });
    add("io_uring_register_files_sparse", "ring, UINT_MAX",
        [] { return int_result(io_uring_register_files_sparse(ring(), kHuge)); });
    add("io_uring_register_files_update_tag", "NULL ring",
        [] { return int_result(io_uring_register_files_update_tag(nullptr, 0, g_fds, g_tags, 1)); });
    add("io_uring_register_files_update_tag", "ring without a table",
        [] { return int_result(io_uring_register_files_update_tag(ring(), 0, g_fds, g_tags, 1)); });
    add("io_uring_register_files_update_tag", "offset UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_files_update_tag(r, kHuge, g_fds, g_tags, 1));
    });
    add("io_uring_register_files_update_tag", "files = {12345}", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        int fd = 12345;
        return int_result(io_uring_register_files_update_tag(r, 0, &fd, g_tags, 1));
    });
    add("io_uring_register_files_update_tag", "NULL files, nr UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_files_update_tag(r, 0, nullptr, nullptr, kHuge));
    });
    add("io_uring_register_files_update", "NULL ring",
        [] { return int_result(io_uring_register_files_update(nullptr, 0, g_fds, 1)); });
    add("io_uring_register_files_update", "ring without a table",
        [] { return int_result(io_uring_register_files_update(ring(), 0, g_fds, 1)); });
    add("io_uring_register_files_update", "NULL files, 1", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_files_update(r, 0, nullptr, 1));
    });
    add("io_uring_register_files_update", "offset UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_files_update(r, kHuge, g_fds, 1));
    });
    add("io_uring_register_files_update", "nr UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_files_update(r, 0, g_fds, kHuge));
    });
    add("io_uring_unregister_files", "NULL", [] { return int_result(io_uring_unregister_files(nullptr)); });
    add("io_uring_unregister_files", "ring without files", [] { return int_result(io_uring_unregister_files(ring())); });
    add("io_uring_register_file_alloc_range", "NULL, 0, 1",
        [] { return int_result(io_uring_register_file_alloc_range(nullptr, 0, 1)); });
    add("io_uring_register_file_alloc_range", "ring without a table, 0, 1",
        [] { return int_result(io_uring_register_file_alloc_range(ring(), 0, 1)); });
    add("io_uring_register_file_alloc_range", "off UINT_MAX, len UINT_MAX", [] {
        io_uring *r = ring();
        io_uring_register_files_sparse(r, 4);
        return int_result(io_uring_register_file_alloc_range(r, kHuge, kHuge));
    });

    // ---- eventfd ----
    for (bool async : {false, true}) {
        const char *name = async ? "io_uring_register_eventfd_async" : "io_uring_register_eventfd";
        auto fn = async ? io_uring_register_eventfd_async : io_uring_register_eventfd;
        add(name, "NULL, eventfd", [fn] { return int_result(fn(nullptr, ::eventfd(0, EFD_CLOEXEC))); });
        add(name, "ring, -1", [fn] { return int_result(fn(ring(), -1)); });
        add(name, "ring, 12345 (not open)", [fn] { return int_result(fn(ring(), 12345)); });
        add(name, "ring, /dev/null (not an eventfd)", [fn] { return int_result(fn(ring(), devnull())); });
        add(name, "twice", [fn] {
            io_uring *r = ring();
            fn(r, ::eventfd(0, EFD_CLOEXEC));
            return int_result(fn(r, ::eventfd(0, EFD_CLOEXEC)));
        });
    }
    add("io_uring_unregister_eventfd", "NULL", [] { return int_result(io_uring_unregister_eventfd(nullptr)); });
    add("io_uring_unregister_eventfd", "ring without one", [] { return int_result(io_uring_unregister_eventfd(ring())); });

    // ---- probe, personality, restrictions ----
    add("io_uring_register_probe", "NULL, probe, 4", [] {
        static io_uring_probe *p = static_cast<io_uring_probe *>(calloc(1, 4096));
        return int_result(io_uring_register_probe(nullptr, p, 4));
    });
    add("io_uring_register_probe", "ring, NULL, 4", [] { return int_result(io_uring_register_probe(ring(), nullptr, 4)); });
    add("io_uring_register_probe", "ring, probe, UINT_MAX", [] {
        auto *p = static_cast<io_uring_probe *>(calloc(1, sizeof(io_uring_probe) + 256 * sizeof(io_uring_probe_op)));
        return int_result(io_uring_register_probe(ring(), p, kHuge));
    });
    add("io_uring_register_probe", "probe buffer not zeroed", [] {
        auto *p = static_cast<io_uring_probe *>(malloc(sizeof(io_uring_probe) + 256 * sizeof(io_uring_probe_op)));
        std::memset(p, 0xff, sizeof(io_uring_probe) + 256 * sizeof(io_uring_probe_op));
        return int_result(io_uring_register_probe(ring(), p, 256));
    });
    add("io_uring_register_personality", "NULL", [] { return int_result(io_uring_register_personality(nullptr)); });
    add("io_uring_unregister_personality", "NULL, 1", [] { return int_result(io_uring_unregister_personality(nullptr, 1)); });
    add("io_uring_unregister_personality", "ring, 0", [] { return int_result(io_uring_unregister_personality(ring(), 0)); });
    add("io_uring_unregister_personality", "ring, -1", [] { return int_result(io_uring_unregister_personality(ring(), -1)); });
    add("io_uring_unregister_personality", "ring, INT_MAX",
        [] { return int_result(io_uring_unregister_personality(ring(), INT_MAX)); });
    add("io_uring_register_restrictions", "NULL, res, 1", [] {
        io_uring_restriction res{};
        return int_result(io_uring_register_restrictions(nullptr, &res, 1));
    });
    add("io_uring_register_restrictions", "enabled ring", [] {
        io_uring_restriction res{};
        res.opcode = IORING_RESTRICTION_SQE_OP;
        return int_result(io_uring_register_restrictions(ring(), &res, 1));
    });
    add("io_uring_register_restrictions", "disabled ring, NULL, 1",
        [] { return int_result(io_uring_register_restrictions(make_ring(IORING_SETUP_R_DISABLED), nullptr, 1)); });
    add("io_uring_register_restrictions", "disabled ring, res, 0 (kernel: an empty allow-list, valid)", [] {
        io_uring_restriction res{};
        return int_result(io_uring_register_restrictions(make_ring(IORING_SETUP_R_DISABLED), &res, 0));
    }, kAny);
    add("io_uring_register_restrictions", "disabled ring, res, UINT_MAX", [] {
        io_uring_restriction res{};
        return int_result(io_uring_register_restrictions(make_ring(IORING_SETUP_R_DISABLED), &res, kHuge));
    });
    add("io_uring_register_restrictions", "disabled ring, opcode 999", [] {
        io_uring_restriction res{};
        res.opcode = 999;
        return int_result(io_uring_register_restrictions(make_ring(IORING_SETUP_R_DISABLED), &res, 1));
    });
    add("io_uring_enable_rings", "NULL", [] { return int_result(io_uring_enable_rings(nullptr)); });
    add("io_uring_enable_rings", "ring that is not disabled", [] { return int_result(io_uring_enable_rings(ring())); });

    // ---- io-wq ----
    add("io_uring_register_iowq_aff", "NULL ring", [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        return int_result(io_uring_register_iowq_aff(nullptr, sizeof set, &set));
    });
    add("io_uring_register_iowq_aff", "ring, size 0", [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        return int_result(io_uring_register_iowq_aff(ring(), 0, &set));
    });
    add("io_uring_register_iowq_aff", "ring, size, NULL mask",
        [] { return int_result(io_uring_register_iowq_aff(ring(), sizeof(cpu_set_t), nullptr)); });
    add("io_uring_register_iowq_aff", "ring, size 1<<31", [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        return int_result(io_uring_register_iowq_aff(ring(), size_t{1} << 31, &set));
    });
    add("io_uring_register_iowq_aff", "ring, size SIZE_MAX", [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        return int_result(io_uring_register_iowq_aff(ring(), SIZE_MAX, &set));
    });
    add("io_uring_register_iowq_aff", "ring, empty cpu set (accepted by the kernel)", [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        return int_result(io_uring_register_iowq_aff(ring(), sizeof set, &set));
    }, kAny);
    add("io_uring_unregister_iowq_aff", "NULL", [] { return int_result(io_uring_unregister_iowq_aff(nullptr)); });
    add("io_uring_unregister_iowq_aff", "dead ring fd",
        [] { return int_result(io_uring_unregister_iowq_aff(ring_with_dead_fd())); });
    add("io_uring_register_iowq_max_workers", "NULL, values", [] {
        unsigned v[2] = {0, 0};
        return int_result(io_uring_register_iowq_max_workers(nullptr, v));
    });
    add("io_uring_register_iowq_max_workers", "ring, NULL",
        [] { return int_result(io_uring_register_iowq_max_workers(ring(), nullptr)); });

    // ---- registered ring fd ----
    add("io_uring_register_ring_fd", "NULL", [] { return int_result(io_uring_register_ring_fd(nullptr)); });
    add("io_uring_register_ring_fd", "already registered", [] {
        io_uring *r = ring();
        io_uring_register_ring_fd(r);
        return int_result(io_uring_register_ring_fd(r));
    });
    add("io_uring_register_ring_fd", "dead ring fd", [] { return int_result(io_uring_register_ring_fd(ring_with_dead_fd())); });
    add("io_uring_unregister_ring_fd", "NULL", [] { return int_result(io_uring_unregister_ring_fd(nullptr)); });
    add("io_uring_unregister_ring_fd", "not registered", [] { return int_result(io_uring_unregister_ring_fd(ring())); });
    add("io_uring_close_ring_fd", "NULL", [] { return int_result(io_uring_close_ring_fd(nullptr)); });
    add("io_uring_close_ring_fd", "not registered", [] { return int_result(io_uring_close_ring_fd(ring())); });
    add("io_uring_close_ring_fd", "twice", [] {
        io_uring *r = ring();
        io_uring_register_ring_fd(r);
        io_uring_close_ring_fd(r);
        return int_result(io_uring_close_ring_fd(r));
    });

    // ---- provided-buffer rings ----
    add("io_uring_register_buf_ring", "NULL, reg, 0", [] {
        io_uring_buf_reg reg{};
        return int_result(io_uring_register_buf_ring(nullptr, &reg, 0));
    });
    add("io_uring_register_buf_ring", "ring, NULL, 0", [] { return int_result(io_uring_register_buf_ring(ring(), nullptr, 0)); });
    add("io_uring_register_buf_ring", "ring_entries 0", [] {
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<__u64>(g_buf);
        return int_result(io_uring_register_buf_ring(ring(), &reg, 0));
    });
    add("io_uring_register_buf_ring", "ring_entries 3 (not a power of 2)", [] {
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<__u64>(g_buf);
        reg.ring_entries = 3;
        return int_result(io_uring_register_buf_ring(ring(), &reg, 0));
    });
    add("io_uring_register_buf_ring", "ring_entries 1<<16", [] {
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<__u64>(g_buf);
        reg.ring_entries = 1u << 16;
        return int_result(io_uring_register_buf_ring(ring(), &reg, 0));
    });
    add("io_uring_register_buf_ring", "ring_addr 0", [] {
        io_uring_buf_reg reg{};
        reg.ring_entries = 8;
        return int_result(io_uring_register_buf_ring(ring(), &reg, 0));
    });
    add("io_uring_register_buf_ring", "flags ~0", [] {
        io_uring_buf_reg reg{};
        reg.ring_addr = reinterpret_cast<__u64>(g_buf);
        reg.ring_entries = 8;
        return int_result(io_uring_register_buf_ring(ring(), &reg, ~0u));
    });
    add("io_uring_unregister_buf_ring", "NULL, 0", [] { return int_result(io_uring_unregister_buf_ring(nullptr, 0)); });
    add("io_uring_unregister_buf_ring", "ring, unknown group 999",
        [] { return int_result(io_uring_unregister_buf_ring(ring(), 999)); });
    add("io_uring_unregister_buf_ring", "ring, -1", [] { return int_result(io_uring_unregister_buf_ring(ring(), -1)); });
    add("io_uring_buf_ring_head", "NULL, 0, &head", [] {
        uint16_t h;
        return int_result(io_uring_buf_ring_head(nullptr, 0, &h));
    });
    add("io_uring_buf_ring_head", "ring, 0, NULL", [] { return int_result(io_uring_buf_ring_head(ring(), 0, nullptr)); });
    add("io_uring_buf_ring_head", "ring, unknown group 77", [] {
        uint16_t h;
        return int_result(io_uring_buf_ring_head(ring(), 77, &h));
    });
    add("io_uring_buf_ring_head", "ring, -1", [] {
        uint16_t h;
        return int_result(io_uring_buf_ring_head(ring(), -1, &h));
    });
    add("io_uring_setup_buf_ring", "NULL ring, 8, 0, 0, &err", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(nullptr, 8, 0, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "NULL ring, NULL err", [] {
        return ptr_result(io_uring_setup_buf_ring(nullptr, 8, 0, 0, nullptr));
    });
    add("io_uring_setup_buf_ring", "nentries 0", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), 0, 0, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "nentries 3", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), 3, 0, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "nentries 1<<16", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), 1u << 16, 0, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "nentries UINT_MAX", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), kHuge, 0, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "flags ~0", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), 8, 0, ~0u, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "same bgid twice", [] {
        int err = 0;
        io_uring *r = ring();
        io_uring_setup_buf_ring(r, 8, 1, 0, &err);
        void *br = io_uring_setup_buf_ring(r, 8, 1, 0, &err);
        return ptr_err_result(br, err);
    });
    add("io_uring_setup_buf_ring", "bgid -1 (truncated to group 65535, as in liburing: valid)", [] {
        int err = 0;
        void *br = io_uring_setup_buf_ring(ring(), 8, -1, 0, &err);
        return ptr_err_result(br, err);
    }, kAny);
    add("io_uring_free_buf_ring", "NULL ring", [] { return int_result(io_uring_free_buf_ring(nullptr, nullptr, 8, 0)); });
    add("io_uring_free_buf_ring", "ring, NULL br, unknown group",
        [] { return int_result(io_uring_free_buf_ring(ring(), nullptr, 8, 3)); });
    add("io_uring_free_buf_ring", "wrong bgid for br", [] {
        int err = 0;
        io_uring *r = ring();
        io_uring_buf_ring *br = io_uring_setup_buf_ring(r, 8, 1, 0, &err);
        return int_result(io_uring_free_buf_ring(r, br, 8, 2));
    });

    // ---- synchronous cancel / message ----
    add("io_uring_register_sync_cancel", "NULL, reg", [] {
        io_uring_sync_cancel_reg reg{};
        return int_result(io_uring_register_sync_cancel(nullptr, &reg));
    });
    add("io_uring_register_sync_cancel", "ring, NULL", [] { return int_result(io_uring_register_sync_cancel(ring(), nullptr)); });
    add("io_uring_register_sync_cancel", "flags ~0", [] {
        io_uring_sync_cancel_reg reg{};
        reg.flags = ~0u;
        return int_result(io_uring_register_sync_cancel(ring(), &reg));
    });
    add("io_uring_register_sync_cancel", "fd 12345 with CANCEL_FD", [] {
        io_uring_sync_cancel_reg reg{};
        reg.fd = 12345;
        reg.flags = IORING_ASYNC_CANCEL_FD;
        reg.timeout.tv_sec = -1;
        reg.timeout.tv_nsec = -1;
        return int_result(io_uring_register_sync_cancel(ring(), &reg));
    });
    add("io_uring_register_sync_msg", "NULL", [] { return int_result(io_uring_register_sync_msg(nullptr)); });
    add("io_uring_register_sync_msg", "MSG_RING to fd -1", [] {
        io_uring_sqe sqe{};
        io_uring_prep_msg_ring(&sqe, -1, 0, 1, 0);
        return int_result(io_uring_register_sync_msg(&sqe));
    });
    add("io_uring_register_sync_msg", "MSG_RING to /dev/null", [] {
        io_uring_sqe sqe{};
        io_uring_prep_msg_ring(&sqe, devnull(), 0, 1, 0);
        return int_result(io_uring_register_sync_msg(&sqe));
    });
    add("io_uring_register_sync_msg", "opcode NOP", [] {
        io_uring_sqe sqe{};
        io_uring_prep_nop(&sqe);
        return int_result(io_uring_register_sync_msg(&sqe));
    });

    // ---- NAPI, zero-copy rx, clock, bpf, query, region ----
    add("io_uring_register_napi", "NULL, napi", [] {
        io_uring_napi n{};
        return int_result(io_uring_register_napi(nullptr, &n));
    });
    add("io_uring_register_napi", "ring, NULL", [] { return int_result(io_uring_register_napi(ring(), nullptr)); });
    add("io_uring_register_napi", "reserved fields non-zero", [] {
        io_uring_napi n{};
        n.pad[0] = 1;
        n.resv = 1;
        return int_result(io_uring_register_napi(ring(), &n));
    });
    add("io_uring_unregister_napi", "NULL, NULL", [] { return int_result(io_uring_unregister_napi(nullptr, nullptr)); });
    add("io_uring_unregister_napi", "ring, NULL (valid: nothing to report back)",
        [] { return int_result(io_uring_unregister_napi(ring(), nullptr)); }, kAny);
    add("io_uring_unregister_napi", "napi = bad pointer", [] {
        io_uring *r = ring();
        io_uring_napi n{};
        n.busy_poll_to = 10;
        io_uring_register_napi(r, &n);
        return int_result(io_uring_unregister_napi(r, static_cast<io_uring_napi *>(bad_ptr())));
    });
    add("io_uring_register_ifq", "NULL, reg", [] {
        io_uring_zcrx_ifq_reg reg{};
        return int_result(io_uring_register_ifq(nullptr, &reg));
    });
    add("io_uring_register_ifq", "ring, NULL", [] { return int_result(io_uring_register_ifq(ring(), nullptr)); });
    add("io_uring_register_ifq", "ring, zeroed reg", [] {
        io_uring_zcrx_ifq_reg reg{};
        return int_result(io_uring_register_ifq(ring(), &reg));
    });
    add("io_uring_register_zcrx_ctrl", "NULL, ctrl", [] {
        zcrx_ctrl c{};
        return int_result(io_uring_register_zcrx_ctrl(nullptr, &c));
    });
    add("io_uring_register_zcrx_ctrl", "ring, NULL", [] { return int_result(io_uring_register_zcrx_ctrl(ring(), nullptr)); });
    add("io_uring_register_zcrx_ctrl", "ring, zeroed ctrl (no such ifq)", [] {
        zcrx_ctrl c{};
        return int_result(io_uring_register_zcrx_ctrl(ring(), &c));
    });
    add("io_uring_register_clock", "NULL, clk", [] {
        io_uring_clock_register c{};
        return int_result(io_uring_register_clock(nullptr, &c));
    });
    add("io_uring_register_clock", "ring, NULL", [] { return int_result(io_uring_register_clock(ring(), nullptr)); });
    add("io_uring_register_clock", "clockid 12345", [] {
        io_uring_clock_register c{};
        c.clockid = 12345;
        return int_result(io_uring_register_clock(ring(), &c));
    });
    add("io_uring_register_bpf_filter", "NULL, bpf", [] {
        io_uring_bpf b{};
        return int_result(io_uring_register_bpf_filter(nullptr, &b));
    });
    add("io_uring_register_bpf_filter", "ring, NULL", [] { return int_result(io_uring_register_bpf_filter(ring(), nullptr)); });
    add("io_uring_register_bpf_filter", "ring, zeroed bpf", [] {
        io_uring_bpf b{};
        return int_result(io_uring_register_bpf_filter(ring(), &b));
    });
    add("io_uring_register_bpf_filter_task", "NULL", [] { return int_result(io_uring_register_bpf_filter_task(nullptr)); });
    add("io_uring_register_bpf_filter_task", "zeroed bpf", [] {
        io_uring_bpf b{};
        return int_result(io_uring_register_bpf_filter_task(&b));
    });
    add("io_uring_register_query", "NULL (an empty chain)", [] { return int_result(io_uring_register_query(nullptr)); },
        kAny);
    add("io_uring_register_query", "query_op 999 (fails in hdr.result)", [] {
        static char data[64];
        io_uring_query_hdr h{};
        h.query_op = 999;
        h.query_data = reinterpret_cast<__u64>(data);
        h.size = sizeof data;
        int ret = io_uring_register_query(&h);
        return int_result(ret < 0 ? ret : h.result);
    });
    add("io_uring_register_query", "next_entry = bad pointer", [] {
        io_uring_query_opcode op{};
        io_uring_query_hdr h{};
        h.query_op = IO_URING_QUERY_OPCODES;
        h.query_data = reinterpret_cast<__u64>(&op);
        h.size = sizeof op;
        h.next_entry = 8;
        return int_result(io_uring_register_query(&h));
    });
    add("io_uring_register_query", "query_data = bad pointer", [] {
        io_uring_query_hdr h{};
        h.query_op = IO_URING_QUERY_OPCODES;
        h.query_data = 8;
        h.size = sizeof(io_uring_query_opcode);
        int ret = io_uring_register_query(&h);
        return int_result(ret < 0 ? ret : h.result);
    });
    add("io_uring_register_region", "NULL, reg", [] {
        io_uring_mem_region_reg m{};
        return int_result(io_uring_register_region(nullptr, &m));
    });
    add("io_uring_register_region", "ring, NULL", [] { return int_result(io_uring_register_region(ring(), nullptr)); });
    add("io_uring_register_region", "ring, zeroed reg", [] {
        io_uring_mem_region_reg m{};
        return int_result(io_uring_register_region(ring(), &m));
    });
    add("io_uring_register_region", "region of 1 TiB user memory at NULL", [] {
        io_uring_region_desc rd{};
        rd.size = size_t{1} << 40;
        rd.flags = IORING_MEM_REGION_TYPE_USER;
        io_uring_mem_region_reg m{};
        m.region_uptr = reinterpret_cast<__u64>(&rd);
        m.flags = IORING_MEM_REGION_REG_WAIT_ARG;
        return int_result(io_uring_register_region(make_ring(IORING_SETUP_R_DISABLED), &m));
    });

    // ---- raw system calls ----
    add("io_uring_setup", "entries 0", [] {
        io_uring_params p{};
        return int_result(io_uring_setup(0, &p));
    });
    add("io_uring_setup", "8, NULL", [] { return int_result(io_uring_setup(8, nullptr)); });
    add("io_uring_setup", "entries 1<<31", [] {
        io_uring_params p{};
        return int_result(io_uring_setup(kTopBit, &p));
    });
    add("io_uring_setup", "flags ~0", [] {
        io_uring_params p{};
        p.flags = ~0u;
        return int_result(io_uring_setup(8, &p));
    });
    add("io_uring_setup", "p = bad pointer",
        [] { return int_result(io_uring_setup(8, static_cast<io_uring_params *>(bad_ptr()))); });
    add("io_uring_enter", "fd -1", [] { return int_result(io_uring_enter(static_cast<unsigned>(-1), 0, 0, 0, nullptr)); });
    add("io_uring_enter", "fd = /dev/null",
        [] { return int_result(io_uring_enter(static_cast<unsigned>(devnull()), 0, 0, 0, nullptr)); });
    add("io_uring_enter", "ring fd, flags ~0",
        [] { return int_result(io_uring_enter(static_cast<unsigned>(ring()->ring_fd), 0, 0, ~0u, nullptr)); });
    add("io_uring_enter", "ring fd, GETEVENTS, sigset = bad pointer", [] {
        return int_result(io_uring_enter(static_cast<unsigned>(ring()->ring_fd), 0, 1, IORING_ENTER_GETEVENTS,
                                         static_cast<sigset_t *>(bad_ptr())));
    });
    add("io_uring_enter", "ring fd, to_submit UINT_MAX, empty SQ (valid: submits 0)",
        [] { return int_result(io_uring_enter(static_cast<unsigned>(ring()->ring_fd), kHuge, 0, 0, nullptr)); }, kAny);
    add("io_uring_enter2", "fd -1", [] {
        return int_result(io_uring_enter2(static_cast<unsigned>(-1), 0, 0, 0, nullptr, 0));
    });
    add("io_uring_enter2", "EXT_ARG, arg = bad pointer", [] {
        return int_result(io_uring_enter2(static_cast<unsigned>(ring()->ring_fd), 0, 1,
                                          IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, bad_ptr(),
                                          sizeof(io_uring_getevents_arg)));
    });
    add("io_uring_enter2", "EXT_ARG, size 5", [] {
        io_uring_getevents_arg a{};
        return int_result(io_uring_enter2(static_cast<unsigned>(ring()->ring_fd), 0, 1,
                                          IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &a, 5));
    });
    add("io_uring_enter2", "EXT_ARG, size SIZE_MAX", [] {
        io_uring_getevents_arg a{};
        return int_result(io_uring_enter2(static_cast<unsigned>(ring()->ring_fd), 0, 1,
                                          IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &a, SIZE_MAX));
    });
    add("io_uring_enter2", "sigset size 1000", [] {
        sigset_t s;
        sigemptyset(&s);
        return int_result(io_uring_enter2(static_cast<unsigned>(ring()->ring_fd), 0, 1, IORING_ENTER_GETEVENTS, &s, 1000));
    });
    add("io_uring_register", "fd -1", [] {
        return int_result(io_uring_register(static_cast<unsigned>(-1), IORING_REGISTER_PROBE, nullptr, 0));
    });
    add("io_uring_register", "fd = /dev/null", [] {
        return int_result(io_uring_register(static_cast<unsigned>(devnull()), IORING_REGISTER_PERSONALITY, nullptr, 0));
    });
    add("io_uring_register", "ring fd, opcode 9999",
        [] { return int_result(io_uring_register(static_cast<unsigned>(ring()->ring_fd), 9999, nullptr, 0)); });
    add("io_uring_register", "ring fd, REGISTER_BUFFERS, arg = bad pointer", [] {
        return int_result(io_uring_register(static_cast<unsigned>(ring()->ring_fd), IORING_REGISTER_BUFFERS,
                                            bad_ptr(), 1));
    });

    // ---- sizing and version ----
    add("io_uring_mlock_size", "entries 0", [] { return int_result(io_uring_mlock_size(0, 0)); });
    add("io_uring_mlock_size", "entries 1<<31", [] { return int_result(io_uring_mlock_size(kTopBit, 0)); });
    // As in liburing: once the kernel charges rings to the memory cgroup
    // (IORING_FEAT_NATIVE_WORKERS) the answer is 0 and flags are not looked at.
    add("io_uring_mlock_size", "flags ~0 (not validated on 5.12+ kernels, as liburing)",
        [] { return int_result(io_uring_mlock_size(8, ~0u)); }, kAny);
    add("io_uring_mlock_size_params", "8, NULL", [] { return int_result(io_uring_mlock_size_params(8, nullptr)); });
    add("io_uring_mlock_size_params", "entries 0", [] {
        io_uring_params p{};
        return int_result(io_uring_mlock_size_params(0, &p));
    });
    add("io_uring_mlock_size_params", "p.flags ~0 (not validated on 5.12+ kernels, as liburing)", [] {
        io_uring_params p{};
        p.flags = ~0u;
        return int_result(io_uring_mlock_size_params(8, &p));
    }, kAny);
    add("io_uring_memory_size", "entries 0", [] { return int_result(io_uring_memory_size(0, 0)); });
    add("io_uring_memory_size", "entries 1<<31", [] { return int_result(io_uring_memory_size(kTopBit, 0)); });
    add("io_uring_memory_size", "entries UINT_MAX with CLAMP (valid: clamped)",
        [] { return int_result(io_uring_memory_size(kHuge, IORING_SETUP_CLAMP)); }, kAny);
    add("io_uring_memory_size_params", "8, NULL", [] { return int_result(io_uring_memory_size_params(8, nullptr)); });
    add("io_uring_memory_size_params", "CQSIZE, cq_entries 0", [] {
        io_uring_params p = params(IORING_SETUP_CQSIZE, 0);
        return int_result(io_uring_memory_size_params(8, &p));
    });
    add("io_uring_memory_size_params", "CQSIZE, cq_entries UINT_MAX", [] {
        io_uring_params p = params(IORING_SETUP_CQSIZE, kHuge);
        return int_result(io_uring_memory_size_params(8, &p));
    });
    add("io_uring_memory_size_params", "CQSIZE, cq_entries 2 < sq_entries 8", [] {
        io_uring_params p = params(IORING_SETUP_CQSIZE, 2);
        return int_result(io_uring_memory_size_params(8, &p));
    });
    add("io_uring_major_version", "() (valid)", [] { return int_result(io_uring_major_version()); }, kAny);
    add("io_uring_minor_version", "() (valid)", [] { return int_result(io_uring_minor_version()); }, kAny);
    add("io_uring_check_version", "INT_MAX, INT_MAX (newer than us: true)",
        [] { return bool_result(io_uring_check_version(INT_MAX, INT_MAX)); }, kAny);
    add("io_uring_check_version", "INT_MIN, INT_MIN", [] { return bool_result(io_uring_check_version(INT_MIN, INT_MIN)); },
        kAny);
    return r;
}

// The 83 functions liburing.so.2 exports (liburing 2.15's liburing.map).
const char *const kExported[] = {
    "io_uring_get_probe_ring", "io_uring_get_probe", "io_uring_free_probe", "io_uring_queue_init_mem",
    "io_uring_queue_init_params", "io_uring_queue_init", "io_uring_queue_mmap", "io_uring_ring_dontfork",
    "io_uring_queue_exit", "io_uring_peek_batch_cqe", "io_uring_wait_cqes", "io_uring_wait_cqes_min_timeout",
    "io_uring_wait_cqe_timeout", "io_uring_submit", "io_uring_submit_and_wait", "io_uring_submit_and_wait_timeout",
    "io_uring_submit_and_wait_min_timeout", "io_uring_submit_and_wait_reg", "io_uring_register_wait_reg",
    "io_uring_resize_rings", "io_uring_clone_buffers_offset", "__io_uring_clone_buffers_offset",
    "io_uring_clone_buffers", "__io_uring_clone_buffers", "io_uring_register_buffers",
    "io_uring_register_buffers_tags", "io_uring_register_buffers_sparse", "io_uring_register_buffers_update_tag",
    "io_uring_unregister_buffers", "io_uring_register_files", "io_uring_register_files_tags",
    "io_uring_register_files_sparse", "io_uring_register_files_update_tag", "io_uring_unregister_files",
    "io_uring_register_files_update", "io_uring_register_eventfd", "io_uring_register_eventfd_async",
    "io_uring_unregister_eventfd", "io_uring_register_probe", "io_uring_register_personality",
    "io_uring_unregister_personality", "io_uring_register_restrictions", "io_uring_enable_rings",
    "__io_uring_sqring_wait", "io_uring_register_iowq_aff", "io_uring_unregister_iowq_aff",
    "io_uring_register_iowq_max_workers", "io_uring_register_ring_fd", "io_uring_unregister_ring_fd",
    "io_uring_close_ring_fd", "io_uring_register_buf_ring", "io_uring_unregister_buf_ring",
    "io_uring_buf_ring_head", "io_uring_register_sync_cancel", "io_uring_register_sync_msg",
    "io_uring_register_file_alloc_range", "io_uring_register_napi", "io_uring_unregister_napi",
    "io_uring_register_ifq", "io_uring_register_zcrx_ctrl", "io_uring_register_clock",
    "io_uring_register_bpf_filter", "io_uring_register_bpf_filter_task", "io_uring_register_query",
    "io_uring_get_events", "io_uring_submit_and_get_events", "io_uring_enter", "io_uring_enter2", "io_uring_setup",
    "io_uring_register", "io_uring_register_region", "io_uring_setup_buf_ring", "io_uring_free_buf_ring",
    "__io_uring_get_cqe", "io_uring_set_iowait", "io_uring_get_sqe", "io_uring_mlock_size",
    "io_uring_mlock_size_params", "io_uring_memory_size", "io_uring_memory_size_params", "io_uring_major_version",
    "io_uring_minor_version", "io_uring_check_version",
};

// ---- running a row in a child ---------------------------------------------------

constexpr unsigned kRowTimeoutSeconds = 20;

struct RowResult {
    std::string text;
    bool returned = false; // the call came back (no crash, no hang)
    Outcome outcome;
};

RowResult run_in_child(const Row &row)
{
    int pfd[2];
    if (::pipe2(pfd, O_CLOEXEC) != 0)
        return {"pipe failed", false, {}};
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0)
        return {"fork failed", false, {}};
    if (pid == 0) {
        ::close(pfd[0]);
        ::alarm(kRowTimeoutSeconds);
        Outcome o = row.call();
        ssize_t n = ::write(pfd[1], &o, sizeof o);
        _exit(n == sizeof o ? 0 : 91);
    }
    ::close(pfd[1]);
    Outcome o;
    ssize_t n = ::read(pfd[0], &o, sizeof o);
    ::close(pfd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return {sig == SIGALRM ? "HANG (no return within " + std::to_string(kRowTimeoutSeconds) + " s)"
                               : std::string("CRASH: ") + (sigabbrev_np(sig) ? sigabbrev_np(sig) : "?"),
                false, {}};
    }
    if (n != static_cast<ssize_t>(sizeof o) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return {"child failed (exit " + std::to_string(WEXITSTATUS(status)) + ")", false, {}};
    return {format(o), true, o};
}

std::string md_escape(const std::string &s)
{
    std::string out;
    for (char c : s)
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

TEST(BadInput, EveryExportedFunctionRejectsBadArgumentsWithoutCrashing)
{
    const std::vector<Row> all = rows();
    std::set<std::string> covered;
    std::vector<std::pair<const Row *, RowResult>> results;
    int crashes = 0, accepted = 0;

    for (const Row &row : all) {
        RowResult res = run_in_child(row);
        covered.insert(row.function);
        if (!res.returned) {
            ++crashes;
            ADD_FAILURE() << row.function << "(" << row.args << "): " << res.text;
        } else if (row.expect == kError && !is_error(res.outcome)) {
            ++accepted;
            ADD_FAILURE() << row.function << "(" << row.args << ") was accepted: " << res.text;
        }
        results.emplace_back(&row, std::move(res));
    }

    for (const char *fn : kExported)
        EXPECT_TRUE(covered.count(fn)) << fn << " has no bad-input row";
    EXPECT_EQ(covered.size(), std::size(kExported)) << "a row names a function that is not exported";

    std::printf("[bad-input] %zu calls over %zu exported functions: %d crashed or hung, %d accepted bad input\n",
                all.size(), covered.size(), crashes, accepted);
    ::testing::Test::RecordProperty("bad_input_calls", static_cast<int>(all.size()));
    ::testing::Test::RecordProperty("bad_input_crashes", crashes);

    if (const char *path = std::getenv("BAREURING_BAD_INPUT_TABLE")) {
        std::ofstream out(path);
        out << "| function | arguments | result |\n|---|---|---|\n";
        for (const auto &[row, res] : results)
            out << "| `" << row->function << "` | " << md_escape(row->args) << " | " << md_escape(res.text) << " |\n";
        std::printf("[bad-input] table written to %s\n", path);
    }
}

// The NULL rule: a NULL pointer the library itself would have to
// dereference (the ring, params it reads or fills, a buffer it lays the
// rings into, an out-pointer it writes) is a bad address, -EFAULT, the same
// answer io_uring_setup(2) gives for NULL params. A NULL argument the library
// only forwards to the kernel gets the kernel's answer (often -EINVAL), and
// a struct io_uring that is not NULL but holds no ring is -EINVAL. This pins
// the rule for the functions that used to answer NULL with -EINVAL, and for
// a sample of the others.
TEST(BadInput, NullPointersTheLibraryDereferencesAreEfault)
{
    io_uring ring;
    ASSERT_EQ(io_uring_queue_init(8, &ring, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER), 0);
    alignas(4096) static char mem[65536];
    io_uring scratch;
    io_uring_params p{};
    io_uring_cqe *cqe = nullptr;

    EXPECT_EQ(io_uring_ring_dontfork(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_resize_rings(nullptr, &p), -EFAULT);
    EXPECT_EQ(io_uring_resize_rings(&ring, nullptr), -EFAULT);
    p = {};
    EXPECT_EQ(io_uring_queue_init_mem(8, nullptr, &p, mem, sizeof mem), -EFAULT);
    p = {};
    EXPECT_EQ(io_uring_queue_init_mem(8, &scratch, nullptr, mem, sizeof mem), -EFAULT);
    p = {};
    EXPECT_EQ(io_uring_queue_init_mem(8, &scratch, &p, nullptr, sizeof mem), -EFAULT);
    EXPECT_EQ(io_uring_memory_size_params(8, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_mlock_size_params(8, nullptr), -EFAULT);

    // The rest of the library, for comparison.
    EXPECT_EQ(io_uring_queue_init(8, nullptr, 0), -EFAULT);
    EXPECT_EQ(io_uring_queue_init_params(8, &scratch, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_queue_mmap(ring.ring_fd, nullptr, &scratch), -EFAULT);
    EXPECT_EQ(io_uring_submit(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_wait_cqes(nullptr, &cqe, 1, nullptr, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_wait_cqes(&ring, nullptr, 1, nullptr, nullptr), -EFAULT);
    EXPECT_EQ(io_uring_register_ring_fd(nullptr), -EFAULT);
    EXPECT_EQ(io_uring_buf_ring_head(&ring, 0, nullptr), -EFAULT);

    // Not NULL, but not a ring either.
    std::memset(&scratch, 0, sizeof scratch);
    EXPECT_EQ(io_uring_ring_dontfork(&scratch), -EINVAL);

    io_uring_queue_exit(&ring);
}

} // namespace
