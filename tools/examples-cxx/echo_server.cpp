// A coroutine echo server and its clients, on loopback, in one process.
//
// The server accepts with a multishot accept stream and serves each
// connection with a multishot recv stream over a provided-buffer ring,
// echoing every chunk back before its buffer goes back to the ring. Each
// client sends a bounded number of messages of varying size and checks the
// echo byte for byte. When the last client is done it stops the server
// (std::stop_source), and everything winds down by itself:
// event_loop::run() returns once no task is left.
//
//   uring-example-echo-server [clients] [messages-per-client]
#include <uring/uring.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stop_token>
#include <vector>

namespace {

constexpr std::size_t max_message = 1500;

struct stats {
    int clients_left = 0;
    int clients_ok = 0;
    long bytes_echoed = 0;
    int sessions = 0;
};

// Sends all of `data` (a send may be short).
uring::task<bool> send_all(uring::event_loop &loop, uring::fd sock, std::span<const std::byte> data)
{
    while (!data.empty()) {
        uring::io_result r = co_await loop.run(uring::send{sock, data});
        if (!r)
            co_return false;
        data = data.subspan(r.value());
    }
    co_return true;
}

uring::task<void> session(uring::event_loop &loop, uring::unique_fd conn, uring::buffer_ring &buffers, stats &st)
{
    ++st.sessions;
    uring::recv_stream chunks(loop, conn, buffers);
    while (std::optional<uring::buffer_lease> chunk = co_await chunks.next()) {
        // (co_await goes in a declaration, not straight into the if: see
        // "GCC 12.2" in docs/cpp-api.md.)
        bool sent = co_await send_all(loop, conn.borrow(), chunk->data());
        if (!sent)
            break;
        st.bytes_echoed += static_cast<long>(chunk->size());
        // chunk's buffer returns to the ring here.
    }
    // EOF from the client (error() empty) or a failure.
    if (chunks.error())
        std::fprintf(stderr, "session: %s\n", chunks.error().message().c_str());
}

uring::task<void> server(uring::event_loop &loop, uring::fd listener, uring::buffer_ring &buffers, stats &st,
                         std::stop_token stop)
{
    uring::accept_stream connections(loop, listener, stop);
    while (std::optional<uring::unique_fd> conn = co_await connections.next())
        loop.spawn(session(loop, std::move(*conn), buffers, st));
}

uring::task<void> client(uring::event_loop &loop, int id, int messages, sockaddr_in addr, stats &st,
                         std::stop_source &stop_server)
{
    bool ok = true;
    uring::io_result s = co_await loop.run(uring::socket{AF_INET, SOCK_STREAM | SOCK_CLOEXEC});
    uring::unique_fd sock(s.res);
    if (!s) {
        ok = false;
    } else {
        uring::io_result c = co_await loop.run(uring::connect{sock, addr});
        ok = c.ok();
    }
    std::vector<std::byte> out(max_message), in(max_message);
    for (int m = 0; ok && m < messages; ++m) {
        std::size_t len = 1 + static_cast<std::size_t>(id * 131 + m * 977) % max_message;
        for (std::size_t i = 0; i < len; ++i)
            out[i] = static_cast<std::byte>(id + m + i);
        ok = co_await send_all(loop, sock.borrow(), std::span(out).first(len));
        if (!ok)
            break;
        std::size_t got = 0;
        while (got < len) {
            uring::io_result r =
                co_await loop.run(uring::recv{sock, std::span(in).subspan(got, len - got)});
            if (r.res <= 0) {
                ok = false;
                break;
            }
            got += r.value();
        }
        if (ok && std::memcmp(out.data(), in.data(), len) != 0)
            ok = false;
    }
    // Closing our end ends the server's session with EOF.
    co_await loop.run(uring::close{uring::fd(sock.release())});
    if (ok)
        ++st.clients_ok;
    else
        std::fprintf(stderr, "client %d failed\n", id);
    if (--st.clients_left == 0)
        stop_server.request_stop();
}

} // namespace

int main(int argc, char **argv)
{
    const int clients = argc > 1 ? std::atoi(argv[1]) : 4;
    const int messages = argc > 2 ? std::atoi(argv[2]) : 200;
    if (clients <= 0 || messages <= 0) {
        std::fprintf(stderr, "usage: %s [clients] [messages-per-client]\n", argv[0]);
        return 2;
    }

    auto ring = uring::ring::create(
        uring::setup_options::with<IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN>(256));
    if (!ring) {
        std::fprintf(stderr, "ring: %s\n", ring.error().message().c_str());
        return 1;
    }
    uring::event_loop loop(std::move(*ring));

    // The listener is set up synchronously: it is not the interesting part.
    uring::unique_fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (!listener || ::bind(listener.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
        ::listen(listener.get(), 64) != 0 ||
        ::getsockname(listener.get(), reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
        std::perror("listener");
        return 1;
    }

    auto buffers = loop.make_buffer_ring(/*group=*/0, /*entries=*/64, /*buffer_size=*/4096);
    if (!buffers) {
        std::fprintf(stderr, "buffer ring: %s\n", buffers.error().message().c_str());
        return 1;
    }

    stats st;
    st.clients_left = clients;
    std::stop_source stop_server;
    loop.spawn(server(loop, listener.borrow(), **buffers, st, stop_server.get_token()));
    for (int i = 0; i < clients; ++i)
        loop.spawn(client(loop, i, messages, addr, st, stop_server));
    loop.run();

    std::printf("echo: %d/%d clients ok, %d sessions, %ld bytes echoed, %u buffers still leased\n",
                st.clients_ok, clients, st.sessions, st.bytes_echoed, (*buffers)->leased());
    return st.clients_ok == clients && st.sessions == clients && (*buffers)->leased() == 0 ? 0 : 1;
}
