// Creating the ring uring-layout shows (see live_ring.h).
#include "live_ring.h"

#include <sys/mman.h>
#include <unistd.h>

namespace uring_layout {
namespace {

unsigned flags_from(const options &o)
{
    unsigned f = 0;
    if (o.sqpoll)
        f |= IORING_SETUP_SQPOLL;
    if (o.sqe128)
        f |= IORING_SETUP_SQE128;
    if (o.cqe32)
        f |= IORING_SETUP_CQE32;
    if (o.no_mmap)
        f |= IORING_SETUP_NO_MMAP;
    if (o.sq_array == sq_array_choice::without)
        f |= IORING_SETUP_NO_SQARRAY;
    return f;
}

} // namespace

int live_ring::create(const options &o, std::string *what)
{
    entries_asked = o.entries;
    requested_flags = flags_from(o);
    params = {};
    params.flags = requested_flags;
    // An SQPOLL thread that naps after 1 s idle: long enough that the walk
    // below finds it awake, short enough not to linger.
    params.sq_thread_idle = 1000;

    int ret;
    if (o.app_mem) {
        // Enough caller memory for the layout with an SQ index array, the
        // larger of the two the library may pick.
        how = "io_uring_queue_init_mem";
        memory_owner = "caller";
        io_uring_params sizing = params;
        const ssize_t need = io_uring_memory_size_params(o.entries, &sizing);
        if (need < 0) {
            *what = "io_uring_memory_size_params";
            return static_cast<int>(need);
        }
        app_mem_size_ = static_cast<std::size_t>(need);
        void *p = mmap(nullptr, app_mem_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            *what = "mmap";
            return -ENOMEM;
        }
        app_mem_ = p;
        ret = io_uring_queue_init_mem(o.entries, &ring, &params, app_mem_, app_mem_size_);
        ret = ret < 0 ? ret : 0;
    } else if (o.sq_array == sq_array_choice::with) {
        // io_uring_queue_init* always try NO_SQARRAY first, so a ring with
        // an SQ index array on a current kernel takes the two-step route.
        how = "io_uring_setup + io_uring_queue_mmap";
        const int fd = io_uring_setup(o.entries, &params);
        if (fd < 0) {
            *what = "io_uring_setup";
            return fd;
        }
        ret = io_uring_queue_mmap(fd, &params, &ring);
        if (ret < 0)
            close(fd);
    } else {
        how = "io_uring_queue_init_params";
        if (o.no_mmap)
            memory_owner = "library";
        ret = io_uring_queue_init_params(o.entries, &ring, &params);
    }
    if (ret < 0) {
        *what = how;
        return ret;
    }
    live_ = true;
    return 0;
}

live_ring::~live_ring()
{
    if (live_)
        io_uring_queue_exit(&ring);
    if (app_mem_)
        munmap(app_mem_, app_mem_size_);
}

} // namespace uring_layout
