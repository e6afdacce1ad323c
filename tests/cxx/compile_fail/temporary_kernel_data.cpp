// Operations added for issue 8 that hold or point at data the kernel reads
// later: ring::prepare must refuse a temporary epoll_ctl (its epoll_event
// lives inside the op), and sendto must refuse a temporary address. CASE=0
// is the correct use with lvalues.
#include <uring/ops.hpp>
#include <uring/ring.hpp>

#include <string_view>

void f(uring::ring &r, uring::fd ep, uring::fd target, uring::fd sock)
{
    std::string_view data = "x";
#if CASE == 0
    uring::epoll_ctl add{ep, target, EPOLL_CTL_ADD, EPOLLIN};
    r.prepare(add);
    sockaddr_in to{};
    r.prepare(uring::sendto{sock, data, to});
#elif CASE == 1
    r.prepare(uring::epoll_ctl{ep, target, EPOLL_CTL_ADD, EPOLLIN});
#elif CASE == 2
    r.prepare(uring::sendto{sock, data, sockaddr_in{}});
#endif
    (void)ep, (void)target, (void)sock, (void)data;
}

int main() {}
