// IORING_FEAT_* bits: the kernel reports them in io_uring_params.features
// every time a ring is created, so creating one is how to ask.
#include "report.h"

#include <liburing.h>

namespace uring_probe {

feature_report read_features()
{
    io_uring ring;
    io_uring_params p{};
    feature_report r;
    r.error = io_uring_queue_init_params(4, &ring, &p);
    if (r.error < 0)
        return r;
    r.value = p.features;
    io_uring_queue_exit(&ring);
    return r;
}

} // namespace uring_probe
