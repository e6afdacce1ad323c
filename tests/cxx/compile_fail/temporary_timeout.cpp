// A timeout op holds the timespec its SQE points to, so ring::prepare must
// refuse a temporary one (it would be gone before submission). CASE=0 is
// the correct use with an lvalue.
#include <uring/ops.hpp>
#include <uring/ring.hpp>

using namespace std::chrono_literals;

void f(uring::ring &r)
{
#if CASE == 0
    uring::timeout t{10ms};
    r.prepare(t);
    uring::link_timeout lt{5ms};
    r.prepare_chain(uring::nop{}, lt);
#elif CASE == 1
    r.prepare(uring::timeout{10ms});
#elif CASE == 2
    r.prepare_chain(uring::nop{}, uring::link_timeout{5ms});
#endif
}

int main() {}
