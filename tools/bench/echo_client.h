/* SPDX-License-Identifier: MIT */
/*
 * The loopback side shared by every echo server variant (echo_uring.c,
 * echo_epoll.c): a listening socket, and a client thread that drives N
 * connections in lock-step rounds with plain blocking syscalls. The client
 * is identical for all servers, so only the server differs between runs.
 */
#ifndef ECHO_CLIENT_H
#define ECHO_CLIENT_H

#include <pthread.h>
#include <stdint.h>

#define ECHO_MSG 64 /* bytes per message */

struct echo_client {
	unsigned conns;
	unsigned long long rounds; /* each round: one message per connection */
	int port;
	pthread_t thread;
	pthread_barrier_t go; /* the server is ready: start the clock */
	uint64_t elapsed_ns; /* first send to last reply, set by the thread */
};

/* Listens on 127.0.0.1 with a kernel-chosen port; returns the fd. */
int echo_listen(int *port);

/* Starts the client thread, then accepts its connections into fds[]. */
void echo_start(struct echo_client *c, int listen_fd, int *fds);

/* Releases the client once the server has armed its receives, so server
 * setup stays out of the timed part. */
void echo_go(struct echo_client *c);

/* Waits for the client (which closes its sockets when done); returns the
 * number of messages echoed. */
unsigned long long echo_finish(struct echo_client *c);

#endif /* ECHO_CLIENT_H */
