// Which IORING_OP_* the kernel implements: IORING_REGISTER_PROBE fills one
// io_uring_probe_op per opcode it knows, with IO_URING_OP_SUPPORTED set on
// those it accepts.
#include "names.h"
#include "report.h"

#include <liburing.h>

#include <algorithm>

namespace uring_probe {

opcode_report read_opcodes()
{
    opcode_report r;
    io_uring ring;
    r.error = io_uring_queue_init(2, &ring, 0);
    if (r.error < 0)
        return r;
    io_uring_probe *probe = io_uring_get_probe_ring(&ring);
    io_uring_queue_exit(&ring);
    if (!probe) {
        // io_uring_get_probe_ring reports failure only as NULL.
        r.error = -EOPNOTSUPP;
        return r;
    }
    r.last_op = probe->last_op;
    r.ops_len = probe->ops_len;
    // Every opcode these headers name, plus any newer ones the kernel knows.
    const unsigned count = std::max<unsigned>(IORING_OP_LAST, r.last_op + 1u);
    for (unsigned op = 0; op < count; op++) {
        r.ops.push_back(opcode_entry{op, std::string(introspect::opcode_name(op)),
                                     io_uring_opcode_supported(probe, static_cast<int>(op)) != 0});
    }
    io_uring_free_probe(probe);
    return r;
}

} // namespace uring_probe
