/* SPDX-License-Identifier: MIT */
/*
 * TCP echo server on io_uring: one multishot recv per connection drawing
 * from a provided-buffer ring, each received buffer sent straight back and
 * returned to the ring once the send completes.
 *
 *   echo_uring CONNS ROUNDS      (messages = CONNS × ROUNDS, 64 bytes each)
 */
#include <liburing.h>
#include <unistd.h>

#include "bench.h"
#include "buf_ring_compat.h"
#include "echo_client.h"

#define NBUFS 256u  /* provided buffers (power of two) */
#define BUFSZ 2048u /* bytes per provided buffer */
#define BGID 0

/* user_data: kind in the top bits, connection and buffer id below. */
#define UD_RECV 1ull
#define UD_SEND 2ull
#define UD(kind, conn, bid) ((kind) << 56 | (uint64_t)(conn) << 16 | (bid))
#define UD_KIND(ud) ((ud) >> 56)
#define UD_CONN(ud) ((unsigned)((ud) >> 16) & 0xffffffffu)
#define UD_BID(ud) ((unsigned)(ud) & 0xffffu)

struct server {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	char *bufs;
	int *fds;
	unsigned open_conns;
	unsigned sent_off[NBUFS], sent_len[NBUFS]; /* progress of each buffer's send */
};

static struct io_uring_sqe *sqe_or_die(struct server *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	if (!sqe) {
		/* SQ full: push what is queued and try again. */
		io_uring_submit(&s->ring);
		sqe = io_uring_get_sqe(&s->ring);
		if (!sqe)
			bench_die("io_uring_get_sqe", EBUSY);
	}
	return sqe;
}

static void arm_recv(struct server *s, unsigned conn)
{
	struct io_uring_sqe *sqe = sqe_or_die(s);

	io_uring_prep_recv_multishot(sqe, s->fds[conn], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	io_uring_sqe_set_data64(sqe, UD(UD_RECV, conn, 0));
}

static void queue_send(struct server *s, unsigned conn, unsigned bid)
{
	struct io_uring_sqe *sqe = sqe_or_die(s);
	char *buf = s->bufs + (size_t)bid * BUFSZ;

	io_uring_prep_send(sqe, s->fds[conn], buf + s->sent_off[bid],
			   s->sent_len[bid] - s->sent_off[bid], 0);
	io_uring_sqe_set_data64(sqe, UD(UD_SEND, conn, bid));
}

static void recycle(struct server *s, unsigned bid)
{
	io_uring_buf_ring_add(s->br, s->bufs + (size_t)bid * BUFSZ, BUFSZ, (unsigned short)bid,
			      io_uring_buf_ring_mask(NBUFS), 0);
	io_uring_buf_ring_advance(s->br, 1);
}

static void on_recv(struct server *s, unsigned conn, struct io_uring_cqe *cqe)
{
	if (cqe->res > 0) {
		unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

		s->sent_off[bid] = 0;
		s->sent_len[bid] = (unsigned)cqe->res;
		queue_send(s, conn, bid);
	} else if (cqe->res == 0) {
		close(s->fds[conn]); /* the client is done with this connection */
		s->open_conns--;
		return;
	} else if (cqe->res != -ENOBUFS) {
		bench_die("recv", cqe->res);
	}
	/* Multishot ends on ENOBUFS or whenever the kernel drops F_MORE. */
	if (!(cqe->flags & IORING_CQE_F_MORE))
		arm_recv(s, conn);
}

static void on_send(struct server *s, unsigned conn, unsigned bid, int res)
{
	if (res < 0)
		bench_die("send", res);
	s->sent_off[bid] += (unsigned)res;
	if (s->sent_off[bid] < s->sent_len[bid])
		queue_send(s, conn, bid); /* short send: the rest */
	else
		recycle(s, bid);
}

static void serve(struct server *s)
{
	while (s->open_conns) {
		int ret = io_uring_submit_and_wait(&s->ring, 1);
		if (ret < 0 && ret != -EINTR)
			bench_die("io_uring_submit_and_wait", ret);

		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		io_uring_for_each_cqe(&s->ring, head, cqe) {
			uint64_t ud = cqe->user_data;

			if (UD_KIND(ud) == UD_RECV)
				on_recv(s, UD_CONN(ud), cqe);
			else
				on_send(s, UD_CONN(ud), UD_BID(ud), cqe->res);
			n++;
		}
		(void)head;
		io_uring_cq_advance(&s->ring, n);
	}
}

int main(int argc, char **argv)
{
	struct echo_client c;
	struct server s;
	int err, listen_fd;

	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	c.conns = (unsigned)bench_arg(argc, argv, 1, "CONNS");
	c.rounds = bench_arg(argc, argv, 2, "ROUNDS");
	if (!c.conns || c.conns > 1024)
		bench_die("CONNS must be 1..1024", EINVAL);

	listen_fd = echo_listen(&c.port);
	s.fds = calloc(c.conns, sizeof(int));
	echo_start(&c, listen_fd, s.fds);
	s.open_conns = c.conns;

	err = io_uring_queue_init(256, &s.ring, 0);
	if (err)
		bench_die("io_uring_queue_init", err);
	s.br = bench_setup_buf_ring(&s.ring, NBUFS, BGID, &err);
	if (!s.br)
		bench_die("buffer ring setup", err);
	if (posix_memalign((void **)&s.bufs, 4096, (size_t)NBUFS * BUFSZ))
		bench_die("posix_memalign", ENOMEM);
	for (unsigned bid = 0; bid < NBUFS; bid++)
		io_uring_buf_ring_add(s.br, s.bufs + (size_t)bid * BUFSZ, BUFSZ,
				      (unsigned short)bid, io_uring_buf_ring_mask(NBUFS), (int)bid);
	io_uring_buf_ring_advance(s.br, NBUFS);
	for (unsigned i = 0; i < c.conns; i++)
		arm_recv(&s, i);
	io_uring_submit(&s.ring);

	echo_go(&c);
	serve(&s);
	unsigned long long msgs = echo_finish(&c);

	io_uring_queue_exit(&s.ring);
	close(listen_fd);
	bench_result(msgs, c.elapsed_ns);
	return 0;
}
