// Coroutine file copy: opens, sizes, copies and syncs entirely through the
// ring. A few worker coroutines copy alternate blocks concurrently, each
// with its own buffer in its own coroutine frame, so several reads and
// writes are in flight at once.
//
//   uring-example-file-copy SOURCE DESTINATION [workers] [block-size]
#include <uring/uring.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

struct copy_job {
    uring::fd in;
    uring::fd out;
    std::uint64_t size;
    std::size_t block;
    unsigned workers;
    int error = 0; // first -errno seen
};

// Copies blocks worker, worker + workers, worker + 2*workers, ...
uring::task<void> worker(uring::event_loop &loop, copy_job &job, unsigned index)
{
    std::vector<std::byte> buf(job.block);
    for (std::uint64_t off = std::uint64_t{index} * job.block; off < job.size && job.error == 0;
         off += std::uint64_t{job.workers} * job.block) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(job.block, job.size - off));
        std::size_t done = 0;
        while (done < want) {
            uring::io_result r = co_await loop.run(
                uring::read{job.in, std::span(buf).subspan(done, want - done), off + done});
            if (r.res <= 0) { // 0: the file shrank under us
                job.error = r.res < 0 ? r.res : -EIO;
                co_return;
            }
            done += r.value();
        }
        std::size_t written = 0;
        while (written < want) {
            uring::io_result w = co_await loop.run(
                uring::write{job.out, std::span(buf).subspan(written, want - written), off + written});
            if (!w) {
                job.error = w.res;
                co_return;
            }
            written += w.value();
        }
    }
}

uring::task<int> copy_file(uring::event_loop &loop, const char *from, const char *to, unsigned workers,
                           std::size_t block)
{
    uring::io_result in = co_await loop.run(uring::openat{uring::cwd, from, O_RDONLY | O_CLOEXEC});
    if (!in)
        co_return in.res;
    uring::unique_fd in_fd(in.res);

    struct ::statx st {};
    uring::io_result s = co_await loop.run(uring::statx{in_fd.borrow(), "", AT_EMPTY_PATH, STATX_SIZE, &st});
    if (!s)
        co_return s.res;

    uring::io_result out =
        co_await loop.run(uring::openat{uring::cwd, to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644});
    if (!out)
        co_return out.res;
    uring::unique_fd out_fd(out.res);

    copy_job job{in_fd.borrow(), out_fd.borrow(), st.stx_size, block, workers};
    std::vector<uring::task<void>> running;
    for (unsigned i = 0; i < workers; ++i)
        running.push_back(worker(loop, job, i));
    // All workers run concurrently; this coroutine resumes when the last
    // one is done.
    co_await uring::when_all(running);
    if (job.error)
        co_return job.error;

    uring::io_result sync = co_await loop.run(uring::fsync{out_fd.borrow()});
    if (!sync)
        co_return sync.res;
    uring::io_result c = co_await loop.run(uring::close{uring::fd(out_fd.release())});
    co_return c.res;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s SOURCE DESTINATION [workers] [block-size]\n", argv[0]);
        return 2;
    }
    const unsigned workers = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 4;
    const std::size_t block = argc > 4 ? static_cast<std::size_t>(std::atol(argv[4])) : 128 * 1024;
    if (workers == 0 || block == 0) {
        std::fprintf(stderr, "workers and block-size must be positive\n");
        return 2;
    }

    auto ring = uring::ring::create(uring::setup_options(64));
    if (!ring) {
        std::fprintf(stderr, "ring: %s\n", ring.error().message().c_str());
        return 1;
    }
    uring::event_loop loop(*ring);
    int rc = loop.block_on(copy_file(loop, argv[1], argv[2], workers, block));
    if (rc < 0) {
        std::fprintf(stderr, "copy: %s\n", uring::errno_error(rc).message().c_str());
        return 1;
    }
    return 0;
}
