// uring-layout --json. The schema (keys never change meaning; new keys may
// be added):
//   setup:   {how, entries_asked, requested_flags, flags, features,
//             sq_entries, cq_entries, sqe_size, cqe_size}
//   sq_off:  {head, tail, ring_mask, ring_entries, flags, dropped, array,
//             resv1, user_addr}          - as the kernel returned them
//   cq_off:  {head, tail, ring_mask, ring_entries, overflow, cqes, flags,
//             resv1, user_addr}
//   regions: [{id, title, source, address, size, pointers,
//              fields: [{name, offset_name, offset, size, count, value,
//                        pointer, pointer_ok, writer}]}]
//   notes:   [text]
//   walk:    {error, steps: [{call, result, sqe_tail, sqe_head, sq_ktail,
//             sq_khead, cq_ktail, cq_khead}]}
// Addresses are hex strings; every other number is a JSON integer.
#include "json_writer.h"
#include "names.h"
#include "print.h"

#include <fmt/format.h>

namespace uring_layout {
namespace {

using introspect::json_writer;

void setup_json(json_writer &j, const live_ring &lr)
{
    const io_uring &r = lr.ring;
    j.key("setup");
    j.begin_object();
    j.member("how", lr.how);
    j.member("entries_asked", lr.entries_asked);
    j.member("requested_flags", lr.requested_flags);
    j.member("flags", r.flags);
    j.member("features", r.features);
    j.member("sq_entries", lr.params.sq_entries);
    j.member("cq_entries", lr.params.cq_entries);
    j.member("sqe_size", (r.flags & IORING_SETUP_SQE128) ? 128u : 64u);
    j.member("cqe_size", (r.flags & IORING_SETUP_CQE32) ? 32u : 16u);
    j.end_object();
}

void offsets_json(json_writer &j, const io_uring_params &p)
{
    const io_sqring_offsets &s = p.sq_off;
    j.key("sq_off");
    j.begin_object();
    j.member("head", s.head);
    j.member("tail", s.tail);
    j.member("ring_mask", s.ring_mask);
    j.member("ring_entries", s.ring_entries);
    j.member("flags", s.flags);
    j.member("dropped", s.dropped);
    j.member("array", s.array);
    j.member("resv1", s.resv1);
    j.member("user_addr", std::uint64_t{s.user_addr});
    j.end_object();

    const io_cqring_offsets &c = p.cq_off;
    j.key("cq_off");
    j.begin_object();
    j.member("head", c.head);
    j.member("tail", c.tail);
    j.member("ring_mask", c.ring_mask);
    j.member("ring_entries", c.ring_entries);
    j.member("overflow", c.overflow);
    j.member("cqes", c.cqes);
    j.member("flags", c.flags);
    j.member("resv1", c.resv1);
    j.member("user_addr", std::uint64_t{c.user_addr});
    j.end_object();
}

void regions_json(json_writer &j, const memory_map &m)
{
    j.key("regions");
    j.begin_array();
    for (const region &r : m.regions) {
        j.begin_object();
        j.member("id", r.id);
        j.member("title", r.title);
        j.member("source", r.source);
        j.member("address", fmt::format("{:#x}", r.address));
        j.member("size", std::uint64_t{r.size});
        j.member("pointers", r.pointers);
        j.key("fields");
        j.begin_array();
        for (const field &f : r.fields) {
            j.begin_object();
            j.member("name", f.name);
            j.member("offset_name", f.offset_name);
            j.member("offset", f.offset);
            j.member("size", std::uint64_t{f.size()});
            j.member("count", f.count);
            j.member("value", f.value);
            j.member("pointer", f.pointer);
            j.member("pointer_ok", f.pointer_ok);
            j.member("writer", writer_label(f.who));
            j.end_object();
        }
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.key("notes");
    j.begin_array();
    for (const std::string &n : m.notes)
        j.value(n);
    j.end_array();
}

void walk_json(json_writer &j, const walk_result &w)
{
    j.key("walk");
    j.begin_object();
    j.key("error");
    if (w.error)
        j.value(introspect::errno_name(w.error));
    else
        j.null();
    j.key("steps");
    j.begin_array();
    for (const walk_step &s : w.steps) {
        j.begin_object();
        j.member("call", s.call);
        j.member("result", s.result);
        j.member("sqe_tail", s.after.sqe_tail);
        j.member("sqe_head", s.after.sqe_head);
        j.member("sq_ktail", s.after.sq_ktail);
        j.member("sq_khead", s.after.sq_khead);
        j.member("cq_ktail", s.after.cq_ktail);
        j.member("cq_khead", s.after.cq_khead);
        j.end_object();
    }
    j.end_array();
    j.end_object();
}

} // namespace

std::string format_json(const live_ring &lr, const memory_map &m, const walk_result &w)
{
    json_writer j;
    j.begin_object();
    setup_json(j, lr);
    offsets_json(j, lr.params);
    regions_json(j, m);
    walk_json(j, w);
    j.end_object();
    return j.str();
}

} // namespace uring_layout
