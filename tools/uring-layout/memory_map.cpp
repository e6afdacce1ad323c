// Reading a live ring's memory map (see memory_map.h).
#include "memory_map.h"

#include "names.h"

#include <fmt/format.h>

#include <algorithm>

namespace uring_layout {
namespace {

constexpr std::size_t kPage = 4096;

std::uintptr_t addr(const void *p) { return reinterpret_cast<std::uintptr_t>(p); }

// The shared words change under us (the kernel, or an SQPOLL thread, writes
// some of them): one untorn read each.
unsigned load(const unsigned *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }

field word(const char *name, const char *offset_name, std::uint32_t offset, const void *base, const unsigned *ptr,
           const char *pointer, writer who)
{
    const unsigned *expected = reinterpret_cast<const unsigned *>(static_cast<const char *>(base) + offset);
    field f{name, offset_name, offset, 4, 1, "", 0, pointer, ptr == expected, who};
    f.word = load(expected);
    f.value = fmt::format("{}", f.word);
    return f;
}

field flags_word(field f, std::span<const introspect::named_bit> names, const char *strip)
{
    f.value = f.word ? fmt::format("{:#x} ({})", f.word, introspect::flag_list(f.word, names, strip)) : "0";
    return f;
}

// sq.* fields: the SQ ring half of the kernel's shared header.
void add_sq_fields(const live_ring &lr, const void *base, std::vector<field> *out)
{
    const io_uring_sq &sq = lr.ring.sq;
    const io_sqring_offsets &o = lr.params.sq_off;
    out->push_back(word("sq.head", "sq_off.head", o.head, base, sq.khead, "sq.khead", writer::kernel));
    out->push_back(word("sq.tail", "sq_off.tail", o.tail, base, sq.ktail, "sq.ktail", writer::app));
    out->push_back(word("sq.ring_mask", "sq_off.ring_mask", o.ring_mask, base, sq.kring_mask, "sq.kring_mask",
                        writer::setup));
    out->push_back(word("sq.ring_entries", "sq_off.ring_entries", o.ring_entries, base, sq.kring_entries,
                        "sq.kring_entries", writer::setup));
    out->push_back(flags_word(word("sq.flags", "sq_off.flags", o.flags, base, sq.kflags, "sq.kflags", writer::kernel),
                              introspect::sq_ring_flag_bits(), "IORING_SQ_"));
    out->push_back(word("sq.dropped", "sq_off.dropped", o.dropped, base, sq.kdropped, "sq.kdropped", writer::kernel));
    if (lr.ring.flags & IORING_SETUP_NO_SQARRAY)
        return;
    // The SQ index array: slot i of the ring names SQE array[i].
    const unsigned n = sq.ring_entries;
    const auto *arr = reinterpret_cast<const unsigned *>(static_cast<const char *>(base) + o.array);
    field f{fmt::format("sq.array[{}]", n), "sq_off.array", o.array, 4, n, "", 0, "sq.array", sq.array == arr,
            writer::app};
    std::string v = "[";
    for (unsigned i = 0; i < n && i < 8; i++)
        v += fmt::format("{}{}", i ? ", " : "", load(&arr[i]));
    v += n > 8 ? fmt::format(", ... {}]", load(&arr[n - 1])) : "]";
    f.value = v;
    out->push_back(f);
}

// cq.* fields: the CQ ring half, ending in the CQE array.
void add_cq_fields(const live_ring &lr, const void *base, std::vector<field> *out)
{
    const io_uring_cq &cq = lr.ring.cq;
    const io_cqring_offsets &o = lr.params.cq_off;
    out->push_back(word("cq.head", "cq_off.head", o.head, base, cq.khead, "cq.khead", writer::app));
    out->push_back(word("cq.tail", "cq_off.tail", o.tail, base, cq.ktail, "cq.ktail", writer::kernel));
    out->push_back(word("cq.ring_mask", "cq_off.ring_mask", o.ring_mask, base, cq.kring_mask, "cq.kring_mask",
                        writer::setup));
    out->push_back(word("cq.ring_entries", "cq_off.ring_entries", o.ring_entries, base, cq.kring_entries,
                        "cq.kring_entries", writer::setup));
    out->push_back(word("cq.overflow", "cq_off.overflow", o.overflow, base, cq.koverflow, "cq.koverflow",
                        writer::kernel));
    // Kernels before 5.8 have no CQ flags word and report offset 0.
    if (o.flags)
        out->push_back(flags_word(word("cq.flags", "cq_off.flags", o.flags, base, cq.kflags, "cq.kflags", writer::app),
                                  introspect::cq_ring_flag_bits(), "IORING_CQ_"));
    const std::size_t cqe = (lr.ring.flags & IORING_SETUP_CQE32) ? 32 : 16;
    const unsigned n = cq.ring_entries;
    const auto *cqes = reinterpret_cast<const io_uring_cqe *>(static_cast<const char *>(base) + o.cqes);
    field f{fmt::format("cq.cqes[{}]", n), "cq_off.cqes", o.cqes, cqe, n, "", 0, "cq.cqes", cq.cqes == cqes,
            writer::kernel};
    f.value = fmt::format("{} x {}-byte CQE", n, cqe);
    out->push_back(f);
}

// Byte just past the last field.
std::size_t end_of(const std::vector<field> &fields)
{
    std::size_t end = 0;
    for (const field &f : fields)
        end = std::max(end, f.offset + f.size());
    return end;
}

void sort_by_offset(std::vector<field> *fields)
{
    std::stable_sort(fields->begin(), fields->end(),
                     [](const field &a, const field &b) { return a.offset < b.offset; });
}

region sqe_region(const live_ring &lr, std::string source)
{
    const io_uring_sq &sq = lr.ring.sq;
    const std::size_t sqe = (lr.ring.flags & IORING_SETUP_SQE128) ? 128 : 64;
    const unsigned n = sq.ring_entries;
    region r{"sqes", "SQE array", std::move(source), addr(sq.sqes), 0, "sq.sqes", {}};
    field f{fmt::format("sqes[{}]", n), "", 0, sqe, n, fmt::format("{} x {}-byte SQE", n, sqe), 0, "sq.sqes", true,
            writer::app};
    r.fields.push_back(f);
    // The mapping is sqes_sz long; NO_MMAP areas are rounded to a page.
    r.size = sq.sqes_sz && !(lr.ring.flags & IORING_SETUP_NO_MMAP) ? sq.sqes_sz
                                                                    : ((f.size() + kPage - 1) & ~(kPage - 1));
    return r;
}

memory_map kernel_mapped(const live_ring &lr)
{
    memory_map m;
    const io_uring &ring = lr.ring;
    if (ring.sq.ring_ptr == ring.cq.ring_ptr) {
        region r{"rings", "SQ + CQ rings", "mmap(ring_fd, IORING_OFF_SQ_RING = 0)", addr(ring.sq.ring_ptr),
                 ring.sq.ring_sz, "sq.ring_ptr = cq.ring_ptr", {}};
        add_sq_fields(lr, ring.sq.ring_ptr, &r.fields);
        add_cq_fields(lr, ring.cq.ring_ptr, &r.fields);
        sort_by_offset(&r.fields);
        m.regions.push_back(std::move(r));
        m.notes.push_back("IORING_FEAT_SINGLE_MMAP: the CQ ring is shared with the SQ ring (one mapping)");
    } else {
        region s{"sq_ring", "SQ ring", "mmap(ring_fd, IORING_OFF_SQ_RING = 0)", addr(ring.sq.ring_ptr),
                 ring.sq.ring_sz, "sq.ring_ptr", {}};
        add_sq_fields(lr, ring.sq.ring_ptr, &s.fields);
        sort_by_offset(&s.fields);
        region c{"cq_ring", "CQ ring", "mmap(ring_fd, IORING_OFF_CQ_RING = 0x8000000)", addr(ring.cq.ring_ptr),
                 ring.cq.ring_sz, "cq.ring_ptr", {}};
        add_cq_fields(lr, ring.cq.ring_ptr, &c.fields);
        sort_by_offset(&c.fields);
        m.regions.push_back(std::move(s));
        m.regions.push_back(std::move(c));
    }
    m.regions.push_back(sqe_region(lr, "mmap(ring_fd, IORING_OFF_SQES = 0x10000000)"));
    return m;
}

memory_map user_placed(const live_ring &lr)
{
    memory_map m;
    const io_uring &ring = lr.ring;
    const std::string owner = lr.memory_owner == "caller" ? "caller memory (io_uring_queue_init_mem)"
                                                          : "library memory (anonymous shared mapping)";
    m.regions.push_back(sqe_region(lr, owner + ", given as sq_off.user_addr"));
    region r{"rings", "SQ + CQ rings", owner + ", given as cq_off.user_addr", addr(ring.sq.ring_ptr), 0,
             "sq.ring_ptr = cq.ring_ptr", {}};
    add_sq_fields(lr, ring.sq.ring_ptr, &r.fields);
    add_cq_fields(lr, ring.cq.ring_ptr, &r.fields);
    sort_by_offset(&r.fields);
    r.size = end_of(r.fields);
    m.regions.push_back(std::move(r));
    m.notes.push_back("IORING_SETUP_NO_MMAP: the kernel uses memory user space provided; nothing is mmapped "
                      "from the ring fd");
    if (m.regions[1].address == m.regions[0].address + m.regions[0].size)
        m.notes.push_back("the rings area starts right after the page-rounded SQE area (one allocation)");
    else
        m.notes.push_back("the SQE area and the rings area are two separate allocations");
    return m;
}

} // namespace

memory_map read_memory_map(const live_ring &lr)
{
    memory_map m = (lr.ring.flags & IORING_SETUP_NO_MMAP) ? user_placed(lr) : kernel_mapped(lr);
    if (lr.ring.flags & IORING_SETUP_NO_SQARRAY)
        m.notes.push_back("IORING_SETUP_NO_SQARRAY: no SQ index array, sq.array = NULL; SQE i is taken from "
                          "slot i & ring_mask");
    else
        m.notes.push_back("SQ index array present: the kernel reads SQE number sq.array[i & ring_mask]");
    m.sqe_head = lr.ring.sq.sqe_head;
    m.sqe_tail = lr.ring.sq.sqe_tail;
    return m;
}

std::vector<pointer_member> pointer_members(const io_uring &r)
{
    return {
        {"sq.khead", !r.sq.khead},       {"sq.ktail", !r.sq.ktail},
        {"sq.kring_mask", !r.sq.kring_mask}, {"sq.kring_entries", !r.sq.kring_entries},
        {"sq.kflags", !r.sq.kflags},     {"sq.kdropped", !r.sq.kdropped},
        {"sq.array", !r.sq.array},       {"sq.sqes", !r.sq.sqes},
        {"sq.ring_ptr", !r.sq.ring_ptr}, {"cq.khead", !r.cq.khead},
        {"cq.ktail", !r.cq.ktail},       {"cq.kring_mask", !r.cq.kring_mask},
        {"cq.kring_entries", !r.cq.kring_entries}, {"cq.kflags", !r.cq.kflags},
        {"cq.koverflow", !r.cq.koverflow}, {"cq.cqes", !r.cq.cqes},
        {"cq.ring_ptr", !r.cq.ring_ptr},
    };
}

} // namespace uring_layout
