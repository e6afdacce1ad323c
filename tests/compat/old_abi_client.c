/*
 * A liburing client built the way an existing binary was built: against the
 * system's (older) liburing headers and linked to the system's
 * liburing.so.2. run_old_abi.sh runs it once as built and once with our
 * liburing.so.2 swapped in through LD_LIBRARY_PATH; both runs must print
 * the same lines.
 *
 * So stdout carries only facts that do not depend on which library is
 * loaded: return codes, CQE results and user_data, ring sizes, data read
 * back. Not ring->flags (2.15 also records NO_SQARRAY there), not
 * addresses, not timings. The path of the liburing that the dynamic loader
 * mapped goes to stderr, for the driver to check.
 *
 * The inline half of the old header (get_sqe, peek/advance, buf_ring_add,
 * ...) is compiled into this program, so every call here also checks that
 * our struct io_uring and ring memory look the way the 2.3 inlines expect.
 */
#define _GNU_SOURCE
#include <liburing.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void fact(const char *name, long long value)
{
	printf("%s: %lld\n", name, value);
}

/* Which liburing did the loader map? Read from our own /proc/self/maps. */
static void report_loaded_liburing(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096];

	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		if (path && strstr(path, "/liburing")) {
			fprintf(stderr, "loaded: %s", path);
			break;
		}
	}
	fclose(maps);
}

struct completion {
	__u64 user_data;
	int res;
};

static int by_user_data(const void *a, const void *b)
{
	const struct completion *x = a, *y = b;

	return x->user_data < y->user_data ? -1 : x->user_data > y->user_data;
}

/*
 * Reap `n` CQEs and print them sorted by user_data: the order in which the
 * kernel posts independent completions (a linked timeout and the request it
 * cancels, two pipe ends) is not something a library decides.
 */
static void reap(struct io_uring *ring, const char *tag, unsigned n)
{
	struct completion done[8];
	char name[128];
	unsigned i, got = 0;

	for (i = 0; i < n && i < 8; i++) {
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe(ring, &cqe);

		if (ret < 0) {
			snprintf(name, sizeof(name), "%s.wait[%u]", tag, i);
			fact(name, ret);
			break;
		}
		done[got].user_data = cqe->user_data;
		done[got].res = cqe->res;
		got++;
		io_uring_cqe_seen(ring, cqe);
	}
	qsort(done, got, sizeof(done[0]), by_user_data);
	for (i = 0; i < got; i++) {
		snprintf(name, sizeof(name), "%s.cqe[%u].user_data", tag, i);
		fact(name, (long long)done[i].user_data);
		snprintf(name, sizeof(name), "%s.cqe[%u].res", tag, i);
		fact(name, done[i].res);
	}
}

static void queue_nop(struct io_uring *ring, __u64 user_data, unsigned flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, user_data);
	io_uring_sqe_set_flags(sqe, flags);
}

static void nop_roundtrip(struct io_uring *ring, const char *tag)
{
	char name[128];

	queue_nop(ring, 0x1234, 0);
	snprintf(name, sizeof(name), "%s.submit", tag);
	fact(name, io_uring_submit(ring));
	reap(ring, tag, 1);
}

static void describe(struct io_uring *ring, const char *tag)
{
	char name[128];

	snprintf(name, sizeof(name), "%s.sq_entries", tag);
	fact(name, ring->sq.ring_entries);
	snprintf(name, sizeof(name), "%s.sq_mask", tag);
	fact(name, ring->sq.ring_mask);
	snprintf(name, sizeof(name), "%s.cq_entries", tag);
	fact(name, ring->cq.ring_entries);
	snprintf(name, sizeof(name), "%s.cq_mask", tag);
	fact(name, ring->cq.ring_mask);
	snprintf(name, sizeof(name), "%s.sq_space_left", tag);
	fact(name, io_uring_sq_space_left(ring));
}

/* One setup variant: init, describe, one NOP through it, exit. */
static void setup_variant(const char *tag, unsigned entries, struct io_uring_params *p)
{
	struct io_uring ring;
	char name[128];
	int ret = io_uring_queue_init_params(entries, &ring, p);

	snprintf(name, sizeof(name), "%s.init", tag);
	fact(name, ret);
	if (ret < 0)
		return;
	describe(&ring, tag);
	if (!(p->flags & IORING_SETUP_R_DISABLED))
		nop_roundtrip(&ring, tag);
	io_uring_queue_exit(&ring);
}

static void test_setup(void)
{
	struct io_uring_params p;
	struct io_uring ring;

	fact("setup.init_zero_entries", io_uring_queue_init(0, &ring, 0));

	memset(&p, 0, sizeof(p));
	setup_variant("setup.plain", 8, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 64;
	setup_variant("setup.cqsize", 4, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP;
	setup_variant("setup.clamp", 100000, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 50;
	setup_variant("setup.sqpoll", 8, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	setup_variant("setup.defer_taskrun", 8, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	setup_variant("setup.big_entries", 8, &p);

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	setup_variant("setup.coop_taskrun", 8, &p);

	/* Disabled at setup, enabled with the raw register call (2.3's
	 * header declares io_uring_enable_rings but its library lacks it). */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_R_DISABLED;
	if (io_uring_queue_init_params(8, &ring, &p) == 0) {
		fact("setup.r_disabled.enable",
		     io_uring_register(ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0));
		nop_roundtrip(&ring, "setup.r_disabled");
		io_uring_queue_exit(&ring);
	}

	/* The raw syscall plus io_uring_queue_mmap, as old programs did it. */
	memset(&p, 0, sizeof(p));
	int fd = io_uring_setup(4, &p);
	fact("setup.raw.fd_ok", fd >= 0);
	if (fd >= 0) {
		memset(&ring, 0, sizeof(ring));
		fact("setup.raw.queue_mmap", io_uring_queue_mmap(fd, &p, &ring));
		describe(&ring, "setup.raw");
		nop_roundtrip(&ring, "setup.raw");
		io_uring_queue_exit(&ring);
	}
}

static void test_submit_wait(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe, *cqes[8];
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 20 * 1000 * 1000 };
	unsigned head, seen, i;
	int ret;

	if (io_uring_queue_init(4, &ring, 0) < 0) {
		fact("submit.init", -1);
		return;
	}
	fact("submit.peek_empty", io_uring_peek_cqe(&ring, &cqe));
	fact("submit.wait_timeout_empty", io_uring_wait_cqe_timeout(&ring, &cqe, &ts));

	/* Fill the SQ: four SQEs, then NULL. */
	for (i = 0; i < 4; i++)
		queue_nop(&ring, 100 + i, 0);
	fact("submit.fifth_sqe_is_null", io_uring_get_sqe(&ring) == NULL);
	fact("submit.sq_ready", io_uring_sq_ready(&ring));
	fact("submit.submit_and_wait", io_uring_submit_and_wait(&ring, 4));
	fact("submit.cq_ready", io_uring_cq_ready(&ring));

	/* Batch peek, then advance by hand. */
	ret = io_uring_peek_batch_cqe(&ring, cqes, 8);
	fact("submit.peek_batch", ret);
	for (i = 0; i < (unsigned)ret; i++)
		fact("submit.batch.user_data", (long long)cqes[i]->user_data);
	io_uring_cq_advance(&ring, ret);
	fact("submit.cq_ready_after_advance", io_uring_cq_ready(&ring));

	/* io_uring_for_each_cqe over a linked chain. */
	queue_nop(&ring, 200, IOSQE_IO_LINK);
	queue_nop(&ring, 201, IOSQE_IO_LINK);
	queue_nop(&ring, 202, 0);
	fact("submit.linked.submit", io_uring_submit(&ring));
	fact("submit.linked.wait_nr", io_uring_wait_cqe_nr(&ring, &cqe, 3));
	seen = 0;
	io_uring_for_each_cqe(&ring, head, cqe) {
		fact("submit.linked.user_data", (long long)cqe->user_data);
		fact("submit.linked.res", cqe->res);
		seen++;
	}
	io_uring_cq_advance(&ring, seen);
	fact("submit.linked.seen", seen);

	/* wait_cqes with a timeout: one NOP ready, asked for two. */
	queue_nop(&ring, 300, 0);
	fact("submit.wait_cqes.submit", io_uring_submit(&ring));
	ret = io_uring_wait_cqes(&ring, &cqe, 2, &ts, NULL);
	fact("submit.wait_cqes", ret == 0 || ret == -ETIME ? 0 : ret);
	fact("submit.wait_cqes.ready", io_uring_cq_ready(&ring));
	io_uring_cq_advance(&ring, io_uring_cq_ready(&ring));

	/* submit_and_wait_timeout with a NOP. */
	queue_nop(&ring, 400, 0);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	fact("submit.and_wait_timeout", ret);
	if (ret >= 0) {
		fact("submit.and_wait_timeout.user_data", (long long)cqe->user_data);
		io_uring_cqe_seen(&ring, cqe);
	}

	/* Registered ring fd: submission through the index. */
	fact("submit.register_ring_fd", io_uring_register_ring_fd(&ring));
	nop_roundtrip(&ring, "submit.registered_ring");
	fact("submit.unregister_ring_fd", io_uring_unregister_ring_fd(&ring));
	nop_roundtrip(&ring, "submit.unregistered_ring");

	fact("submit.ring_dontfork", io_uring_ring_dontfork(&ring));
	io_uring_queue_exit(&ring);
}

static int temp_file(void)
{
	char path[] = "/tmp/bareuring-compat-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

static void fill(char *buf, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)(seed * 31 + i * 7);
}

static void test_file_io(void)
{
	static char out[8192], in[8192];
	struct io_uring ring;
	struct iovec iov[2] = { { out, 4096 }, { out + 4096, 4096 } };
	struct io_uring_sqe *sqe;
	int fd = temp_file();

	if (fd < 0 || io_uring_queue_init(8, &ring, 0) < 0) {
		fact("file.setup", -1);
		return;
	}
	fill(out, sizeof(out), 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_writev(sqe, fd, iov, 2, 0);
	sqe->user_data = 1;
	io_uring_submit(&ring);
	reap(&ring, "file.writev", 1);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, in, sizeof(in), 0);
	sqe->user_data = 2;
	io_uring_submit(&ring);
	reap(&ring, "file.read", 1);
	fact("file.read.matches", memcmp(in, out, sizeof(in)) == 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
	sqe->user_data = 3;
	io_uring_submit(&ring);
	reap(&ring, "file.fsync", 1);

	io_uring_queue_exit(&ring);
	close(fd);
}

static void test_registered_buffers(void)
{
	static char bufs[2][4096];
	struct iovec iov[2] = { { bufs[0], 4096 }, { bufs[1], 4096 } };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int fd = temp_file();

	if (fd < 0 || io_uring_queue_init(8, &ring, 0) < 0) {
		fact("rbuf.setup", -1);
		return;
	}
	fact("rbuf.register", io_uring_register_buffers(&ring, iov, 2));
	fill(bufs[0], 4096, 2);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write_fixed(sqe, fd, bufs[0], 4096, 0, 0);
	sqe->user_data = 10;
	io_uring_submit(&ring);
	reap(&ring, "rbuf.write_fixed", 1);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, bufs[1], 4096, 0, 1);
	sqe->user_data = 11;
	io_uring_submit(&ring);
	reap(&ring, "rbuf.read_fixed", 1);
	fact("rbuf.read_fixed.matches", memcmp(bufs[0], bufs[1], 4096) == 0);

	/* A buffer index that is not registered. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, bufs[1], 4096, 0, 5);
	sqe->user_data = 12;
	io_uring_submit(&ring);
	reap(&ring, "rbuf.bad_index", 1);

	fact("rbuf.unregister", io_uring_unregister_buffers(&ring));
	fact("rbuf.unregister_again", io_uring_unregister_buffers(&ring));
	fact("rbuf.register_sparse", io_uring_register_buffers_sparse(&ring, 4));
	fact("rbuf.update_tag", io_uring_register_buffers_update_tag(&ring, 1, iov, NULL, 1));
	fact("rbuf.unregister_sparse", io_uring_unregister_buffers(&ring));
	io_uring_queue_exit(&ring);
	close(fd);
}

static void test_registered_files(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char msg[] = "registered", got[sizeof(msg)] = { 0 };
	int pipefd[2], files[2];

	if (pipe(pipefd) < 0 || io_uring_queue_init(8, &ring, 0) < 0) {
		fact("rfile.setup", -1);
		return;
	}
	files[0] = pipefd[0];
	files[1] = -1;
	fact("rfile.register", io_uring_register_files(&ring, files, 2));
	/* Slot 1 was empty: put the write end there. */
	fact("rfile.update", io_uring_register_files_update(&ring, 1, &pipefd[1], 1));

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 1, msg, sizeof(msg), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = 20;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, got, sizeof(got), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = 21;
	fact("rfile.submit", io_uring_submit(&ring));
	reap(&ring, "rfile.io", 2);
	fact("rfile.read.matches", memcmp(msg, got, sizeof(msg)) == 0);

	fact("rfile.unregister", io_uring_unregister_files(&ring));
	fact("rfile.register_sparse", io_uring_register_files_sparse(&ring, 8));
	fact("rfile.alloc_range", io_uring_register_file_alloc_range(&ring, 2, 4));
	fact("rfile.unregister_sparse", io_uring_unregister_files(&ring));
	io_uring_queue_exit(&ring);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void test_probe(void)
{
	static const int ops[] = { IORING_OP_NOP, IORING_OP_READV, IORING_OP_TIMEOUT,
				   IORING_OP_READ, IORING_OP_SEND_ZC, 250 };
	struct io_uring ring;
	struct io_uring_probe *probe;
	unsigned i;

	probe = io_uring_get_probe();
	fact("probe.get", probe != NULL);
	if (probe) {
		fact("probe.last_op", probe->last_op);
		fact("probe.ops_len", probe->ops_len);
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			fact("probe.supported", io_uring_opcode_supported(probe, ops[i]));
		io_uring_free_probe(probe);
	}
	if (io_uring_queue_init(2, &ring, 0) == 0) {
		probe = io_uring_get_probe_ring(&ring);
		fact("probe.ring", probe != NULL);
		if (probe) {
			fact("probe.ring.last_op", probe->last_op);
			io_uring_free_probe(probe);
		}
		io_uring_queue_exit(&ring);
	}
}

static void test_timeouts(void)
{
	struct __kernel_timespec short_ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
	struct __kernel_timespec long_ts = { .tv_sec = 10, .tv_nsec = 0 };
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int pipefd[2];
	char c;

	if (pipe(pipefd) < 0 || io_uring_queue_init(8, &ring, 0) < 0) {
		fact("timeout.setup", -1);
		return;
	}
	/* Expires. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &short_ts, 0, 0);
	sqe->user_data = 30;
	io_uring_submit(&ring);
	reap(&ring, "timeout.expire", 1);

	/* Completed by count: one NOP satisfies it. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &long_ts, 1, 0);
	sqe->user_data = 31;
	io_uring_submit(&ring);
	queue_nop(&ring, 32, 0);
	io_uring_submit(&ring);
	reap(&ring, "timeout.count", 2);

	/* Removed before it fires: the timeout CQE and the remove CQE. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &long_ts, 0, 0);
	sqe->user_data = 33;
	io_uring_submit(&ring);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, 33, 0);
	sqe->user_data = 34;
	io_uring_submit(&ring);
	reap(&ring, "timeout.remove", 2);

	/* Removing one that does not exist. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout_remove(sqe, 999, 0);
	sqe->user_data = 35;
	io_uring_submit(&ring);
	reap(&ring, "timeout.remove_missing", 1);

	/* A read from an empty pipe, cut short by a linked timeout. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, pipefd[0], &c, 1, 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 36;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_link_timeout(sqe, &short_ts, 0);
	sqe->user_data = 37;
	fact("timeout.link.submit", io_uring_submit(&ring));
	reap(&ring, "timeout.link", 2);

	io_uring_queue_exit(&ring);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void test_misc_registration(void)
{
	struct io_uring ring;
	unsigned workers[2] = { 0, 0 };
	int efd = eventfd(0, EFD_CLOEXEC);
	int id;

	if (efd < 0 || io_uring_queue_init(4, &ring, 0) < 0) {
		fact("misc.setup", -1);
		return;
	}
	fact("misc.eventfd.register", io_uring_register_eventfd(&ring, efd));
	fact("misc.eventfd.enabled", io_uring_cq_eventfd_enabled(&ring));
	nop_roundtrip(&ring, "misc.eventfd");
	{
		eventfd_t v = 0;
		fact("misc.eventfd.read", eventfd_read(efd, &v));
		fact("misc.eventfd.signalled", v > 0);
	}
	fact("misc.eventfd.unregister", io_uring_unregister_eventfd(&ring));

	id = io_uring_register_personality(&ring);
	fact("misc.personality.ok", id > 0);
	fact("misc.personality.unregister", io_uring_unregister_personality(&ring, id));

	fact("misc.iowq_max_workers", io_uring_register_iowq_max_workers(&ring, workers));

	io_uring_queue_exit(&ring);
	close(efd);
}

/* A provided-buffer ring filled by the 2.3 inline helpers. */
static void test_buf_ring(void)
{
	enum { NBUFS = 4, BUFSZ = 64, BGID = 7 };
	static char bufs[NBUFS][BUFSZ];
	struct io_uring_buf_reg reg;
	struct io_uring_buf_ring *br;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int sv[2], i;
	void *mem;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || io_uring_queue_init(4, &ring, 0) < 0) {
		fact("bufring.setup", -1);
		return;
	}
	if (posix_memalign(&mem, 4096, 4096)) {
		fact("bufring.alloc", -1);
		return;
	}
	br = mem;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)br;
	reg.ring_entries = NBUFS;
	reg.bgid = BGID;
	io_uring_buf_ring_init(br);
	fact("bufring.register", io_uring_register_buf_ring(&ring, &reg, 0));
	for (i = 0; i < NBUFS; i++)
		io_uring_buf_ring_add(br, bufs[i], BUFSZ, i, io_uring_buf_ring_mask(NBUFS), i);
	io_uring_buf_ring_advance(br, NBUFS);

	fact("bufring.send", write(sv[1], "hello", 5));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv(sqe, sv[0], NULL, BUFSZ, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->user_data = 40;
	io_uring_submit(&ring);
	if (io_uring_wait_cqe(&ring, &cqe) == 0) {
		unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		fact("bufring.recv.res", cqe->res);
		fact("bufring.recv.has_buffer", !!(cqe->flags & IORING_CQE_F_BUFFER));
		fact("bufring.recv.bid", bid);
		fact("bufring.recv.matches", bid < NBUFS && memcmp(bufs[bid], "hello", 5) == 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	fact("bufring.unregister", io_uring_unregister_buf_ring(&ring, BGID));
	io_uring_queue_exit(&ring);
	free(mem);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	report_loaded_liburing();
	test_setup();
	test_submit_wait();
	test_file_io();
	test_registered_buffers();
	test_registered_files();
	test_probe();
	test_timeouts();
	test_misc_registration();
	test_buf_ring();
	printf("done\n");
	return 0;
}
