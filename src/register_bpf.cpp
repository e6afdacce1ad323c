// Classic-BPF filters over submitted requests, per ring or per task.
#include "register_common.h"

using namespace bareuring;

// io_uring_register_bpf_filter: on this ring.
BAREURING_API int io_uring_register_bpf_filter(struct io_uring *ring, struct io_uring_bpf *bpf) noexcept
{
    return register_on(ring, IORING_REGISTER_BPF_FILTER, bpf, 1);
}

// io_uring_register_bpf_filter_task: for every ring of the calling task, so
// no ring (fd -1).
BAREURING_API int io_uring_register_bpf_filter_task(struct io_uring_bpf *bpf) noexcept
{
    return register_without_ring(IORING_REGISTER_BPF_FILTER, bpf, 1);
}
