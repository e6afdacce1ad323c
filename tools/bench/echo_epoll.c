/* SPDX-License-Identifier: MIT */
/*
 * TCP echo server on epoll, the non-io_uring reference: level-triggered
 * EPOLLIN, read what is there, write it back. Same client as echo_uring.c.
 *
 *   echo_epoll CONNS ROUNDS
 */
#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bench.h"
#include "echo_client.h"

/* Writes all of buf; the socket is non-blocking but 64-byte echoes never
 * fill a loopback send buffer in practice, so EAGAIN just retries. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			bench_die("write", errno);
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Drains one readable connection; returns 0 once the peer has closed. */
static int echo_conn(int fd)
{
	char buf[2048];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			write_all(fd, buf, (size_t)n);
			if ((size_t)n < sizeof(buf))
				return 1; /* short read: nothing more queued */
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EAGAIN)
			return 1;
		if (errno != EINTR)
			bench_die("read", errno);
	}
}

int main(int argc, char **argv)
{
	struct echo_client c;
	struct epoll_event evs[64];
	int listen_fd, ep, *fds;
	unsigned open_conns;

	memset(&c, 0, sizeof(c));
	c.conns = (unsigned)bench_arg(argc, argv, 1, "CONNS");
	c.rounds = bench_arg(argc, argv, 2, "ROUNDS");
	if (!c.conns || c.conns > 1024)
		bench_die("CONNS must be 1..1024", EINVAL);

	listen_fd = echo_listen(&c.port);
	fds = calloc(c.conns, sizeof(int));
	echo_start(&c, listen_fd, fds);
	open_conns = c.conns;

	ep = epoll_create1(0);
	if (ep < 0)
		bench_die("epoll_create1", errno);
	for (unsigned i = 0; i < c.conns; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fds[i] };

		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev))
			bench_die("epoll_ctl", errno);
	}

	echo_go(&c);
	while (open_conns) {
		int n = epoll_wait(ep, evs, 64, -1);

		if (n < 0 && errno != EINTR)
			bench_die("epoll_wait", errno);
		for (int i = 0; i < n; i++) {
			if (!echo_conn(evs[i].data.fd)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, evs[i].data.fd, NULL);
				close(evs[i].data.fd);
				open_conns--;
			}
		}
	}
	unsigned long long msgs = echo_finish(&c);

	close(ep);
	close(listen_fd);
	bench_result(msgs, c.elapsed_ns);
	return 0;
}
