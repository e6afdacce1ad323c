/* SPDX-License-Identifier: MIT */
/* The loopback listener and the lock-step client thread (echo_client.h). */
#include "echo_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

int echo_listen(int *port)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	if (fd < 0)
		bench_die("socket", errno);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&addr, &len))
		bench_die("bind/listen", errno);
	*port = ntohs(addr.sin_port);
	return fd;
}

static void set_nodelay(int fd)
{
	int one = 1;

	/* Each message is one small write; never let Nagle hold it back. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void recv_all(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n <= 0)
			bench_die("client recv", n < 0 ? errno : EPIPE);
		buf += n;
		len -= (size_t)n;
	}
}

static void *client_main(void *arg)
{
	struct echo_client *c = arg;
	struct sockaddr_in addr;
	int *fds = calloc(c->conns, sizeof(int));
	char msg[ECHO_MSG], reply[ECHO_MSG];

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t)c->port);
	for (unsigned i = 0; i < c->conns; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&addr, sizeof(addr)))
			bench_die("connect", errno);
		set_nodelay(fds[i]);
	}
	pthread_barrier_wait(&c->go);

	uint64_t t0 = bench_now_ns();
	for (unsigned long long r = 0; r < c->rounds; r++) {
		for (unsigned i = 0; i < c->conns; i++) {
			memset(msg, (int)((r + i) & 0xff), sizeof(msg));
			if (send(fds[i], msg, sizeof(msg), 0) != (ssize_t)sizeof(msg))
				bench_die("client send", errno);
		}
		for (unsigned i = 0; i < c->conns; i++) {
			recv_all(fds[i], reply, sizeof(reply));
			/* The echo must be this round's bytes, not a stale buffer. */
			if (reply[0] != (char)((r + i) & 0xff) || reply[ECHO_MSG - 1] != reply[0])
				bench_die("echo mismatch", EBADMSG);
		}
	}
	c->elapsed_ns = bench_now_ns() - t0;

	for (unsigned i = 0; i < c->conns; i++)
		close(fds[i]);
	free(fds);
	return NULL;
}

void echo_start(struct echo_client *c, int listen_fd, int *fds)
{
	pthread_barrier_init(&c->go, NULL, 2);
	if (pthread_create(&c->thread, NULL, client_main, c))
		bench_die("pthread_create", EAGAIN);
	for (unsigned i = 0; i < c->conns; i++) {
		fds[i] = accept(listen_fd, NULL, NULL);
		if (fds[i] < 0)
			bench_die("accept", errno);
		set_nodelay(fds[i]);
	}
}

void echo_go(struct echo_client *c)
{
	pthread_barrier_wait(&c->go);
}

unsigned long long echo_finish(struct echo_client *c)
{
	pthread_join(c->thread, NULL);
	pthread_barrier_destroy(&c->go);
	return c->rounds * c->conns;
}
