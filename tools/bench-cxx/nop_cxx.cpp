// NOP round trips through the C++ API: per round, BATCH x ring.prepare(nop
// with user_data), ring.submit_and_wait, then every CQE reaped with
// ring.for_each_completion. The twin of nop_c.c; ./run compares their
// instruction counts.
//
//   bench-cxx-nop ROUNDS [BATCH]
#include <uring/ops/misc.hpp>
#include <uring/ring.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

[[noreturn]] void die(const char *what, std::error_code ec)
{
    std::fprintf(stderr, "%s: %s\n", what, ec.message().c_str());
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    const unsigned long long rounds = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000;
    const unsigned batch = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 32;
    unsigned long long sum = 0, id = 0;

    auto ring = uring::ring::create(uring::setup_options(batch));
    if (!ring)
        die("ring::create", ring.error());
    uring::ring &r = *ring;

    for (unsigned long long round = 0; round < rounds; ++round) {
        for (unsigned i = 0; i < batch; ++i) {
            if (!r.prepare(uring::nop{}, uring::user_data<unsigned long long>(++id)))
                die("prepare", std::make_error_code(std::errc::no_buffer_space));
        }
        uring::result<unsigned> s = r.submit_and_wait(batch);
        if (!s || *s != batch)
            die("submit_and_wait", s.error());
        auto reap = [&r, &sum] {
            return r.for_each_completion([&sum](uring::completion c) noexcept { sum += c.raw_user_data(); });
        };
        unsigned got = reap();
        while (got < batch) {
            if (auto c = r.wait(); !c)
                die("wait", c.error());
            got += reap();
        }
    }
    std::printf("%llu\n", sum);
    return 0;
}
