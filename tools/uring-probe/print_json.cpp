// uring-probe --json. The schema (keys never change meaning; new keys may
// be added):
//   kernel:      {sysname, release, machine}
//   features:    {error, value, bits: [{bit, name, set}]}
//   opcodes:     {error, last_op, ops_len, ops: [{op, name, supported}]}
//   setup_flags: {entries, flags: [{bit, name, accepted, alone, companion,
//                 error, tried: [companion]}], unknown_bits_accepted: [bit]}
//   limits:      {error, max_sq_entries, max_cq_entries, method, verified}
// Errors are errno names ("EINVAL") or null; name is null for a number
// these headers do not name.
#include "json_writer.h"
#include "names.h"
#include "print.h"

namespace uring_probe {
namespace {

using introspect::json_writer;

void error_member(json_writer &j, std::string_view key, int err)
{
    j.key(key);
    if (err)
        j.value(introspect::errno_name(err));
    else
        j.null();
}

void name_member(json_writer &j, const std::string &name)
{
    j.key("name");
    if (name.empty() || name.starts_with("bit "))
        j.null();
    else
        j.value(name);
}

void features_json(json_writer &j, const feature_report &f)
{
    j.key("features");
    j.begin_object();
    error_member(j, "error", f.error);
    j.member("value", f.value);
    j.key("bits");
    j.begin_array();
    for (unsigned bit = 0; bit < 32; bit++) {
        const std::string name = introspect::bit_name(introspect::feature_bits(), bit);
        const bool set = f.value & (1U << bit);
        // Unnamed bits only when the kernel actually sets them.
        if (name.starts_with("bit ") && !set)
            continue;
        j.begin_object();
        j.member("bit", bit);
        name_member(j, name);
        j.member("set", set);
        j.end_object();
    }
    j.end_array();
    j.end_object();
}

void opcodes_json(json_writer &j, const opcode_report &o)
{
    j.key("opcodes");
    j.begin_object();
    error_member(j, "error", o.error);
    j.member("last_op", o.last_op);
    j.member("ops_len", o.ops_len);
    j.key("ops");
    j.begin_array();
    for (const opcode_entry &e : o.ops) {
        j.begin_object();
        j.member("op", e.op);
        name_member(j, e.name);
        j.member("supported", e.supported);
        j.end_object();
    }
    j.end_array();
    j.end_object();
}

void setup_json(json_writer &j, const setup_report &s)
{
    j.key("setup_flags");
    j.begin_object();
    j.member("entries", s.entries);
    j.key("flags");
    j.begin_array();
    for (const setup_flag_entry &e : s.flags) {
        j.begin_object();
        j.member("bit", e.bit);
        name_member(j, e.name);
        j.member("accepted", e.accepted);
        error_member(j, "alone", e.alone);
        j.key("companion");
        if (e.companion.empty())
            j.null();
        else
            j.value(e.companion);
        error_member(j, "error", e.error);
        j.key("tried");
        j.begin_array();
        for (const std::string &t : e.tried)
            j.value(t);
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.key("unknown_bits_accepted");
    j.begin_array();
    for (unsigned bit : s.unknown_bits_accepted)
        j.value(bit);
    j.end_array();
    j.end_object();
}

void limits_json(json_writer &j, const limits_report &l)
{
    j.key("limits");
    j.begin_object();
    error_member(j, "error", l.error);
    j.member("max_sq_entries", l.max_sq_entries);
    j.member("max_cq_entries", l.max_cq_entries);
    j.member("method", l.method);
    j.member("verified", l.verified);
    j.end_object();
}

} // namespace

std::string format_json(const probe_report &r)
{
    json_writer j;
    j.begin_object();
    j.key("kernel");
    j.begin_object();
    j.member("sysname", r.kernel.sysname);
    j.member("release", r.kernel.release);
    j.member("machine", r.kernel.machine);
    j.end_object();
    features_json(j, r.features);
    opcodes_json(j, r.opcodes);
    setup_json(j, r.setup);
    limits_json(j, r.limits);
    j.end_object();
    return j.str();
}

} // namespace uring_probe
